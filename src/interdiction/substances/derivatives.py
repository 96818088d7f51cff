"""Derivative and protected forms of listed substances, from templates kept as data.

A template (``data/templates/*.yaml``) relates a derivative to its parent structure, e.g. an
N-Boc carbamate to the free amine. It is read only to IDENTIFY: "this query is the carbamate
of 4-AP". ``parents`` gives every structure one step away; ``parents_within`` follows the steps
a legal entry's ``covers`` allow ("4-AP, its amides, its carbamates, its halides ... and any
combination thereof"). No conditions or procedures are ever recorded or produced.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from rdkit import Chem, rdBase
from rdkit.Chem import rdChemReactions
from rdkit.Chem.rdMolDescriptors import CalcMolFormula

from interdiction.errors import ReferenceDataError
from interdiction.substances.identify import structure_key

__all__ = ["Template", "Parent", "load_templates", "parents", "parents_within"]

# Steps followed when an entry covers a combination of derivative kinds; "4-AP, its amides,
# its carbamates, its halides ... and any combination": three steps reach a Boc-protected,
# halogenated, N-acyl 4-AP.
_MAX_STEPS = 3
# Products kept per step: a query with many esters could otherwise branch widely.
_MAX_PRODUCTS = 64


@dataclass(frozen=True)
class Template:
    """One derivative relation: the query side (reactant) maps back to the parent (product)."""

    id: str
    kind: str
    masked: bool
    description: str
    smarts: str
    reaction: rdChemReactions.ChemicalReaction
    pattern: Chem.Mol  # the derivative side, for a quick "does it apply at all" test


@dataclass(frozen=True)
class Parent:
    """A parent structure one or more template steps away from the query."""

    key: str
    smiles: str
    steps: tuple[str, ...]  # template ids, query side first
    kinds: frozenset[str]


def load_templates(folder: Path | None = None) -> tuple[Template, ...]:
    """Read every template file under ``data/templates`` (or ``folder``).

    Raises:
        ReferenceDataError: malformed file, missing field or a reaction SMARTS that does not parse.
    """
    if folder is not None:
        files = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))]
    else:
        base = resources.files("interdiction") / "data" / "templates"
        files = [
            (f"data/templates/{p.name}", p.read_text(encoding="utf-8"))
            for p in sorted(base.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".yaml")
        ]
    out: list[Template] = []
    for where, text in files:
        raw = yaml.safe_load(text)
        if not isinstance(raw, dict) or "templates" not in raw:
            raise ReferenceDataError(f"{where}: expected a mapping with 'templates'.")
        for item in raw["templates"]:
            try:
                smarts = str(item["smarts"])
                reaction = rdChemReactions.ReactionFromSmarts(smarts)
                reaction.Initialize()
                out.append(
                    Template(
                        id=str(item["id"]),
                        kind=str(item["kind"]),
                        masked=bool(item.get("masked", False)),
                        description=str(item["description"]),
                        smarts=smarts,
                        reaction=reaction,
                        pattern=reaction.GetReactantTemplate(0),
                    )
                )
            except KeyError as exc:
                raise ReferenceDataError(
                    f"{where}: template lacks {exc}; give id, kind, description, smarts."
                ) from exc
            except ValueError as exc:
                raise ReferenceDataError(
                    f"{where}: template {item.get('id')!r} SMARTS does not parse ({exc})."
                ) from exc
    return tuple(out)


def _products(mol: Chem.Mol, template: Template) -> list[Chem.Mol]:
    # A plain substructure test costs a fraction of RunReactants: most templates do not apply.
    if not mol.HasSubstructMatch(template.pattern):
        return []
    out = []
    with rdBase.BlockLogs():
        for products in template.reaction.RunReactants((mol,), maxProducts=16):
            product = products[0]
            try:
                Chem.SanitizeMol(product)
            except (ValueError, RuntimeError):
                continue
            frags = Chem.GetMolFrags(product, asMols=True, sanitizeFrags=False)
            out.append(max(frags, key=lambda m: m.GetNumHeavyAtoms()))
    return out


def parents(
    mol: Chem.Mol, templates: Iterable[Template], *, formulas: frozenset[str] | None = None
) -> list[Parent]:
    """Every distinct structure one template step from the query.

    Args:
        mol: the query.
        templates: templates to apply.
        formulas: when given, keep only products with one of these molecular formulas (a
            formula costs a few µs, a canonical key over a hundred).
    """
    seen: dict[str, Parent] = {}
    for template in templates:
        for product in _products(mol, template):
            if formulas is not None and CalcMolFormula(product) not in formulas:
                continue
            key = structure_key(product)
            if key not in seen:
                seen[key] = Parent(key, key, (template.id,), frozenset({template.kind}))
    return list(seen.values())


def parents_within(
    mol: Chem.Mol, templates: Iterable[Template], *, steps: int = _MAX_STEPS
) -> list[Parent]:
    """Every structure reachable in up to ``steps`` template steps (combinations of kinds).

    Args:
        mol: the query.
        templates: the templates allowed (e.g. only those whose kind an entry covers).
        steps: the most steps followed.

    Returns:
        Parents with the template ids used and the set of derivative kinds involved.
    """
    chosen = list(templates)
    found: dict[str, Parent] = {}
    frontier: list[tuple[Chem.Mol, Parent | None]] = [(mol, None)]
    for _ in range(steps):
        nxt: list[tuple[Chem.Mol, Parent | None]] = []
        for current, via in frontier:
            for template in chosen:
                for product in _products(current, template):
                    key = structure_key(product)
                    if key in found:
                        continue
                    prior_steps = via.steps if via else ()
                    prior_kinds = via.kinds if via else frozenset()
                    parent = Parent(
                        key, key, (*prior_steps, template.id), prior_kinds | {template.kind}
                    )
                    found[key] = parent
                    nxt.append((product, parent))
                    if len(found) >= _MAX_PRODUCTS:
                        return list(found.values())
        frontier = nxt
        if not frontier:
            break
    return list(found.values())
