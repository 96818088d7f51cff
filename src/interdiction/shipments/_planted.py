"""Planted records of the synthetic sample: suspicious patterns, hard negatives and bad inputs.

Each entry is (record without record_id, pattern, red-flag ids, expect, note). ``expect`` is
``flag`` (a screening run should rank it high), ``clean`` (a hard negative: legitimate trade that
looks a little like a pattern), ``warning`` or ``error`` (bad input the readers must report).
Chemical names and CAS numbers are those of listed fentanyl precursors (controls.md); they are
here only so the screening can be shown to recognise them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

__all__ = ["apply_bad_inputs", "planted_records"]

Planted = tuple[dict[str, Any], str, str, str, str]
_DUPLICATE = "__DUPLICATE_OF_FIRST__"


def _person(rng: random.Random, vocab: dict[str, Any]) -> str:
    return f"{rng.choice(vocab['people']['given'])} {rng.choice(vocab['people']['family'])}"


def _residence(rng: random.Random) -> str:
    street = rng.choice(["Maple Ave", "Oak St", "Pine Dr", "Elm St", "Cedar Ln", "Sunset Blvd"])
    city = rng.choice(
        ["Columbus, OH", "Phoenix, AZ", "Reno, NV", "Albuquerque, NM", "Tucson, AZ", "El Paso, TX"]
    )
    return f"{rng.randint(100, 9999)} {street} Apt {rng.randint(1, 30)}{rng.choice('ABCD')}, {city}"


def _base(rng: random.Random, day: date, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "document_id": f"SYNPL{rng.randint(10**7, 10**8 - 1)}", "date": day.isoformat(),
        "mode": "sea", "carrier": "COSCO SHIPPING", "shipper_country": "CN", "origin_country": "CN",
        "port_of_loading": "Shanghai", "currency": "USD", "quantity_unit": "DRUM", "quantity": 4,
        "gross_weight_kg": 100.0, "declared_value": 2400.0, "payment_method": "T/T",
    }  # fmt: skip
    record.update(fields)
    record.setdefault("final_destination_country", record.get("consignee_country", ""))
    return record


def _cn_shipper(rng: random.Random, companies: Any, industry: str = "chemicals") -> dict[str, str]:
    return companies.pick(rng, "CN", industry)  # type: ignore[no-any-return]


def planted_records(
    rng: random.Random, companies: Any, vocab: dict[str, Any], *, bad_inputs: bool
) -> list[Planted]:
    """One set of planted records (about 40), reproducible from ``rng``."""
    day = date(2024, 1, 1) + timedelta(days=rng.randint(20, 300))
    listed = {entry["name"]: entry for entry in vocab["listed"]}
    out: list[Planted] = []

    def add(pattern: str, flags: str, note: str, expect: str = "flag", **fields: Any) -> None:
        out.append(
            (
                _base(rng, day + timedelta(days=rng.randint(0, 9)), **fields),
                pattern,
                flags,
                expect,
                note,
            )
        )

    def us_company() -> dict[str, str]:
        return companies.pick(rng, "US", "chemicals")  # type: ignore[no-any-return]

    def mx_company() -> dict[str, str]:
        return companies.pick(rng, "MX", "chemicals")  # type: ignore[no-any-return]

    def party(role: str, company: dict[str, str], country: str) -> dict[str, str]:
        return {f"{role}_name": company["name"], f"{role}_address": company["address"], f"{role}_country": country,
                f"{role}_email": company["email"], f"{role}_phone": company["phone"]}  # fmt: skip

    # RF-A2/A3: precursor named by CAS number or name under a cover description and a wrong HS code.
    for text, hs in (("Cosmetic raw material CAS 79099-07-3, 25kg drum", "3304.99"),
                     ("Pharmaceutical intermediate CAS 40064-34-4", "3824.99"),
                     ("Organic intermediate 125541-22-2 (1-Boc-4-AP) for research", "2921.42")):  # fmt: skip
        add("cas_cover_description", "RF-A2;RF-A3", "precursor CAS under a cover description, wrong HS",
            **party("shipper", _cn_shipper(rng, companies), "CN"), **party("consignee", mx_company(), "MX"),
            port_of_discharge="Manzanillo", description=text, hs_code=hs)  # fmt: skip
    # RF-A3: 4-AP / NPP declared as plastic additive or herbal extract (English, Chinese, Spanish).
    for text, hs in (("Plastic additive, white powder (4-anilinopiperidine)", "3812.39"),
                     ("Herbal extract powder N-phenethyl-4-piperidone", "1302.19"),
                     ("塑料添加剂 N-苯乙基-4-哌啶酮 25kg", "3812.39"),
                     ("Aditivo para plástico 4-AP, polvo blanco", "3812.39")):  # fmt: skip
        add("mislabelled_precursor", "RF-A2;RF-A3", "4-AP/NPP declared as plastic additive or herbal extract",
            **party("shipper", _cn_shipper(rng, companies), "CN"), **party("consignee", mx_company(), "MX"),
            port_of_discharge="Lazaro Cardenas", description=text, hs_code=hs)  # fmt: skip
    # RF-C1/C2: chemicals CN -> MX, direct, via the US, via Guatemala, and by air into LAX.
    routes = (("", "Manzanillo", "CN;MX", "sea"), ("Los Angeles, CA", "Manzanillo", "CN;US;MX", "sea"),
              ("Puerto Quetzal", "Lazaro Cardenas", "CN;GT;MX", "sea"), ("", "Los Angeles Intl Airport", "CN;US;MX", "air"))  # fmt: skip
    for transship, pod, routing, mode in routes:
        add("cn_mx_route", "RF-C1;RF-C2;RF-C3", f"chemical intermediate routed {routing.replace(';', '->')}",
            **party("shipper", _cn_shipper(rng, companies), "CN"), **party("consignee", mx_company(), "MX"),
            mode=mode, transshipment_ports=transship, port_of_discharge=pod, routing_countries=routing,
            description="Chemical intermediate, white crystalline powder", hs_code="2933.39")  # fmt: skip
    # RF-C4/A4/B2: small express parcels of "sample" powder to US individuals at home.
    for text in (
        "Sample powder",
        "White powder sample, free of charge",
        "Research chemical sample",
        "Free sample",
    ):
        add("express_sample_powder", "RF-C4;RF-A4;RF-B2", "express parcel under 2 kg of powder to a person",
            **party("shipper", _cn_shipper(rng, companies), rng.choice(["CN", "HK"])), consignee_name=_person(rng, vocab),
            consignee_address=_residence(rng), consignee_country="US", mode="express", carrier=rng.choice(["DHL EXPRESS", "FEDEX", "UPS"]),
            port_of_loading="Hong Kong", port_of_discharge="Cincinnati/Northern Kentucky Intl Airport",
            description=text, hs_code="", category="sample", quantity=1, quantity_unit="PKG",
            gross_weight_kg=round(rng.uniform(0.2, 1.8), 2), declared_value=float(rng.randint(3, 15)))  # fmt: skip
    # RF-B1: a sanctioned company ships under its own listed name.
    for name, text, country in (("HEBEI ATUN TRADING CO., LTD.", "Pharmaceutical intermediates", "MX"),
                                ("SUZHOU XIAOLI PHARMATECH CO., LTD", "Veterinary API powder", "US")):  # fmt: skip
        consignee = mx_company() if country == "MX" else us_company()
        add("listed_party", "RF-B1", f"shipper is {listed[name]['citation']}", shipper_name=name,
            shipper_address="Shijiazhuang, Hebei" if "HEBEI" in name else "Suzhou, Jiangsu",
            **party("consignee", consignee, country), port_of_discharge="Manzanillo" if country == "MX" else "Long Beach, CA",
            description=text, hs_code="2933.39")  # fmt: skip
    # RF-B1/E1/B8: a differently named party uses a sanctioned front's published e-mail or phone.
    cishun, youli = (
        listed["SHANGHAI CISHUN FINE CHEMICAL CO, LTD."],
        listed["YOULI TECHNOLOGY DEVELOPMENT CO., LTD."],
    )
    add("shared_contact_listed", "RF-B1;RF-E1", f"shipper e-mail {cishun['email']} is that of {cishun['citation']}",
        shipper_name="Guangzhou Ruixiang Biotech Co., Ltd.", shipper_address="88 Huangpu Avenue, Guangzhou",
        shipper_email=cishun["email"], **party("consignee", mx_company(), "MX"), port_of_discharge="Manzanillo",
        description="Organic chemical intermediate", hs_code="2933.39")  # fmt: skip
    add("shared_contact_listed", "RF-B1;RF-E1;RF-B8", f"consignee phone {youli['phone']} is that of {youli['citation']}",
        **party("shipper", _cn_shipper(rng, companies, "machinery"), "CN"), consignee_name="Insumos Quimicos del Pacifico S.A. de C.V.",
        consignee_address="Calle Hidalgo 45, Culiacan, Sinaloa", consignee_country="MX", consignee_phone=youli["phone"],
        port_of_discharge="Manzanillo", description="Machinery spare parts", hs_code="8479.90", quantity_unit="CTN")  # fmt: skip
    # RF-B4/E1: three unrelated Mexican importers share one phone and e-mail and one PRC supplier.
    supplier = _cn_shipper(rng, companies)
    for name in (
        "Comercializadora Santa Fe S.A. de C.V.",
        "Distribuidora Olmeca S. de R.L.",
        "Grupo Lerma Quimica S.A. de C.V.",
    ):
        add("shared_contact_unrelated", "RF-B4;RF-E1", "unrelated importers share phone and e-mail, same supplier",
            **party("shipper", supplier, "CN"), consignee_name=name, consignee_country="MX",
            consignee_address=f"Av. Vallarta {rng.randint(100, 9000)}, Guadalajara", consignee_phone="+52 33 5555 0142",
            consignee_email="compras.mx2024@gmail.com", port_of_discharge="Manzanillo",
            description="Chemical intermediate", hs_code="2933.39")  # fmt: skip
    # RF-C7: one consignee, five shippers, ten days, small chemical parcels.
    for index in range(5):
        add("split_shipments", "RF-C7;RF-C4", "five PRC shippers to one consignee within ten days",
            **party("shipper", companies.pool("CN", "chemicals")[index], "CN"), consignee_name="Northgate Supply LLC",
            consignee_address="77 Elm St Unit 5, Reno, NV", consignee_country="US", mode="express", carrier="FEDEX",
            port_of_loading="Shenzhen", port_of_discharge="Memphis Intl Airport", description="Chemical reagent",
            hs_code="2933.39", quantity=1, quantity_unit="PKG", gross_weight_kg=round(rng.uniform(1, 3), 1),
            declared_value=float(rng.randint(20, 60)))  # fmt: skip
    # RF-A5: token declared values for 25-100 kg of chemicals.
    for value in (1.0, 0.0, 2.0):
        add("token_value", "RF-A5", f"declared value {value:g} USD for a drum of chemicals",
            **party("shipper", _cn_shipper(rng, companies), "CN"), **party("consignee", us_company(), "US"),
            port_of_discharge="Long Beach, CA", description="Pharmaceutical intermediate", hs_code="2933.39",
            quantity=1, gross_weight_kg=float(rng.choice([25, 50, 100])), declared_value=value)  # fmt: skip
    # RF-A6/B2: pill presses and dies to residences, no DEA Form 452.
    for text, hs in (("Tablet press machine TDP-5 with molds", "8479.89"), ("Punch and die set for rotary tablet press", "8207.30"),
                     ("Single punch pill press, 110V", "8479.89")):  # fmt: skip
        add("pill_press_residence", "RF-A6;RF-B2", "tablet press or dies to a person at a residence, no permit",
            **party("shipper", _cn_shipper(rng, companies, "machinery"), "CN"), consignee_name=_person(rng, vocab),
            consignee_address=_residence(rng), consignee_country="US", mode="express", carrier="UPS",
            port_of_discharge="Louisville Muhammad Ali Intl Airport", description=text, hs_code=hs, quantity=1,
            quantity_unit="CTN", gross_weight_kg=round(rng.uniform(18, 60), 1), declared_value=float(rng.randint(80, 400)))  # fmt: skip
    # RF-D1/D3: order exports promising stealth delivery, paid in bitcoin.
    for note in (
        "stealth shipping, 100% customs clearance guaranteed",
        "discreet packaging, safe delivery to USA",
    ):
        add("stealth_crypto", "RF-D1;RF-D3", "order note promises stealth/customs clearance; bitcoin payment",
            **party("shipper", _cn_shipper(rng, companies), "CN"), consignee_name=_person(rng, vocab), consignee_address=_residence(rng),
            consignee_country="US", mode="express", carrier="DHL EXPRESS", description="Research chemical 2kg",
            hs_code="", quantity=1, quantity_unit="PKG", gross_weight_kg=2.2, declared_value=35.0,
            payment_method="BTC", notes=note)  # fmt: skip
    # Hard negatives: legitimate trade that resembles a pattern; should not rank high.
    add("legit_tablet_press", "", "pharma manufacturer with DEA Form 452 on file", expect="clean",
        shipper_name="Rheinland Pharmatechnik GmbH", shipper_country="DE", origin_country="DE", shipper_address="Industriestrasse 12, Cologne",
        port_of_loading="Hamburg", consignee_name="Midwest Generic Pharmaceuticals Inc.", consignee_country="US",
        consignee_address="4500 Industrial Pkwy, Indianapolis, IN", port_of_discharge="New York, NY",
        description="Rotary tablet press, 45 stations, with tooling", hs_code="8479.89", quantity=1, quantity_unit="CRATE",
        gross_weight_kg=2850.0, declared_value=185000.0, permit_ref="DEA Form 452 filed 2024")  # fmt: skip
    add("legit_commercial_sample", "", "fabric swatches between textile companies", expect="clean",
        **party("shipper", companies.pick(rng, "CN", "textiles"), "CN"), **party("consignee", companies.pick(rng, "US", "textiles"), "US"),
        mode="express", carrier="DHL EXPRESS", description="Fabric swatches, commercial sample, no commercial value",
        hs_code="5407.52", category="sample", quantity=1, quantity_unit="PKG", gross_weight_kg=0.8, declared_value=0.0)  # fmt: skip
    add("legit_chemical_cn_mx", "", "titanium dioxide to a Mexican paint maker", expect="clean",
        **party("shipper", _cn_shipper(rng, companies), "CN"), **party("consignee", mx_company(), "MX"), port_of_discharge="Manzanillo",
        description="Titanium dioxide rutile grade", hs_code="2823.00", quantity=800, quantity_unit="BAG",
        gross_weight_kg=20000.0, declared_value=52000.0)  # fmt: skip
    if bad_inputs:
        plain = {**party("shipper", companies.pick(rng, "VN", "textiles"), "VN"), **party("consignee", companies.pick(rng, "US", "textiles"), "US"),
                 "origin_country": "VN", "port_of_loading": "Ho Chi Minh City (Cat Lai)", "port_of_discharge": "Long Beach, CA",
                 "description": "Knitted sweaters, acrylic", "hs_code": "6110.30", "quantity_unit": "CTN"}  # fmt: skip
        out.append(
            (
                _base(rng, day, **{**plain, "date": "31/31/2024"}),
                "bad_date",
                "",
                "warning",
                "unparseable date",
            )
        )
        out.append(
            (
                _base(rng, day, **{**plain, "gross_weight_kg": -120.0}),
                "negative_weight",
                "",
                "warning",
                "negative weight",
            )
        )
        out.append(
            (
                _base(rng, day, **{**plain, "record_id": _DUPLICATE}),
                "duplicate_id",
                "",
                "error",
                "record id used twice",
            )
        )
    return out


def apply_bad_inputs(
    records: list[dict[str, Any]], truth: list[tuple[str, int, str, str, str, str]]
) -> None:
    """Give the planted duplicate the record id of the chunk's first record (in place)."""
    for index, row in enumerate(truth):
        if row[0] == _DUPLICATE:
            first_id = records[0]["record_id"]
            for record in records:
                if record["record_id"] == _DUPLICATE:
                    record["record_id"] = first_id
            truth[index] = (first_id, *row[1:])
