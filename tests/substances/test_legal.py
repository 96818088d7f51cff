"""Legal assessment: precedence, class verdicts, dates, flags, prescreen, golden verdicts."""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem

from interdiction.regulations import load_regulations
from interdiction.substances.legal import Assessment, LegalIndex, assess, build_index, prescreen

HERE = Path(__file__).resolve().parent.parent
GOLDEN = HERE / "golden" / "class_verdicts.csv"
LABELLED = HERE / "data" / "analogues_labelled.csv"
TODAY = date(2026, 11, 29)


@lru_cache(maxsize=1)
def _index() -> LegalIndex:
    return build_index(load_regulations())


def _assess(smiles: str, on: date = TODAY) -> Assessment:
    mol = Chem.MolFromSmiles(smiles)
    assert mol is not None
    return assess(mol, on=on, index=_index())


FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"
BENZYLFENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1"
PYRIDYL_FRS = "CCC(=O)N(c1ccccn1)C1CCN(CCc2ccccc2)CC1"


def test_fentanyl_is_its_named_entry_not_a_class_member() -> None:
    result = _assess(FENTANYL)
    assert result.status("us").basis == "us-fentanyl"
    assert result.status("cn").basis == "cn-fentanyl"
    assert not result.flags


def test_benzylfentanyl_differs_by_jurisdiction() -> None:
    result = _assess(BENZYLFENTANYL)
    assert (result.status("us").status, result.status("us").basis) == (
        "precursor",
        "us-benzylfentanyl",
    )
    assert (result.status("cn").status, result.status("cn").basis) == ("controlled", "cn:frs:4")


@pytest.mark.parametrize(
    "smiles, entry",
    [
        ("CCC(=O)N(c1ccccc1)C1(CCN(CCc2ccccc2)CC1)C(=O)OC", "us-carfentanil"),
        ("CCC(=O)N(c1ccccc1)C1(COC)CCN(CCc2cccs2)CC1", "us-sufentanil"),
        ("CCC(=O)N(c1ccccc1)C1(CCN(CCC(=O)OC)CC1)C(=O)OC", "us-remifentanil"),
        ("COCC(=O)N(c1ccccc1)C1(CCN(CCc2cccs2)CC1)C(=O)OC", "us-thiafentanil"),
    ],
)
def test_schedule_ii_fentanyls_are_excluded_from_frs_by_their_entry(
    smiles: str, entry: str
) -> None:
    assert _assess(smiles).status("us").basis == entry


def test_new_frs_basis_reasons_and_highlights() -> None:
    result = _assess("CC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1")  # thienyl + acetyl, unnamed
    us = result.status("us")
    assert (us.status, us.basis, us.effective_from) == ("controlled", "us:frs:A+E", "2025-07-16")
    assert any("clause (A)" in r.citation for r in us.reasons)
    assert result.status("cn").basis == "cn:frs:1+4"
    regions = {h.region for h in result.highlights}
    assert regions == {"acyl", "aniline-ring", "piperidine", "phenethyl"}
    acyl = next(h for h in result.highlights if h.region == "acyl")
    assert sorted(acyl.atoms) == [0, 1, 2]  # C, C(=O), O of the acetyl group


def test_frs_before_the_temporary_order_is_not_listed_but_flagged() -> None:
    result = _assess(PYRIDYL_FRS, on=date(2018, 1, 1))
    assert result.status("us").status == "not-listed"
    assert result.status("cn").status == "not-listed"  # China's class: 2019-05-01
    assert [f.code for f in result.flags] == ["analogue-risk"]
    assert "not in force" in result.flags[0].detail
    assert _assess(PYRIDYL_FRS, on=date(2018, 2, 6)).status("us").basis == "us:frs:D"


@pytest.mark.parametrize(
    "smiles",
    [
        "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)C1",  # pyrrolidine: ring contraction
        "CCC(=O)N(c1ccccc1)C1CCCN(CCc2ccccc2)CC1",  # azepane: ring expansion
        "CCC(=O)N(c1ccccc1)C1CCN(CCCc2ccccc2)CC1",  # 3-carbon linker (CN clause 4 covers it)
    ],
)
def test_outside_us_text_gives_analogue_risk_not_status(smiles: str) -> None:
    result = _assess(smiles)
    assert result.status("us").status == "not-listed"
    flag = next(f for f in result.flags if f.code == "analogue-risk")
    assert "Analogue Enforcement Act" in flag.detail
    assert flag.related


