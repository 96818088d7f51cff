"""Phase-1 goods rules (red-flags.md section 3 A and D): named chemicals, HS checks, cover and
vague descriptions, values, quantities, tablet presses, substitute offers and stealth phrases."""

from __future__ import annotations

import numpy as np

from interdiction.shipments.facts import Facts, FlagSink

# A food additive's number in the Codex Alimentarius International Numbering System, as labels
# write it in the EU and elsewhere: "E211", "E 330", "e-300" (CXG 36-1989; numbers 100-1521).
_INS_NUMBER = r"\be[ -]?(?:1\d{2}|[2-9]\d{2}|1[0-5]\d{2})[a-j]?\b"

__all__ = ["run_goods_rules"]

_LISTED = ("controlled", "precursor")


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _named_chemicals(f: Facts, out: FlagSink) -> None:
    rules = f.ctx.rules
    for position in sorted(f.mentions):
        day = f.dates[position]
        chemicals = f.chemicals(position)
        listed = [(m, c, s) for m, c, s in chemicals if s.listed_in()]
        for mention, chem, status in listed:
            strongest = status.strongest()
            rule_id = "RF-A2.controlled" if strongest == "controlled" else "RF-A2.precursor"
            if rules.enabled(rule_id):
                out.add(
                    rule_id,
                    position,
                    f"{mention.via} {mention.matched!r} = {chem.name}"
                    + (f" (structure {chem.smiles})" if not chem.entry_ids else "")
                    + f": {status.describe()} on {day.isoformat()} ({status.source})",
                )
        hs = f.hs.iat[position]
        edition = f.editions[position]
        if listed and rules.enabled("RF-A1.permit") and not f.has_permit[position]:
            names = ", ".join(c.name for _, c, _ in listed)
            out.add(
                "RF-A1.permit",
                position,
                f"{names} declared with no permit reference (PEN, import/export authorisation)",
            )
        if listed and hs and rules.enabled("RF-A1.hs-mismatch"):
            for _, chem, status in listed:
                expected = f.ctx.hs.expected(chem.cas, status.strongest(), edition)
                if expected and not any(hs.startswith(p) or p.startswith(hs) for p in expected):
                    out.add(
                        "RF-A1.hs-mismatch",
                        position,
                        f"{chem.name} declared under HS {hs}; under {edition}, the edition in force on the shipment date {day.isoformat()}, "
                        f"expected {', '.join(expected)}",
                    )
    if rules.enabled("RF-A2.cas-typo"):
        goods = f.ctx.goods
        for position, written, listed_cas in f.cas_typos:
            chem = goods.chemicals[goods.cas_to_chemical[listed_cas]]
            out.add(
                "RF-A2.cas-typo",
                position,
                f"CAS-shaped {written!r} fails its check digit; {listed_cas} is {chem.name}",
            )


def _hs_rules(f: Facts, out: FlagSink) -> None:
    rules = f.ctx.rules
    hs_tables = f.ctx.hs
    declared = f.hs
    candidates = np.flatnonzero(declared.str.len().to_numpy() >= 6)
    for position in candidates:
        code = declared.iat[position]
        edition = f.editions[position]
        label = hs_tables.watch_label(code, edition)
        if label and rules.enabled("RF-A1.hs-watch"):
            out.add(
                "RF-A1.hs-watch",
                int(position),
                f"HS {code[:6]} is the {edition} subheading for {label}",
            )
            if (
                rules.enabled("RF-A1.permit")
                and not f.has_permit[position]
                and not f.listed_rows[position]
            ):
                out.add(
                    "RF-A1.permit",
                    int(position),
                    f"HS {code[:6]} ({label}) declared with no permit reference",
                )
        if rules.enabled("RF-A1.hs-edition") and not hs_tables.exists_in(code, edition):
            out.add(
                "RF-A1.hs-edition",
                int(position),
                f"HS {code[:6]} does not exist in {edition}, the edition in force on the shipment date {f.dates[position].isoformat()}",
            )


