"""Phase 2: link parties across records into an entity graph and flag network patterns.

Parties are linked by a shared normalised name (same node), e-mail, phone, address or identifier,
and by trading in the same record. The hop search runs as pandas joins (it scales to millions of
party rows); ``build_graph`` gives the same links as a networkx graph for pictures and checks.

Rules: RF-B1.network (within a few hops of a listed party), RF-B3/E1 (one contact shared by
differently named companies), RF-B4 (consignees sharing contacts and a supplier), RF-C7 (many
shippers to one consignee in a short window).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz

from interdiction.shipments.rules import RuleSet
from interdiction.shipments.terms import TermIndex, fold_series

__all__ = ["build_graph", "links", "run_network_rules"]

_CONTACT_KINDS = {
    "email": "e-mail",
    "phone": "phone",
    "address_key": "address",
    "identifier": "identifier",
}
# Names this alike are the same company written twice ("ACME Trading" / "ACME Trading HK").
_SAME_COMPANY = 85


def _isin(values: pd.Series, allowed: pd.Series | Iterable[str]) -> np.ndarray:
    """``values.isin(allowed)`` as a bool array, with the look-up set built in Arrow at once
    (pandas turns every allowed value into an Arrow scalar one by one: a second per 200k)."""
    if not isinstance(allowed, pd.Series):
        allowed = pd.Series(list(allowed), dtype=object)
    left = pa.array(values, from_pandas=True)
    right = pa.array(allowed, from_pandas=True)
    strings = (pa.string(), pa.large_string())
    if left.type not in strings or right.type not in (*strings, pa.null()):
        return np.asarray(values.isin(pd.unique(allowed)), dtype=bool)
    if len(right) == 0 or len(left) == 0:
        return np.zeros(len(values), dtype=bool)
    found = pc.is_in(left, value_set=right.cast(left.type).unique())
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def _explode(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per ';'-separated value of ``column`` (empty values dropped); only the rows that
    hold a ';' are split, because splitting a million single values costs a second."""
    values = frame[column].astype(str)
    multi = values.str.contains(";", regex=False).to_numpy()
    single = frame[~multi & (values != "").to_numpy()]
    if not multi.any():
        return single
    split = frame[multi].copy()
    split[column] = values[multi].str.split(";")
    split = split.explode(column)
    split = split[split[column].astype(str).str.strip() != ""]
    return pd.concat([single, split], ignore_index=True)


def links(
    party_rows: pd.DataFrame, *, max_link_size: int = 50, trades: bool = True
) -> pd.DataFrame:
    """Party-to-link table: columns party (name_key), link ("phone:...", "rec:<record_id>"), kind.

    Contact values shared by more than ``max_link_size`` parties (a forwarder's office, a
    marketplace's relay address) are dropped: they link everyone and say nothing.
    """
    rows = party_rows.loc[party_rows["name_key"] != "", ["record_id", "name_key", *_CONTACT_KINDS]]
    frames = []
    for column, kind in _CONTACT_KINDS.items():
        # Party rows repeat the same contacts: each distinct (party, value) pair is exploded once,
        # in first-seen order, which is the order the drop_duplicates below would keep anyway.
        values = _explode(rows[["name_key", column]].drop_duplicates(), column)
        frames.append(
            pd.DataFrame(
                {"party": values["name_key"], "link": kind + ":" + values[column], "kind": kind}
            )
        )
    # Contact links and trade links ("rec:...") never share a link value, so each part is
    # de-duplicated and sized on its own; contacts first, as in one concatenated table.
    table = pd.concat(frames, ignore_index=True).drop_duplicates(["party", "link"])
    sizes = table.groupby("link")["party"].transform("size")
    table = table[(sizes > 1) & (sizes <= max_link_size)]
    if trades:
        table = pd.concat([table, _trade_links(rows, max_link_size)], ignore_index=True)
    return table.reset_index(drop=True)