@pytest.mark.parametrize(
    "smiles",
    [
        "CN(C)C1CCCCC1N(C)C(=O)c1ccc(Cl)c(Cl)c1",  # U-47700
        "CCN(CC)CCn1c(Cc2ccc(OC(C)C)cc2)nc2cc([N+](=O)[O-])ccc21",  # isotonitazene
        "CC(c1ccc(Br)cc1)N1CCC(CC1)n1c(=O)[nH]c2ccccc21",  # brorphine
        "CCCC(=O)N1CCN(CC1)CC=Cc1ccccc1",  # AP-237
        "CN(C)C(=O)C(CCN1CCC(O)(c2ccc(Cl)cc2)CC1)(c1ccccc1)c1ccccc1",  # loperamide
        "OC1(CCN(CCCC(=O)c2ccc(F)cc2)CC1)c1ccc(Cl)cc1",  # haloperidol
        "CCCCN1CCCCC1C(=O)Nc1c(C)cccc1C",  # bupivacaine
        "Fc1ccc(cc1)C1CCNCC1COc1ccc2OCOc2c1",  # paroxetine
        "COc1cc2CC(CC3CCN(Cc4ccccc4)CC3)C(=O)c2cc1OC",  # donepezil
        "CCN(CC)CC(=O)Nc1c(C)cccc1C",  # lidocaine
    ],
)
def test_non_fentanyl_opioids_and_ordinary_drugs_are_not_listed(smiles: str) -> None:
    result = _assess(smiles)
    assert all(v.status == "not-listed" for v in result.jurisdictions)
    assert not result.flags


def test_derivative_coverage_is_a_status_where_the_entry_covers_it() -> None:
    result = _assess("O=C(OCc1ccccc1)N1CCC(CC1)Nc1ccccc1")  # 1-Cbz-4-AP
    us = result.status("us")
    assert (us.status, us.basis) == ("precursor", "us-4-ap")
    assert "carbamates" in us.reasons[0].detail
    assert result.status("cn").status == "not-listed"
    masked = next(f for f in result.flags if f.code == "masked-precursor")
    assert "cbz" in masked.detail and masked.related.endswith("4-ap")


def test_halide_of_4ap_only_after_2023_11_30() -> None:
    smiles = "Fc1ccc(NC2CCNCC2)cc1"
    assert _assess(smiles).status("us").basis == "us-4-ap"
    assert _assess(smiles, on=date(2023, 1, 1)).status("us").status == "not-listed"


def test_acetal_of_4_piperidone_is_us_list_i() -> None:
    assert _assess("C1CC2(CCN1)OCCO2").status("us").basis == "us-4-piperidone"


def test_controlled_beats_precursor() -> None:
    # ANPP in Canada: named NCR narcotic (controlled), also a 4-AP derivative (precursor).
    assert _assess("c1ccc(cc1)NC1CCN(CCc2ccccc2)CC1").status("ca").status == "controlled"


def test_prescreen_true_for_every_listed_or_flagged_labelled_structure() -> None:
    for row in csv.DictReader(LABELLED.open(encoding="utf-8")):
        mol = Chem.MolFromSmiles(row["smiles"])
        result = assess(mol, on=TODAY, index=_index())
        if result.flags or any(v.status != "not-listed" for v in result.jurisdictions):
            assert prescreen(mol, _index()), row["name"]


def test_prescreen_false_for_plain_chemicals() -> None:
    for smiles in ("c1ccccc1", "CC(=O)Nc1ccc(O)cc1", "OC(=O)c1ccccc1OC(C)=O", "CCO"):
        assert not prescreen(Chem.MolFromSmiles(smiles), _index())


def test_prescreen_true_for_small_listed_precursor_by_formula() -> None:
    assert prescreen(Chem.MolFromSmiles("CCC(=O)Cl"), _index())


def _row(name: str, smiles: str, on: date) -> dict[str, str]:
    result = _assess(smiles, on)
    out = {"name": name, "smiles": smiles, "as_of": on.isoformat()}
    for v in result.jurisdictions:
        out[v.jurisdiction] = f"{v.status}:{v.basis}" if v.basis else v.status
    out["flags"] = ";".join(sorted({f.code for f in result.flags}))
    return out


