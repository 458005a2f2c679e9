#!/usr/bin/env python3
"""Regenerates crates/wsis-domain/data/{countries,currencies}.json.

Codes come from Debian's iso-codes (ISO 3166-1 and ISO 4217 lists), names in the six UN languages and currency minor
units from the Unicode CLDR through Babel (`pip install babel`). ITU-D regions are assigned below (the BDT's six
regions); a territory follows the region of the area it lies in. Run by hand when ISO or CLDR data changes; the
output is committed, so builds and CI never need this script.
"""
import json
import pathlib

from babel import Locale
from babel.numbers import get_currency_precision

LANGS = ["ar", "zh", "en", "fr", "ru", "es"]
OUT = pathlib.Path(__file__).resolve().parent.parent / "crates" / "wsis-domain" / "data"

ARAB_STATES = "DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE EH".split()
CIS = "AM AZ BY KZ KG MD RU TJ TM UZ".split()
EUROPE = (
    "AL AD AT BE BA BG HR CY CZ DK EE FI FR DE GR HU IS IE IT LV LI LT LU MT MC ME NL MK NO PL PT RO SM RS SK SI "
    "ES SE CH TR UA GB VA XK AX FO GI GG IM JE SJ GL GE"
).split()
AMERICAS = (
    "AG AR BS BB BZ BO BR CA CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE KN LC VC SR TT US UY VE "
    "AI AW BM BQ VG KY CW FK GF GP MQ MS PR BL MF PM SX TC VI UM GS BV"
).split()
AFRICA = (
    "AO BJ BW BF BI CV CM CF TD CG CD CI GQ ER SZ ET GA GM GH GN GW KE LS LR MG MW ML MU MZ NA NE NG RW ST SN SC "
    "SL ZA SS TZ TG UG ZM ZW RE YT SH IO TF"
).split()


def region(code: str) -> str | None:
    if code == "AQ":
        return None
    for name, members in (
        ("arab_states", ARAB_STATES),
        ("cis", CIS),
        ("europe", EUROPE),
        ("americas", AMERICAS),
        ("africa", AFRICA),
    ):
        if code in members:
            return name
    return "asia_pacific"


def labels(kind: str, code: str, fallback: str) -> dict:
    out = {}
    for lang in LANGS:
        table = getattr(Locale.parse(lang), kind)
        out[lang] = table.get(code) or fallback
    return out


def main() -> None:
    countries_src = json.load(open("/usr/share/iso-codes/json/iso_3166-1.json"))["3166-1"]
    countries = [
        {
            "code": c["alpha_2"],
            "alpha3": c["alpha_3"],
            "numeric": c["numeric"],
            "region": region(c["alpha_2"]),
            "labels": labels("territories", c["alpha_2"], c["name"]),
        }
        for c in sorted(countries_src, key=lambda c: c["alpha_2"])
    ]
    funds = set("BOV CLF COU MXV USN UYI UYW CHE CHW".split())
    keep_x = set("XAF XOF XCD XPF".split())
    currencies_src = json.load(open("/usr/share/iso-codes/json/iso_4217.json"))["4217"]
    currencies = [
        {
            "code": c["alpha_3"],
            "numeric": c["numeric"],
            "minor_units": get_currency_precision(c["alpha_3"]),
            "labels": labels("currencies", c["alpha_3"], c["name"]),
        }
        for c in sorted(currencies_src, key=lambda c: c["alpha_3"])
        if c["alpha_3"] not in funds and (not c["alpha_3"].startswith("X") or c["alpha_3"] in keep_x)
    ]
    for name, data in (("countries", countries), ("currencies", currencies)):
        path = OUT / f"{name}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{path}: {len(data)} entries")


if __name__ == "__main__":
    main()
