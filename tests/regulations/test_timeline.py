"""Tests for regulations/timeline.py: per-jurisdiction histories, sorted, with citations."""

from __future__ import annotations

from datetime import date

import pytest

from interdiction.errors import InputError
from interdiction.regulations import entries_for_substance, load_regulations, timeline

REGULATIONS = load_regulations()


def test_4_piperidone_history_per_jurisdiction() -> None:
    histories = {
        h.jurisdiction: h for h in timeline(entries_for_substance(REGULATIONS, "4-piperidone"))
    }
    assert list(histories) == ["us", "un", "eu", "ca"]
    assert histories["us"].events[0].date == date(2023, 5, 12)
    assert histories["us"].events[0].kind == "listed"
    ca = [(e.date, e.kind) for e in histories["ca"].events]
    assert ca == [(date(2017, 12, 27), "listed"), (date(2024, 9, 3), "coverage-added")]
    assert histories["eu"].events[0].date == date(2025, 8, 14)


def test_events_are_sorted_and_cited() -> None:
    for history in timeline(entries_for_substance(REGULATIONS, "1-boc-4-AP")):
        days = [e.date for e in history.events]
        assert days == sorted(days)
        assert all(e.citation.document for e in history.events)


def test_1boc4ap_history_shows_specific_listing_and_canadian_order_end() -> None:
    histories = {
        h.jurisdiction: h for h in timeline(entries_for_substance(REGULATIONS, "125541-22-2"))
    }
    us = [(e.date, e.kind) for e in histories["us"].events]
    assert us == [(date(2020, 5, 15), "listed"), (date(2022, 11, 9), "amended")]
    ca = [(e.date, e.kind, e.entry_id) for e in histories["ca"].events]
    assert ca[0] == (date(2022, 8, 31), "listed", "ca-1-boc-4-ap-ministerial-order")
    assert (date(2023, 8, 29), "ended", "ca-1-boc-4-ap-ministerial-order") in ca
    assert (date(2023, 8, 30), "listed", "ca-1-boc-4-ap") in ca


def test_us_4ap_halides_event() -> None:
    (us,) = [
        h for h in timeline(entries_for_substance(REGULATIONS, "4-AP")) if h.jurisdiction == "us"
    ]
    assert (date(2023, 11, 30), "coverage-added") in [(e.date, e.kind) for e in us.events]


def test_structure_widening_reaches_jurisdictions_that_use_another_name() -> None:
    # Mexico writes "N-Fenetil-4-piperidona"; the English abbreviation still finds its entry.
    assert "mx" in {h.jurisdiction for h in timeline(entries_for_substance(REGULATIONS, "NPP"))}


def test_unknown_substance_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not the name"):
        entries_for_substance(REGULATIONS, "caffeine")