def _description_rules(f: Facts, out: FlagSink) -> None:
    ctx = f.ctx
    rules = ctx.rules
    description = f.folded("description")
    if rules.enabled("RF-A3.cover"):
        for hit in ctx.index("cover_terms").scan(description):
            out.add(
                "RF-A3.cover",
                hit.position,
                f"description contains cover term {hit.matched!r} (seizure cases)",
            )
    predicted: dict[int, set[str]] = {}
    for hit in ctx.hs.chapter_index.scan(description):
        predicted.setdefault(hit.position, set()).update(hit.payloads)
    if rules.enabled("RF-A3.chapter"):
        for position, chapters in predicted.items():
            declared = f.chapter.iat[position]
            family = ctx.hs.family_of(declared)
            if (
                declared
                and declared not in chapters
                and all(ctx.hs.family_of(c) != family for c in chapters)
            ):
                names = ", ".join(
                    f"{c} ({ctx.hs.chapter_titles.get(c, '')})" for c in sorted(chapters)
                )
                out.add(
                    "RF-A3.chapter",
                    position,
                    f"description {_quote(f.values('description')[position])} points at chapter {names}; "
                    f"declared HS {f.hs.iat[position]} is chapter {declared}",
                )
    chemical_chapters = set(rules.get("RF-A3.business").param("chemical_chapters", ()))
    if rules.enabled("RF-A3.business"):
        shipper_is_chemical = ctx.index("chemical_business").mask(f.folded("shipper_name"))
        for position in np.flatnonzero(shipper_is_chemical).tolist():
            goods_chapters = predicted.get(int(position), set())
            declared = f.chapter.iat[position]
            if declared:
                goods_chapters = goods_chapters | {declared}
            if (
                goods_chapters
                and not goods_chapters & chemical_chapters
                and not f.mentions.get(int(position))
            ):
                out.add(
                    "RF-A3.business",
                    int(position),
                    f"shipper {f.values('shipper_name')[position]!r} is a chemical/pharma business by name "
                    f"but declares {_quote(f.values('description')[position])} (chapter {', '.join(sorted(goods_chapters))})",
                )
    if rules.enabled("RF-B5"):
        consignee_other = ctx.index("other_business").mask(f.folded("consignee_name"))
        consignee_chemical = ctx.index("chemical_business").mask(f.folded("consignee_name"))
        # A bakery buying "sodium benzoate, food grade" is inside its own line of business; a
        # listed chemical is never excused by the words around it.
        description = f.folded("description")
        food_use = ctx.index("food_business").mask(f.folded("consignee_name")) & (
            ctx.index("food_use").mask(description)
            | description.str.contains(_INS_NUMBER, regex=True).to_numpy(dtype=bool)
        )
        hits = (
            consignee_other & ~consignee_chemical & ((f.chemical_goods & ~food_use) | f.listed_rows)
        )
        for position in np.flatnonzero(hits).tolist():
            out.add(
                "RF-B5",
                int(position),
                f"consignee {f.values('consignee_name')[position]!r} is outside chemistry by name "
                f"but receives {_quote(f.values('description')[position])} (HS {f.hs.iat[position] or 'none'})",
            )


