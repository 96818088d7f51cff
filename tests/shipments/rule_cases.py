"""One firing record and one quiet near-miss per rule (used by the test_rules_* modules).

Each case is (rows that make the rule fire on the LAST row, rows for the near-miss where it must
stay quiet). Rows override the CLEAN record of conftest.py.
"""

from __future__ import annotations

from typing import Any

Row = dict[str, Any]
Case = tuple[list[Row], list[Row]]

NPP_2023: Row = {
    "description": "N-phenethyl-4-piperidone (NPP) 99%",
    "hs_code": "293337",
    "date": "2023-03-01",
}

GOODS: dict[str, Case] = {
    "RF-A2.controlled": (
        [{"description": "Fentanyl citrate 10 g"}],
        [{"description": "pentane solvent 200 L"}],
    ),
    "RF-A2.precursor": (
        [{"description": "npp 25 kg drum", "hs_code": "293337"}],
        [{"description": "SNPPX polymer pellets"}],
    ),
    "RF-A2.cas-typo": (
        [{"description": "pyridine compound CAS 39742-60-5"}],
        [{"description": "pyridine compound CAS 39742-60-4"}],
    ),
    "RF-A1.permit": ([NPP_2023], [{**NPP_2023, "permit_ref": "DEA-486 2023-0001"}]),
    "RF-A1.hs-watch": (
        [{"description": "organic compound", "hs_code": "293337", "date": "2023-03-01"}],
        [{"description": "organic compound", "hs_code": "293339", "date": "2023-03-01"}],
    ),
    "RF-A1.hs-mismatch": (
        [{**NPP_2023, "hs_code": "293339"}],
        [{**NPP_2023, "hs_code": "293339", "date": "2020-03-01"}],
    ),
    "RF-A1.hs-edition": (
        [{"description": "organic compound", "hs_code": "293337", "date": "2020-03-01"}],
        [{"description": "organic compound", "hs_code": "293337", "date": "2023-03-01"}],
    ),
    "RF-A3.cover": (
        [{"description": "Handmade Wooden Picture Gifts", "hs_code": "442010"}],
        [{"description": "frozen shrimp", "hs_code": "030617"}],
    ),
    "RF-A3.chapter": (
        [{"description": "dog food, dry kibble", "hs_code": "293339"}],
        [{"description": "dog food, dry kibble", "hs_code": "230910"}],
    ),
    "RF-A3.business": (
        [
            {
                "shipper_name": "Hubei Amarvel Biotech Co., Ltd.",
                "description": "snap hooks",
                "hs_code": "731816",
            }
        ],
        [
            {
                "shipper_name": "Hubei Amarvel Biotech Co., Ltd.",
                "description": "pyridine derivative",
                "hs_code": "293339",
            }
        ],
    ),
    "RF-B5": (
        [
            {
                "consignee_name": "Sunrise Textiles LLC",
                "description": "organic chemical intermediate",
                "hs_code": "293339",
            }
        ],
        [
            {
                "consignee_name": "Sunrise Textiles LLC",
                "description": "cotton fabric",
                "hs_code": "520812",
            }
        ],
    ),
    "RF-A4.vague": (
        [{"description": "GIFT"}],
        [{"description": "gift box of assorted green tea", "hs_code": "090210"}],
    ),
    "RF-A4.chemical": (
        [{"description": "white powder sample", "hs_code": "293339"}],
        [{"description": "4-AP powder", "hs_code": "293339"}],
    ),
    "RF-A4.gift": ([{"category": "gift"}], [{"category": "gift", "shipper_name": "Anna Schmidt"}]),
    "RF-A5.token-value": ([{"declared_value": 1.0}], [{"declared_value": 2400.0}]),
    "RF-A5.unit-value": (
        [
            {
                "description": "pyridine derivative",
                "hs_code": "293339",
                "declared_value": 5.0,
                "gross_weight_kg": 500.0,
            }
        ],
        [
            {
                "description": "pyridine derivative",
                "hs_code": "293339",
                "declared_value": 5000.0,
                "gross_weight_kg": 500.0,
            }
        ],
    ),
    "RF-A5.quantity": (
        [{"description": "free sample of pump seals", "gross_weight_kg": 45.0}],
        [{"description": "free sample of pump seals", "gross_weight_kg": 2.0}],
    ),
    "RF-A6": (
        [
            {
                "description": "TDP-5 tablet press",
                "hs_code": "847989",
                "consignee_name": "Maria Lopez",
            }
        ],
        [
            {
                "description": "rotary tablet press",
                "hs_code": "847989",
                "permit_ref": "DEA Form 452 #5521",
            }
        ],
    ),
    "RF-A7": (
        [{"description": "NPP replacement, new formula"}],
        [{"description": "replacement seals for water pumps"}],
    ),
    "RF-D1": (
        [{"notes": "stealth shipping, 100% customs clearance"}],
        [{"notes": "customs broker: Midwest Clearing"}],
    ),
    "RF-D3": ([{"payment_method": "Bitcoin"}], [{"payment_method": "T/T"}]),
    "RF-D4": (
        [{"notes": "URGENT - no invoice, neutral packaging"}],
        [{"notes": "handle with care"}],
    ),
}

