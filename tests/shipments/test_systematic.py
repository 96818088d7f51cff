"""Systematic names in goods text: candidate phrases, OPSIN, classification by structure."""

from __future__ import annotations

import pytest

from interdiction.shipments.systematic import candidates
from interdiction.substances.opsin import opsin_available


def test_candidates_need_a_relevant_morpheme_and_a_systematic_shape() -> None:
    text = "1-(2-phenylethyl)-4-piperidinone 25kg drum, ascorbic acid; 2-ethylhexyl acrylate / piperidine"
    assert candidates(text) == ["1-(2-phenylethyl)-4-piperidinone"]


def test_candidates_keep_ester_words() -> None:
    assert candidates("tert-butyl 4-(phenylamino)piperidine-1-carboxylate 98%") == [
        "tert-butyl 4-(phenylamino)piperidine-1-carboxylate"
    ]


@pytest.mark.skipif(not opsin_available(), reason="needs Java and the OPSIN jar")
def test_unlisted_synonym_and_class_analogue_are_found(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    frame = records(
        {"description": "1-(2-phenylethyl)-4-piperidinone, 25 kg", "date": "2023-03-01"},
        {
            "description": "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]-2-methylpropanamide",
            "date": "2023-03-01",
        },
    )
    _, flags = screen(frame, context)
    first = flags[(flags["record_id"] == "r1") & flags["rule_id"].str.startswith("RF-A2")]
    assert first["evidence"].str.contains("systematic name").all()
    assert first["evidence"].str.contains("N-Phenethyl-4-piperidone").all()
    assert not first["evidence"].str.contains("= 4-Piperidone").any()
    second = flags[(flags["record_id"] == "r2") & (flags["rule_id"] == "RF-A2.controlled")]
    assert len(second) == 1


@pytest.mark.skipif(not opsin_available(), reason="needs Java and the OPSIN jar")
def test_class_covered_analogue_by_systematic_name(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    text = "N-(1-phenethylpiperidin-4-yl)-N-(4-chlorophenyl)cyclopentanecarboxamide"
    _, flags = screen(records({"description": text, "date": "2023-03-01"}), context)
    evidence = flags.loc[flags["rule_id"] == "RF-A2.controlled", "evidence"]
    assert (
        len(evidence) == 1
        and "(structure " in evidence.iloc[0]
        and "controlled in us" in evidence.iloc[0]
    )
