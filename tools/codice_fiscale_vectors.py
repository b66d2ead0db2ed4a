"""Test vectors for Porta's codice fiscale rules, from an independent implementation.

Run at development time only (Porta does not depend on it):

    python3 -m venv /tmp/cfvenv && /tmp/cfvenv/bin/pip install python-codicefiscale==0.12.1
    /tmp/cfvenv/bin/python tools/codice_fiscale_vectors.py > wire/tests/vectors/codice_fiscale.json

Every person is synthetic. The seed keeps the file stable.
"""

import datetime
import json
import random

from codicefiscale import codicefiscale as cf
from codicefiscale.data import get_countries_data, get_municipalities_data

random.seed(26)

FAMILY = [
    "Diallo", "Popescu", "Khan", "Hoxha", "Shevchenko", "Okafor", "Rahman", "Traoré", "Wang", "Li",
    "Ben Ali", "El Amrani", "D'Angelo", "De Luca", "Rossi", "Fo", "Wu", "Nguyễn", "Çelik", "O'Brien",
    "Ndiaye", "Ahmed", "Bianchi", "Mbappé", "Zhou", "Øberg", "Mustafà", "Iqbal", "Abu-Bakr", "Ba",
]
GIVEN = [
    "Aminata", "Mohamed", "Ioana", "Gianfranco", "Fatou", "Li Na", "Ava", "Oleksandr", "Blessing",
    "Mariapia", "Jo", "Ugo", "Aïssata", "Andrea", "Cristina", "Giovanni", "Xu", "Björn", "Zoë", "Anna Maria",
]

countries = [c for c in get_countries_data() if c["code"].startswith("Z")]
municipalities = [m for m in get_municipalities_data() if m["active"]]


# Born after 1926: a code's two year digits cannot tell 1926 from 2026, so a person over a
# hundred is read as the most recent possibility (a choice both implementations document).
def day(rng_start=1927, rng_end=2025):
    start = datetime.date(rng_start, 1, 1)
    end = datetime.date(rng_end, 12, 31)
    return start + datetime.timedelta(days=random.randrange((end - start).days))


vectors = []
for _ in range(400):
    family = random.choice(FAMILY)
    given = random.choice(GIVEN)
    sex = random.choice("MF")
    born = day()
    abroad = random.random() < 0.7
    moment = born.isoformat() + "T00:00:00"

    def valid_then(place):
        return place["date_created"] <= moment and (not place["date_deleted"] or moment <= place["date_deleted"])

    while True:
        place = random.choice(countries if abroad else municipalities)
        if valid_then(place):
            break
    code = cf.encode(
        lastname=family, firstname=given, gender=sex, birthdate=born.strftime("%d/%m/%Y"), birthplace=place["code"]
    )
    decoded = cf.decode(code)
    omocodes = decoded["omocodes"]
    vectors.append(
        {
            "family_name": family,
            "given_names": given,
            "sex": sex,
            "birth_date": born.isoformat(),
            "place": place["code"],
            "code": code,
            "omocode": random.choice(omocodes[1:]),
            "omocodes": len(omocodes),
        }
    )

invalid = []
for vector in vectors[:40]:
    code = vector["code"]
    wrong = code[:15] + ("A" if code[15] != "A" else "B")
    invalid.append({"code": wrong, "valid": cf.is_valid(wrong)})

print(json.dumps({"source": "python-codicefiscale 0.12.1 (PyPI, MIT licence)", "vectors": vectors, "wrong_check_letter": invalid}, ensure_ascii=False, indent=1))
