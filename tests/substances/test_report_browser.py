"""The substance report as a person sees it: rendered by headless Chromium."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from interdiction.substances.readers import read_inputs
from interdiction.substances.report import BatchReport
from interdiction.substances.screen import check_records

CATALOG = Path(str(resources.files("interdiction") / "data" / "samples" / "catalog.csv"))


@pytest.mark.integration
def test_report_renders_counts_chart_and_highlighted_structures(
    tmp_path: Path, chromium: Any
) -> None:
    report = BatchReport(source=str(CATALOG), as_of=date(2026, 11, 29))
    for verdict in check_records(read_inputs(CATALOG, column="input"), as_of=date(2026, 11, 29)):
        report.add(verdict)
    page = report.write(tmp_path / "report.html")
    driver = chromium
    from selenium.webdriver.common.by import By

    driver.get(page.as_uri())  # type: ignore[attr-defined]

    counts = driver.find_element(By.ID, "counts").text  # type: ignore[attr-defined]
    assert "controlled" in counts and "precursor" in counts
    cards = driver.find_elements(By.CSS_SELECTOR, ".card svg")  # type: ignore[attr-defined]
    assert len(cards) == report.flagged_total == len(report.drawn)
    # Each drawn structure occupies real space on the page (it rendered, not just parsed).
    assert all(card.size["width"] > 200 and card.size["height"] > 150 for card in cards[:10])
    bars = driver.find_elements(By.CSS_SELECTOR, "#chart rect")  # type: ignore[attr-defined]
    assert len(bars) >= 7
    shot = tmp_path / "report.png"
    driver.save_screenshot(str(shot))  # type: ignore[attr-defined]
    assert shot.stat().st_size > 20_000
