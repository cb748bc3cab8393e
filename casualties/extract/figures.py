"""The `casualty_figures` component: the casualty figures of a parsed Doc.

It links each number to the word that makes it a casualty figure through the dependency
parse ('killed at least 14 people', 'left 34 people dead and 121 injured', 'the death toll
rose to at least 544', '496 of the dead were protesters') and stores the figures in
`doc._.casualty_figures` as plain dicts (they travel between processes as msgpack).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from casualties.dates import find_date_mentions
from casualties.extract.lexicon import Lexicon, QualifierPhrase, VagueAmount
from casualties.extract.lexicon_pipe import CasualtyLexicon, LexiconIndex
from casualties.extract.numbers import make_quantity, parse_number

FIGURES_ATTR = "casualty_figures"

_DIGIT_TOKEN = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
_YEAR_TOKEN = re.compile(r"^(?:1[89]|20)\d\d$")
_SUBJECT_OR_OBJECT = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "appos", "npadvmod", "pobj"})
_COMPLEMENT_DEPS = frozenset({"xcomp", "acomp", "oprd", "ccomp", "advcl", "attr", "dobj", "conj"})
_MODIFIER_DEPS = frozenset({"amod", "acl", "relcl", "appos", "compound"})
_CURRENCY_SYMBOLS = frozenset({"$", "€", "£", "¥", "₴", "₽"})
# What an active verb has and a headline's passive lacks: an object, an auxiliary or a reported clause.
_ACTIVE_VERB_DEPS = frozenset({"dobj", "dative", "aux", "auxpass", "ccomp"})
_SENTENCE_STOPS = frozenset({".", "!", "?"})
_CLOSING_MARKS = frozenset({'"', "'", "”", "’", ")", "]", "»"})
_CLAUSE_BREAKS = frozenset({",", ";", ":"})
# The longest aside between commas that may stand between counted people and their verb
# (the default of the pipe's `aside_tokens` setting).
ASIDE_TOKENS = 16
# Casualty types whose words may count one victim with no number ('a man was killed').
SINGLE_VICTIM_TYPES = frozenset({"killed", "injured"})
# The fewest people a plural with no number counts ('Civilians killed in shelling').
MIN_PLURAL = 2
# The words before a noun that belong to its phrase ('a 20-year-old local man').
_NOUN_PHRASE_DEPS = frozenset({"det", "amod", "compound", "poss", "nmod", "npadvmod", "punct", "quantmod", "case"})

if not Doc.has_extension(FIGURES_ATTR):
    Doc.set_extension(FIGURES_ATTR, default=None)


@dataclass(frozen=True)
class Figure:
    casualty_type: str
    victim_group: str | None
    value: int | None
    qualifier: str
    value_low: int | None
    value_high: int | None
    value_start: int  # token span of the figure's words, qualifier included
    value_end: int
    number_i: int  # root token of the number
    anchor_i: int  # the counted noun, or the number itself when it stands alone ('the 32 wounded')
    trigger_i: int  # the word that makes it a casualty ('killed', 'dead', 'toll')
    named_victims: bool = False  # counts victims named one by one ('a man', 'her and three others'), no stated toll
    all_shot: bool = False  # counts everyone shot ('four people were shot'), the dead among them included


def doc_figures(doc: Doc) -> list[Figure]:
    return [Figure(**data) for data in doc._.get(FIGURES_ATTR) or ()]


@dataclass(frozen=True)
class NumberSpan:
    start: int  # first token of the qualifier, or of the number
    number_start: int
    end: int
    amount: int | VagueAmount
    qualifier: QualifierPhrase | None
    increment: bool = False  # 'three more', 'another 14': added to a count, or a count of others


def is_headline(token: Token) -> bool:
    """The token's sentence ends without a stop (spaces, closing quotes and brackets after the stop aside)."""
    sentence = token.sent
    last = next((word for word in reversed(sentence) if not (word.is_space or word.text in _CLOSING_MARKS)), sentence[-1])
    return last.text not in _SENTENCE_STOPS


def word_after_number(doc: Doc, end: int) -> Token | None:
    """The word after a number ending before token `end`, past a hyphen ('30-day', '86-year-old')."""
    following = doc[end] if end < len(doc) else None
    if following is not None and following.text in ("-", "–") and end + 1 < len(doc):
        return doc[end + 1]
    return following


