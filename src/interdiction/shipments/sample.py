"""Deterministic generator of a SYNTHETIC shipment manifest with planted suspicious patterns.

Every record is invented (ids start ``SYN-``; the ``synthetic`` column says ``yes``), except that
planted records reuse real OFAC SDN names and published contact details (cited in
``data/samples/manifest_vocabulary.yaml``) so the party engine has something true to find.
Most records are ordinary trade across many lanes and goods; a handful per 3,000 carry one of the
patterns of red-flags.md, listed with their record ids in the truth table so tests can measure
planted-pattern recall and the false-alarm rate. The same seed always gives the same file.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from interdiction.shipments import _planted
from interdiction.shipments.records import RECORD_COLUMNS

__all__ = [
    "SAMPLE_ROWS",
    "SAMPLE_SEED",
    "TRUTH_COLUMNS",
    "generate_manifest",
    "iter_manifest_chunks",
    "write_manifest",
]

SAMPLE_SEED = 20240503
SAMPLE_ROWS = 3000
MANIFEST_COLUMNS: tuple[str, ...] = (
    *[c for c in RECORD_COLUMNS if c not in ("source_file", "source_row")],
    "synthetic",
)
TRUTH_COLUMNS = ("record_id", "source_row", "pattern", "red_flags", "expect", "note")
_START = date(2024, 1, 1)
_PARTNER_WEIGHTS = [1 / (rank + 1) ** 0.8 for rank in range(10)]
_CARRIERS = {
    "sea": ["MAERSK", "COSCO SHIPPING", "MSC", "CMA CGM", "EVERGREEN", "ONE", "HAPAG-LLOYD"],
    "air": [
        "CATHAY CARGO",
        "CHINA EASTERN CARGO",
        "LUFTHANSA CARGO",
        "ATLAS AIR",
        "KOREAN AIR CARGO",
    ],
    "road": ["SCHNEIDER", "J.B. HUNT", "TRANSPORTES CASTORES", "TRAXION"],
    "express": ["DHL EXPRESS", "FEDEX", "UPS", "SF EXPRESS"],
    "postal": ["CHINA POST", "USPS", "EMS"],
}
_TRANSSHIPMENT = [
    ("Busan", "KR"),
    ("Singapore", "SG"),
    ("Colombo", "LK"),
    ("Port Klang", "MY"),
    ("Algeciras", "ES"),
]


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The generator's word lists (``data/samples/manifest_vocabulary.yaml``)."""
    resource = resources.files("interdiction") / "data" / "samples" / "manifest_vocabulary.yaml"
    data: dict[str, Any] = yaml.safe_load(resource.read_text(encoding="utf-8"))
    return data


class _Companies:
    """A fixed pool of invented companies per (country, industry), drawn with a skew so trading
    relationships repeat the way they do in real manifests."""

    def __init__(self, seed: int) -> None:
        self._vocab = vocabulary()
        self._seed = seed
        self._pools: dict[tuple[str, str], list[dict[str, str]]] = {}

    def pool(self, country: str, industry: str) -> list[dict[str, str]]:
        key = (country, industry)
        if key not in self._pools:
            rng = random.Random(f"{self._seed}-{country}-{industry}")
            info = self._vocab["countries"][country]
            words = self._vocab["industries"][industry]
            pool = []
            for index in range(10):
                stem = info["stems"][index % len(info["stems"])]
                name = f"{rng.choice(info['cities']) + ' ' if country == 'CN' else ''}{stem} {words[index % len(words)]} {rng.choice(info['forms'])}"
                slug = "".join(
                    ch for ch in f"{stem}{words[index % len(words)]}".lower() if ch.isalnum()
                )
                pool.append({
                    "name": name,
                    "address": f"{rng.randint(1, 999)} {rng.choice(info['street'])} {rng.randint(1, 80)}, {rng.choice(info['cities'])}",
                    "email": f"{rng.choice(['sales', 'info', 'export', 'import', 'trade'])}@{slug}{index}.example.com",
                    "phone": f"+{info['phone']} {rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
                    "id": f"SYN-{country}-{rng.randint(10_000_000, 99_999_999)}",
                })  # fmt: skip
            self._pools[key] = pool
        return self._pools[key]

    def pick(self, rng: random.Random, country: str, industry: str) -> dict[str, str]:
        # Zipf-like: the busiest partner gets about a fifth of a lane's records, as in real manifests.
        return rng.choices(self.pool(country, industry), weights=_PARTNER_WEIGHTS)[0]


