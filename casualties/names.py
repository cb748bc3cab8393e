"""Names a story shares with few others: the victims, suspects, streets and venues that tie
reports of one incident together wherever each report places and dates it.

A follow-up naming the victim of last week's shooting may be placed in a neighbourhood
where the first report named the city, or dated by its own news; the victim's name is the
same in both. A story's names are its capitalised words, lower-cased, less those that
say nothing of one incident: a word opening a sentence, weekdays, months, titles and
the words of headline-like lines (Title Case); and each street or county it names with its
kind ('Harrison Street': 'harrison-street', 'Rankin County': 'rankin-county'), rarer than the word that names it. Which names are rare is a property of the
whole corpus, decided where the corpus is (casualties.stages.reconciled.NAME_TIES_SQL): a name in
many documents (a city, a newspaper, a governor) ties nothing.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from casualties.places import Gazetteer, gazetteer

# A name is rare in at most this many documents: an incident's own reports, not a city's.
MAX_NAME_DOCUMENTS = 3
# A first report and its follow-ups of the same days are published within this many days
# of each other.
NAME_TIE_DAYS = 14
# One shared name may be a coincidence (a street, a common surname); two tie two stories,
# when one of them is a person-like pair of words: words alone tie sidebars of a region.
MIN_SHARED_NAMES = 2
# A report weeks or months later (an arrest, a charge, a trial) ties to the first by as many
# independent names, a person-like pair among them: a surname shared beside the pair it
# belongs to ('tyrell quarles', 'quarles') is the same person again, and one person, a
# reporter or a police spokesman of the city, recurs in its other incidents' reports.
MIN_INDEPENDENT_NAMES = 2
# Rare words with no person-like pair among them (a first name, a street, a hospital, a
# town) tie two stories when there are this many of them, published within NAME_TIE_DAYS
# days of each other: two may be a region's sidebar, three are one incident's. A report
# months later (the trial) ties by one more.
MIN_NAMES_WITHOUT_PERSON = 3
MIN_NAMES_WITHOUT_PERSON_LATER = 4
# Two stories reporting an incident on one day or the next are tied by one rare name, or by as
# many names as this found in up to this many documents (a neighbourhood and a venue of the city).
MIN_DAY_NAMES = 2
MAX_DAY_NAME_DOCUMENTS = 10

_WORD = re.compile(r"[A-Z][a-z]+(?:['’-][A-Za-z][a-z]+)*")
# A capitalised word preceded by one of these (after spaces) opens a sentence or a quote.
_OPENERS = frozenset(".!?:;\"“”‘'—–-([")
# The titles of officials, who speak for a city in report after report of its incidents
# (a police chief, a prosecutor, a station's reporter): a person named with one ties no two
# incidents' reports.
_OFFICIALS_TITLES = frozenset(
    """
    police officer officers sheriff deputy deputies chief mayor detective sergeant lieutenant captain
    sgt lt capt gov sen rep president governor judge attorney spokesman spokeswoman spokesperson
    prosecutor coroner commissioner superintendent reporter correspondent
    """.split()
)
# Capitalised for grammar, not as a name of one incident; the last words of street names
# ('Delmont Drive' is a street, not a person).
_NOT_NAMES = _OFFICIALS_TITLES | frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    mr mrs ms dr jr sr st mt ft
    district county city state department office news press associated copyright all rights reserved
    """.split()
)
# The kinds of street, each with the words that end a street's name of its kind ('Division St.'
# is 'Division Street', 'Oak and Elm Streets' two streets): a street is keyed by its name and
# kind ('division-street').
_STREET_WORDS = {
    "street": ("street", "st"), "avenue": ("avenue", "ave"), "road": ("road", "rd"), "drive": ("drive", "dr"),
    "boulevard": ("boulevard", "blvd"), "lane": ("lane", "ln"), "court": ("court", "ct"), "parkway": ("parkway", "pkwy"),
    "highway": ("highway", "hwy"), "circle": ("circle",), "terrace": ("terrace",), "trail": ("trail",), "place": ("place", "pl"),
}
STREET_KINDS = tuple(_STREET_WORDS)
# A county or parish ('Rankin County') is keyed as a street is ('rankin-county'): the reports
# of an incident out of town name its county where a city's name the street, and the county's
# bare word is a surname or a town of other states ('Perry', 'Rankin').
_COUNTY_WORDS = {"county": ("county", "counties"), "parish": ("parish", "parishes")}
COUNTY_KINDS = tuple(_COUNTY_WORDS)
_STREET_KIND_OF_WORD = {
    word: kind for kind, words in (_STREET_WORDS | _COUNTY_WORDS).items() for word in (*words, f"{kind}s")
}
_NOT_NAMES |= frozenset(_STREET_KIND_OF_WORD)
_STREET_AFTER = re.compile(r"[ \t]+(" + "|".join(_STREET_KIND_OF_WORD) + r")\b\.?", re.IGNORECASE)
# Two streets of one kind named together: 'Pennsylvania & California Avenues'.
_STREETS_AFTER = re.compile(
    r"[ \t]+(?:&|and)[ \t]+(?-i:[A-Z][a-z]+)[ \t]+(" + "|".join(f"{kind}s" for kind in _STREET_WORDS) + r")\b", re.IGNORECASE
)
# Capitalised in the names of seas, rivers, forces, ministries and regions, not of people.
_COMMON_NAME_WORDS = frozenset(
    """
    north south east west northern southern eastern western central northeast northwest southeast southwest
    black red white sea ocean river lake gulf bay island islands mountain mountains valley desert coast
    market square park bridge airport station hospital school university church mosque
    forces force army navy brigade battalion regiment militia guard guards ministry government council
    province region oblast district county state republic kingdom union network agency service services
    support rapid islamic national international united federal general
    center centers disease control prevention health metro enforcement customs forensic sciences crime solvers
    """.split()
)
# A person-like name: exactly two capitalised words ('Tyrell Quarles') once titles before them
# and a generation after them ('Jr.') are dropped.
_GENERATIONS = frozenset({"jr", "sr"})
_RUN = re.compile(r"[A-Z][a-z]+(?:['’-][A-Za-z][a-z]+)*(?:[ \t]+[A-Z][a-z]+(?:['’-][A-Za-z][a-z]+)*)*")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?:['’-][a-z]+)*")
# A line is headline-like when at least this share of its words is capitalised.
_TITLE_CASE_SHARE = 0.6


def story_names(text: str, places: Gazetteer | None = None) -> list[str]:
    """The story's distinct name keys, sorted: lower-cased capitalised words, and each
    person-like pair of them ('tyrell quarles': two capitalised words, neither a place, title
    or common word once titles before them are dropped) as one key with a space. An
    official's names ('Police Chief Ann Ruiz', then 'Ruiz said') are left out, and so are
    words the story also writes in lower case.

    A country, a first-level region or a city of MIN_POPULATION_FOR_A_REGION people names
    a region, not one incident, and is left out; a town or street is kept: one only this
    incident's reports name ties them as well as a victim's name, and a gazetteer could not
    tell a small town from a surname (Taylor, Bell and Morgan are towns)."""
    places = places or gazetteer()
    names: set[str] = set()
    officials: set[str] = set()
    for line in text.splitlines():
        words = line.split()
        if not words or sum(word[:1].isupper() for word in words) >= _TITLE_CASE_SHARE * len(words):
            continue
        for match in _WORD.finditer(line):
            if _opens_sentence(line, match.start()) or _inside_word(line, match.start()):
                continue
            key = match.group(0).lower()
            street = _STREET_AFTER.match(line, match.end())
            streets = _STREETS_AFTER.match(line, match.end())
            if street and street.group(1)[:1].isupper():
                # 'Harrison Street' is one street, where 'Harrison' is a city's many people and
                # places: a key of its own, hyphenated so that it is never read as a person's
                # pair (a story naming the street counts it once: NAME_TIES_SQL).
                names.add(f"{key}-{_STREET_KIND_OF_WORD[street.group(1).lower()]}")
            elif streets and streets.group(1)[:1].isupper():
                names.add(f"{key}-{streets.group(1).lower()[:-1]}")
            if len(key) > 2 and key not in _NOT_NAMES and key not in _COMMON_NAME_WORDS and key not in STOP_WORDS and not _names_a_region(key, places):
                names.add(key)
        for match in _RUN.finditer(line):
            if _inside_word(line, match.start()):
                continue
            run = [word.lower() for word in match.group(0).split()]
            titled = [index for index, word in enumerate(run) if word in _OFFICIALS_TITLES]
            if titled:
                official = run[titled[-1] + 1 :]
                officials.update(official)
                officials.add(" ".join(official))
            while run and (run[0] in _NOT_NAMES or run[0] in STOP_WORDS):
                run = run[1:]
            if run and run[-1] in _GENERATIONS:
                run = run[:-1]  # 'Tiris Coleman Jr.' is the pair 'tiris coleman'
            if len(run) == 2 and all(_person_word(word, places) for word in run):
                names.add(" ".join(run))
    # A word the story also writes in lower case is a common word, capitalised in a title or
    # an institution's name ('Gun Shop', 'Reckless Endangerment'); a pair of two such words is too.
    common = {word for word in _LOWER_WORD.findall(text)}
    return sorted(name for name in names - officials if not all(word in common for word in name.split()))


# A city this populous is a region's name (Moscow, Kyiv): many incidents happen there.
MIN_POPULATION_FOR_A_REGION = 100_000


def _names_a_region(key: str, places: Gazetteer) -> bool:
    if places.country_of_name(key) or places.regions_named(key):
        return True
    city = places.city(key, primary_only=True)
    return city is not None and city.population >= MIN_POPULATION_FOR_A_REGION


def _person_word(word: str, places: Gazetteer) -> bool:
    return (
        len(word) > 1
        and word not in _NOT_NAMES
        and word not in _COMMON_NAME_WORDS
        and word not in STOP_WORDS
        # A city's name is often a person's ('Ann', 'Jackson'): only a country or region is not.
        and not (places.country_of_name(word) or places.regions_named(word))
    )


def _opens_sentence(line: str, start: int) -> bool:
    before = line[:start].rstrip()
    return not before or before[-1] in _OPENERS


def _inside_word(line: str, start: int) -> bool:
    return start > 0 and (line[start - 1].isalnum() or line[start - 1] in "'’")
