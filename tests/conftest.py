"""Shared pytest options: --runslow for long tests, --update-golden to rewrite golden files."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", default=False, help="run tests marked slow")
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/* from current output (review the diff like code)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run should rewrite golden files instead of comparing."""
    return bool(request.config.getoption("--update-golden"))


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture
def chromium() -> Iterator[object]:
    """A selenium driver for Debian's chromium; skips (or fails in CI) when it is missing."""
    width, height = 1280, 1600
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        if os.environ.get("INTERDICTION_REQUIRE_BROWSER"):
            pytest.fail(
                "chromium/chromedriver missing: install Debian's chromium and chromium-driver"
            )
        pytest.skip("Debian chromium/chromedriver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="interdiction-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def zhang_wei() -> object:
    """OFAC SDN 45391 ZHANG, Wei (ILLICIT-DRUGS-EO14059) as listed on 2024-05-03, with the address
    the 2025-01 add.csv gives; a person whose name some 290,000 people in China share."""
    from interdiction.parties.model import Address, Identifier, ListedEntity, ListedName

    return ListedEntity(
        "ofac-sdn",
        "45391",
        "person",
        (ListedName("ZHANG, Wei"),),
        programs=("ILLICIT-DRUGS-EO14059",),
        countries=("China",),
        dates_of_birth=("16 Jun 1977",),
        identifiers=(Identifier("national-id", "130502197706161537", "China"),),
        addresses=(
            Address(
                "No. 67, Guangming Street 6th Village, Qiaodong District", "Xingtai, Hebei", "China"
            ),
        ),
    )