def _clean_record(rng: random.Random, companies: _Companies, number: int) -> dict[str, Any]:
    vocab = vocabulary()
    lanes, goods = vocab["lanes"], vocab["goods"]
    origin, shipper_cc, consignee_cc, mode, pol, pod, _ = rng.choices(
        lanes, weights=[lane[6] for lane in lanes]
    )[0]
    description, hs, industry, (kg_low, kg_high), (usd_low, usd_high), package = rng.choice(goods)
    shipper = companies.pick(rng, shipper_cc, industry)
    consignee = companies.pick(rng, consignee_cc, industry)
    packages = rng.randint(1, 40) if mode == "air" else rng.randint(5, 400)
    weight = round(packages * rng.uniform(kg_low, kg_high), 1)
    day = _START + timedelta(days=rng.randint(0, 365))
    transship, routing = "", ""
    if mode == "sea" and rng.random() < 0.12:
        port, country = rng.choice(_TRANSSHIPMENT)
        transship, routing = port, f"{shipper_cc};{country};{consignee_cc}"
    notify = consignee["name"] if rng.random() < 0.4 else ""
    forwarder = companies.pick(rng, shipper_cc, "machinery") if rng.random() < 0.3 else None
    record = {
        "record_id": f"SYN-{number:07d}",
        "document_id": f"SYN{rng.choice(['BL', 'HB', 'AW'])}{rng.randint(10**8, 10**9 - 1)}",
        "date": day.isoformat() if rng.random() > 0.05 else day.strftime("%d-%b-%Y"),
        "mode": mode, "carrier": rng.choice(_CARRIERS[mode]),
        "shipper_name": shipper["name"], "shipper_address": shipper["address"], "shipper_country": shipper_cc,
        "shipper_email": shipper["email"] if rng.random() < 0.6 else "",
        "shipper_phone": shipper["phone"] if rng.random() < 0.5 else "", "shipper_id": shipper["id"] if rng.random() < 0.4 else "",
        "consignee_name": consignee["name"], "consignee_address": consignee["address"], "consignee_country": consignee_cc,
        "consignee_email": consignee["email"] if rng.random() < 0.6 else "",
        "consignee_phone": consignee["phone"] if rng.random() < 0.5 else "", "consignee_id": consignee["id"] if rng.random() < 0.4 else "",
        "notify_name": notify, "notify_country": consignee_cc if notify else "",
        "forwarder_name": forwarder["name"].replace(forwarder["name"].split()[-1], "Logistics") if forwarder else "",
        "forwarder_country": shipper_cc if forwarder else "",
        "origin_country": origin, "port_of_loading": pol, "transshipment_ports": transship, "port_of_discharge": pod,
        "final_destination_country": consignee_cc, "routing_countries": routing,
        "description": description.upper() if rng.random() < 0.3 else description,
        "hs_code": hs if rng.random() < 0.75 else "",
        "quantity": packages, "quantity_unit": package, "gross_weight_kg": weight,
        "declared_value": round(weight * rng.uniform(usd_low, usd_high), 2), "currency": "USD",
        "payment_method": rng.choice(["T/T", "L/C", "Open account", "D/P"]),
        "marks": f"PO {rng.randint(10000, 99999)}" if rng.random() < 0.3 else "",
    }  # fmt: skip
    if industry == "chemicals" and rng.random() < 0.3:
        record["notes"] = (
            "SDS attached; non-hazardous" if "UN" not in description else "Class 9 dangerous goods"
        )
    return record


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows).reindex(columns=list(MANIFEST_COLUMNS))
    text = [
        c for c in MANIFEST_COLUMNS if c not in ("quantity", "gross_weight_kg", "declared_value")
    ]
    frame[text] = frame[text].astype(object).where(frame[text].notna(), "").astype(str)
    numbers = ["quantity", "gross_weight_kg", "declared_value"]
    frame[numbers] = frame[numbers].astype("float64")
    frame["synthetic"] = "yes"
    return frame


