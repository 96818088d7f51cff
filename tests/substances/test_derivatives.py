"""Derivative / deprotection templates: each maps a derivative back to its parent."""

from __future__ import annotations

import pytest
from rdkit import Chem

from interdiction.substances.derivatives import load_templates, parents, parents_within
from interdiction.substances.identify import structure_key

TEMPLATES = {t.id: t for t in load_templates()}


def _key(smiles: str) -> str:
    return structure_key(Chem.MolFromSmiles(smiles))


@pytest.mark.parametrize(
    "template, derivative, parent",
    [
        ("boc", "CC(C)(C)OC(=O)N1CCC(CC1)Nc1ccccc1", "c1ccc(cc1)NC1CCNCC1"),
        ("cbz", "O=C(OCc1ccccc1)N1CCC(=O)CC1", "O=C1CCNCC1"),
        ("carbamate", "CCOC(=O)N1CCC(=O)CC1", "O=C1CCNCC1"),
        ("amide", "CC(=O)N1CCC(=O)CC1", "O=C1CCNCC1"),
        ("formamide", "O=CN1CCC(=O)CC1", "O=C1CCNCC1"),
        ("n-benzyl", "O=C1CCN(Cc2ccccc2)CC1", "O=C1CCNCC1"),
        ("ketal", "C1CC2(CCN1)OCCO2", "O=C1CCNCC1"),
        ("ketal", "COC1(OC)CCNCC1", "O=C1CCNCC1"),
        ("halide", "Fc1ccc(NC2CCNCC2)cc1", "c1ccc(cc1)NC1CCNCC1"),
        ("ester", "CC(=O)OC(CN1CCCCC1)c1ccccc1", "OC(CN1CCCCC1)c1ccccc1"),
    ],
)
def test_template_maps_derivative_to_parent(template: str, derivative: str, parent: str) -> None:
    found = parents(Chem.MolFromSmiles(derivative), [TEMPLATES[template]])
    assert _key(parent) in {p.key for p in found}


def test_every_template_has_kind_and_description() -> None:
    for template in TEMPLATES.values():
        assert template.kind and template.description
        assert "procedure" not in template.description.lower()


def test_combination_of_kinds_within_three_steps() -> None:
    # Boc-protected, fluorinated 4-AP: a carbamate and a halide of 4-AP together.
    mol = Chem.MolFromSmiles("CC(C)(C)OC(=O)N1CCC(CC1)Nc1ccc(F)cc1")
    found = {p.key: p for p in parents_within(mol, TEMPLATES.values())}
    parent = found[_key("c1ccc(cc1)NC1CCNCC1")]
    assert parent.kinds == {"carbamates", "halides"}


def test_no_parent_for_plain_structure() -> None:
    assert parents(Chem.MolFromSmiles("c1ccccc1"), TEMPLATES.values()) == []
