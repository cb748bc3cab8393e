"""The `casualty_lexicon` component and the per-doc index of what it marked.

`casualty_lexicon` marks every lexicon word or phrase (triggers, victim groups, qualifiers,
attack kinds, parties...) as spans in `doc.spans["casualty_lexicon"]`. It needs only the
tokenizer, so it also serves the cheap prefilter on text that is never parsed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.training import Example
from spacy.util import ensure_path

from casualties.extract.lexicon import (
    LEXICON_FILES,
    PATTERNS_DIR,
    AttackWord,
    Lexicon,
    NamedParty,
    Nation,
    QualifierPhrase,
    Trigger,
    VagueAmount,
    WeaponWord,
    load_lexicon,
)

LEXICON_SPANS = "casualty_lexicon"


def _with_curly_apostrophes(forms: Iterable[str]) -> list[str]:
    expanded: list[str] = []
    for form in forms:
        expanded.append(form)
        if "'" in form:
            expanded.append(form.replace("'", "’"))
    return expanded


class CasualtyLexicon:
    """Marks lexicon words; safe to run twice (the prefilter already ran it on unparsed docs).

    Its setting (the token attribute the matcher compares) comes from the pipeline config;
    its data, the lexicon's pattern files, from `initialize` (a folder, by default the
    package's) or, in a saved pipeline, from the pipe's own folder. It is empty until then."""

    def __init__(self, nlp: Language, name: str, phrase_matcher_attr: str) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.make_doc = nlp.make_doc
        self.phrase_matcher_attr = phrase_matcher_attr
        self.matcher = PhraseMatcher(nlp.vocab, attr=phrase_matcher_attr)
        self.patterns: Path | None = None
        self._lexicon: Lexicon | None = None

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            raise ValueError(f"the {self.name} pipe has no lexicon: initialize the pipeline or load a saved one")
        return self._lexicon

    def __call__(self, doc: Doc) -> Doc:
        if LEXICON_SPANS not in doc.spans:
            doc.spans[LEXICON_SPANS] = [
                Span(doc, start, end, label=label) for label, start, end in self.matcher(doc, as_spans=False)
            ]
        return doc

    def initialize(self, get_examples: Callable[[], Iterable[Example]] | None = None, *, nlp: Language | None = None, patterns: str = "") -> None:
        """Read the lexicon from the folder `patterns` ('': the package's pattern files)."""
        self.read_patterns(Path(patterns) if patterns else PATTERNS_DIR)

    def read_patterns(self, folder: Path) -> None:
        self._lexicon = load_lexicon(folder)
        self.patterns = folder
        self.matcher = PhraseMatcher(self.vocab, attr=self.phrase_matcher_attr)
        for label, forms in self._lexicon.phrases().items():
            self.matcher.add(label, [self.make_doc(form) for form in _with_curly_apostrophes(forms)])

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """The pattern files the lexicon was read from, copied into the pipe's folder."""
        if self.patterns is None:
            raise ValueError(f"the {self.name} pipe has no lexicon to save")
        folder = ensure_path(path)
        folder.mkdir(parents=True, exist_ok=True)
        for name in LEXICON_FILES:
            shutil.copyfile(self.patterns / name, folder / name)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CasualtyLexicon:
        self.read_patterns(ensure_path(path))
        return self


@Language.factory("casualty_lexicon", default_config={"phrase_matcher_attr": "LOWER"})
def make_casualty_lexicon(nlp: Language, name: str, phrase_matcher_attr: str) -> CasualtyLexicon:
    return CasualtyLexicon(nlp, name, phrase_matcher_attr)


def _names_agent(verb: Token, agents: frozenset[str]) -> bool:
    """'was struck by gunfire', 'hit in the leg by a stray bullet': the verb's agent is one of these."""
    return any(
        child.dep_ == "agent" and any(noun.dep_ == "pobj" and noun.lower_ in agents for noun in child.children)
        for child in verb.children
    )


class LexiconIndex:
    """Per-doc lookups from token position to the lexicon entries found there."""

    def __init__(self, doc: Doc, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.triggers: dict[int, Trigger] = {}
        self.group_ends: dict[int, str] = {}  # last token of 'security forces' -> its group
        self.qualifier_before: dict[int, tuple[int, QualifierPhrase]] = {}
        self.vague_spans: dict[int, tuple[int, VagueAmount]] = {}
        self.attacks: dict[int, AttackWord] = {}
        self.weapons: list[tuple[int, int, WeaponWord]] = []
        self.nations: list[tuple[int, int, Nation]] = []
        self.bodies: list[tuple[int, int, str]] = []
        self.parties: list[tuple[int, int, NamedParty]] = []
        tables: dict[str, dict[str, Any]] = {
            "TRIGGER": lexicon.triggers,
            "GROUP": lexicon.group_phrases,
            "QUALIFIER": lexicon.qualifiers,
            "VAGUE": lexicon.vague_amounts,
            "ATTACK": lexicon.attacks,
            "WEAPON": lexicon.weapons,
            "NATION": lexicon.nations,
            "BODY": lexicon.party_bodies,
            "PARTY": lexicon.named_parties,
        }
        for span in doc.spans.get(LEXICON_SPANS, ()):
            label = span.label_
            entry = tables[label].get(span.text.lower().replace("’", "'"))
            if entry is None:
                continue  # a casing the lexicon never wrote (the matcher compares lower-cased tokens)
            if label == "TRIGGER":
                if entry.capitals_only and not span.text.isupper():
                    continue
                if entry.requires_agent and not _names_agent(doc[span.start], entry.requires_agent):
                    continue  # 'a boy was struck by a car', 'shells struck a camp': no casualty word here
                self.triggers[span.start] = entry
            elif label == "GROUP":
                self.group_ends[span.end - 1] = entry
            elif label == "QUALIFIER":
                previous = self.qualifier_before.get(span.end)
                if previous is None or previous[0] > span.start:
                    self.qualifier_before[span.end] = (span.start, entry)
            elif label == "VAGUE":
                previous_vague = self.vague_spans.get(span.start)
                if previous_vague is None or previous_vague[0] < span.end:
                    self.vague_spans[span.start] = (span.end, entry)
            elif label == "ATTACK":
                self.attacks[span.end - 1] = entry
            elif label == "WEAPON":
                self.weapons.append((span.start, span.end, entry))
            elif label == "NATION":
                self.nations.append((span.start, span.end, entry))
            elif label == "BODY":
                self.bodies.append((span.start, span.end, entry))
            else:
                self.parties.append((span.start, span.end, entry))

    def group_of(self, token: Token) -> str | None:
        """The victim group a noun names; None for generic words ('people') and other nouns."""
        return self.group_ends.get(token.i) or self.lexicon.group_words.get(token.lower_)

    def names_people(self, token: Token) -> bool:
        return token.i in self.group_ends or token.lower_ in self.lexicon.group_words

    def nation_at(self, token: Token) -> Nation | None:
        for start, end, nation in self.nations:
            if start <= token.i < end:
                return nation
        return None