def _trade_links(rows: pd.DataFrame, max_link_size: int) -> pd.DataFrame:
    """Trade links of ``links``: parties named in the same record, on integer codes (a million
    party rows), strings built only for the links kept."""
    record, _ = pd.factorize(rows["record_id"], use_na_sentinel=False)
    party, _ = pd.factorize(rows["name_key"], use_na_sentinel=False)
    first = ~pd.DataFrame({"record": record, "party": party}).duplicated().to_numpy()
    sizes = np.bincount(record[first], minlength=int(record.max(initial=-1)) + 1)[record]
    keep = first & (sizes > 1) & (sizes <= max_link_size)
    return pd.DataFrame(
        {
            "party": rows["name_key"][keep],
            "link": "rec:" + rows["record_id"][keep],
            "kind": "trade",
        }
    )


def build_graph(party_rows: pd.DataFrame, *, max_link_size: int = 50) -> nx.Graph:
    """Entity graph: party nodes (name keys, attribute ``listed``) joined by an edge per shared
    link (attribute ``via``: the shared contact or "traded in <record>")."""
    graph = nx.Graph()
    listed = party_rows.groupby("name_key")["listed"].agg(lambda s: next((v for v in s if v), ""))
    names = party_rows.groupby("name_key")["name"].first()
    for key, name in names.items():
        if key:
            graph.add_node(key, name=name, listed=listed.get(key, ""))
    table = links(party_rows, max_link_size=max_link_size)
    for link, group in table.groupby("link"):
        members = list(group["party"])
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                graph.add_edge(a, b, via=str(link))
    return graph


def _hops(
    table: pd.DataFrame, sources: Iterable[str], max_hops: int, *, follow_trades: bool = False
) -> pd.DataFrame:
    """Parties reachable from ``sources``: party, hops, came_from, via (first path found)."""
    seen = {s: (0, s, "") for s in sources}
    frontier = pd.DataFrame({"from": list(seen)})
    # Trading links count only next to the listed party: in a dense trade graph two trading hops
    # reach almost everyone; shared contacts can be chained.
    contacts = table[table["kind"] != "trade"]
    for hop in range(1, max_hops + 1):
        if frontier.empty:
            break
        usable = table if hop == 1 and follow_trades else contacts
        reached = frontier.merge(usable, left_on="from", right_on="party")[["from", "link"]]
        nxt = reached.merge(usable, on="link")[["from", "link", "party"]]
        nxt = nxt[~nxt["party"].isin(seen)].drop_duplicates("party")
        for row in nxt.itertuples(index=False):
            seen[row.party] = (hop, row[0], row.link)
        frontier = pd.DataFrame({"from": nxt["party"].unique()})
    return pd.DataFrame(
        [(p, h, c, v) for p, (h, c, v) in seen.items() if h > 0],
        columns=["party", "hops", "came_from", "via"],
    )


def _via_words(link: str) -> str:
    kind, _, value = link.partition(":")
    if kind == "rec":
        return f"trading in record {value}"
    return f"shared {kind} {value!r}"


def _network_b1(
    party_rows: pd.DataFrame, table: pd.DataFrame, rules: RuleSet
) -> list[tuple[str, str, str]]:
    rule = rules.get("RF-B1.network")
    sources = party_rows.loc[party_rows["listed"] != "", "name_key"].unique()
    if len(sources) == 0:
        return []
    reached = _hops(
        table,
        sources,
        int(rule.param("max_hops", 2)),
        follow_trades=bool(rule.param("follow_trades", False)),
    )
    if reached.empty:
        return []
    # Only the rows of reached parties and the names of the parties paths start from are taken:
    # the same rows in the same order as a merge over every party row, at a fraction of the cost.
    keys = party_rows["name_key"]
    starts = party_rows[_isin(keys, reached["came_from"].unique())]
    names = starts.groupby("name_key")["name"].first()
    candidates = party_rows[_isin(keys, reached["party"]) & (party_rows["listed"] == "").to_numpy()]
    merged = candidates.merge(reached, left_on="name_key", right_on="party")
    flags = []
    for row in merged.itertuples(index=False):
        evidence = (
            f"{row.role} {row.name!r} is {row.hops} hop(s) from listed party {names.get(row.came_from, row.came_from)!r} "
            f"(path starts with {_via_words(row.via)})"
        )
        flags.append((row.record_id, "RF-B1.network", evidence))
    return flags