_CN_MX: Row = {
    "shipper_name": "Wuhan Hengda Fine Materials Co., Ltd.", "shipper_country": "CN", "shipper_phone": "+86 27 5555 0101",
    "shipper_email": "sales@hengda.example.cn", "origin_country": "CN", "consignee_name": "Insumos del Bajio S.A. de C.V.",
    "consignee_country": "MX", "consignee_phone": "+52 33 5555 0101", "consignee_email": "compras@bajio.example.mx",
    "final_destination_country": "MX", "routing_countries": "CN;MX", "description": "pyridine derivative", "hs_code": "293339",
}  # fmt: skip
_PARCEL: Row = {
    "mode": "express", "shipper_country": "CN", "origin_country": "CN", "shipper_phone": "+86 27 5555 0101",
    "consignee_name": "Maria Lopez", "consignee_address": "12 Oak St Apt 4, Reno NV", "gross_weight_kg": 0.5,
    "description": "white powder", "hs_code": "",
}  # fmt: skip

ROUTES: dict[str, Case] = {
    "RF-C1": (
        [_CN_MX],
        [
            {
                **_CN_MX,
                "consignee_country": "US",
                "final_destination_country": "US",
                "consignee_phone": "+1 614 555 0199",
                "routing_countries": "CN;US",
            }
        ],
    ),
    "RF-C2": (
        [{**_CN_MX, "mode": "air", "routing_countries": "CN;US;MX"}],
        [{**_CN_MX, "mode": "sea", "routing_countries": "CN;US;MX"}],
    ),
    "RF-C3": ([{**_CN_MX, "routing_countries": "CN;SG;MX"}], [_CN_MX]),
    # NPP: US List I since 2007, UN Table I only from 2017, Mexico from 2017-07-18 (controls.md section 0).
    "RF-C3.gap": (
        [
            {
                "description": "NPP",
                "date": "2016-06-01",
                "origin_country": "US",
                "shipper_country": "US",
                "shipper_phone": "+1 614 555 0100",
                "routing_countries": "US;GT;MX",
                "final_destination_country": "MX",
                "consignee_country": "MX",
                "consignee_phone": "+52 33 5555 0101",
            }
        ],
        [
            {
                "description": "NPP",
                "date": "2023-06-01",
                "origin_country": "US",
                "shipper_country": "US",
                "shipper_phone": "+1 614 555 0100",
                "routing_countries": "US;GT;MX",
                "final_destination_country": "MX",
                "consignee_country": "MX",
                "consignee_phone": "+52 33 5555 0101",
            }
        ],
    ),
    "RF-C4": ([_PARCEL], [{**_PARCEL, "gross_weight_kg": 5.0}]),
    "RF-C6": (
        [{"mode": "air", "consignee_name": "N/A"}],
        [{"mode": "sea", "consignee_name": "N/A"}],
    ),
    "RF-C8": (
        [
            {
                **_CN_MX,
                "shipper_country": "HK",
                "shipper_phone": "+852 5555 0101",
                "origin_country": "IN",
                "routing_countries": "HK;MX",
            }
        ],
        [
            {
                **_CN_MX,
                "shipper_country": "IN",
                "shipper_phone": "+91 22 5555 0101",
                "origin_country": "IN",
                "routing_countries": "IN;MX",
            }
        ],
    ),
}