def _vague_rules(f: Facts, out: FlagSink) -> None:
    ctx = f.ctx
    rules = ctx.rules
    min_length = int(rules.get("RF-A4.vague").param("min_length", 4))
    covered, chemical, stripped = f.vague_parts
    named = np.zeros(f.n, dtype=bool)
    named[list(f.mentions)] = True
    # A Chinese character carries about a word's worth of letters: 茶叶 (tea) and 柠檬酸 (citric
    # acid) name goods, so each counts twice against min_length; a lone 货 (goods) does not.
    length = (stripped.str.len() + stripped.str.count(r"[\u3400-\u9fff]")).to_numpy()
    vague_rows = (covered & ~chemical) | ((length < min_length) & (length > 0)) | (length == 0)
    for rule_id, rows in (
        ("RF-A4.vague", vague_rows),
        ("RF-A4.chemical", covered & chemical & ~named),
    ):
        if not rules.enabled(rule_id):
            continue
        for position in np.flatnonzero(rows).tolist():
            text = f.values("description")[position]
            why = "is empty" if not text.strip() else f"{_quote(text)} names no specific goods"
            out.add(rule_id, int(position), f"goods description {why}")
    if rules.enabled("RF-A4.gift"):
        category = f.folded("category")
        gift = category.str.contains(r"\b(?:gift|sample|regalo|muestra)", regex=True).to_numpy()
        company = ctx.index("organisation_words").mask(f.folded("shipper_name"))
        for position in np.flatnonzero(gift & company).tolist():
            out.add(
                "RF-A4.gift",
                int(position),
                f"category {f.values('category')[position]!r} declared by company shipper "
                f"{f.values('shipper_name')[position]!r}",
            )


def _value_rules(f: Facts, out: FlagSink) -> None:
    rules = f.ctx.rules
    value = f.number("declared_value")
    weight = f.number("gross_weight_kg")
    if rules.enabled("RF-A5.token-value"):
        token_rule = rules.get("RF-A5.token-value")
        strong = float(token_rule.param("chemical_weight", 0.35))
        chemical_max = float(token_rule.param("chemical_max_usd", 5.0))
        rates = {
            str(k).upper(): float(v)
            for k, v in rules.get("RF-A5.unit-value").param("usd_per_unit", {}).items()
        }
        usd = value * f.text("currency").str.upper().map(rates).fillna(1.0).to_numpy(dtype=float)
        chemical_rows = f.chemical_goods | f.listed_rows
        with np.errstate(invalid="ignore"):
            token = (np.isin(value, (0.0, 1.0)) & ~f.documents_only) | (
                chemical_rows & (usd >= 0) & (usd <= chemical_max)
            )
        for position in np.flatnonzero(token).tolist():
            amount = f"declared value {value[position]:g} {f.values('currency')[position]}".strip()
            if chemical_rows[position]:
                out.add("RF-A5.token-value", position, f"{amount} for chemicals", weight=strong)
            else:
                out.add("RF-A5.token-value", position, amount)
    if rules.enabled("RF-A5.unit-value"):
        rule = rules.get("RF-A5.unit-value")
        rates = {str(k).upper(): float(v) for k, v in rule.param("usd_per_unit", {}).items()}
        floor = float(rule.param("min_value_per_kg", 2.0))
        chapters = set(rule.param("chapters", ()))
        currency = f.text("currency").str.upper().map(rates).to_numpy(dtype=float)
        relevant = f.chapter.isin(chapters).to_numpy() | f.listed_rows
        per_kg = value * currency / weight
        with np.errstate(invalid="ignore"):
            low = relevant & (weight > 0) & (value > 1) & (per_kg < floor)
        token_per_kg = float(rule.param("token_value_per_kg", 0.05))
        token_weight = float(rule.param("token_weight", 0.3))
        for position in np.flatnonzero(low).tolist():
            token = bool(per_kg[position] < token_per_kg)
            out.add(
                "RF-A5.unit-value",
                int(position),
                f"{value[position]:g} {f.values('currency')[position]} for {weight[position]:g} kg "
                f"= about {per_kg[position]:.2f} USD/kg, below {floor:g} USD/kg for chemicals"
                + (f" (token: under {token_per_kg:g} USD/kg)" if token else ""),
                weight=token_weight if token else None,
            )
    if rules.enabled("RF-A5.quantity"):
        limit = float(rules.get("RF-A5.quantity").param("max_sample_kg", 20.0))
        sample = (
            f.folded("description")
            .str.contains(r"\b(?:gift|sample|samples|regalo|muestra)", regex=True)
            .to_numpy()
        )
        sample = (
            sample | f.folded("category").str.contains(r"\b(?:gift|sample)", regex=True).to_numpy()
        )
        with np.errstate(invalid="ignore"):
            heavy = sample & (weight > limit)
        for position in np.flatnonzero(heavy).tolist():
            out.add(
                "RF-A5.quantity",
                int(position),
                f"declared as gift/sample but weighs {weight[position]:g} kg (limit {limit:g} kg)",
            )