def _unrelated(names: list[str]) -> bool:
    return any(
        fuzz.token_set_ratio(a, b) < _SAME_COMPANY
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    )


def _contact_rows(party_rows: pd.DataFrame, wanted: set[str]) -> pd.DataFrame:
    """Long table: one row per (party row, contact link in ``wanted``) for shipper/consignee/notify
    roles, in party-row order per contact kind."""
    holder = ((party_rows["role"] != "forwarder") & (party_rows["name_key"] != "")).to_numpy()
    frames = []
    for column, kind in _CONTACT_KINDS.items():
        prefix = kind + ":"
        values_wanted = {link[len(prefix) :] for link in wanted if link.startswith(prefix)}
        if not values_wanted:
            continue
        # Only rows that can hold a wanted link are exploded (multi-valued cells always are).
        cells = party_rows[column].astype(str)
        keep = holder & (
            _isin(cells, values_wanted) | cells.str.contains(";", regex=False).to_numpy()
        )
        values = _explode(
            party_rows.loc[keep, ["record_id", "role", "name", "name_key", column]], column
        )
        values["link"] = prefix + values[column]
        frames.append(values.drop(columns=[column]))
    if not frames:
        return pd.DataFrame(columns=["record_id", "role", "name", "name_key", "link"])
    holders = pd.concat(frames, ignore_index=True)
    return holders[_isin(holders["link"], wanted)]


def _shared_contacts(
    party_rows: pd.DataFrame, table: pd.DataFrame, rules: RuleSet
) -> list[tuple[str, str, str]]:
    minimum = int(rules.get("RF-B3").param("min_names", 2))
    contacts = table[(table["kind"] != "trade")]
    members = contacts.groupby("link")["party"].unique()
    members = members[members.map(len) >= minimum]
    shared = {str(link) for link, names in members.items() if _unrelated(sorted(names))}
    if not shared:
        return []
    holders = _contact_rows(party_rows, shared)
    display = holders.groupby("link")["name"].unique()
    flags: list[tuple[str, str, str]] = []
    for row in holders.itertuples(index=False):
        names = list(display[row.link])
        shown = ", ".join(repr(n) for n in names[:4]) + (
            f" and {len(names) - 4} more" if len(names) > 4 else ""
        )
        kind, _, value = str(row.link).partition(":")
        flags.append(
            (
                row.record_id,
                "RF-B3",
                f"{kind} {value!r} of {row.role} {row.name!r} is shared by {shown}",
            )
        )
    return flags


def _common_supplier(party_rows: pd.DataFrame, table: pd.DataFrame) -> list[tuple[str, str, str]]:
    # Only the columns used are taken: row selection on ten Arrow columns is the slow part.
    consignees = party_rows.loc[
        party_rows["role"] == "consignee", ["record_id", "name", "name_key"]
    ]
    shippers = party_rows.loc[party_rows["role"] == "shipper", ["record_id", "name_key", "name"]]
    contact = table[
        (table["kind"] != "trade").to_numpy() & _isin(table["party"], consignees["name_key"])
    ]
    groups = contact.groupby("link")["party"].unique()
    shared = [
        (link, members)
        for link, members in groups.items()
        if len(members) >= 2 and _unrelated(list(members))
    ]
    if not shared:
        return []
    # Consignee-shipper pairs of the consignees that share a contact, joined once: an inner merge
    # keeps the consignees' order, so filtering the pairs equals merging the filtered consignees
    # (and each link below filters this small table, not every trade).
    wanted = {str(m) for _, members in shared for m in members}
    trades = consignees[_isin(consignees["name_key"], wanted)].merge(
        shippers, on="record_id", suffixes=("", "_shipper")
    )
    flags: list[tuple[str, str, str]] = []
    for link, members in shared:
        rows = trades[_isin(trades["name_key"], members)]
        per_shipper = rows.groupby("name_key_shipper")["name_key"].nunique()
        common = per_shipper[per_shipper >= 2].index
        for row in rows[rows["name_key_shipper"].isin(common)].itertuples(index=False):
            flags.append(
                (
                    row.record_id,
                    "RF-B4",
                    f"consignee {row.name!r} shares {_via_words(str(link))} with another consignee; both buy from {row.name_shipper!r}",
                )
            )
    return flags


