"""The HTML report: self-contained, escaped, states inputs = results + rejected, draws SVG."""

from __future__ import annotations

import re
from pathlib import Path

from interdiction.shipments.records import empty_errors
from interdiction.shipments.report import report_sections, write_report


def test_report_is_self_contained_and_escaped(tmp_path: Path, records, screen, context) -> None:  # type: ignore[no-untyped-def]
    frame = records(
        {},
        {
            "description": "NPP <script>alert(1)</script>",
            "date": "2023-03-01",
            "shipper_name": "Evil <b>Co</b>",
            "shipper_country": "CN",
            "origin_country": "CN",
            "final_destination_country": "MX",
            "consignee_country": "MX",
        },
    )
    scored, flags = screen(frame, context)
    path = write_report(
        tmp_path, scored, flags, empty_errors(), summary={"inputs": 3, "results": 2, "rejected": 1}
    )
    page = path.read_text(encoding="utf-8")
    assert path == tmp_path / "report.html"
    assert (
        "<script>" not in page and "&lt;script&gt;" in page and "Evil &lt;b&gt;Co&lt;/b&gt;" in page
    )
    assert "Inputs 3 = results 2 + rejected 1" in page
    # Nothing is fetched: no external src/href, no script or stylesheet links (xmlns are names).
    assert not re.findall(r"""(?:src|href)\s*=\s*["']https?://""", page)
    assert "<link" not in page and "<script" not in page
    assert page.count("<svg") >= 3  # molecule + charts
    assert "N-Phenethyl-4-piperidone" in page


def test_report_with_no_flags(tmp_path: Path, records, screen, context) -> None:  # type: ignore[no-untyped-def]
    scored, flags = screen(records({}), context)
    page = write_report(
        tmp_path, scored, flags, empty_errors(), summary={"inputs": 1, "results": 1, "rejected": 0}
    ).read_text()
    assert "No record drew a flag." in page and "No listed chemical" in page


def test_report_draws_chemical_read_from_systematic_name(
    tmp_path: Path, records, screen, context
) -> None:  # type: ignore[no-untyped-def]
    if context.systematic is None:
        return
    frame = records(
        {
            # Not named in any legal file; controlled through the class definitions.
            "description": "N-(1-phenethylpiperidin-4-yl)-N-(4-chlorophenyl)cyclopentanecarboxamide",
            "date": "2023-03-01",
        }
    )
    scored, flags = screen(frame, context)
    page = write_report(
        tmp_path, scored, flags, empty_errors(), summary={"inputs": 1, "results": 1, "rejected": 0}
    ).read_text()
    section = page[page.index("Chemicals found") : page.index("Party network")]
    assert section.count("<svg") == 1 and "cyclopentanecarboxamide" in section


def test_sections_built_ahead_give_the_same_page(tmp_path: Path, records, screen, context) -> None:  # type: ignore[no-untyped-def]
    frame = records(
        {"description": "NPP 25 kg", "date": "2023-03-01", "origin_country": "CN"},
        {"description": "plastic parts", "date": "2023-03-02", "shipper_name": "Acme Ltd"},
    )
    scored, flags = screen(frame, context)
    summary = {"inputs": 2, "results": 2, "rejected": 0}
    whole = write_report(tmp_path / "a", scored, flags, empty_errors(), summary=summary)
    ahead = write_report(
        tmp_path / "b",
        scored,
        flags,
        empty_errors(),
        summary=summary,
        sections=report_sections(scored, flags),
    )
    assert whole.read_text(encoding="utf-8") == ahead.read_text(encoding="utf-8")
    assert "Highest-risk records" in ahead.read_text(encoding="utf-8")