PARTIES: dict[str, Case] = {
    "RF-B2": (
        [{"consignee_name": "Maria Lopez", "description": "white powder", "hs_code": "293339"}],
        [{"description": "white powder", "hs_code": "293339"}],
    ),
    "RF-B8": (
        [
            {
                "consignee_country": "MX",
                "final_destination_country": "MX",
                "consignee_phone": "+86 138 0000 1111",
            }
        ],
        [
            {
                "consignee_country": "MX",
                "final_destination_country": "MX",
                "consignee_phone": "+52 33 5555 0101",
            }
        ],
    ),
    "RF-E3": (
        [{"shipper_email": "acme.export@qq.com"}],
        [{"shipper_email": "export@rheinpumpen.de"}],
    ),
}

_A: Row = {
    "shipper_name": "Alpha Pump Works GmbH",
    "shipper_phone": "+49 30 1111 2222",
    "shipper_email": "a@alpha.example.de",
}
_B: Row = {
    "shipper_name": "Bergmann Ventile AG",
    "shipper_phone": "+49 30 1111 2222",
    "shipper_email": "b@bergmann.example.de",
}
_SPLIT: Row = {
    "mode": "express",
    "gross_weight_kg": 1.5,
    "description": "sample powder",
    "hs_code": "",
    "consignee_name": "Northgate Supply LLC",
    "consignee_email": "",
    "consignee_phone": "",
}

_CHEM_SHIPPER: Row = {
    "shipper_name": "Hubei Xinyu Biotech Co., Ltd.",
    "shipper_country": "CN",
    "shipper_phone": "+86 27 5555 0101",
    "shipper_email": "s@xinyu.example.cn",
}

NETWORK: dict[str, Case] = {
    "RF-B9": (
        [
            {**_CHEM_SHIPPER, "hs_code": h, "description": d}
            for h, d in (("230910", "dog food"), ("731816", "snap hooks"), ("620342", "trousers"))
        ],
        [
            {**_CHEM_SHIPPER, "hs_code": h, "description": d}
            for h, d in (
                ("293339", "pyridine derivative"),
                ("391000", "silicone resin"),
                ("230910", "dog food"),
            )
        ],
    ),
    "RF-B3": ([_A, _B], [_A, {**_A, "shipper_name": "ALPHA PUMP WORKS"}]),
    "RF-B4": (
        [
            {
                "consignee_name": "Ola Verde Imports S.A. de C.V.",
                "consignee_phone": "+52 33 9999 0000",
            },
            {
                "consignee_name": "Distribuidora Lunar S.A. de C.V.",
                "consignee_phone": "+52 33 9999 0000",
            },
        ],
        [
            {
                "consignee_name": "Ola Verde Imports S.A. de C.V.",
                "consignee_phone": "+52 33 9999 0000",
            },
            {
                "consignee_name": "Distribuidora Lunar S.A. de C.V.",
                "consignee_phone": "+52 33 9999 0000",
                "shipper_name": "Other Supplier Ltd",
                "shipper_phone": "+49 40 1234 5678",
                "shipper_email": "x@other.example.de",
            },
        ],
    ),
    "RF-C7": (
        [
            {
                **_SPLIT,
                "shipper_name": f"Supplier {n} Co., Ltd.",
                "shipper_phone": f"+86 27 5555 010{n}",
                "shipper_email": f"s{n}@example.cn",
                "date": f"2024-02-1{n}",
            }
            for n in range(3)
        ],
        [
            {
                **_SPLIT,
                "shipper_name": f"Supplier {n} Co., Ltd.",
                "shipper_phone": f"+86 27 5555 010{n}",
                "shipper_email": f"s{n}@example.cn",
                "date": f"2024-0{n + 1}-10",
            }
            for n in range(3)
        ],
    ),
}