def _many_shippers(
    records: pd.DataFrame,
    party_rows: pd.DataFrame,
    rules: RuleSet,
    suspect_ids: frozenset[str] | None = None,
) -> list[tuple[str, str, str]]:
    rule = rules.get("RF-C7")
    window = pd.Timedelta(days=int(rule.param("window_days", 30)))
    minimum = int(rule.param("min_shippers", 3))
    # Only small consignments count: importers legitimately buy full containers from many suppliers.
    small_kg = float(rule.param("max_weight_kg", 30.0))
    weight = pd.to_numeric(records.get("gross_weight_kg"), errors="coerce")
    mode = records["mode"].astype(str) if "mode" in records else pd.Series("", index=records.index)
    small = mode.isin(["postal", "express"]) | (weight <= small_kg)
    if suspect_ids is not None:
        # A shopper gets T-shirts, mugs and phone cases from three shops in a fortnight; split
        # consignments are parcels whose goods or route drew a red flag of their own.
        small &= _isin(records["record_id"], list(suspect_ids))
    records = records[["record_id", "date"]][np.asarray(small, dtype=bool)]
    dates = pd.Series(
        pd.to_datetime(records["date"], errors="coerce", format="%Y-%m-%d").to_numpy(),
        index=records["record_id"].to_numpy(),
    )
    # Only the small parcels' party rows take part: both sides of the join are cut to them first
    # (an inner join on record_id gives the same pairs, in the consignees' order).
    in_records = _isin(party_rows["record_id"], records["record_id"])
    role = party_rows["role"].to_numpy(dtype=object)
    shippers = party_rows.loc[(role == "shipper") & in_records, ["record_id", "name_key"]].rename(
        columns={"name_key": "shipper"}
    )
    consignees = party_rows.loc[
        (role == "consignee") & in_records,
        ["record_id", "name_key", "address_key", "name"],
    ]
    flags: dict[tuple[str, str], str] = {}
    for key_column, what in (("name_key", "consignee"), ("address_key", "address")):
        pairs = consignees[consignees[key_column] != ""][["record_id", key_column, "name"]].merge(
            shippers, on="record_id"
        )
        if pairs.empty:
            continue
        distinct = pairs.groupby(key_column)["shipper"].nunique()
        groups = pairs.groupby(key_column).indices
        when_all = dates.reindex(pairs["record_id"]).to_numpy()
        ship_all = pairs["shipper"].to_numpy(dtype=object)
        ids_all = pairs["record_id"].to_numpy(dtype=object)
        names_all = pairs["name"].to_numpy(dtype=object)
        span = window.to_timedelta64()
        for key in distinct[distinct >= minimum].index:
            # A record has one consignee, so it appears once per group: the order among equal
            # dates changes neither the counts nor which text a record gets.
            rows = groups[key]
            rows = rows[~pd.isna(when_all[rows])]
            rows = rows[np.argsort(when_all[rows], kind="stable")]
            when = when_all[rows]
            ship = ship_all[rows]
            lows = np.searchsorted(when, when - span, side="left")
            highs = np.searchsorted(when, when + span, side="right")
            # An established supplier (it also ships to this consignee outside the window) is
            # ordinary trade, not a split consignment: a distributor buying from the same three
            # suppliers every month is not "six shipments to one person" (S10).
            first_seen: dict[object, int] = {}
            last_seen: dict[object, int] = {}
            for index, shipper in enumerate(ship):
                first_seen.setdefault(shipper, index)
                last_seen[shipper] = index
            for i, position in enumerate(rows):
                low, high = lows[i], highs[i]
                count = sum(
                    1
                    for shipper in set(ship[low:high])
                    if first_seen[shipper] >= low and last_seen[shipper] < high
                )
                record_id = ids_all[position]
                if count >= minimum and (record_id, "RF-C7") not in flags:
                    name = names_all[position]
                    label = f"consignee {name!r}" if what == "consignee" else f"address {key!r}"
                    flags[(record_id, "RF-C7")] = (
                        f"{label} received small shipments from {count} different shippers within {window.days} days of this shipment"
                    )
    return [(rid, rule_id, text) for (rid, rule_id), text in flags.items()]