def test_golden_class_verdicts(update_golden: bool) -> None:
    rows = list(csv.DictReader(GOLDEN.open(encoding="utf-8")))
    fields = list(rows[0].keys())
    got = []
    for row in rows:
        new = _row(row["name"], row["smiles"], date.fromisoformat(row["as_of"]))
        new["why"] = row["why"]
        got.append(new)
    if update_golden:
        with GOLDEN.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(got)
        return
    for expected, actual in zip(rows, got, strict=True):
        assert actual == expected, expected["name"]


def test_index_is_cached_and_pickles() -> None:
    import pickle

    regulations = load_regulations()
    assert build_index(regulations) is build_index(regulations)
    copy = pickle.loads(pickle.dumps(_index()))
    mol = Chem.MolFromSmiles("CC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1")
    assert assess(mol, on=TODAY, index=copy) == assess(mol, on=TODAY, index=_index())


BACKGROUND = Path("/work/shared/data/molecules/background_decoys_159k.csv.gz")


@pytest.mark.skipif(not BACKGROUND.exists(), reason="shared background set not on this machine")
def test_background_sample_prescreen_is_safe() -> None:
    """Ordinary screening compounds: prescreen False implies not listed and no flag."""
    import gzip

    with gzip.open(BACKGROUND, "rt", encoding="utf-8") as fh:
        rows = [row["smiles"] for _, row in zip(range(400), csv.DictReader(fh), strict=False)]
    for smiles in rows:
        mol = Chem.MolFromSmiles(smiles)
        result = assess(mol, on=TODAY, index=_index())
        if not prescreen(mol, _index()):
            assert not result.flags, smiles
            assert all(v.status == "not-listed" for v in result.jurisdictions), smiles


def test_canada_similarity_floor_keeps_out_dissimilar_scaffold_matches() -> None:
    # A screening amide from the background set: cyclopropyl on the amide N, a thiazole acyl
    # and N-ethyl together; Tanimoto 0.24 to the nearest controlled fentanyl.
    result = _assess("CCN1CCC(N(C(=O)c2csc(-c3ccccc3C)n2)C2CC2)CC1")
    assert result.status("ca").status == "not-listed"
    assert result.status("us").status == "not-listed"


def test_class_reason_cites_the_clause_section() -> None:
    us = _assess(PYRIDYL_FRS).status("us")
    assert any("812(c) Schedule I (e)(2)(D)" in r.citation for r in us.reasons)


# Region vocabularies for the nesting property below (identification test data only).
_ACYL = ["CC", "C", "CCC", "C7CC7", "o7cccc7", "CCO", "COC", "C=C", ""]
_ANILINE = ["c1ccccc1", "c1ccc(F)cc1", "c1ccccn1", "c1ccsc1", "C1CCCCC1", "c1ccc2OCOc2c1"]
_C4 = ["", "(COC)", "(C(=O)OC)", "(c2ccccc2)"]
_C3 = ["", "C", "F", "C=C"]
_NSUB = ["CCc2ccccc2", "Cc2ccccc2", "CCc2cccs2", "C(C)Cc2ccccc2", "CCCc2ccccc2", "[H]", "CC"]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(_ACYL),
    st.sampled_from(_ANILINE),
    st.sampled_from(_C4),
    st.sampled_from(_C3),
    st.sampled_from(_NSUB),
)
def test_class_nesting_and_prescreen(acyl: str, aniline: str, c4: str, c3: str, nsub: str) -> None:
    """The UK text is inside the US text, the US text inside China's; prescreen passes all."""
    smiles = f"{acyl}C(=O)N({aniline})C1{c4}CCN({nsub})CC1{c3}"
    mol = Chem.MolFromSmiles(smiles)
    assert mol is not None, smiles
    mol = Chem.RemoveHs(mol)
    assert prescreen(mol, _index())
    result = assess(mol, on=TODAY, index=_index())
    us, cn, uk = result.status("us"), result.status("cn"), result.status("uk")
    if uk.basis.startswith("uk:"):
        assert us.status == "controlled", smiles
    if us.basis.startswith("us:frs"):
        assert cn.status == "controlled", smiles
    if nsub == "[H]":
        assert not any(":" in v.basis for v in result.jurisdictions), smiles


