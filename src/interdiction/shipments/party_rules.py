"""Phase-1 party rules (red-flags.md section 3 B, C6, E3) and the party rows phase 2 links.

Party rows: one per named party per record, with the keys the network links on (normalised name,
e-mail, phone, address, identifier). ``name_key`` drops legal forms so "Hubei X Co., Ltd." meets
"HUBEI X COMPANY LIMITED".
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from interdiction.parties.model import ListedEntity, PartyMatch
from interdiction.shipments.context import phone_key
from interdiction.shipments.facts import Facts, FlagSink
from interdiction.shipments.records import PARTY_ROLES
from interdiction.shipments.terms import fold_series

__all__ = ["PARTY_ROW_COLUMNS", "normalise_names", "party_rows", "run_party_rules"]

PARTY_ROW_COLUMNS: tuple[str, ...] = (
    "record_id",
    "role",
    "name",
    "name_key",
    "email",
    "phone",
    "address_key",
    "identifier",
    "country",
    "listed",
)
# Legal forms only (not "trading" or "group"): they say nothing about which company it is.
_LEGAL_FORMS = (
    r"\b(?:co|company|corp|corporation|inc|incorporated|ltd|limited|llc|llp|plc|gmbh|ag|bv|nv|sa|sas"
    r"|srl|spa|sl|pte|pvt|pty|kk|de cv|de rl|s de rl|sa de cv|sapi)\b|有限责任公司|有限公司|公司"
)


def normalise_names(names: pd.Series) -> pd.Series:
    """Name keys: folded, punctuation to spaces, legal forms dropped, spaces collapsed."""
    folded = fold_series(names).str.replace(r"[^\w\u3400-\u9fff]+", " ", regex=True)
    stripped = folded.str.replace(_LEGAL_FORMS, " ", regex=True)
    return stripped.str.split().str.join(" ").fillna("")


def _emails(values: pd.Series) -> pd.Series:
    return fold_series(values).str.replace(r"\s+", "", regex=True)


def _phones(values: pd.Series) -> pd.Series:
    # Last 9 digits of each number: "+86 138-0000-1111" and "13800001111" meet.
    def one(text: str) -> str:
        keys = []
        for item in text.split(";"):
            digits = "".join(c for c in item if c.isdigit())
            if len(digits) >= 7:
                keys.append(digits[-9:])
        return ";".join(keys)

    unique = values.unique()
    return values.map(dict(zip(unique, map(one, unique), strict=True)))


def _addresses(values: pd.Series) -> pd.Series:
    keys = (
        fold_series(values)
        .str.replace(r"[^\w\u3400-\u9fff]+", " ", regex=True)
        .str.split()
        .str.join(" ")
    )
    return keys.where(keys.str.len() >= 8, "").fillna("")


def party_rows(f: Facts, listed: dict[tuple[int, str], str]) -> pd.DataFrame:
    """One row per named party per record (PARTY_ROW_COLUMNS)."""
    frames = []
    for role in PARTY_ROLES:
        names = f.text(f"{role}_name")
        present = (names.str.strip() != "").to_numpy()
        if not present.any():
            continue
        keep = np.flatnonzero(present)
        frame = pd.DataFrame(
            {
                "record_id": f.record_ids[keep],
                "role": role,
                "name": names.iloc[keep].to_numpy(),
                "name_key": normalise_names(names.iloc[keep]).to_numpy(),
                "email": _emails(f.text(f"{role}_email").iloc[keep]).to_numpy(),
                "phone": _phones(f.text(f"{role}_phone").iloc[keep]).to_numpy(),
                "address_key": _addresses(f.text(f"{role}_address").iloc[keep]).to_numpy(),
                "identifier": f.text(f"{role}_id").iloc[keep].str.strip().str.upper().to_numpy(),
                "country": f.text(f"{role}_country").iloc[keep].to_numpy(),
                "listed": [listed.get((int(p), role), "") for p in keep],
            }
        )
        frames.append(frame)
    if not frames:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in PARTY_ROW_COLUMNS})
    return pd.concat(frames, ignore_index=True)[list(PARTY_ROW_COLUMNS)]


def _screen_names(f: Facts, out: FlagSink) -> dict[tuple[int, str], str]:
    ctx = f.ctx
    listed: dict[tuple[int, str], str] = {}
    if ctx.party_search is not None:
        rule = ctx.rules.get("RF-B1")
        minimum = float(rule.param("min_score", 0.85))
        # Matches the party engine returns below min_score are "possible" matches: half weight,
        # and they do not seed the network search.
        weak = float(rule.param("weak_weight", 0.35))
        for role in PARTY_ROLES:
            names = f.text(f"{role}_name")
            keys = names + "\x1f" + f.text(f"{role}_country")
            present = (names.str.strip() != "").to_numpy()
            best: dict[str, PartyMatch] = {}
            for key in pd.unique(keys[present]):
                name, _, country = str(key).partition("\x1f")
                matches = list(ctx.screen_party(name, country))
                if matches:
                    best[str(key)] = max(matches, key=lambda m: m.score)
            if not best:
                continue
            for position in np.flatnonzero(keys.isin(list(best)).to_numpy()):
                match = best[keys.iat[position]]
                strong = match.score >= minimum
                if strong:
                    listed[(int(position), role)] = f"{match.source}:{match.entity_id}"
                if ctx.rules.enabled("RF-B1"):
                    programs = f"; programs {', '.join(match.programs)}" if match.programs else ""
                    out.add(
                        "RF-B1",
                        int(position),
                        f"{role} {names.iat[position]!r} matches {match.primary_name!r} "
                        f"({match.source} {match.entity_id}{programs}), score {match.score:.2f}: "
                        f"{match.explanation}"
                        + ("" if strong else " (possible match, below min_score)"),
                        weight=None if strong else weak,
                    )
    _screen_contacts(f, out, listed)
    _screen_free_text_contacts(f, out)
    return listed


def _contact_hits(
    values: pd.Series, lookup: dict[str, ListedEntity], key: Any
) -> dict[int, list[tuple[str, ListedEntity]]]:
    """Row position -> (contact as written, listed entity) for contacts found in ``lookup``."""
    items = values.str.split(";").explode()
    items = items[items.str.strip() != ""]
    if items.empty:
        return {}
    unique = pd.Series(items.unique())
    found = {v: lookup[k] for v, k in zip(unique, unique.map(key), strict=True) if k in lookup}
    hits: dict[int, list[tuple[str, ListedEntity]]] = {}
    for position, value in items[items.isin(list(found))].items():
        hits.setdefault(int(position), []).append((str(value).strip(), found[value]))
    return hits


def _screen_contacts(f: Facts, out: FlagSink, listed: dict[tuple[int, str], str]) -> None:
    """E-mails and phones that a list gives for a listed entity (RF-B1, RF-E1)."""
    contacts = f.ctx.contacts
    if not contacts.emails and not contacts.phones:
        return
    for role in ("shipper", "consignee", "notify"):
        email_hits = _contact_hits(
            f.text(f"{role}_email"), dict(contacts.emails), lambda v: str(v).strip().casefold()
        )
        phone_hits = _contact_hits(
            f.text(f"{role}_phone"), dict(contacts.phones), lambda v: phone_key(str(v))
        )
        for kind, hits in (("e-mail", email_hits), ("phone", phone_hits)):
            for position, found in hits.items():
                for written, entity in found:
                    listed.setdefault((position, role), f"{entity.source}:{entity.entity_id}")
                    if f.ctx.rules.enabled("RF-B1"):
                        programs = (
                            f"; programs {', '.join(entity.programs)}" if entity.programs else ""
                        )
                        out.add(
                            "RF-B1",
                            position,
                            f"{role} {kind} {written!r} is listed for {entity.primary_name!r} "
                            f"({entity.source} {entity.entity_id}{programs})",
                        )


# Contact details written into free text: "Contact: sales@example.cn, Tel +86 27 5555 0101".
_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_IN_TEXT = re.compile(r"\+?\d[\d ().-]{6,}\d")
# Free-text fields read for listed contacts, with the words the evidence uses for them.
_FREE_TEXT = {
    "notes": "notes",
    "marks": "marks",
    "shipper_address": "shipper address",
    "consignee_address": "consignee address",
    "notify_address": "notify address",
}


def _contacts_in_text(text: str) -> tuple[tuple[str, str, str], ...]:
    """(kind, as written, look-up key) of every e-mail and phone-like number in a text."""
    found = [("e-mail", m, m.casefold()) for m in _EMAIL_IN_TEXT.findall(text)]
    found += [("phone", m.strip(), phone_key(m)) for m in _PHONE_IN_TEXT.findall(text)]
    return tuple(item for item in found if item[2])


def _screen_free_text_contacts(f: Facts, out: FlagSink) -> None:
    """RF-B1 for a listed e-mail or phone written in the notes, marks or an address (a remark
    "contact Mr Li, WhatsApp +86 ..." is where order books and declarations often carry them).
    Only exact listed contacts count, so digits of a street number or postcode never match."""
    contacts = f.ctx.contacts
    if not (contacts.emails or contacts.phones) or not f.ctx.rules.enabled("RF-B1"):
        return
    for column, label in _FREE_TEXT.items():
        values = f.text(column)
        filled = values[values.str.contains(r"@|\d{7}|\d[\d ().-]{6,}\d", regex=True)]
        if filled.empty:
            continue
        for text, positions in filled.groupby(filled, sort=False).groups.items():
            for kind, written, key in _contacts_in_text(str(text)):
                entity = (contacts.emails if kind == "e-mail" else contacts.phones).get(key)
                if entity is None:
                    continue
                programs = f"; programs {', '.join(entity.programs)}" if entity.programs else ""
                for position in positions:
                    out.add(
                        "RF-B1",
                        int(position),
                        f"{kind} {written!r} in the {label} is listed for {entity.primary_name!r} "
                        f"({entity.source} {entity.entity_id}{programs})",
                    )


def _phone_mismatch(f: Facts, out: FlagSink) -> None:
    """RF-B8: country calling code of the first phone differs from the party's country."""
    codes = {k: "/".join(v) for k, v in f.ctx.countries.phone_codes.items()}
    for role in ("shipper", "consignee", "notify"):
        first = f.text(f"{role}_phone").str.split(";").str[0].fillna("").str.strip()
        international = first.str.match(r"(?:\+|00)").fillna(False).to_numpy(dtype=bool)
        digits = first.str.replace(r"\D", "", regex=True)
        digits = digits.where(~first.str.startswith("00"), digits.str[2:])
        found = pd.Series([""] * f.n)
        for length in (1, 2, 3):
            mapped = digits.str[:length].map(codes).fillna("")
            found = found.where(mapped == "", mapped)
        country = f.text(f"{role}_country")
        candidates = international & (found != "").to_numpy() & (country != "").to_numpy()
        combo = found + "|" + country
        wrong = {
            c
            for c in combo[candidates].unique()
            if c.split("|")[1] not in c.split("|")[0].split("/")
        }
        for position in np.flatnonzero(candidates & combo.isin(list(wrong)).to_numpy()):
            out.add(
                "RF-B8",
                int(position),
                f"{role} in {country.iat[position]} gives phone {first.iat[position]!r} "
                f"({found.iat[position]} number)",
            )