def _equipment_and_phrases(f: Facts, out: FlagSink) -> None:
    ctx = f.ctx
    rules = ctx.rules
    if rules.enabled("RF-A6"):
        press_hs = tuple(rules.get("RF-A6").param("press_hs", ()))
        by_words = f.has_terms("tablet_press")
        by_hs = f.hs.str.startswith(press_hs).to_numpy() if press_hs else np.zeros(f.n, dtype=bool)
        generic = f.has_terms("generic_machinery", "description")
        person = f.is_person("consignee")
        no_permit = ~f.has_permit
        fire = (by_words & (person | no_permit)) | (by_hs & (person | generic | no_permit))
        for position in np.flatnonzero(fire):
            why = []
            if by_words[position]:
                why.append("tablet/pill press equipment named")
            if by_hs[position]:
                why.append(f"HS {f.hs.iat[position]} (tablet presses)")
            if person[position]:
                why.append(
                    f"consignee {f.values('consignee_name')[position]!r} looks like a person"
                )
            if generic[position] and by_hs[position]:
                why.append("described as generic machinery parts")
            if no_permit[position]:
                why.append("no permit reference (DEA Form 452)")
            out.add("RF-A6", int(position), "; ".join(why))
    if rules.enabled("RF-A7"):
        for hit in ctx.index("substitute_words").scan(f.goods_text):
            if f.listed_rows[hit.position]:
                names = ", ".join(c.name for _, c, _ in f.chemicals(hit.position))
                out.add("RF-A7", hit.position, f"{hit.matched!r} offered next to listed {names}")
    for rule_id, list_name, column, what in (
        ("RF-A7", "substitute_phrases", "goods", "substitute/replacement offer"),
        ("RF-D1", "stealth_phrases", "goods", "stealth or customs-clearance phrase"),
        ("RF-D3", "crypto_payment", "payment_method", "payment method"),
        ("RF-D4", "urgent_handling", "notes", "handling instruction"),
    ):
        if not rules.enabled(rule_id):
            continue
        series = f.goods_text if column == "goods" else f.folded(column)
        index = ctx.index(list_name)
        seen: set[int] = set()
        for hit in index.scan(series):
            if hit.position not in seen:
                seen.add(hit.position)
                out.add(rule_id, hit.position, f"{what} {hit.matched!r}")
        if rule_id == "RF-D3":
            for hit in index.scan(f.folded("notes")):
                if hit.position not in seen:
                    seen.add(hit.position)
                    out.add(rule_id, hit.position, f"notes mention {hit.matched!r}")


def _keyword_rules(f: Facts, out: FlagSink) -> None:
    for rule in f.ctx.rules.rules.values():
        if rule.kind != "keywords" or not f.ctx.rules.enabled(rule.id):
            continue
        index = f.ctx.keyword_index(rule.id)
        seen: set[int] = set()
        for column in rule.param("fields", ()):
            for hit in index.scan(f.folded(column)):
                if hit.position not in seen:
                    seen.add(hit.position)
                    out.add(rule.id, hit.position, f"{column} contains {hit.matched!r}")


def run_goods_rules(f: Facts, out: FlagSink) -> None:
    """Run every enabled goods rule on a partition, adding fired flags to ``out``."""
    _named_chemicals(f, out)
    _hs_rules(f, out)
    _description_rules(f, out)
    _vague_rules(f, out)
    _value_rules(f, out)
    _equipment_and_phrases(f, out)
    _keyword_rules(f, out)
