"""Porta's snapshot of the ANPR country and municipality tables, as tab-separated files.

The tables come from the PyPI package python-codicefiscale (MIT licence), which keeps the
Agenzia delle Entrate / ANPR code lists with their validity dates. Run at development time:

    /tmp/cfvenv/bin/python tools/anpr_tables.py assets/reference/anpr

Columns: code, Italian name, English name (countries) or province (municipalities), valid
from, valid until (empty while still in use). Rows for one code can repeat with different
names and dates (a municipality renamed, a state that split).
"""

import sys
from pathlib import Path

import json

import codicefiscale
from codicefiscale.data import get_countries_data, get_municipalities_data

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)


def day(text):
    return text[:10] if text else ""


def clean(text):
    return " ".join(text.split()).replace("\t", " ")


# States that no longer exist are in a separate file of the package; people born there keep
# their code. Their English names are not in it.
DELETED_EN = {
    "Z105": "Czechoslovakia",
    "Z111": "German Democratic Republic",
    "Z118": "Yugoslavia",
    "Z135": "Union of Soviet Socialist Republics",
    "Z136": "Georgia",
    "Z157": "Serbia and Montenegro",
    "Z201": "Federation of South Arabia",
    "Z202": "Protectorate of South Arabia",
    "Z250": "South Yemen",
}
deleted = json.loads((Path(codicefiscale.__file__).parent / "data" / "deleted-countries.json").read_text())
known = {(c["code"], c["date_created"]) for c in get_countries_data()}
countries = get_countries_data() + [c for c in deleted if (c["code"], c["date_created"]) not in known]
for country in countries:
    if country["code"] in DELETED_EN and country.get("date_deleted"):
        country["name_alt_en"] = DELETED_EN[country["code"]]
countries = sorted(countries, key=lambda c: (c["code"], c["date_created"]))
with open(out / "countries.tsv", "w", encoding="utf-8") as f:
    f.write("code\tname_it\tname_en\tvalid_from\tvalid_until\n")
    for c in countries:
        f.write(f"{c['code']}\t{clean(c['name'])}\t{clean(c.get('name_alt_en') or c['name'])}\t{day(c['date_created'])}\t{day(c['date_deleted'])}\n")

# A few rows of municipalities dissolved long ago have no code ("ND"): nobody can be encoded
# with them, so they are left out.
municipalities = [m for m in get_municipalities_data() if len(m["code"]) == 4 and m["code"][1:].isdigit()]
municipalities = sorted(municipalities, key=lambda m: (m["code"], m["date_created"]))
with open(out / "municipalities.tsv", "w", encoding="utf-8") as f:
    f.write("code\tname\tprovince\tvalid_from\tvalid_until\n")
    for m in municipalities:
        f.write(f"{m['code']}\t{clean(m['name'])}\t{m['province']}\t{day(m['date_created'])}\t{day(m['date_deleted'])}\n")
print(len(countries), "countries,", len(municipalities), "municipalities")
