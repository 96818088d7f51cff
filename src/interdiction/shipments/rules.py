"""Rule packs: the red-flag checks as data (id, description, weight, fields, sources, parameters).

The bundled pack ``data/rules/default.yaml`` defines every built-in rule. A user pack
(``--rules my.yaml``) may, per rule id:

* change ``weight``, ``enabled``, ``description`` or ``parameters`` (merged key by key);
* ``extend`` the word lists the rule reads: ``extend: {cover_terms: ["bath salts"]}``;
* add a new rule with ``kind: keywords`` that fires when any of ``parameters.terms`` appears in
  ``parameters.fields`` (canonical text columns).

Every problem raises ``ReferenceDataError`` naming the file and the rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from interdiction.errors import ReferenceDataError
from interdiction.shipments.hscodes import data_path, read_yaml
from interdiction.shipments.records import RECORD_COLUMNS

__all__ = ["RULE_LISTS", "Rule", "RuleSet", "default_pack", "load_rules"]

# Which word lists (data/hs/terms.yaml) each built-in rule reads; `extend:` may add to these.
RULE_LISTS: Mapping[str, tuple[str, ...]] = {
    "RF-A3.cover": ("cover_terms",),
    "RF-A3.business": ("chemical_business",),
    "RF-B9": ("chemical_business",),
    "RF-B5": ("other_business", "chemical_goods"),
    "RF-A4.vague": ("vague_terms", "filler_terms"),
    "RF-A4.chemical": ("unspecified_chemical", "filler_terms"),
    "RF-A4.gift": ("organisation_words",),
    "RF-A6": ("tablet_press", "generic_machinery"),
    "RF-A7": ("substitute_phrases", "substitute_words"),
    "RF-D1": ("stealth_phrases",),
    "RF-D3": ("crypto_payment",),
    "RF-D4": ("urgent_handling",),
    "RF-E3": ("free_mail_domains", "messaging_handles"),
    "RF-C6": ("placeholder_names",),
    "RF-B2": ("residential_words", "chemical_goods", "organisation_words"),
    "RF-C4": ("chemical_goods", "vague_terms"),
}
_RULE_KEYS = {
    "id",
    "indicator",
    "description",
    "weight",
    "fields",
    "sources",
    "parameters",
    "enabled",
    "kind",
    "extend",
}
_KINDS = ("builtin", "keywords")


@dataclass(frozen=True)
class Rule:
    """One check: what it flags, how strongly, what it reads and where the indicator is published."""

    id: str
    indicator: str
    description: str
    weight: float
    fields: tuple[str, ...]
    sources: tuple[str, ...]
    parameters: Mapping[str, Any] = field(default_factory=dict)
    enabled: bool = True
    kind: str = "builtin"

    def param(self, name: str, default: Any = None) -> Any:
        """A parameter value (the default when the pack does not set it)."""
        return self.parameters.get(name, default)


@dataclass(frozen=True)
class RuleSet:
    """All rules after merging packs, the source catalogue, bands and list extensions."""

    rules: Mapping[str, Rule]
    sources: Mapping[str, Mapping[str, str]]
    bands: Mapping[str, float]
    extensions: Mapping[str, tuple[str, ...]]
    files: tuple[str, ...]

    def enabled(self, rule_id: str) -> bool:
        """True when the rule exists and is switched on."""
        rule = self.rules.get(rule_id)
        return rule is not None and rule.enabled and rule.weight > 0

    def get(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError when absent)."""
        return self.rules[rule_id]

    def citation(self, rule_id: str) -> str:
        """The published sources of a rule, as one line: "S2 FinCEN ... (2024-06-20) <url>; ..."."""
        parts = []
        for sid in self.rules[rule_id].sources:
            source = self.sources.get(sid, {})
            title = source.get("title", "")
            when = source.get("date", "")
            url = source.get("url", "")
            parts.append(f"{sid} {title} ({when}) {url}".strip())
        return f"{self.rules[rule_id].indicator}: " + "; ".join(parts)

    def level(self, score: float) -> str:
        """Risk level for a score: low, medium, high or critical."""
        if score >= self.bands["critical"]:
            return "critical"
        if score >= self.bands["high"]:
            return "high"
        if score >= self.bands["medium"]:
            return "medium"
        return "low"


def default_pack() -> Path:
    """The bundled rule pack."""
    return data_path("rules", "default.yaml")


def _fail(path: Path, rule_id: str, problem: str, fix: str) -> ReferenceDataError:
    where = f"{path}" + (f", rule {rule_id!r}" if rule_id else "")
    return ReferenceDataError(f"{where}: {problem}. {fix[:1].upper()}{fix[1:]}.")