def run_party_rules(f: Facts, out: FlagSink) -> pd.DataFrame:
    """Run the phase-1 party rules and return the party rows for phase 2."""
    ctx = f.ctx
    rules = ctx.rules
    listed = _screen_names(f, out)
    if rules.enabled("RF-B2"):
        person = f.is_person("consignee")
        residential = ctx.index("residential_words").mask(f.folded("consignee_address"))
        goods = f.chemical_goods | f.listed_rows | f.has_terms("tablet_press")
        for position in np.flatnonzero((person | residential) & goods):
            who = (
                f"private person {f.values('consignee_name')[position]!r}"
                if person[position]
                else f"residential address {f.values('consignee_address')[position]!r}"
            )
            out.add("RF-B2", int(position), f"chemicals or equipment to {who}")
    if rules.enabled("RF-B8"):
        _phone_mismatch(f, out)
    if rules.enabled("RF-E3"):
        free = set(ctx.terms.get("free_mail_domains")) | set(
            ctx.rules.extensions.get("free_mail_domains", ())
        )
        organisation = {
            r: ctx.index("organisation_words").mask(f.folded(f"{r}_name"))
            for r in ("shipper", "consignee")
        }
        for role in ("shipper", "consignee"):
            domains = f.folded(f"{role}_email").str.extract(r"@([^;\s>]+)", expand=False).fillna("")
            hits = domains.isin(free).to_numpy() & organisation[role]
            for position in np.flatnonzero(hits):
                out.add(
                    "RF-E3",
                    int(position),
                    f"company {role} {f.values(f'{role}_name')[position]!r} uses free mail @{domains.iat[position]}",
                )
        for hit in ctx.index("messaging_handles").scan(f.folded("notes")):
            out.add("RF-E3", hit.position, f"notes point to messaging app {hit.matched!r}")
    if rules.enabled("RF-C6"):
        placeholders = {p.casefold() for p in ctx.terms.get("placeholder_names")}
        placeholders |= {p.casefold() for p in ctx.rules.extensions.get("placeholder_names", ())}
        advance = f.text("mode").isin(["air", "express", "postal"]).to_numpy()
        names = {r: f.folded(f"{r}_name").str.strip() for r in ("shipper", "consignee")}
        bad = {r: ((names[r] == "") | names[r].isin(placeholders)).to_numpy() for r in names}
        no_address = (f.text("consignee_address").str.strip() == "").to_numpy()
        for position in np.flatnonzero(advance & (bad["shipper"] | bad["consignee"] | no_address)):
            problems = []
            for role, values in names.items():
                name = values.iat[position]
                if not name:
                    problems.append(f"{role} name missing")
                elif bad[role][position]:
                    problems.append(f"{role} name is the placeholder {name!r}")
            if no_address[position]:
                problems.append("consignee address missing")
            out.add("RF-C6", int(position), "; ".join(problems))
    return party_rows(f, listed)
