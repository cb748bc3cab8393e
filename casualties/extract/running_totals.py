"""Running totals: a count over a whole conflict or the year so far ('13,000 killed since
the conflict began', 'more than 6,000 people shot this year') is an aggregate, never one
incident's toll (casualty_mentions.is_aggregate)."""

from __future__ import annotations

from spacy.tokens import Span, Token

from casualties.dates import WEEKDAYS
from casualties.extract.lexicon import Lexicon
from casualties.extract.tree import tree_distance
from casualties.extract.words import span_text, words_in

# 'since' or 'this year' this close to the trigger in the tree bounds its count ('killed
# since the war began'); further away it belongs to another clause.
RUNNING_TOTAL_TREE_DISTANCE = 2


class RunningTotals:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.role = lexicon.role
        self._total_bounds = self.role("running_total_period") | {"since"}

    def is_running_total(self, trigger: Token) -> bool:
        """A total over a whole conflict or the year so far, not one incident's toll. 'The
        deadliest attack since the war began' only compares, and stays the attack's."""
        sentence = trigger.sent
        # 'wounded or killed ... this year': the period bounds the casualty words it is conjoined with.
        conjoined = {trigger, *(child for child in trigger.children if child.dep_ == "conj")}
        if trigger.dep_ == "conj":
            conjoined.add(trigger.head)
        if any(self._spans_separate_incidents(word) for word in conjoined) or self._counted_by_several_attacks(trigger):
            return True
        if self._tallies_a_city(sentence):
            return True
        # Only 'since' and a period word can bound a total, and only close to the casualty word.
        for token in words_in(sentence, self._total_bounds):
            if tree_distance(token, trigger) > RUNNING_TOTAL_TREE_DISTANCE:
                continue
            # 'since' heads its object ('since the start of the war') or marks a clause ('since the war began').
            bounded = token.head.subtree if token.dep_ == "mark" else token.subtree
            if token.lower_ == "since":
                bounds_total = any(self._bounds_running_total(word) for word in bounded)
            else:  # 'this year', not 'earlier this year'
                modifiers = {child.lower_ for child in token.children}
                bounds_total = (
                    token.head in conjoined
                    and bool(modifiers & self.role("running_total_determiner"))
                    and not modifiers & self.role("point_in_period")
                )
            before = sentence.doc[sentence.start : token.i]
            if bounds_total and not any(word.lower_ in self.role("superlative") for word in before):
                return True
        return False

    def _spans_separate_incidents(self, trigger: Token) -> bool:
        """'40 wounded in 33 separate shooting incidents', 'killed in separate attacks across
        the city': a count over several incidents, none of them the one reported."""
        return any(
            (place.lower_ in self.lexicon.attacks or place.lower_ in self.role("incident_noun"))
            and place.tag_ == "NNS"
            and any(modifier.lower_ in self.role("separate_incidents") for modifier in place.children)
            for preposition in trigger.children
            if preposition.dep_ == "prep" and preposition.lower_ in ("in", "during")
            for place in preposition.children
            if place.dep_ == "pobj"
        )

    def _tallies_a_city(self, sentence: Span) -> bool:
        """'At least 20 people have been shot, three of them fatally, across the city since
        Friday evening', 'Two killed, three wounded in shootings since Saturday night', '6 dead,
        20 wounded in weekend shootings across Detroit': a count since a weekday, or of
        shootings across a place, tallies a city's shootings over some days, and every count of
        its sentence is a part of the tally. Not one incident's toll rising ('died since
        Monday's shooting'), nor a day of something else ('missing since Friday')."""
        lower = span_text(sentence).lower()
        if "since" not in lower and "across" not in lower:
            return False  # most sentences: no word either test reads
        for word in sentence:
            if word.lower_ == "since" and word.dep_ == "prep":
                bounded = list(word.subtree)
                counted = word.head.like_num or (
                    word.head.lower_ in self.lexicon.triggers and (self._counts_several(word.head) or self._names_attacks(sentence))
                )
                if (
                    counted
                    and any(bound.lower_ in WEEKDAYS for bound in bounded)
                    and not any(bound.lower_ in self.lexicon.attacks or bound.lower_ in self.role("incident_noun") for bound in bounded)
                ):
                    return True
            if self._is_plural_attack(word) and any(child.dep_ == "prep" and child.lower_ == "across" for child in word.children):
                return True
        return False

    def _is_plural_attack(self, word: Token) -> bool:
        """'shootings' in the plural, as a title-case headline's parse may tag it too."""
        return word.lower_ in self.lexicon.attacks and word.tag_ in ("NNS", "NNPS", "NNP") and word.lower_.endswith("s")

    def _names_attacks(self, sentence: Span) -> bool:
        """Shootings in the plural: a tally of them ('Man Killed, 2 Wounded in Shootings Since Tuesday')."""
        return any(self._is_plural_attack(word) for word in sentence)

    @staticmethod
    def _counts_several(trigger: Token) -> bool:
        """Whether the trigger's subject is a number of people above one that is no rise: a
        tally counts many ('20 people have been shot since Friday'), while 'two more people have
        died since Monday' raises one incident's toll and 'a man hospitalized since Sunday' is
        one victim."""
        for subject in trigger.children:
            if subject.dep_ not in ("nsubj", "nsubjpass"):
                continue
            numbers = [subject] if subject.like_num else [child for child in subject.children if child.dep_ == "nummod"]
            rise = any(word.lower_ in ("more", "another") for word in subject.subtree)
            if numbers and not rise and numbers[0].lower_ not in ("one", "1"):
                return True
        return False

    def _counted_by_several_attacks(self, trigger: Token) -> bool:
        """'Three shootings that took the lives of five people': a toll told in a relative
        clause of a count of attacks above one is summed over them, no one incident's."""
        return any(
            clause.dep_ == "relcl"
            and clause.head.lower_ in self.lexicon.attacks
            and clause.head.tag_ == "NNS"
            and any(child.dep_ == "nummod" and child.lower_ not in ("one", "1") for child in clause.head.children)
            for clause in (trigger, *trigger.ancestors)
        )

    def _bounds_running_total(self, word: Token) -> bool:
        """'the war', 'last year', but not the year of an age ('a 15-year-old')."""
        doc = word.doc
        in_hyphenated = any(0 <= position < len(doc) and doc[position].text == "-" for position in (word.i - 1, word.i + 1))
        return word.lower_ in self.role("running_total_since") and word.pos_ == "NOUN" and not in_hyphenated
