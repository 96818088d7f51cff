"""Phase-1 party rules (red-flags.md section 3 B, C6, E3) and the party rows phase 2 links.

Party rows: one per named party per record, with the keys the network links on (normalised name,
e-mail, phone, address, identifier). ``name_key`` drops legal forms so "Hubei X Co., Ltd." meets
"HUBEI X COMPANY LIMITED".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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

    return values.map(one)


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
    if ctx.party_search is None:
        return listed
    rule = ctx.rules.get("RF-B1")
    minimum = float(rule.param("min_score", 0.85))
    for role in PARTY_ROLES:
        names = f.text(f"{role}_name")
        countries = f.text(f"{role}_country")
        for position in np.flatnonzero((names.str.strip() != "").to_numpy()):
            matches = [
                m
                for m in ctx.screen_party(names.iat[position], countries.iat[position])
                if m.score >= minimum
            ]
            if not matches:
                continue
            best = max(matches, key=lambda m: m.score)
            listed[(int(position), role)] = f"{best.source}:{best.entity_id}"
            if ctx.rules.enabled("RF-B1"):
                programs = f"; programs {', '.join(best.programs)}" if best.programs else ""
                out.add(
                    "RF-B1",
                    int(position),
                    f"{role} {names.iat[position]!r} matches {best.primary_name!r} "
                    f"({best.source} {best.entity_id}{programs}), score {best.score:.2f}: {best.explanation}",
                )
    _screen_contacts(f, out, listed)
    return listed


def _screen_contacts(f: Facts, out: FlagSink, listed: dict[tuple[int, str], str]) -> None:
    """E-mails and phones that a list gives for a listed entity (RF-B1, RF-E1)."""
    contacts = f.ctx.contacts
    if not contacts.emails and not contacts.phones:
        return
    for role in ("shipper", "consignee", "notify"):
        emails = f.text(f"{role}_email")
        phones = f.text(f"{role}_phone")
        candidates = ((emails != "") | (phones != "")).to_numpy()
        for position in np.flatnonzero(candidates):
            found = []
            for email in emails.iat[position].split(";"):
                entity = contacts.emails.get(email.strip().casefold())
                if entity is not None:
                    found.append((f"e-mail {email.strip()!r}", entity))
            for phone in phones.iat[position].split(";"):
                entity = contacts.phones.get(phone_key(phone))
                if entity is not None:
                    found.append((f"phone {phone.strip()!r}", entity))
            for what, entity in found:
                listed.setdefault((int(position), role), f"{entity.source}:{entity.entity_id}")
                if f.ctx.rules.enabled("RF-B1"):
                    programs = f"; programs {', '.join(entity.programs)}" if entity.programs else ""
                    out.add(
                        "RF-B1",
                        int(position),
                        f"{role} {what} is listed for {entity.primary_name!r} "
                        f"({entity.source} {entity.entity_id}{programs})",
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
                f"private person {f.text('consignee_name').iat[position]!r}"
                if person[position]
                else f"residential address {f.text('consignee_address').iat[position]!r}"
            )
            out.add("RF-B2", int(position), f"chemicals or equipment to {who}")
    if rules.enabled("RF-B8"):
        for role in ("shipper", "consignee", "notify"):
            phones = f.text(f"{role}_phone")
            countries = f.text(f"{role}_country")
            for position in np.flatnonzero(((phones != "") & (countries != "")).to_numpy()):
                for phone in phones.iat[position].split(";"):
                    codes = ctx.countries.phone_countries(phone)
                    if codes and countries.iat[position] not in codes:
                        out.add(
                            "RF-B8",
                            int(position),
                            f"{role} in {countries.iat[position]} gives phone {phone.strip()!r} ({'/'.join(codes)} number)",
                        )
                        break
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
                    f"company {role} {f.text(f'{role}_name').iat[position]!r} uses free mail @{domains.iat[position]}",
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
