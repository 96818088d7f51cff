"""Entity graph: links by name, contacts and identifiers; the pandas hop search agrees with
networkx shortest paths on the same links."""

from __future__ import annotations

import networkx as nx
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from interdiction.shipments.network import _hops, build_graph, links

ROWS = pd.DataFrame(
    [
        # record, role, name, name_key, email, phone, address_key, identifier, country, listed
        ("r1", "shipper", "Listed Co", "listed", "x@l.cn", "", "", "", "CN", "ofac-sdn:1"),
        ("r1", "consignee", "Buyer A", "buyer a", "", "555000111", "", "", "MX", ""),
        ("r2", "shipper", "Front B", "front b", "x@l.cn;b@b.cn", "", "", "", "CN", ""),
        ("r2", "consignee", "Buyer C", "buyer c", "", "", "calle 1 culiacan", "RFC1", "MX", ""),
        ("r3", "shipper", "Front D", "front d", "b@b.cn", "", "", "", "CN", ""),
        ("r3", "consignee", "Buyer E", "buyer e", "", "", "", "RFC1", "MX", ""),
        ("r4", "shipper", "Far F", "far f", "f@f.cn", "", "", "", "CN", ""),
        ("r4", "consignee", "Buyer G", "buyer g", "", "", "", "", "MX", ""),
    ],
    columns=[
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
    ],
)


def test_links_split_multiple_emails_and_drop_singletons() -> None:
    table = links(ROWS)
    assert set(table.loc[table["link"] == "e-mail:b@b.cn", "party"]) == {"front b", "front d"}
    assert "e-mail:f@f.cn" not in set(table["link"])


def test_links_drop_oversized_groups() -> None:
    many = pd.concat(
        [ROWS.iloc[[0]].assign(name_key=f"p{i}", email="hub@x.com") for i in range(60)]
    )
    assert links(many, max_link_size=50).empty


def test_graph_holds_parties_and_listed_marker() -> None:
    graph = build_graph(ROWS)
    assert graph.nodes["listed"]["listed"] == "ofac-sdn:1"
    assert graph.has_edge("listed", "front b") and graph.has_edge("buyer c", "buyer e")


def test_hops_agree_with_networkx_on_contact_links() -> None:
    table = links(ROWS)
    contacts = table[table["kind"] != "trade"]
    graph = nx.Graph()
    for _, group in contacts.groupby("link"):
        members = list(group["party"])
        graph.add_edges_from((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    expected = {
        p: d
        for p, d in nx.single_source_shortest_path_length(graph, "listed", cutoff=3).items()
        if d > 0
    }
    found = _hops(table, ["listed"], 3).set_index("party")["hops"].to_dict()
    assert found == expected == {"front b": 1, "front d": 2}


def test_trades_followed_only_when_asked() -> None:
    table = links(ROWS)
    plain = set(_hops(table, ["listed"], 2)["party"])
    with_trades = set(_hops(table, ["listed"], 2, follow_trades=True)["party"])
    assert "buyer a" not in plain and "buyer a" in with_trades


def test_name_keys_drop_legal_forms_and_punctuation() -> None:
    from interdiction.shipments.party_rules import normalise_names

    names = pd.Series(
        ["Hebei Atun Trading Co., Ltd.", "HEBEI ATUN TRADING COMPANY LIMITED", "湖北公司"]
    )
    assert normalise_names(names).tolist() == ["hebei atun trading", "hebei atun trading", "湖北"]


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=60))
def test_name_keys_idempotent(text: str) -> None:
    from interdiction.shipments.party_rules import normalise_names

    once = normalise_names(pd.Series([text]))
    assert normalise_names(once).tolist() == once.tolist()


def test_party_rows_from_records(records, context) -> None:  # type: ignore[no-untyped-def]
    from interdiction.shipments.screening import PARTY_ROW_COLUMNS, screen_frame

    frame = records(
        {"notify_name": "Notify Broker LLC", "consignee_phone": "+1 (614) 555-0199; 614 555 0100"}
    )
    _, parties = screen_frame(frame, context)
    assert tuple(parties.columns) == PARTY_ROW_COLUMNS
    assert sorted(parties["role"]) == ["consignee", "notify", "shipper"]
    consignee = parties[parties["role"] == "consignee"].iloc[0]
    assert (
        consignee["phone"] == "145550199;145550100"
        and consignee["name_key"] == "midwest fluid systems"
    )


def _links_row_by_row(party_rows: pd.DataFrame, max_link_size: int) -> pd.DataFrame:
    """The plain definition of ``links``: every party row's contacts split, then de-duplicated."""
    kinds = {
        "email": "e-mail",
        "phone": "phone",
        "address_key": "address",
        "identifier": "identifier",
    }
    out = []
    for column, kind in kinds.items():
        singles, multis = [], []
        for row in party_rows.itertuples(index=False):
            value = getattr(row, column)
            if not row.name_key or value == "":
                continue
            if ";" in value:
                multis += [
                    (row.name_key, f"{kind}:{v}", kind) for v in value.split(";") if v.strip()
                ]
            else:
                singles.append((row.name_key, f"{kind}:{value}", kind))
        out += singles + multis
    for row in party_rows.itertuples(index=False):
        if row.name_key:
            out.append((row.name_key, f"rec:{row.record_id}", "trade"))
    table = pd.DataFrame(out, columns=["party", "link", "kind"]).drop_duplicates(["party", "link"])
    sizes = table.groupby("link")["party"].transform("size")
    return table[(sizes > 1) & (sizes <= max_link_size)].reset_index(drop=True)


_CONTACT = st.sampled_from(["", "a@x", "b@x", "a@x;b@x", "b@x;;c@x", " ", "c@x"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["r1", "r2", "r3", "r4"]),
            st.sampled_from(["", "acme", "beta", "gamma"]),
            _CONTACT,
            _CONTACT,
        ),
        min_size=1,
        max_size=14,
    ),
    st.integers(min_value=2, max_value=4),
)
def test_links_same_table_and_order_as_row_by_row(rows, max_size) -> None:  # type: ignore[no-untyped-def]
    # Repeated parties and contacts, multi-valued cells, empty names: the de-duplicated fast path
    # must give the same rows in the same order (the hop search keeps the first path found).
    frame = pd.DataFrame(
        [
            (rid, "shipper", key.upper(), key, email, phone, "", phone, "CN", "")
            for rid, key, email, phone in rows
        ],
        columns=list(ROWS.columns),
    )
    got = links(frame, max_link_size=max_size)
    want = _links_row_by_row(frame, max_size)
    assert (
        got[["party", "link", "kind"]].astype(str).values.tolist()
        == want.astype(str).values.tolist()
    )