def varied_goods(
    records: pd.DataFrame,
    party_rows: pd.DataFrame,
    rules: RuleSet,
    *,
    chemical_names: TermIndex,
    family_of: Callable[[str], str],
) -> list[tuple[str, str, str]]:
    """RF-B9: a shipper named as a chemical/pharma business whose declared goods fall in many
    unrelated HS families (a front that "presents as a chemical exporter", S2)."""
    rule = rules.get("RF-B9")
    minimum = int(rule.param("min_families", 3))
    shippers = party_rows.loc[party_rows["role"] == "shipper", ["record_id", "name", "name_key"]]
    if shippers.empty or "hs_code" not in records:
        return []
    # Names and HS codes repeat: each distinct value is folded / mapped once.
    name_codes, names = pd.factorize(shippers["name"], use_na_sentinel=False)
    chemical = chemical_names.mask(fold_series(pd.Series(names)))[name_codes]
    shippers = shippers[chemical]
    codes = records[["record_id", "hs_code"]].astype(str)
    hs_codes, hs = pd.factorize(codes["hs_code"], use_na_sentinel=False)
    families = pd.Series(hs).str.replace(r"\D", "", regex=True).str[:2].map(family_of)
    codes["family"] = families.to_numpy()[hs_codes]
    joined = shippers.merge(codes[codes["family"].fillna("") != ""], on="record_id")
    seen: dict[str, set[str]] = {}
    for key, family in joined[["name_key", "family"]].drop_duplicates().itertuples(index=False):
        seen.setdefault(key, set()).add(family)
    wide = {key: sorted(found) for key, found in seen.items() if len(found) >= minimum}
    flags = []
    for row in joined[joined["name_key"].isin(list(wide))].itertuples(index=False):
        shown = ", ".join(wide[row.name_key])
        flags.append(
            (
                row.record_id,
                "RF-B9",
                f"shipper {row.name!r} (chemical/pharma by name) declares goods in {len(wide[row.name_key])} unrelated HS families: {shown}",
            )
        )
    return flags


def run_network_rules(
    records: pd.DataFrame,
    party_rows: pd.DataFrame,
    rules: RuleSet,
    *,
    suspect_ids: frozenset[str] | None = None,
) -> list[tuple[str, str, str]]:
    """Cross-record rules over all party rows; returns (record_id, rule_id, evidence) triples.

    Args:
        suspect_ids: records whose goods or route drew a phase-1 flag; when given, only these
            count as parcels of a split consignment (RF-C7).
    """
    if party_rows.empty:
        return []
    size = int(rules.get("RF-B3").param("max_link_size", 50))
    # Trade links ("rec:<id>") serve only RF-B1.network with follow_trades: every other rule reads
    # the contact links alone, and the two kinds never share a link value, so leaving the trade
    # links out changes no flag (and saves a second per million records).
    network = rules.get("RF-B1.network") if rules.enabled("RF-B1.network") else None
    trades = network is not None and bool(network.param("follow_trades", False))
    table = links(party_rows, max_link_size=size, trades=trades)
    flags: list[tuple[str, str, str]] = []
    if rules.enabled("RF-B1.network"):
        flags.extend(_network_b1(party_rows, table, rules))
    if rules.enabled("RF-B3"):
        flags.extend(_shared_contacts(party_rows, table, rules))
    if rules.enabled("RF-B4"):
        flags.extend(_common_supplier(party_rows, table))
    if rules.enabled("RF-C7"):
        flags.extend(_many_shippers(records, party_rows, rules, suspect_ids))
    return flags
