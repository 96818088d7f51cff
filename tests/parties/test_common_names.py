"""Common person names: the table and how a name is recognised as common."""

from __future__ import annotations

import pytest

from interdiction.parties.common_names import common_name
from interdiction.parties.normalise import normalise_name


@pytest.mark.parametrize("written", ["Zhang Wei", "ZHANG, Wei", "Wei Zhang", "张伟", "張偉"])
def test_zhang_wei_is_common_in_any_order_or_script(written: str) -> None:
    found = common_name(normalise_name(written).tokens)
    assert found is not None
    assert (found.written, found.country) == ("张伟", "CN")
    assert int(found.people) > 250_000


def test_a_listed_name_that_is_not_in_the_table_is_not_common() -> None:
    # ZHANG, Lei (OFAC SDN 16318): common surname, but the pair is not in the sources read.
    assert common_name(("zhang", "lei")) is None
    assert common_name(("guzman", "lopez", "ovidio")) is None


def test_spanish_names_made_of_common_parts_are_common() -> None:
    found = common_name(normalise_name("José García").tokens)
    assert found is not None and found.country == "MX"
    assert found.written == "José García"
    assert common_name(normalise_name("María Guadalupe López Hernández").tokens) is not None
    assert common_name(normalise_name("Juan de la Cruz").tokens) is not None


@pytest.mark.parametrize(
    "written",
    [
        "Roberto Lopez Perez",  # a given name outside the table
        "Hernandez Garcia",  # surnames only
        "Juan Jose",  # given names only
        "Jose Luis Garcia Hernandez Lopez Perez",  # longer than a name of common parts
    ],
)
def test_names_not_made_of_common_parts_are_not_common(written: str) -> None:
    assert common_name(normalise_name(written).tokens) is None


def test_unconfirmed_rows_say_so() -> None:
    found = common_name(("liu", "yang"))
    assert found is not None and found.citation.endswith("(confidence U)")
    confirmed = common_name(("wang", "fang"))
    assert confirmed is not None and "MPS-2019" in confirmed.citation
    assert "confidence U" not in confirmed.citation
