"""End-to-end verdicts of ``check`` on cases the law decides, and the golden file on the sample."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from interdiction.substances.output import COLUMNS, verdict_row
from interdiction.substances.readers import read_inputs
from interdiction.substances.screen import check, check_records

FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"
GOLDEN = Path(__file__).parents[1] / "golden" / "catalog_verdicts.csv"
CATALOG = Path(str(resources.files("interdiction") / "data" / "samples" / "catalog.csv"))


def test_fentanyl_is_a_named_entry_not_a_class_member() -> None:
    verdict = check(FENTANYL)
    for j in ("us", "cn", "un", "ca", "uk"):
        status = verdict.status(j)
        assert status.status == "controlled", j
        assert ":frs" not in status.basis and status.basis.startswith(f"{j}-"), status.basis
        assert status.reasons and status.reasons[0].citation
    assert verdict.inchikey == "PJMPHNIQZUBGLI-UHFFFAOYSA-N"


def test_the_four_input_kinds_of_the_issue_agree() -> None:
    by_smiles = check(FENTANYL)
    by_chinese = check("芬太尼")
    by_iupac = check("N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide")
    assert by_chinese.smiles == by_smiles.smiles == by_iupac.smiles
    assert by_chinese.input == "芬太尼"  # the user's input is kept


def test_boc_4ap_by_cas_is_a_us_precursor_today_and_masked_before_2020() -> None:
    today = check("125541-22-2")
    assert today.status("us").status == "precursor"
    assert today.status("un").status == "precursor"
    early = check("125541-22-2", as_of=date(2019, 1, 1))
    assert early.status("us").status == "not-listed"
    assert early.status("un").status == "not-listed"
    assert "masked-precursor" in {f.code for f in early.flags}


def test_benzylfentanyl_differs_by_jurisdiction() -> None:
    verdict = check("CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1")
    assert verdict.status("us").status == "precursor"
    assert ":frs" not in verdict.status("us").basis
    assert verdict.status("cn").status == "controlled"
    assert verdict.status("cn").basis.startswith("cn:frs")


@pytest.mark.parametrize("name", ["carfentanil", "sufentanil", "alfentanil", "remifentanil"])
def test_schedule_ii_fentanyls_are_excluded_from_the_us_class(name: str) -> None:
    verdict = check(name)
    us = verdict.status("us")
    assert us.status == "controlled"
    assert ":frs" not in us.basis and name in us.basis


def test_unnamed_class_member_is_controlled_only_from_the_class_date() -> None:
    pyridyl = "CCC(=O)N(c1ccccn1)C1CCN(CCc2ccccc2)CC1"  # aniline ring replaced (US clause D)
    now = check(pyridyl)
    assert now.status("us").status == "controlled"
    assert now.status("us").basis.startswith("us:frs") and "D" in now.status("us").basis
    assert now.highlights
    before = check(pyridyl, as_of=date(2018, 1, 1))
    assert before.status("us").status == "not-listed"
    assert "analogue-risk" in {f.code for f in before.flags}


def test_anpp_and_norfentanyl_are_precursor_entries_not_class_members() -> None:
    for text in ("ANPP", "norfentanyl"):
        verdict = check(text)
        assert ":frs" not in verdict.status("us").basis
        assert verdict.status("un").status == "precursor"
        assert not verdict.status("cn").basis.startswith("cn:frs")


def test_salt_is_stripped_and_flagged() -> None:
    verdict = check(FENTANYL + ".OC(=O)CC(O)(CC(=O)O)C(=O)O")
    assert verdict.smiles == check(FENTANYL).smiles
    assert "salt-or-mixture" in {f.code for f in verdict.flags}


def test_ordinary_piperidine_drug_is_clear() -> None:
    verdict = check("O=C(CCCN1CCC(O)(c2ccc(Cl)cc2)CC1)c1ccc(F)cc1")  # haloperidol
    assert {j.status for j in verdict.jurisdictions} == {"not-listed"}
    assert not verdict.flags


def test_unreadable_input_says_what_is_wrong() -> None:
    verdict = check("not a molecule")
    assert verdict.error
    assert {j.status for j in verdict.jurisdictions} == {"invalid-input"}
    bad_cas = check("1609-66-5")
    assert "check digit" in bad_cas.error


def test_golden_catalog(update_golden: bool) -> None:
    """Every verdict on the bundled sample catalog; --update-golden rewrites (review the diff)."""
    notes = {}
    with CATALOG.open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle), start=1):
            notes[i] = row["note"]
    rows = []
    for verdict in check_records(read_inputs(CATALOG, column="input"), as_of=date(2026, 11, 29)):
        row = verdict_row(verdict)
        row["why"] = notes[verdict.row]
        rows.append(row)
    fields = [*COLUMNS, "why"]
    if update_golden or not GOLDEN.exists():
        with GOLDEN.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        pytest.skip("golden file written; review it")
    with GOLDEN.open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):
        assert {k: got[k] for k in fields if k != "error"} == {
            k: want[k] for k in fields if k != "error"
        }, want["why"]
