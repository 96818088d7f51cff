"""The HTML report: self-contained, escaped, states inputs = results + rejected, draws SVG."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

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


_COUNTRY = st.sampled_from(["", "CN", "MX", "US", None])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_COUNTRY, _COUNTRY, _COUNTRY, _COUNTRY, st.sampled_from([0.0, 15.0, 25.5, 60.0])),
        min_size=1,
        max_size=40,
    )
)
def test_route_chart_equals_the_row_by_row_definition(rows) -> None:  # type: ignore[no-untyped-def]
    # Lanes from route_label() record by record, mean score of the 12 lanes with the highest
    # total (ties by lane), exactly as the Arrow version draws them.
    import pandas as pd

    from interdiction.shipments.report import _bar_chart, _risk_by, _routes
    from interdiction.shipments.routes import route_label

    frame = pd.DataFrame(
        rows,
        columns=["origin_country", "shipper_country", "final_destination_country",
                 "consignee_country", "risk_score"],
    ).astype({c: "string[pyarrow]" for c in ("origin_country", "shipper_country",
                                              "final_destination_country", "consignee_country")})  # fmt: skip
    lanes = [route_label(*("" if pd.isna(v) else v for v in row[:4])) for row in rows]
    assert _routes(frame).to_pylist() == lanes
    reference = (
        pd.DataFrame({"key": lanes, "score": frame["risk_score"]})
        .groupby("key")["score"]
        .agg(["sum", "count", "mean"])
        .reset_index()
        .sort_values(["sum", "key"], ascending=[False, True])
        .head(12)
    )
    expected = _bar_chart(
        "t",
        [(f"{r.key} (n={r.count})", float(r.mean)) for r in reference.itertuples()],
        unit=" avg",
    )
    assert _risk_by(frame, _routes(frame), "t") == expected