def test_derivative_verdict_dates_from_when_its_kind_was_covered() -> None:
    us = _assess("Fc1ccc(NC2CCNCC2)cc1").status("us")  # a halide of 4-AP
    assert us.effective_from == "2023-11-30"
    assert _assess("O=C(OCc1ccccc1)N1CCC(CC1)Nc1ccccc1").status("us").effective_from == (
        "2020-05-15"
    )


INDEPENDENT = HERE / "data" / "analogues_independent.csv"


@pytest.mark.parametrize(
    ("smiles", "entry"),
    [
        ("CC(C)(C)OC(=O)N1CCC(CC1)Nc1ccc(F)cc1", "ca-4-fluoro-1-boc-4-ap-ministerial-order"),
        ("Fc1ccc(NC2CCNCC2)cc1", "ca-4-fluoro-4-ap-ministerial-order"),
        ("CC(C)(C)OC(=O)N1CCC(CC1)Nc1ccc(Br)cc1", "ca-4-bromo-1-boc-4-ap-ministerial-order"),
    ],
)
def test_canada_ministerial_order_names_all_four_4ap_derivatives(smiles: str, entry: str) -> None:
    # SOR/2022-185 (2022-08-31 to 2023-08-30) named four substances, not only 1-boc-4-AP.
    assert _assess(smiles, on=date(2022, 8, 30)).status("ca").status == "not-listed"
    during = _assess(smiles, on=date(2023, 1, 1)).status("ca")
    assert (during.status, during.basis) == ("precursor", entry)
    assert _assess(smiles, on=date(2023, 9, 1)).status("ca").basis == "ca-4-ap"


def test_independent_audit_set_clear_rows_agree() -> None:
    """Labels drawn from the legal text by a second reader (doubtful rows reported, not asserted)."""
    from interdiction.substances.screen import check

    wrong = []
    for row in csv.DictReader(INDEPENDENT.open(encoding="utf-8")):
        on = date.fromisoformat(row["as_of"]) if row["as_of"] else TODAY
        verdict = check(row["smiles"], as_of=on)
        got = {v.jurisdiction: v.status for v in verdict.jurisdictions}
        for j in ("us", "cn", "ca"):
            if row[j] and not row["doubtful"] and got[j] != row[j]:
                wrong.append((row["name"], j, row[j], got[j]))
    assert not wrong


@pytest.mark.parametrize(
    ("smiles", "jurisdiction", "basis"),
    [
        # fentanyl-d5, a common analytical reference standard: still fentanyl.
        ("CCC(=O)N(c1ccccc1)C1CCN(CCc2c([2H])c([2H])c([2H])c([2H])c2[2H])CC1", "us", "us-fentanyl"),
        ("c1ccc(cc1)NC1CCN(CCc2c([2H])c([2H])c([2H])c([2H])c2[2H])CC1", "us", "us-anpp"),
        ("[H]C([H])([H])CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "cn", "cn-fentanyl"),
        ("O=C(C1CC1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1[2H]", "us", "us-cyclopropyl-fentanyl"),
    ],
)
def test_isotope_labelled_forms_are_the_substance(
    smiles: str, jurisdiction: str, basis: str
) -> None:
    assert _assess(smiles).status(jurisdiction).basis == basis


def test_ketone_hydrate_is_the_ketone() -> None:
    # 4-piperidone monohydrate hydrochloride (CAS 40064-34-4) is drawn as piperidine-4,4-diol.
    assert _assess("OC1(O)CCNCC1").status("us").basis == "us-4-piperidone"
    assert _assess("OC1(O)CCN(CCc2ccccc2)CC1").status("cn").basis == "cn-npp"
    # Not a hydrate: a diol on two carbons stays what it is.
    assert _assess("OC1CCNCC1O").status("us").status == "not-listed"


def test_legal_form_maps_highlights_back_to_input_atoms() -> None:
    smiles = "[2H]c1c([2H])c([2H])c(CCN2CCC(CC2)N(C(=O)C2CC2)c2ccccc2)c([2H])c1[2H]"
    result = _assess(smiles)
    mol = Chem.MolFromSmiles(smiles)
    for highlight in result.highlights:
        assert all(mol.GetAtomWithIdx(i).GetAtomicNum() > 1 for i in highlight.atoms)