def iter_manifest_chunks(
    rows: int, *, seed: int = SAMPLE_SEED, chunk_rows: int = 100_000, planted: bool = True
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Yield (manifest rows, truth rows) in chunks; memory stays at one chunk.

    Each chunk of at least 1,000 rows carries one set of planted patterns (about 40 records) at
    seeded positions; smaller chunks are all clean.
    """
    companies = _Companies(seed)
    number = 0
    for start in range(0, rows, chunk_rows):
        size = min(chunk_rows, rows - start)
        rng = random.Random(f"{seed}-chunk-{start}")
        plants: list[tuple[dict[str, Any], str, str, str, str]] = []
        if planted and size >= 1000:
            plants = _planted.planted_records(rng, companies, vocabulary(), bad_inputs=start == 0)
        positions = sorted(rng.sample(range(size), len(plants)))
        by_position = dict(zip(positions, plants, strict=True))
        records: list[dict[str, Any]] = []
        truth: list[tuple[str, int, str, str, str, str]] = []
        for offset in range(size):
            number += 1
            if offset in by_position:
                record, pattern, flags, expect, note = by_position[offset]
                record = {"record_id": f"SYN-{number:07d}", **record}
                truth.append((record["record_id"], number, pattern, flags, expect, note))
            else:
                record = _clean_record(rng, companies, number)
            records.append(record)
        _planted.apply_bad_inputs(records, truth)
        yield _frame(records), pd.DataFrame(truth, columns=list(TRUTH_COLUMNS))


def generate_manifest(
    rows: int = SAMPLE_ROWS, *, seed: int = SAMPLE_SEED, planted: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The whole synthetic manifest and its truth table (use for a few thousand rows)."""
    parts = list(iter_manifest_chunks(rows, seed=seed, chunk_rows=max(rows, 1), planted=planted))
    return (pd.concat([p[0] for p in parts], ignore_index=True),
            pd.concat([p[1] for p in parts], ignore_index=True))  # fmt: skip


def write_manifest(
    path: Path,
    rows: int,
    *,
    seed: int = SAMPLE_SEED,
    chunk_rows: int = 100_000,
    truth: Path | None = None,
) -> Path:
    """Write a synthetic manifest as CSV or Parquet (by suffix), streamed in chunks.

    Args:
        path: output file (``.csv`` or ``.parquet``).
        rows: number of records.
        seed: generator seed; the same seed gives the same file.
        chunk_rows: records generated and written at a time (Parquet row-group size).
        truth: where to write the planted-pattern truth table (CSV), if wanted.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    writer = None
    truths = []
    for index, (frame, truth_rows) in enumerate(
        iter_manifest_chunks(rows, seed=seed, chunk_rows=chunk_rows)
    ):
        truths.append(truth_rows)
        if path.suffix.lower() == ".parquet":
            table = pa.Table.from_pandas(frame, preserve_index=False)
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table.cast(writer.schema))
        else:
            frame.to_csv(path, mode="w" if index == 0 else "a", header=index == 0, index=False)
    if writer is not None:
        writer.close()
    if truth is not None:
        pd.concat(truths, ignore_index=True).to_csv(truth, index=False)
    return path