def _strings(value: Any, path: Path, rule_id: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(
            path,
            rule_id,
            f"{key!r} must be a list of non-empty strings",
            f"write e.g. {key}: [description]",
        )
    return tuple(value)


def _weight(value: Any, path: Path, rule_id: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise _fail(
            path,
            rule_id,
            f"weight {value!r} is not a number between 0 and 1",
            "use e.g. weight: 0.3",
        )
    return float(value)


def _new_rule(raw: Mapping[str, Any], path: Path, rule_id: str, builtin: bool) -> Rule:
    kind = str(raw.get("kind", "builtin" if builtin else ""))
    if kind not in _KINDS or (kind == "builtin" and not builtin):
        raise _fail(
            path,
            rule_id,
            "is not a built-in rule, so it needs kind: keywords",
            "add kind: keywords with parameters {terms: [...], fields: [...]}, or fix the id",
        )
    for key in ("description", "weight", "fields", "sources"):
        if key not in raw:
            raise _fail(
                path,
                rule_id,
                f"a new rule needs {key!r}",
                "see data/rules/default.yaml for the shape",
            )
    parameters = raw.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise _fail(
            path, rule_id, "parameters must be a mapping", "write parameters: {name: value}"
        )
    if kind == "keywords":
        _strings(parameters.get("terms"), path, rule_id, "parameters.terms")
        for name in _strings(parameters.get("fields"), path, rule_id, "parameters.fields"):
            if name not in RECORD_COLUMNS:
                raise _fail(
                    path,
                    rule_id,
                    f"field {name!r} is not a record column",
                    "use e.g. description, marks, notes",
                )
    return Rule(
        id=rule_id,
        indicator=str(raw.get("indicator") or rule_id.split(".")[0]),
        description=str(raw["description"]),
        weight=_weight(raw["weight"], path, rule_id),
        fields=_strings(raw["fields"], path, rule_id, "fields"),
        sources=_strings(raw["sources"], path, rule_id, "sources"),
        parameters=dict(parameters),
        enabled=bool(raw.get("enabled", True)),
        kind=kind,
    )


def _override(rule: Rule, raw: Mapping[str, Any], path: Path) -> Rule:
    changes: dict[str, Any] = {}
    if "weight" in raw:
        changes["weight"] = _weight(raw["weight"], path, rule.id)
    if "enabled" in raw:
        if not isinstance(raw["enabled"], bool):
            raise _fail(
                path,
                rule.id,
                "enabled must be true or false",
                "write enabled: false to switch it off",
            )
        changes["enabled"] = raw["enabled"]
    if "description" in raw:
        changes["description"] = str(raw["description"])
    if "sources" in raw:
        changes["sources"] = _strings(raw["sources"], path, rule.id, "sources")
    if "parameters" in raw:
        if not isinstance(raw["parameters"], dict):
            raise _fail(
                path, rule.id, "parameters must be a mapping", "write parameters: {name: value}"
            )
        unknown = set(raw["parameters"]) - set(rule.parameters)
        if unknown and rule.kind == "builtin":
            known = ", ".join(sorted(rule.parameters)) or "none"
            raise _fail(
                path, rule.id, f"unknown parameter(s) {sorted(unknown)}", f"this rule has: {known}"
            )
        changes["parameters"] = {**rule.parameters, **raw["parameters"]}
    return replace(rule, **changes)


def load_rules(packs: Sequence[Path] = ()) -> RuleSet:
    """Load the bundled pack, then each user pack in order.

    Raises:
        ReferenceDataError: a pack that cannot be read or has a malformed rule, naming file and rule.
    """
    rules: dict[str, Rule] = {}
    sources: dict[str, dict[str, str]] = {}
    bands: dict[str, float] = {}
    extensions: dict[str, list[str]] = {}
    files: list[str] = []
    for position, path in enumerate((default_pack(), *packs)):
        builtin = position == 0
        if not path.exists():
            raise ReferenceDataError(f"{path}: rule pack not found. Check the --rules path.")
        data = read_yaml(path)
        files.append(f"{path.name} (version {data['version']})")
        unknown_top = set(data) - {"version", "source", "scoring", "sources", "rules"}
        if unknown_top:
            raise _fail(
                path,
                "",
                f"unknown top-level key(s) {sorted(unknown_top)}",
                "allowed: version, source, scoring, sources, rules",
            )
        for sid, row in (data.get("sources") or {}).items():
            if not isinstance(row, dict) or not row.get("title"):
                raise _fail(
                    path,
                    "",
                    f"source {sid!r} needs a title",
                    "write S99: {title: ..., date: ..., url: ...}",
                )
            sources[str(sid)] = {k: str(v) for k, v in row.items()}
        scoring = data.get("scoring") or {}
        for name, value in (scoring.get("bands") or {}).items():
            if name not in ("medium", "high", "critical") or not isinstance(value, (int, float)):
                raise _fail(
                    path,
                    "",
                    f"bad band {name!r}: {value!r}",
                    "bands are medium, high, critical with numbers 0-100",
                )
            bands[name] = float(value)
        for raw in data.get("rules") or []:
            rule_id = str(raw.get("id", "")) if isinstance(raw, dict) else ""
            if not rule_id:
                raise _fail(path, "", f"a rule has no id ({raw!r})", "every rule needs id: RF-...")
            unknown = set(raw) - _RULE_KEYS
            if unknown:
                raise _fail(
                    path,
                    rule_id,
                    f"unknown key(s) {sorted(unknown)}",
                    f"allowed: {', '.join(sorted(_RULE_KEYS))}",
                )
            if rule_id in rules:
                rules[rule_id] = _override(rules[rule_id], raw, path)
            else:
                rules[rule_id] = _new_rule(raw, path, rule_id, builtin)
            for list_name, terms in (raw.get("extend") or {}).items():
                if list_name not in RULE_LISTS.get(rule_id, ()):
                    allowed = ", ".join(RULE_LISTS.get(rule_id, ())) or "none"
                    raise _fail(
                        path,
                        rule_id,
                        f"cannot extend list {list_name!r}",
                        f"this rule reads: {allowed}",
                    )
                extensions.setdefault(list_name, []).extend(
                    _strings(terms, path, rule_id, f"extend.{list_name}")
                )
    for rule in rules.values():
        missing = [s for s in rule.sources if s not in sources]
        if missing:
            raise ReferenceDataError(
                f"rule {rule.id!r} cites unknown source(s) {missing}; add them under 'sources:' in its pack."
            )
    if (
        set(bands) != {"medium", "high", "critical"}
        or not bands["medium"] < bands["high"] < bands["critical"]
    ):
        raise ReferenceDataError(f"scoring bands {bands} must give medium < high < critical.")
    return RuleSet(
        rules=rules,
        sources=sources,
        bands=bands,
        extensions={k: tuple(v) for k, v in extensions.items()},
        files=tuple(files),
    )