class FigureFinder:
    """Finds the numbers of a parsed doc and keeps those a casualty word governs.

    Its settings come from the pipeline config; its words are those of the lexicon pipe
    named by `lexicon_pipe`, read as each doc comes (that pipe holds and saves the data)."""

    lexicon: Lexicon

    def __init__(self, nlp: Language, name: str, lexicon_pipe: str, aside_tokens: int) -> None:
        self.name = name
        self.nlp = nlp
        self.lexicon_pipe = lexicon_pipe
        self.aside_tokens = aside_tokens

    def role(self, name: str) -> frozenset[str]:
        return self.lexicon.role(name)

    def __call__(self, doc: Doc) -> Doc:
        pipe: CasualtyLexicon = self.nlp.get_pipe(self.lexicon_pipe)
        self.lexicon = pipe.lexicon
        index = LexiconIndex(doc, self.lexicon)
        figures = self.find(doc, index)
        doc._.set(FIGURES_ATTR, [asdict(figure) for figure in figures])
        return doc

    # -- numbers -------------------------------------------------------------------------

    def number_spans(self, doc: Doc, index: LexiconIndex) -> list[NumberSpan]:
        date_chars = [(mention.start, mention.end) for mention in find_date_mentions(doc.text)]
        spans: list[NumberSpan] = []
        position = 0
        while position < len(doc):
            end = self._number_end(doc, index, position)
            if end == position:
                position += 1
                continue
            start = position
            amount = parse_number(" ".join(token.text for token in doc[start:end]), self.lexicon)
            if start in index.vague_spans:
                amount = index.vague_spans[start][1]
            position = end
            if amount is None or self._is_not_a_count(doc, index, start, end, date_chars):
                continue
            qualifier_start, qualifier = index.qualifier_before.get(start, (start, None))
            if qualifier is not None and doc[qualifier_start].dep_ == "prep":
                qualifier_start, qualifier = start, None  # 'information about two children'
            increment = (end < len(doc) and doc[end].lower_ in self.role("increment_after")) or (
                qualifier is None and start > 0 and doc[start - 1].lower_ in self.role("increment_before")
            )
            spans.append(NumberSpan(qualifier_start, start, end, amount, qualifier, increment))
        return spans

    @staticmethod
    def _is_code_part(doc: Doc, start: int, end: int) -> bool:
        """Digits chained to more digits by hyphens with no space, three parts or more
        ('39-13-202') or long parts ('555-0142'): a code, not a count. Two short parts are a
        range ('3-4 people')."""
        def joined(hyphen: int) -> bool:
            return (
                0 < hyphen < len(doc) - 1
                and doc[hyphen].text in ("-", "–")
                and not doc[hyphen - 1].whitespace_
                and not doc[hyphen].whitespace_
                and doc[hyphen - 1].is_digit
                and doc[hyphen + 1].is_digit
            )

        if end - start != 1 or not doc[start].is_digit:
            return False
        first, last = start, start
        while joined(first - 1):
            first -= 2
        while joined(last + 1):
            last += 2
        parts = [doc[position].text for position in range(first, last + 1, 2)]
        return len(parts) >= 3 or (len(parts) == 2 and min(len(part) for part in parts) >= 3)

    def _is_number_word(self, token: Token) -> bool:
        lower = token.lower_
        return (
            bool(_DIGIT_TOKEN.match(lower)) or lower in self.lexicon.unit_values or lower in self.lexicon.scale_values
        )

    def _starts_other_number(self, previous: Token, current: Token) -> bool:
        """Digits then a number word ('Image 14 of 20 Two men were shot'): two numbers side
        by side, not one; 'a 2 million' style scales still join the digits before them."""
        return bool(_DIGIT_TOKEN.match(previous.text)) and current.lower_ in self.lexicon.unit_values

    def _number_end(self, doc: Doc, index: LexiconIndex, start: int) -> int:
        if start in index.vague_spans:
            return index.vague_spans[start][0]
        end = start
        if doc[start].lower_ in ("a", "an") and start + 1 < len(doc):
            following = doc[start + 1].lower_
            if following in self.lexicon.multipliers or following in self.lexicon.scale_values:
                end = start + 1  # 'a dozen', 'a hundred'
        while end < len(doc):
            current = doc[end]
            if self._is_number_word(current) and not (end > start and self._starts_other_number(doc[end - 1], current)):
                end += 1
            elif (
                current.text in ("-", "and")
                and end > start
                and end + 1 < len(doc)
                and self._is_number_word(doc[end + 1])
                and not _DIGIT_TOKEN.match(doc[end + 1].text)
                and not _DIGIT_TOKEN.match(doc[end - 1].text)
            ):
                end += 1
            else:
                break
        return end

    def _is_not_a_count(
        self, doc: Doc, index: LexiconIndex, start: int, end: int, date_chars: list[tuple[int, int]]
    ) -> bool:
        first = doc[start]
        if any(char_start <= first.idx < char_end for char_start, char_end in date_chars):
            return True
        if end + 1 < len(doc) and doc[end].lower_ in self.role("increment_after") and doc[end + 1].lower_ == "than":
            return True  # 'three more than first reported': a difference, not a count
        following = word_after_number(doc, end)
        if following is not None and self.lexicon.measures_something_else(following.lower_):
            return True
        if start > 0 and doc[start - 1].text in _CURRENCY_SYMBOLS:
            return True
        if start > 1 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha:
            return True  # an identifier such as 'Kh-101'
        before = start - 1
        while before >= 0 and (doc[before].like_num or doc[before].lower_ in ("and", "between", "from", "to", "-", "–", ",")):
            before -= 1
        if before >= 0 and doc[before].lower_ in self.role("age_before"):
            return True  # 'two boys, ages 11 and 16', 'aged between 20 and 30': ages, not counts
        if self._is_code_part(doc, start, end):
            return True  # a statute, case or phone number: '39-13-202', '555-0142'
        if self._is_gallery_counter(doc, start, end):
            return True
        if first.lower_ == "one" and start > 0 and doc[start - 1].lower_ in self.role("one_as_pronoun_after"):
            return True  # 'killed no one', 'the one that hit'
        if self._is_age_after_name(doc, index, start, end):
            return True
        is_year = end - start == 1 and _YEAR_TOKEN.match(first.text)
        # '2014 killed' and '2014 deaths' count; 'the 2014 killing spree' names a year.
        counts_with = following is not None and (
            index.names_people(following) or (following.i in index.triggers and following.tag_ != "NN")
        )
        return bool(is_year) and not counts_with

    def _is_gallery_counter(self, doc: Doc, start: int, end: int) -> bool:
        """A photo gallery's place-keeping a page carries into its text: 'Image 14 of 20',
        '1 / 20 Back to Gallery'. Neither number counts people."""
        if end - start != 1 or not doc[start].is_digit:
            return False

        def is_digit_at(position: int) -> bool:
            return 0 <= position < len(doc) and doc[position].is_digit

        def slash_at(position: int) -> bool:
            return 0 <= position < len(doc) and doc[position].text == "/"

        if (slash_at(start - 1) and is_digit_at(start - 2)) or (slash_at(end) and is_digit_at(end + 1)):
            return True  # '1 / 20', and the digits of '24/7' or '3/4' are no count either
        gallery = self.role("gallery_item")
        if start > 0 and doc[start - 1].lower_ in gallery and end + 1 < len(doc) and doc[end].lower_ == "of":
            return True  # 'Image 14 of 20'
        return start > 2 and doc[start - 1].lower_ == "of" and is_digit_at(start - 2) and doc[start - 3].lower_ in gallery

    def _is_age_after_name(self, doc: Doc, index: LexiconIndex, start: int, end: int) -> bool:
        """'Ann Vell, 34, and Bo Rask, 27, were killed', 'Jim Dorn, 45 of Oakdale, died', and in
        headlines 'Boy, 14, dies after ...': a bare number set off by a comma after a name or a
        word for a person is the person's age."""
        if end - start != 1 or not doc[start].text.isdigit() or start < 2:
            return False
        person = doc[start - 2]
        if doc[start - 1].text != "," or not (person.pos_ == "PROPN" or index.names_people(person)):
            return False
        return end == len(doc) or doc[end].lower_ in self.role("after_age")

    # -- linking -------------------------------------------------------------------------

    def find(self, doc: Doc, index: LexiconIndex) -> list[Figure]:
        numbers = self.number_spans(doc, index)
        figures: list[Figure] = []
        pending: list[NumberSpan] = []
        for number in numbers:
            figure = self._link(doc, index, number)
            if figure is None:
                pending.append(number)
            else:
                figures.append(figure)
        # Groups named after a total ('including six children') and elliptical coordination
        # ('... and 48 were with security forces') take their type from a figure linked above.
        for number in pending:
            figure = self._link_to_neighbour(doc, index, number, figures)
            if figure is not None:
                figures.append(figure)
        figures = self._apply_breakdowns(doc, index, numbers, figures)
        figures = self._drop_increments(doc, numbers, figures)
        figures = self._with_listed_totals(doc, figures)
        figures += self._coordinated_totals(doc, index, figures)
        figures += self._single_victims(doc, index, figures)
        figures = self._survivors_of_shootings(doc, index, figures)
        figures = self._attackers_among_the_dead(doc, index, figures)
        figures.sort(key=lambda figure: figure.value_start)
        return self._once_per_sentence(doc, figures)

    @staticmethod
    def _once_per_sentence(doc: Doc, figures: list[Figure]) -> list[Figure]:
        """One figure, one row: a sentence restating its own count ('four guards were
        killed; the four guards ...') states it once."""
        seen: set[tuple[int, str, str | None, int | None, str]] = set()
        kept: list[Figure] = []
        for figure in figures:
            key = (doc[figure.number_i].sent.start, figure.casualty_type, figure.victim_group, figure.value, figure.qualifier)
            if key not in seen:
                seen.add(key)
                kept.append(figure)
        return kept

    # -- the attacker counted in a toll ------------------------------------------------

    def _attackers_among_the_dead(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
        """'Seven people died, including the gunman', 'five were killed, including two
        suspects': the toll counts the attackers, whom a total of victims leaves out (they
        are added back as their own group, as for 'before killing himself'). The count
        becomes the victims', and the attackers are the perpetrators' figure."""
        kept: list[Figure] = []
        added: list[Figure] = []
        for figure in figures:
            if not self._may_include_attackers(figure):
                kept.append(figure)
                continue
            toll = self._toll_tokens(doc, figure)
            counted = [
                other
                for other in figures
                if other.victim_group == "perpetrators"
                and other.casualty_type == figure.casualty_type
                and self._is_included_in(doc[other.anchor_i], toll)
            ]
            if not counted:
                attacker = self._included_attacker(doc, index, toll)
                if attacker is not None:
                    counted = [Figure(
                        casualty_type=figure.casualty_type,
                        victim_group="perpetrators",
                        value=1,
                        qualifier="exact",
                        value_low=1,
                        value_high=1,
                        value_start=attacker.left_edge.i,
                        value_end=attacker.i + 1,
                        number_i=attacker.i,
                        anchor_i=attacker.i,
                        trigger_i=figure.trigger_i,
                        named_victims=True,
                    )]
                    added += counted
            attackers = sum(other.value or 0 for other in counted)
            if attackers == 0 or attackers >= (figure.value_low or 0):
                kept.append(figure)
                continue
            kept.append(Figure(**{
                **asdict(figure),
                "value": None if figure.value is None else figure.value - attackers,
                "value_low": None if figure.value_low is None else figure.value_low - attackers,
                "value_high": None if figure.value_high is None else figure.value_high - attackers,
            }))
        return kept + added

    @staticmethod
    def _may_include_attackers(figure: Figure) -> bool:
        return (
            figure.casualty_type == "killed"
            and figure.victim_group is None
            and not figure.named_victims
            and (figure.value_low or 0) >= 2
        )

    @staticmethod
    def _toll_tokens(doc: Doc, figure: Figure) -> set[int]:
        """The words an 'including' may hang on: the number, its noun, the casualty word, and
        the verb a casualty adjective completes ('left four people dead, including ...')."""
        trigger = doc[figure.trigger_i]
        return {figure.anchor_i, figure.trigger_i, figure.number_i, trigger.head.i}

    def _is_included_in(self, token: Token, toll: set[int]) -> bool:
        including_head = self._including_head(token)
        return including_head is not None and including_head.i in toll

    def _included_attacker(self, doc: Doc, index: LexiconIndex, toll: set[int]) -> Token | None:
        """One attacker, named by a noun and no number, that a toll includes ('four dead,
        including the shooter')."""
        for token in doc[min(toll)].sent:
            if token.dep_ == "pobj" and index.group_of(token) == "perpetrators" and token.tag_ in ("NN", "NNP"):
                if self._is_included_in(token, toll):
                    return token
        return None

    # -- the wounded among those shot -------------------------------------------------

    def _survivors_of_shootings(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
        """'Five people were shot, two of whom died', 'four were shot, three fatally', 'he
        shot six people, killing a girl': a shooting's count holds the dead it goes on to
        name, so its wounded are the rest (none when all of them died)."""
        kept: list[Figure] = []
        for shot in figures:
            entry = index.triggers.get(shot.trigger_i)
            if shot.casualty_type != "injured" or entry is None or not entry.outcome_in_complement or shot.value is None:
                kept.append(shot)
                continue
            dead = sum(
                figure.value or 0
                for figure in figures
                if figure.casualty_type == "killed" and figure.value_start > shot.value_start
                and self._is_part_of_shooting(doc, figure, shot)
            )
            if dead == 0 and self._counts_others(doc[shot.anchor_i]):
                kept.append(shot)  # 'A boy was killed and six others shot': the six are the wounded
            elif dead == 0:
                # The sentence names no deaths among them: whoever died is still in the count.
                kept.append(Figure(**{**asdict(shot), "all_shot": True}))
            elif dead < shot.value:
                kept.append(Figure(**{
                    **asdict(shot),
                    "value": shot.value - dead,
                    "value_low": None if shot.value_low is None else max(shot.value_low - dead, 0),
                    "value_high": None if shot.value_high is None else shot.value_high - dead,
                }))
        return kept

    def _counts_others(self, anchor: Token) -> bool:
        """'three other people', 'six others': people besides those the story named."""
        others = self.role("other_people")
        return anchor.lower_ in others or any(child.lower_ in others for child in anchor.children)

    def _is_part_of_shooting(self, doc: Doc, dead: Figure, shot: Figure) -> bool:
        """Deaths counted among a shooting's victims: on its own verb ('three fatally'), out
        of them ('two of whom died') or in a clause of its verb with no subject of its own
        ('shot six people, killing a girl')."""
        if dead.trigger_i == shot.trigger_i or self._refers_back(doc[dead.number_i]):
            return True
        trigger = doc[dead.trigger_i]
        return (
            trigger.dep_ in ("advcl", "xcomp")
            and trigger.head.i == shot.trigger_i
            and not any(child.dep_ in ("nsubj", "nsubjpass") for child in trigger.children)
        )

    # -- one victim named without a number --------------------------------------------

    def _single_victims(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
        """'gunmen shot and killed a police officer', 'a man was killed', 'John Doe died',
        'he was shot dead': one person, counted 1, as the victim of a casualty word that no
        number in the sentence is counted by."""
        counted_triggers = {figure.trigger_i for figure in figures}
        counted_tokens = {token for figure in figures for token in range(figure.value_start, figure.value_end)}
        stated = {(doc[figure.number_i].sent.start, figure.casualty_type) for figure in figures}
        found: list[Figure] = []
        # Deaths first: 'a woman wounded in the shelling died' counts one death, no wound.
        ordered = sorted(index.triggers, key=lambda position: (index.triggers[position].casualty_type != "killed", position))
        for trigger_i in ordered:
            trigger, entry = doc[trigger_i], index.triggers[trigger_i]
            if trigger_i in counted_triggers or entry.overrides_head:
                continue
            if entry.casualty_type not in SINGLE_VICTIM_TYPES:
                continue
            if self._is_hypothetical(trigger) or any(child.dep_ == "neg" for child in trigger.children):
                continue
            if entry.verb_only and trigger.pos_ not in ("VERB", "AUX", "ADJ"):
                continue
            suffered = trigger.dep_ == "dobj" and trigger.head.lower_ in self.role("suffer_verb")
            if (entry.noun_only and not suffered) or entry.requires_prep or entry.requires_negation:
                continue
            if entry.kills_only_self:
                victim = self._attacker_killed_by_own_device(trigger)
            elif entry.maims_body_part:
                victim = self._owner_of_maimed_part(trigger)
            else:
                victim = self._single_victim_of(trigger, index)
            # 'Children shot' says nothing of how many of them died: only a word for the
            # outcome counts people in the plural.
            unnumbered = victim is None and not entry.kills_only_self and not entry.outcome_in_complement
            if unnumbered:
                victim = self._unnumbered_victims_of(trigger, index)
            if victim is None or victim.i in counted_tokens:
                continue
            casualty_type = self._casualty_type(trigger, index)
            # An attacker turning the weapon on himself is no victim of his own toll.
            by_own_hand = (
                victim.lower_ in self.role("reflexive_pronoun")
                or entry.kills_only_self
                or (casualty_type == "killed" and self._died_by_own_hand(trigger))
            )
            if (trigger.sent.start, casualty_type) in stated and not by_own_hand and not self._attacker_killed_by_others(trigger, victim, index):
                # 'the toll rose to four after a driver died': one more of a count the sentence states.
                counted_tokens.add(victim.i)
                continue
            start = min(
                [victim.i] + [child.i for child in victim.children if child.i < victim.i and child.dep_ in _NOUN_PHRASE_DEPS]
            )
            start = min([start] + [token.i for child in victim.children if child.i < victim.i and child.dep_ in _NOUN_PHRASE_DEPS for token in child.subtree])
            group = "perpetrators" if by_own_hand else index.group_of(victim)
            people = self._people_in(victim)
            figure = Figure(
                casualty_type=casualty_type,
                victim_group=group,
                # Victims named in the plural with no number are at least two, how many more unknown.
                value=None if unnumbered else people,
                qualifier="about" if unnumbered else "exact",
                value_low=MIN_PLURAL if unnumbered else people,
                value_high=None if unnumbered else people,
                value_start=max(start, victim.sent.start),
                value_end=victim.i + 1,
                number_i=victim.i,
                anchor_i=victim.i,
                trigger_i=trigger_i,
                named_victims=True,
            )
            found.append(figure)
            counted_triggers.add(trigger_i)
            counted_tokens.update(range(figure.value_start, figure.value_end))
        return found

    @staticmethod
    def _attacker_killed_by_others(trigger: Token, victim: Token, index: LexiconIndex) -> bool:
        """'Two guards were shot before officers killed the gunman': the attacker, killed by
        someone the clause names, is no more of the victims' count."""
        if index.group_of(victim) != "perpetrators":
            return False
        return any(
            (child.dep_ == "nsubj" and child != victim) or child.dep_ == "agent" for child in trigger.children
        )

    def _died_by_own_hand(self, trigger: Token) -> bool:
        """'died of a self-inflicted gunshot wound', 'was found dead of a self-inflicted wound':
        the one who died turned the weapon on himself, an attacker as the databases count him."""
        clause = trigger.head if trigger.dep_ in ("acomp", "oprd", "xcomp") else trigger
        words = list(clause.subtree)
        return any(
            word.lower_ in self.role("own_hand_modifier") and position >= 2 and words[position - 1].text == "-" and words[position - 2].lower_ == "self"
            for position, word in enumerate(words)
        )

    def _unnumbered_victims_of(self, trigger: Token, index: LexiconIndex) -> Token | None:
        """A headline's victims in the plural with no number: 'Civilians killed as fighting
        flares', 'Rockets killing soldiers'. In running text such a plural is mostly generic
        ('soldiers killed in the war') or names people a count elsewhere states."""
        if not is_headline(trigger):
            return None
        for victim, _ in self._victim_arguments(trigger, index):
            if self._is_unnumbered_plural(victim, index):
                return victim
        return None

    def _is_unnumbered_plural(self, token: Token, index: LexiconIndex) -> bool:
        lower = token.lower_
        plural = token.tag_ in ("NNS", "NNPS") or (token.tag_ == "NN" and lower.endswith("men"))
        if not plural or not index.names_people(token) or lower in self.role("collective_noun"):
            return False
        # 'no soldiers', 'the civilians', 'two of the guards': a determiner or a number says how many or which.
        return not any(child.dep_ in ("det", "nummod", "quantmod", "poss", "prep", "conj") or child.like_num for child in token.children)

    def _attacker_killed_by_own_device(self, trigger: Token) -> Token | None:
        """'a bomber blew himself up' (the reflexive object), 'a suicide bomber detonated his
        vest' (one suicide attacker setting off a device of his own): the attacker died."""
        objects = [child for child in trigger.children if child.dep_ == "dobj"]
        for thing in objects:
            if thing.lower_ in self.role("reflexive_pronoun"):
                return thing
        own_device = any(
            child.dep_ == "poss" and child.lower_ in self.role("own_possessive") for thing in objects for child in thing.children
        )
        if not own_device:
            return None
        # The parse may give the verb a second subject out of the lead ('in Tikrit, Salah ad Din, Iraq, a bomber').
        return next(
            (
                subject
                for subject in trigger.children
                if subject.dep_ == "nsubj" and subject.tag_ == "NN"
                and any(child.lower_ in self.role("suicide_modifier") for child in subject.children)
            ),
            None,
        )

    def _owner_of_maimed_part(self, trigger: Token) -> Token | None:
        """'cut off the hand of a thief', 'chopped off his ear', 'his leg was broken', 'cut a
        hand off of a boy': the one person whose body part the verb names."""
        parts = [child for child in trigger.children if child.dep_ in ("dobj", "nsubjpass") and child.lower_ in self.role("body_part")]
        if not parts:
            return None
        owners = [child for part in parts for child in part.children if child.dep_ == "poss"]
        for holder in (*parts, trigger):
            # 'the hand of a thief'; 'off of a boy' hangs 'of' on 'off' or on the verb.
            preps = [child for child in holder.children if child.dep_ in ("prep", "prt")]
            preps += [grandchild for prep in preps for grandchild in prep.children if grandchild.dep_ == "prep"]
            owners += [word for prep in preps if prep.lower_ in ("of", "from") for word in prep.children if word.dep_ == "pobj"]
        owner = owners[0] if owners else None
        if owner is None or any(child.dep_ == "nummod" for child in owner.children) or owner.tag_ in ("NNS", "NNPS"):
            return None  # several owners: their number is not the verb's to state
        return owner

    def _single_victim_of(self, trigger: Token, index: LexiconIndex) -> Token | None:
        """The one person a casualty word's clause names as its victim, if it names one."""
        # Whatever a killing or wounding verb's object or passive subject is, it is a victim
        # ('the head of the council was killed'); other roles need a word for a person, and so
        # does the passive of a verb of shooting or stabbing, said of cars and doors as well.
        passive_any_noun = not index.triggers[trigger.i].outcome_in_complement
        for victim, role in self._victim_arguments(trigger, index):
            if self._is_one_person(victim, index, any_noun=role == "dobj" or (role == "nsubjpass" and passive_any_noun)):
                return victim
        return None

    def _victim_arguments(self, trigger: Token, index: LexiconIndex) -> list[tuple[Token, str]]:
        """The words a casualty word's clause may name its victims by, objects first."""
        candidates: list[tuple[Token, str]] = []
        for verb in (trigger, trigger.head) if trigger.dep_ == "conj" else (trigger,):
            # 'shot and killed a man', 'a man was shot and killed': conjoined verbs share arguments;
            # an object only with another casualty word ('entered a house and shot ...').
            shares_object = verb is trigger or verb.i in index.triggers
            candidates += [
                (child, child.dep_)
                for child in verb.children
                if child.dep_ in ("nsubjpass", "nsubj") or (child.dep_ == "dobj" and shares_object)
            ]
        if trigger.pos_ == "VERB":
            # 'Civilian dies in town': a bare subject the parse read as the verb's adjective.
            candidates += [(child, "nsubj") for child in trigger.children if child.dep_ == "amod" and child.i < trigger.i]
        if trigger.dep_ == "acl" and trigger.head.i != trigger.i:
            candidates.append((trigger.head, "modifier"))  # 'a man killed in the attack'
        # A headline names its incident's victim by a casualty word on the noun: in running
        # text 'the dead man' or 'her death' mostly refers back to a victim already counted.
        in_headline = is_headline(trigger)
        if in_headline and trigger.dep_ in ("amod", "advmod") and trigger.pos_ == "ADJ" and trigger.head.pos_ == "NOUN":
            candidates.append((trigger.head, "modifier"))  # 'Dead man found in park', 'Guard dead after blast'
        if in_headline and trigger.pos_ == "NOUN" and trigger.tag_ == "NN":
            # 'Army reports death of guard', 'Outcry over reporter's killing': one death and whose it was.
            candidates += [(child, "modifier") for child in trigger.children if child.dep_ == "poss"]
            candidates += [
                (grandchild, "modifier")
                for child in trigger.children
                if child.dep_ == "prep" and child.lower_ == "of"
                for grandchild in child.children
                if grandchild.dep_ == "pobj"
            ]
        if trigger.dep_ == "dobj" and trigger.pos_ == "NOUN" and trigger.head.lower_ in self.role("suffer_verb"):
            # 'his friend sustained injuries', 'she suffered fatal wounds'
            candidates += [(child, "sufferer") for child in trigger.head.children if child.dep_ == "nsubj"]
        if trigger.dep_ in ("acomp", "oprd", "xcomp", "advmod") and trigger.head.i != trigger.i:
            # 'a man is dead', 'he was pronounced dead', 'found him dead'
            holder = trigger.head
            if holder.dep_ == "conj" and not any(child.dep_ in ("nsubj", "nsubjpass", "dobj") for child in holder.children):
                holder = holder.head  # 'the man suffered wounds and was pronounced dead'
            candidates += [(child, "state") for child in holder.children if child.dep_ in ("nsubj", "nsubjpass", "dobj")]
        if trigger.dep_ == "amod" and trigger.head.i < trigger.i:
            candidates.append((trigger.head, "state"))  # 'left a man dead', the adjective read as the man's
        # The object before the subject: in 'the shooting left a teen dead' the teen is the victim.
        candidates.sort(key=lambda candidate: candidate[1] not in ("dobj", "nsubjpass"))
        entry = index.triggers[trigger.i]
        arguments: list[tuple[Token, str]] = []
        for victim, role in candidates:
            reduced_passive = self._is_reduced_passive(trigger)  # 'Two soldiers killed in shelling'
            if role == "nsubj" and ((entry.transitive and not reduced_passive) or not self._valid_trigger(trigger, index, role="nsubj")):
                continue  # the subject of an active 'killed' is the killer
            if role == "dobj" and not (entry.transitive and trigger.tag_ != "VBN"):
                continue
            arguments.append((victim, role))
        return arguments

    # -- victims listed together ---------------------------------------------------------

    def _with_listed_totals(self, doc: Doc, figures: list[Figure]) -> list[Figure]:
        """'The blast killed three women, four children and two men': counts listed one after
        another under one casualty word add up to the total the sentence does not state; a
        generic count inside the list ('two men') is a part of it, not a total. A list that
        breaks down a count ('including five children and two women') adds up to nothing new."""
        by_trigger: dict[tuple[int, str], list[Figure]] = {}
        for figure in figures:
            by_trigger.setdefault((figure.trigger_i, figure.casualty_type), []).append(figure)
        parts: set[int] = set()
        totals: list[Figure] = []
        for (trigger_i, casualty_type), linked in by_trigger.items():
            linked.sort(key=lambda figure: figure.value_start)
            runs: list[list[Figure]] = [[linked[0]]]
            for figure in linked[1:]:
                between = doc[runs[-1][-1].value_end : figure.value_start]
                if all(token.lower_ in (",", "and") for token in between):
                    runs[-1].append(figure)
                else:
                    runs.append([figure])
            for run in runs:
                if len(run) < 2 or any(figure.qualifier != "exact" or figure.value is None for figure in run):
                    continue
                if any(figure.anchor_i == figure.number_i for figure in run):
                    continue  # a bare number ('4 Women Shot, 2 Dead') may count the same people again
                first = doc[run[0].value_start]
                if first.i > 0 and doc[first.i - 1].lower_ in self.role("including"):
                    continue
                total = sum(figure.value or 0 for figure in run)
                sentence = first.sent
                if any(
                    other.casualty_type == casualty_type and other not in run and (other.value or 0) >= total
                    and sentence.start <= other.number_i < sentence.end
                    for other in figures
                ):
                    continue
                parts.update(id(figure) for figure in run if figure.victim_group is None)
                totals.append(
                    Figure(casualty_type, None, total, "exact", total, total, run[0].value_start, run[-1].value_end,
                           run[0].number_i, run[0].anchor_i, trigger_i)
                )
        return [figure for figure in figures if id(figure) not in parts] + totals

    def _coordinated_totals(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
        """'Five policemen and a guard were killed', 'killed her and three other people',
        'Woman, 2 children dead': victims listed together under one casualty word add up to
        a total the sentence does not state."""
        totals: list[Figure] = []
        stated_totals = {
            (doc[figure.number_i].sent.start, figure.casualty_type): figure.value or 0
            for figure in figures
            if figure.victim_group is None
        }
        for trigger_i in sorted(index.triggers):
            entry = index.triggers[trigger_i]
            trigger = doc[trigger_i]
            if entry.casualty_type not in SINGLE_VICTIM_TYPES or entry.overrides_head or entry.noun_only or entry.names_victim_apart:
                continue
            for head, role in self._victim_arguments(trigger, index):
                conjuncts = [head, *head.conjuncts]
                if role == "dobj":
                    # 'killing the director, two guards and a driver': a list the parse split into objects.
                    conjuncts += [
                        token
                        for other in head.head.children
                        if other.dep_ == "dobj" and other.i > head.i and other.left_edge.i > 0 and doc[other.left_edge.i - 1].text == ","
                        for token in (other, *other.conjuncts)
                    ]
                    # 'wounding him and two of his guards': the number hung on the verb.
                    conjuncts += [
                        other
                        for other in head.head.children
                        if other.dep_ == "conj" and other.pos_ == "NUM" and other.i > head.i and self._counts_people_of(other, index)
                    ]
                conjuncts += self._along_with(trigger)
                for child in head.children:
                    # 'John Doe, Mary Roe and Jim Poe': the parse hangs a list of names as an
                    # apposition holding the rest of the list.
                    if child.dep_ == "appos" and child.pos_ == head.pos_ == "PROPN" and child.conjuncts:
                        conjuncts += [child, *child.conjuncts]
                if len(conjuncts) < 2:
                    continue
                counts = [self._listed_count(token, index, any_noun=role == "dobj") for token in conjuncts]
                if any(count is None for count in counts):
                    break
                total = sum(count for count in counts if count is not None)
                casualty_type = self._casualty_type(trigger, index)
                key = (trigger.sent.start, casualty_type)
                if stated_totals.get(key, 0) >= total:
                    break
                stated_totals[key] = total
                start = min(token.left_edge.i for token in conjuncts)
                end = max(token.i for token in conjuncts) + 1
                totals.append(
                    Figure(casualty_type, None, total, "exact", total, total, start, end, head.i, head.i, trigger_i, named_victims=True)
                )
                break
        return totals

    @staticmethod
    def _along_with(trigger: Token) -> list[Token]:
        """'the imam was killed along with his wife and daughter', 'killed along with four
        others': the people killed with the victim, wherever the parse hung 'with'."""
        verbs = {trigger.i, trigger.head.i} if trigger.dep_ == "conj" else {trigger.i}
        for token in trigger.doc[trigger.i + 1 : trigger.sent.end]:
            if token.lower_ == "with" and token.doc[token.i - 1].lower_ == "along" and any(
                ancestor.i in verbs for ancestor in token.ancestors
            ):
                return [person for child in token.children if child.dep_ == "pobj" for person in (child, *child.conjuncts)]
        return []

    def _listed_count(self, token: Token, index: LexiconIndex, any_noun: bool) -> int | None:
        """How many people one item of a list counts: its number ('three other people'), or
        one for a person ('her', 'a guard', 'John Doe'); None when it counts no one."""
        if token.pos_ == "NUM":
            if not self._counts_people_of(token, index):
                return None  # a bare number in a list of names is an age ('Ann Vell, 60, and Bo Rask')
            amount = parse_number(" ".join(word.text for word in token.subtree if word.i <= token.i), self.lexicon)
            return amount if isinstance(amount, int) else None
        numbers = [child for child in token.children if child.dep_ == "nummod"]
        if numbers:
            if not index.names_people(token):
                return None  # 'four people and two vehicles were shot at'

            amount = parse_number(" ".join(word.text for word in numbers[0].subtree if word.i <= numbers[0].i), self.lexicon)
            return amount if isinstance(amount, int) else None
        return self._people_in(token) if self._is_one_person(token, index, any_noun, listed=True) else None

    @staticmethod
    def _counts_people_of(number: Token, index: LexiconIndex) -> bool:
        """'two of his bodyguards': a number out of people."""
        return any(
            child.dep_ == "prep" and child.lower_ == "of" and index.names_people(grandchild)
            for child in number.children
            for grandchild in child.children
            if grandchild.dep_ == "pobj"
        )

    def _people_in(self, token: Token) -> int:
        """One person, or two for 'a couple'."""
        return 2 if token.lower_ in self.role("pair_noun") else 1

    def _is_one_person(self, token: Token, index: LexiconIndex, any_noun: bool, listed: bool = False) -> bool:
        lower = token.lower_
        if lower in self.role("single_person_pronoun") or lower in self.role("reflexive_pronoun"):
            return True
        if lower == "another" and token.dep_ in ("nsubj", "nsubjpass", "dobj"):
            return True  # 'one officer was killed and another was wounded'
        if self._is_bare_person_read_as_adjective(token, index):
            return lower not in self.role("collective_noun")  # 'Shelling kills civilian'
        if self._is_age_as_person(token):
            return True  # 'a 6-year-old was shot'
        if token.tag_ not in ("NN", "NNP") or any(child.dep_ == "nummod" for child in token.children):
            return False  # a plural or a number of its own
        if token.tag_ == "NN" and lower.endswith("men"):
            return False  # 'servicemen', 'policemen': plurals the tagger may take for singulars
        if not listed and any(child.dep_ == "conj" for child in token.children):
            return False  # one of several ('a man and a woman'): their total is the list's
        if any(child.lower_ in self.role("one_more") for child in token.children if child.i < token.i):
            return False  # 'a third victim died', 'another man': one more of a count stated elsewhere
        if lower in self.lexicon.non_casualty or lower in self.lexicon.attacks or lower in self.lexicon.weapons:
            return False
        if index.nation_at(token) is not None or lower in self.role("not_a_person"):
            return False
        if token.pos_ == "PROPN":
            return token.i not in {position for start, end, _ in index.parties for position in range(start, end)}
        if token.pos_ != "NOUN" or not (any_noun or index.names_people(token)):
            return False
        determiners = {child.lower_ for child in token.children if child.dep_ in ("det", "poss", "predet")}
        if not determiners and token.tag_ == "NN" and index.names_people(token):
            # Headlines drop the article: 'Soldier killed in shelling', 'Mine kills local man'.
            return lower not in self.role("collective_noun")
        return bool(determiners & self.role("single_determiner")) or any(child.dep_ == "poss" for child in token.children)

    @staticmethod
    def _is_bare_person_read_as_adjective(token: Token, index: LexiconIndex) -> bool:
        """A headline's bare 'civilian', tagged as an adjective, standing as the verb's
        argument ('Shelling kills civilian') or before the verb ('Civilian dies in town')."""
        if token.tag_ != "JJ" or not index.names_people(token) or token.lower_.endswith("s"):
            return False
        if token.dep_ in ("nsubj", "nsubjpass", "dobj"):
            return True
        return token.dep_ == "amod" and token.head.pos_ == "VERB" and token.i < token.head.i

    def _is_age_as_person(self, token: Token) -> bool:
        """'a 6-year-old', 'her 3-month-old': an age standing for one person."""
        return (
            token.lower_ in self.role("age_adjective")
            and any(child.dep_ == "npadvmod" and child.lower_ in self.role("age_unit") for child in token.children)
            and any(child.lower_ in self.role("indefinite_determiner") or child.dep_ == "poss" for child in token.children)
            and not any(child.lower_ in self.role("one_more") for child in token.children)
        )

    def _drop_increments(self, doc: Doc, numbers: list[NumberSpan], figures: list[Figure]) -> list[Figure]:
        """'The toll has risen to 14 after rescuers recovered three more bodies': 'more' of a
        type the sentence or the paragraph before it already counts adds to that count and is
        no count of its own. Of another type it counts other people: 'nine people died and
        another 14 were hurt'."""
        if not any(number.increment for number in numbers):
            return figures

        def is_increment(figure: Figure) -> bool:
            return any(number.number_start <= figure.number_i < number.end for number in numbers if number.increment)

        kept: list[Figure] = []
        for figure in figures:
            if is_increment(figure):
                sentence_end = doc[figure.number_i].sent.end
                if any(
                    other is not figure
                    and not is_increment(other)
                    and other.casualty_type == figure.casualty_type
                    and other.number_i < sentence_end
                    for other in figures
                ):
                    continue
            kept.append(figure)
        return kept

    def _apply_breakdowns(
        self, doc: Doc, index: LexiconIndex, numbers: list[NumberSpan], figures: list[Figure]
    ) -> list[Figure]:
        """'Eight people were killed during the protests, seven protesters and one police
        officer, and 1,250 were detained': victim groups listed after a comma right behind a
        total, which they add up to exactly, break that total down, whatever clause the
        parse hung them on."""
        by_number = {figure.number_i: figure for figure in figures}
        for total in list(by_number.values()):
            if total.victim_group is not None or total.qualifier not in ("exact", "at_least") or not total.value:
                continue
            sentence = doc[total.number_i].sent
            following = [number for number in numbers if total.value_end <= number.start < sentence.end]
            if not following or following[0].start == 0:
                continue
            if doc[following[0].start - 1].text not in (",", ":", "—", "-", "("):
                continue  # the list stands apart from the total's clause
            run: list[tuple[NumberSpan, Token, Token, str]] = []
            previous_end = None
            for number in following:
                if not isinstance(number.amount, int) or number.qualifier is not None:
                    break
                root = self._number_root(doc, number)
                anchor = self._anchor(root)
                group = index.group_of(anchor) if anchor != root else None
                if group is None:
                    break
                if previous_end is not None and any(
                    token.text not in (",", "and") for token in doc[previous_end : number.start]
                ):
                    break
                run.append((number, root, anchor, group))
                previous_end = anchor.i + 1
            if len(run) < 2 or sum(int(number.amount) for number, _, _, _ in run) != total.value:
                continue
            trigger = doc[total.trigger_i]
            for number, root, anchor, group in run:
                by_number[root.i] = self._figure(doc, number, root, anchor, trigger, total.casualty_type, group)
        return list(by_number.values())

    def _link(self, doc: Doc, index: LexiconIndex, number: NumberSpan) -> Figure | None:
        root = self._number_root(doc, number)
        anchor = self._anchor(root)
        linked = self._trigger(doc, index, number, root, anchor)
        if linked is None:
            return None
        trigger, direct = linked
        if anchor != root and not self._anchor_may_be_victims(anchor, index, direct):
            return None
        if self._is_rate(anchor, trigger, root) or self._is_hypothetical(trigger):
            return None
        if self._is_partial_count(trigger, index) or self._is_war_wide(doc, trigger):
            return None
        if trigger == anchor and self._is_verb_read_as_noun(anchor, index, number):
            # '9 shot, 1 fatally': the outcome words after the first count are the next count's.
            casualty_type = index.triggers[trigger.i].casualty_type
        else:
            casualty_type = self._own_outcome(root, index) or self._casualty_type(trigger, index)
        group = self._group(doc, index, anchor, root, number)
        if group is None and anchor == root and trigger.dep_ in ("acl", "relcl", "amod"):
            group = index.group_of(trigger.head)  # 'the number of children killed rose to 5'
        return self._figure(doc, number, root, anchor, trigger, casualty_type, group)

    @staticmethod
    def _is_partial_count(trigger: Token, index: LexiconIndex) -> bool:
        """'rescuers recovered two bodies': the progress of a search, part of a toll."""
        entry = index.triggers.get(trigger.i)
        return entry is not None and trigger.head != trigger and trigger.head.lower_ in entry.partial_after

    def _is_war_wide(self, doc: Doc, trigger: Token) -> bool:
        """'The conflict has displaced 2 million people', 'The war ... began in 2023. It has
        killed tens of thousands': a whole war's toll, not an incident's."""
        verb = trigger
        while verb.dep_ == "conj" and verb.head != verb:
            verb = verb.head  # 'It has killed ... and displaced ...'
        subjects = [child for child in verb.children if child.dep_ == "nsubj"]
        subjects += [
            grandchild
            for child in verb.children
            if child.dep_ == "agent"
            for grandchild in child.children
            if grandchild.dep_ == "pobj"
        ]
        war = self.role("war_noun")
        for subject in subjects:
            if subject.lower_ in war:
                return True
            if subject.lower_ == "it" and subject.sent.start > 0:
                previous = doc[subject.sent.start - 1].sent
                if any(token.dep_ in ("nsubj", "nsubjpass") and token.lower_ in war for token in previous):
                    return True
        return False

    def _figure(
        self,
        doc: Doc,
        number: NumberSpan,
        root: Token,
        anchor: Token,
        trigger: Token,
        casualty_type: str,
        group: str | None,
    ) -> Figure:
        quantity = make_quantity(number.amount, number.qualifier)
        end = number.end
        if anchor.i >= number.end and anchor.i - number.end <= 5:
            end = anchor.i + 1
        elif trigger.i == number.end and anchor == root:
            end = trigger.i + 1  # 'the 32 wounded'
        # A figure's words stay inside its number's sentence, however the parse split a
        # headline ('3 Killed, 2 | Injured In ...'): its row quotes that sentence.
        sentence = root.sent
        start, end = max(number.start, sentence.start), min(end, sentence.end)
        return Figure(
            casualty_type=casualty_type,
            victim_group=group,
            value=quantity.value,
            qualifier=quantity.qualifier,
            value_low=quantity.low,
            value_high=quantity.high,
            value_start=start,
            value_end=end,
            number_i=root.i,
            anchor_i=anchor.i,
            trigger_i=trigger.i,
        )

    @staticmethod
    def _number_root(doc: Doc, number: NumberSpan) -> Token:
        return doc[number.number_start : number.end].root

    def _anchor(self, root: Token) -> Token:
        """The noun the number counts ('14 people' -> people); the number itself when it stands alone."""
        head = root.head
        if (
            root.dep_ == "nummod"
            and head.dep_ == "poss"
            and head.head.pos_ == "NOUN"
            and head.i > root.i
            and head.lower_ not in self.lexicon.group_words
        ):
            return head.head  # 'Two Tessa republic's guards': the number counts the guards, not the republic
        if root.dep_ in ("nummod", "quantmod", "amod") and head.pos_ in ("NOUN", "PROPN") and head.i > root.i:
            anchor = head
            while anchor.pos_ == "PROPN" and anchor.dep_ in ("compound", "nmod") and anchor.head.pos_ == "NOUN" and anchor.head.i > anchor.i:
                anchor = anchor.head  # a name between number and noun: 'two Ahle Sunnat Wal Jamaat (ASJW) cadres'
            return anchor
        if root.dep_ == "compound" and head.pos_ == "PROPN" and head.dep_ == "compound" and head.head.pos_ == "NOUN" and head.i > root.i:
            return head.head  # a name between number and noun: 'Four Ukraine soldiers', read as a compound
        return root

    def _anchor_may_be_victims(self, anchor: Token, index: LexiconIndex, direct: bool) -> bool:
        non_casualty = self.lexicon.non_casualty.get(anchor.lower_)
        if non_casualty is not None and not index.names_people(anchor):
            return direct and non_casualty.casualty_when_trigger_argument
        if index.names_people(anchor) or anchor.i in index.triggers:
            return True
        return direct  # 'killed 5 miners': an unknown noun counts only as the trigger's own argument

    def _governor(self, token: Token, number: NumberSpan) -> tuple[Token, str]:
        """The head and relation of a token, looking through the qualifier ('over 70 injured')
        and through an auxiliary the parse hung the subject on ('Two guards said killed')."""
        head, dep = token.head, token.dep_
        while number.start <= head.i < number.number_start and head.head != head:
            dep, head = head.dep_, head.head
        if dep in ("nsubj", "nsubjpass") and head.dep_ in ("aux", "auxpass") and head.head.i > head.i:
            head = head.head
        return head, dep

    def _trigger(
        self, doc: Doc, index: LexiconIndex, number: NumberSpan, root: Token, anchor: Token
    ) -> tuple[Token, bool] | None:
        """The trigger word and whether the counted noun is its direct argument."""
        if anchor != root and anchor.lower_ in self.role("counts_hurts_not_people"):
            return None  # 'fifteen stab wounds', 'three gunshot wounds': wounds on one body
        if anchor != root and self._valid_trigger(anchor, index, role="noun"):
            return anchor, True  # '12 fatalities'
        if anchor != root and self._is_verb_read_as_noun(anchor, index, number):
            return anchor, True  # the 5 in a headline's '5 shot, 2 dead'
        head, dep = self._governor(anchor, number)
        for child in anchor.children:
            if child.dep_ in _MODIFIER_DEPS and child.i in index.triggers and self._counts_its_own(child, number):
                continue  # '5 shot, 2 dead' read as '5 shot' modified by '2 dead': the dead are the 2
            if child.dep_ in _MODIFIER_DEPS and self._valid_trigger(child, index, role="modifier"):
                if (
                    child.dep_ in ("acl", "relcl")
                    and dep in ("nsubj", "nsubjpass")
                    and head != child
                    and self._valid_trigger(head, index, role=dep)
                ):
                    return head, True  # '45 people injured in the shelling were admitted': the predicate
                return child, True  # '121 injured', 'people wounded', 'children who cannot be found'
        if dep in _SUBJECT_OR_OBJECT | {"advmod"} and self._valid_trigger(head, index, role=dep):
            return head, True  # 'killed 14 people', '50 people were wounded', 'over 70 injured'
        if dep == "pobj" and head.lower_ in self.role("partitive") and self._valid_trigger(head.head, index, "noun"):
            return head.head, True  # 'the deaths of up to 85 personnel'
        toll = self._toll_trigger(head, dep, index)
        if toll is not None:
            return toll, True  # 'the death toll rose to at least 544'
        if dep == "dobj" and head.lower_ in self.role("including"):
            for child in head.children:
                if child.dep_ == "nsubj" and self._valid_trigger(child, index, "noun"):
                    return child, True  # 'the dead include four children'
        if dep in ("nsubj", "nsubjpass", "dobj", "attr") and head.lower_ in self.role("complement_verb"):
            for child in head.children:
                is_complement = child.dep_ in _COMPLEMENT_DEPS and child != anchor
                # A clause with a subject of its own is no complement of this one: in
                # '43 people were wounded; 17 of them are in hospital' the first clause may
                # hang under 'are'.
                has_subject = any(grandchild.dep_ in ("nsubj", "nsubjpass") for grandchild in child.children)
                if is_complement and not has_subject and self._valid_trigger(child, index, "complement"):
                    return child, True  # 'reported killed', 'left 34 people dead'
                if child.dep_ == "prep":
                    for grandchild in child.children:
                        if grandchild.dep_ in ("pobj", "pcomp") and self._valid_trigger(
                            grandchild, index, "complement"
                        ):
                            return grandchild, True  # 'taken to hospital', 'among the dead', 'listed as missing'
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ in self.role("partitive"):
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj" and self._valid_trigger(grandchild, index, "noun"):
                        return grandchild, False  # '496 of the dead', 'dozens of injuries'
        if anchor == root and number.end < len(doc):
            following = doc[number.end]
            if following.tag_ in ("VBN", "JJ", "NNS", "NN") and self._valid_trigger(following, index, "modifier"):
                return following, False  # 'Some of the 32 wounded'
        return self._verb_before(doc, index, number, root, anchor) or self._passive_after(doc, index, number, anchor)

    def _passive_after(self, doc: Doc, index: LexiconIndex, number: NumberSpan, anchor: Token) -> tuple[Token, bool] | None:
        """A parse that lost the subject: in 'in Abidjan, Lagunes, Cote d'Ivoire, five
        policemen and one guard were killed' the figures hang in the list of places. Read
        the words instead: people counted, then only more of them ('and one guard', ',
        including two children,'), then 'were killed'."""
        if anchor.i < number.end or not index.names_people(anchor):
            return None
        sentence_end = anchor.sent.end
        position = anchor.i + 1
        while position < sentence_end:
            token = doc[position]
            lower = token.lower_
            if lower == "," or lower in self.role("including"):
                # An aside between commas that asserts nothing: ', including five children
                # and two women,', ', identified as Ann Vell and Bo Rask,'.
                closing = next((later.i for later in doc[position + 1 : min(sentence_end, position + self.aside_tokens)] if later.text == ","), None)
                aside = doc[position + 1 : closing] if closing is not None else None
                if aside is not None and not any(word.lower_ in self.role("passive_auxiliary") or word.tag_ in ("VBD", "VBZ", "VBP", "MD") for word in aside):
                    position = closing + 1
                    continue
            if lower in (",", "and") or self._is_number_word(token) or token.pos_ in ("ADJ", "NOUN", "PROPN", "DET", "ADP"):
                position += 1
                continue
            break
        if position >= sentence_end or doc[position].lower_ not in self.role("passive_auxiliary"):
            return None
        position += 1
        while position < sentence_end and doc[position].pos_ in ("ADV", "AUX", "PART"):
            position += 1
        if position < sentence_end and position in index.triggers and self._valid_trigger(doc[position], index, "nsubjpass"):
            return doc[position], True
        return None

    def _verb_before(
        self, doc: Doc, index: LexiconIndex, number: NumberSpan, root: Token, anchor: Token
    ) -> tuple[Token, bool] | None:
        """A parse that missed the object: 'killing at least a dozen people' read with 'people'
        as the subject of a later verb. A transitive casualty verb right before the figure
        still governs it, when the figure counts people or stands alone."""
        if number.start == 0 or (anchor != root and not index.names_people(anchor)):
            return None
        verb = doc[number.start - 1]
        trigger = index.triggers.get(verb.i)
        if trigger is None or not trigger.transitive or verb.tag_ not in ("VBG", "VBD", "VBN"):
            return None
        if not self._valid_trigger(verb, index, "dobj"):
            return None
        return verb, True

    def _toll_trigger(self, head: Token, dep: str, index: LexiconIndex) -> Token | None:
        if dep == "pobj" and head.lower_ in ("to", "at", "of"):
            verb = head.head
        elif dep in ("attr", "dobj", "npadvmod"):
            verb = head
        else:
            return None
        if head.lower_ == "of" and self._valid_trigger(verb, index, "noun"):
            return verb  # 'a death toll of 30'
        if verb.lower_ not in self.role("toll_verb"):
            return None
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass", "dobj"):
                counted = self._counted_trigger(child, index)
                if counted is not None:
                    return counted
        return None

    def _counted_trigger(self, token: Token, index: LexiconIndex) -> Token | None:
        """The casualty word a toll's subject names: the word itself ('the death toll') or,
        behind a count noun, the word counted ('the number of injured' -> injured). The count
        noun is never returned: it is no trigger, and the figure's type comes from the trigger."""
        if self._valid_trigger(token, index, "noun"):
            return token
        if token.lower_ in self.role("count_noun"):
            for child in token.children:
                if child.dep_ != "prep":
                    continue
                for grandchild in child.children:
                    if grandchild.dep_ != "pobj":
                        continue
                    if self._valid_trigger(grandchild, index, "noun"):
                        return grandchild
                    if index.names_people(grandchild):
                        for modifier in grandchild.children:
                            if modifier.dep_ in _MODIFIER_DEPS and self._valid_trigger(modifier, index, "modifier"):
                                return modifier  # 'the number of people killed'
        return None

    def _valid_trigger(self, token: Token, index: LexiconIndex, role: str) -> bool:
        trigger = index.triggers.get(token.i)
        if trigger is None:
            return False
        if trigger.requires_negation and not any(child.dep_ == "neg" for child in token.children):
            return False
        if trigger.requires_prep and not (token.dep_ == "pobj" and token.head.lower_ in trigger.requires_prep):
            return False
        if trigger.overrides_head or trigger.names_victim_apart:
            return False
        if trigger.noun_only and token.pos_ not in ("NOUN", "PROPN"):
            return False
        if trigger.verb_only and token.pos_ not in ("VERB", "AUX", "ADJ"):
            return False
        if trigger.outcome_in_complement and any(child.dep_ == "prt" for child in token.children):
            return False  # 'shot down', 'shot up': aircraft and drones, not people
        if trigger.requires_subject and not any(child.dep_ in ("auxpass", "nsubjpass") for child in token.children):
            subject = next((child for child in token.children if child.dep_ == "nsubj"), None)
            if subject is None or subject.lower_ not in trigger.requires_subject:
                return False  # 'the hospital admitted 45', not 'the army admitted ...'
        # The subject of an active 'killed' is the killer: '5 soldiers killed 10 civilians',
        # 'three gunmen shot and killed a guard' (the parser may tag an active 'shot' VBN).
        if trigger.transitive and role == "nsubj" and not self._is_elliptical_outcome(token) and (
            self._has_object(token) or (token.tag_ != "VBN" and not self._is_reduced_passive(token))
        ):
            return False
        if role == "noun" and token.pos_ == "VERB" and token.tag_ != "VBN":
            return False
        return True

    @staticmethod
    def _sharing_verbs(verb: Token) -> list[Token]:
        """The verb and those conjoined with it that share its arguments ('shot and killed a
        guard'); a conjoined verb with a subject of its own is another clause ('Civilian
        killed as shell hits hospital')."""
        verbs = [
            verb,
            *(
                child
                for child in verb.children
                if child.dep_ == "conj" and child.pos_ == "VERB" and not any(grandchild.dep_ == "nsubj" for grandchild in child.children)
            ),
        ]
        if verb.dep_ == "conj":
            verbs.append(verb.head)
        return verbs

    @classmethod
    def _has_object(cls, verb: Token) -> bool:
        """An object on the verb or a verb conjoined with it: 'shot and killed a guard'."""
        return any(
            child.dep_ == "dobj" and cls._follows_directly(token, child)
            for token in cls._sharing_verbs(verb)
            for child in token.children
        )

    @staticmethod
    def _is_elliptical_outcome(verb: Token) -> bool:
        """'left a man dead and three others wounded': a past form conjoined to an earlier
        clause, with a subject of its own and nothing of an active verb (no object, no
        auxiliary), states the outcome of the people it follows, as the clause before it did."""
        return (
            verb.dep_ == "conj"
            and verb.tag_ in ("VBD", "VBN")
            and any(child.dep_ == "nsubj" for child in verb.children)
            and not any(child.dep_ in _ACTIVE_VERB_DEPS for child in verb.children)
        )

    @classmethod
    def _is_reduced_passive(cls, verb: Token) -> bool:
        """Headlines drop the auxiliary: in 'Two soldiers killed in shelling' the parser reads
        an active verb whose subject would be the killer, but in a headline (a sentence
        with no final stop) a past form of a killing verb with no object and no auxiliary is
        a passive, and its subject the victims. Conjoined verbs share them: 'gunmen shot and
        killed a man' is active."""
        if verb.tag_ not in ("VBD", "VBN"):
            return False
        if verb.tag_ == "VBD" and not is_headline(verb):
            return False  # a participle needs no headline to be passive: 'Ann Vell killed in shelling.'
        return not any(cls._marks_active_voice(token, child) for token in cls._sharing_verbs(verb) for child in token.children)

    @classmethod
    def _marks_active_voice(cls, verb: Token, child: Token) -> bool:
        """An auxiliary, or an object or reported clause right after the verb."""
        if child.dep_ not in _ACTIVE_VERB_DEPS:
            return False
        return child.dep_ in ("aux", "auxpass") or cls._follows_directly(verb, child)

    @staticmethod
    def _follows_directly(verb: Token, argument: Token) -> bool:
        """An argument after its verb with no preposition or punctuation between them. What
        the parse hangs on a verb across those is a misread phrase, mostly of a headline:
        'Guard killed in shelling of city suburbs' (suburbs as object), 'Army shells town,
        one guard killed' (the first clause as a reported clause)."""
        if argument.i < verb.i:
            return False
        own_words = {token.i for token in argument.subtree}
        return not any(
            token.text in _CLAUSE_BREAKS or (token.i not in own_words and (token.pos_ == "ADP" or token.is_punct))
            for token in verb.doc[verb.i + 1 : argument.i]
        )

    def _casualty_type(self, trigger: Token, index: LexiconIndex) -> str:
        for child in trigger.children:
            modifier = index.triggers.get(child.i)
            if modifier is not None and modifier.overrides_head:
                return modifier.casualty_type  # 'fatally wounded'
        entry = index.triggers[trigger.i]
        if entry.outcome_in_complement and self._states_death(trigger, index):
            return "killed"
        return entry.casualty_type

    @staticmethod
    def _own_outcome(root: Token, index: LexiconIndex) -> str | None:
        """'Four people were shot, three fatally': a number carrying its own outcome word."""
        for child in root.children:
            entry = index.triggers.get(child.i)
            if entry is not None and entry.overrides_head:
                return entry.casualty_type
        return None

    def _states_death(self, trigger: Token, index: LexiconIndex) -> bool:
        """'shot dead', 'shot to death', 'shot and killed': a shooting whose outcome the
        clause states is a death; 'shot' alone wounds."""
        def is_death_word(token: Token) -> bool:
            entry = index.triggers.get(token.i)
            return entry is not None and entry.casualty_type == "killed"

        for child in trigger.children:
            # After the shooting word: in 'Boy killed, 6 others shot' the parse may hang the
            # clause before it on 'shot', and that death is another victim's.
            if child.dep_ in ("oprd", "acomp", "advmod", "xcomp", "ccomp", "dobj", "attr") and child.i > trigger.i and is_death_word(child):
                return True
            if child.dep_ == "advcl" and child.pos_ == "ADJ" and is_death_word(child):
                return True  # 'shot three people dead', parsed as a clause of its own
            if child.dep_ == "prep" and any(grandchild.dep_ == "pobj" and is_death_word(grandchild) for grandchild in child.children):
                return True
        # 'shot and killed' is one act; in '4 Shot, 2 Dead' the death word counts others.
        if any(child.dep_ == "conj" and is_death_word(child) and not self._has_own_victims(child) for child in trigger.children):
            return True
        return trigger.dep_ == "conj" and is_death_word(trigger.head) and not self._has_own_victims(trigger.head)

    @staticmethod
    def _counts_its_own(token: Token, number: NumberSpan) -> bool:
        """A casualty word whose own subject or modifier is a number, or which follows one
        ('2 dead'), other than the number being linked."""
        def other_number(word: Token) -> bool:
            return word.pos_ == "NUM" and not number.start <= word.i < number.end  # not 'first', which like_num takes

        before = token.doc[token.i - 1] if token.i > 0 else None
        return (before is not None and other_number(before)) or any(
            child.pos_ == "NUM" and child.dep_ in ("nummod", "nsubj", "nsubjpass") and other_number(child) for child in token.children
        )

    @staticmethod
    def _is_verb_read_as_noun(anchor: Token, index: LexiconIndex, number: NumberSpan) -> bool:
        """Headlines drop the auxiliary, and the tagger may read the verb of '5 shot, 2 dead'
        as a singular noun counted by the number: a casualty verb that is no noun, after a
        count above one (no noun 'shot' is counted so: that would be '5 shots') and before
        the next count of the list."""
        entry = index.triggers.get(anchor.i)
        doc = anchor.doc
        return (
            entry is not None
            and entry.verb_only
            and anchor.tag_ in ("NN", "NNP")
            and isinstance(number.amount, int)
            and number.amount > 1
            and anchor.i + 2 < len(doc)
            and doc[anchor.i + 1].text == ","
            and doc[anchor.i + 2].pos_ == "NUM"
        )

    @staticmethod
    def _has_own_victims(token: Token) -> bool:
        """A casualty word with a count or subject of its own: '2' in '5 shot, 2 dead'."""
        return any(child.dep_ in ("nummod", "nsubj", "nsubjpass") or child.pos_ == "NUM" for child in token.children)

    def _is_rate(self, anchor: Token, trigger: Token, root: Token) -> bool:
        """'5000 soldiers a week are dying' is a rate, not an incident."""
        for token in (anchor, trigger, root):
            for child in token.children:
                if child.lower_ in self.role("rate_unit") and (
                    any(grandchild.lower_ in self.role("rate_determiner") for grandchild in child.children)
                    or (child.i > 0 and child.doc[child.i - 1].lower_ in self.role("rate_determiner"))
                ):
                    return True
        return False

    def _is_hypothetical(self, trigger: Token) -> bool:
        """'threatened to kill 10 hostages', 'could kill thousands': not a count of victims."""
        modal = self.role("modal")
        if any(child.dep_ == "aux" and child.lower_ in modal for child in trigger.children):
            # 'may have died' reports a count; 'could kill' does not; 'cannot be found' is a count.
            return not any(
                child.dep_ == "neg" or (child.dep_ == "aux" and child.lower_ in self.role("perfect_aux"))
                for child in trigger.children
            )
        return trigger.dep_ == "xcomp" and trigger.head.lower_ in modal

    def _group(self, doc: Doc, index: LexiconIndex, anchor: Token, root: Token, number: NumberSpan) -> str | None:
        if anchor != root:
            group = index.group_of(anchor)
            if group is None:
                non_casualty = self.lexicon.non_casualty.get(anchor.lower_)
                group = non_casualty.victim_group if non_casualty else None
            if group is None:
                group = self._group_of_members(anchor, index)
            return group
        return self._predicate_group(doc, index, root, number)

    def _group_of_members(self, anchor: Token, index: LexiconIndex) -> str | None:
        """'5 members of the security forces'."""
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return index.group_of(grandchild)
        return None

    def _predicate_group(self, doc: Doc, index: LexiconIndex, root: Token, number: NumberSpan) -> str | None:
        """'496 of the dead were protesters', '48 were with security forces'."""
        copulas = self.role("copula")
        if root.head.lower_ in copulas and root.head.i > root.i:
            copula = root.head
        elif number.end < len(doc) and doc[number.end].lower_ in copulas:
            copula = doc[number.end]
        else:
            return None
        for token in doc[copula.i + 1 : min(len(doc), copula.i + 6)]:
            if token.is_punct or token.pos_ in ("CCONJ", "NUM", "VERB", "AUX"):
                return None
            group = index.group_of(token)
            if group is not None:
                return group
        return None

    def _link_to_neighbour(
        self, doc: Doc, index: LexiconIndex, number: NumberSpan, figures: list[Figure]
    ) -> Figure | None:
        root = self._number_root(doc, number)
        anchor = self._anchor(root)
        if anchor != root and not index.names_people(anchor):
            return None
        including = self._including_head(anchor) is not None
        # 'At least 160 people were injured, 38 of them police officers': a group counted
        # out of 'them' names its share of the total, whatever verb the parse hung it on.
        share_group = self._share_group(index, root, anchor) if self._refers_back(root) else None
        # 'Four shot, two fatally': a count carrying its own outcome word is a share of the count before it.
        own_outcome = self._own_outcome(root, index)
        if not including and share_group is None and own_outcome is None and not self._has_no_predicate_of_its_own(anchor, number):
            return None  # 'killed 2,000 people and left 15,000 homeless'
        # Nearest first: figures linked here through a neighbour come after the others in `figures`.
        earlier = sorted(
            (figure for figure in figures if figure.value_start < number.start), key=lambda figure: figure.value_start
        )
        total = next(
            (
                figure
                for figure in reversed(earlier)
                if self._shares_clause(doc, anchor, figure)
                or (own_outcome is not None and root.dep_ == "appos" and root.head.i in (figure.trigger_i, figure.anchor_i))
            ),
            None,
        )
        if total is None:
            return None
        group = self._group(doc, index, anchor, root, number) or share_group
        trigger = doc[total.trigger_i]
        if self._is_rate(anchor, trigger, root):
            return None
        casualty_type = own_outcome or total.casualty_type
        return self._figure(doc, number, root, anchor, trigger, casualty_type, group)

    @staticmethod
    def _share_group(index: LexiconIndex, root: Token, anchor: Token) -> str | None:
        """The group of '38 of them police officers' or of the verbless '12 of them women'."""
        if anchor != root:
            return index.group_of(anchor)
        if root.dep_ == "nsubj" and root.head.pos_ == "NOUN":
            return index.group_of(root.head)
        return None

    def _refers_back(self, token: Token) -> bool:
        """'14 of them', '38 of whom'."""
        return any(
            grandchild.lower_ in self.role("back_reference")
            for child in token.children
            if child.dep_ == "prep" and child.lower_ in self.role("partitive")
            for grandchild in child.children
        )

    def _has_no_predicate_of_its_own(self, anchor: Token, number: NumberSpan) -> bool:
        """Only a bare coordinated number or one with a copula ('48 were with security forces')
        can borrow the casualty word of the figure before it."""
        head, dep = self._governor(anchor, number)
        if dep == "conj":
            return True
        if head.lower_ not in self.role("copula"):
            return False
        return not any(
            child.dep_ in ("acomp", "oprd", "xcomp") and child.i not in {token.i for token in anchor.subtree}
            for child in head.children
        )

    def _including_head(self, anchor: Token) -> Token | None:
        """What a group is included in: 'killed 14 people, including six children' -> people."""
        token = anchor
        for _ in range(4):
            if token.dep_ not in ("pobj", "conj", "appos") or token.head == token:
                return None
            token = token.head
            if token.lower_ in self.role("including"):
                return token.head
        return None

    def _shares_clause(self, doc: Doc, anchor: Token, figure: Figure) -> bool:
        """Elliptical coordination: the number hangs (through conj) under the clause of a
        figure found earlier in the sentence."""
        including_head = self._including_head(anchor)
        if including_head is not None:
            number = doc[figure.number_i]
            toll_verb = number.head.head.i if number.dep_ == "pobj" else None  # 'rose to nine, including two children'
            return including_head.i in (figure.anchor_i, figure.trigger_i, figure.number_i, toll_verb)
        numbers = [anchor, *(child for child in anchor.children if child.dep_ == "nummod")]
        if any(self._refers_back(token) for token in numbers):
            return True  # '27 people were killed ..., adding that 14 of them were children'
        total_governors = {doc[figure.anchor_i].head.i, doc[figure.trigger_i].i, doc[figure.number_i].head.i}
        token = anchor
        crossed_conj = False
        for _ in range(4):
            if token.head == token:
                return False
            crossed_conj = crossed_conj or token.dep_ == "conj" or token.head.dep_ == "conj"
            token = token.head
            if token.i in total_governors:
                return crossed_conj
        return False


@Language.factory(
    "casualty_figures",
    requires=["token.dep", "token.head"],
    default_config={"lexicon_pipe": "casualty_lexicon", "aside_tokens": ASIDE_TOKENS},
)
def make_casualty_figures(nlp: Language, name: str, lexicon_pipe: str, aside_tokens: int) -> FigureFinder:
    return FigureFinder(nlp, name, lexicon_pipe, aside_tokens)
