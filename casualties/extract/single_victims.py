"""Victims counted without a number: 'a man was killed', 'gunmen shot and killed a police
officer', 'John Doe died', 'Civilians killed in shelling' (at least two)."""

from __future__ import annotations

from spacy.attrs import LOWER
from spacy.tokens import Doc, Token

from casualties.extract.lexicon import Lexicon
from casualties.extract.lexicon_pipe import LexiconIndex
from casualties.extract.number_spans import CURRENCY_SYMBOLS
from casualties.extract.numbers import parse_number
from casualties.extract.people import PersonWords
from casualties.extract.records import Figure
from casualties.extract.triggers import TriggerGrammar, is_headline, needs_object
from casualties.extract.words import string_ids

# Casualty types whose words may count one victim with no number ('a man was killed').
SINGLE_VICTIM_TYPES = frozenset({"killed", "injured"})
# The fewest people a plural with no number counts ('Civilians killed in shelling').
MIN_PLURAL = 2
# How many sentences back the people a pronoun or definite plural names may be counted.
BACK_REFERENCE_SENTENCES = 2
# The words before a noun that belong to its phrase ('a 20-year-old local man').
_NOUN_PHRASE_DEPS = frozenset({"det", "amod", "compound", "poss", "nmod", "npadvmod", "punct", "quantmod", "case"})


class SingleVictims:
    def __init__(self, lexicon: Lexicon, triggers: TriggerGrammar, people: PersonWords) -> None:
        self.lexicon = lexicon
        self.role = lexicon.role
        self.triggers = triggers
        self.people = people
        # Looked up by the lower-case form's id: only the few tokens that are such a noun become Tokens.
        self._body_noun_ids = string_ids(lexicon.role("one_body_noun"))

    def find(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
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
            if self.triggers.is_unreal(trigger):
                continue
            if self.triggers.has_other_cause(trigger):
                continue
            if entry.verb_only and trigger.pos_ not in ("VERB", "AUX", "ADJ"):
                continue
            suffered = trigger.dep_ == "dobj" and trigger.head.lower_ in self.role("suffer_verb")
            if (entry.noun_only and not suffered) or entry.requires_prep or entry.requires_negation:
                continue
            if entry.kills_only_self:
                victim = self._attacker_killed_by_own_device(trigger, index)
            elif entry.maims_body_part:
                victim = self._owner_of_maimed_part(trigger)
            else:
                first_of_its_kind = not any(
                    figure.casualty_type == entry.casualty_type and figure.value_start < trigger_i for figure in figures + found
                )
                victim = self._single_victim_of(trigger, index, first_of_its_kind) or self._death_counted_by_its_noun(trigger)
            counted_before = None
            if victim is None and not entry.kills_only_self and not entry.maims_body_part:
                counted_before = self._people_counted_before(trigger, index)
                victim = counted_before[0] if counted_before else None
            # 'Children shot' says nothing of how many of them died: only a word for the
            # outcome counts people in the plural.
            unnumbered = victim is None and not entry.kills_only_self and not entry.outcome_in_complement
            if unnumbered:
                victim = self._unnumbered_victims_of(trigger, index)
            if victim is None or victim.i in counted_tokens or self._suspect_of_the_act(trigger, victim, index):
                continue
            casualty_type = self.triggers.casualty_type(trigger, index)
            if victim.lower_ in self.role("reflexive_pronoun") and self._died_of_own_shot(trigger, index):
                casualty_type = "killed"
            # An attacker turning the weapon on himself is no victim of his own toll.
            by_own_hand = (
                victim.lower_ in self.role("reflexive_pronoun")
                or entry.kills_only_self
                or (casualty_type == "killed" and self.died_by_own_hand(trigger))
            )
            if (trigger.sent.start, casualty_type) in stated and not by_own_hand and not self._attacker_killed_by_others(trigger, victim, index):
                # 'the toll rose to four after a driver died': one more of a count the sentence states.
                counted_tokens.add(victim.i)
                continue
            start = min(
                [victim.i] + [child.i for child in victim.children if child.i < victim.i and child.dep_ in _NOUN_PHRASE_DEPS]
            )
            start = min([start] + [token.i for child in victim.children if child.i < victim.i and child.dep_ in _NOUN_PHRASE_DEPS for token in child.subtree])
            if entry.kills_only_self:
                start = min([start] + [child.i for child in victim.children if child.dep_ == "nummod"])  # 'two suicide bombers'
            group = "perpetrators" if by_own_hand else index.group_of(victim)
            if counted_before is not None:
                people: int | None = counted_before[1]
            elif entry.kills_only_self:
                people = self._attackers_in(victim)
            else:
                people = self.people.people_in(victim)
            if people is None:
                continue
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
        stated |= {(doc[figure.number_i].sent.start, figure.casualty_type) for figure in found}
        found += self._ordinal_tolls(doc, index, counted_tokens)
        found += self._suicide_attackers(doc, index, figures + found)
        return found + self._found_bodies(doc, index, stated, counted_tokens)

    @staticmethod
    def _suspect_of_the_act(trigger: Token, victim: Token, index: LexiconIndex) -> bool:
        """'Police search for shooting suspect', 'shooting spree suspect': a bare attacker's
        word right after a gerund (or its nouns) is a noun compound, the suspect of the
        shooting, whatever object the parse made of it; one shot says so with a determiner
        ('shooting a suspect') or a verb ('shot the suspect')."""
        between = trigger.doc[trigger.i + 1 : victim.i]
        return (
            trigger.tag_ == "VBG"
            and victim.i > trigger.i
            and all(token.dep_ in ("compound", "amod") and token.head == victim for token in between)
            and victim.dep_ == "dobj"
            and index.group_of(victim) == "perpetrators"
            and not any(child.dep_ in ("det", "poss", "nummod") for child in victim.children)
        )

    def _ordinal_tolls(self, doc: Doc, index: LexiconIndex, counted_tokens: set[int]) -> list[Figure]:
        """'A fourth victim has died', 'the third victim died in hospital': the dead are at
        least as many as the ordinal counts, whatever the sentence says of the others ('a
        fourth victim of the shooting that killed three others has died': at least four).
        The story drops one its stated toll already reaches (StoryReader.read)."""
        found: list[Figure] = []
        for trigger_i in sorted(index.triggers):
            trigger = doc[trigger_i]
            if index.triggers[trigger_i].overrides_head or self.triggers.casualty_type(trigger, index) != "killed":
                continue
            if self.triggers.is_unreal(trigger) or self.triggers.has_other_cause(trigger):
                continue
            for victim, _ in self.victim_arguments(trigger, index):
                ordinal = next(
                    (child for child in victim.children if child.dep_ == "amod" and child.i < victim.i and child.lower_ in self.lexicon.ordinal_values),
                    None,
                )
                determiner = next((child for child in victim.children if child.dep_ == "det" and child.lower_ in self.role("ordinal_determiner")), None)
                if ordinal is None or determiner is None or victim.i in counted_tokens or not index.names_people(victim):
                    continue
                value = self.lexicon.ordinal_values[ordinal.lower_]
                found.append(
                    Figure(
                        "killed", index.group_of(victim), value, "at_least", value, None, determiner.i, victim.i + 1, ordinal.i,
                        victim.i, trigger_i, ordinal_toll=True,
                    )
                )
                counted_tokens.update(range(determiner.i, victim.i + 1))
                break
        return found

    def _people_counted_before(self, trigger: Token, index: LexiconIndex) -> tuple[Token, int] | None:
        """'abducted three youths and killed them', 'took five villagers hostage. The hostages
        were later killed': the dead, named by a plural pronoun or a definite plural, are the
        people a count earlier in the story counted (the latest count of people before them;
        of the same noun, unless the noun is a word for captives or victims)."""
        if self.triggers.casualty_type(trigger, index) != "killed" or is_headline(trigger):
            return None
        for victim, _ in self.victim_arguments(trigger, index):
            pronoun = victim.lower_ in self.role("plural_person_pronoun")
            definite_plural = (
                victim.tag_ == "NNS"
                and any(child.dep_ == "det" and child.lower_ in self.role("definite") for child in victim.children)
                and not any(child.dep_ in ("nummod", "conj", "prep") or child.like_num for child in victim.children)
            )
            if not (pronoun or definite_plural):
                continue
            any_people = pronoun or victim.lower_ in self.role("captives_noun")
            count = self._latest_people_count(victim, index, None if any_people else victim.lower_)
            if count is not None:
                return victim, count
        return None

    def _latest_people_count(self, before: Token, index: LexiconIndex, noun: str | None) -> int | None:
        """The number of the latest count of people (of `noun`, if given) before a token, in
        its sentence or the two before it, attackers and things aside: 'two gunmen abducted
        three youths' -> 3. A word for people wins over another plural ('two civilians were
        shot by militants using nine millimeter pistols. ... they were killed' -> 2)."""
        doc = before.doc
        sentence_starts = sorted({token.sent.start for token in doc[: before.sent.start + 1]})
        earliest = sentence_starts[max(0, len(sentence_starts) - 1 - BACK_REFERENCE_SENTENCES)]
        other_plural: int | None = None
        for token in reversed(doc[earliest : before.i]):
            if token.dep_ != "nummod" or not token.like_num or token.head.i >= before.i:
                continue
            counted = token.head
            if counted.tag_ != "NNS" or (token.i > 0 and doc[token.i - 1].text in CURRENCY_SYMBOLS):
                continue  # a count of people is a plural: not '$5,000 bond'
            if noun is not None and counted.lower_ != noun:
                continue
            lower = counted.lower_
            things = lower in self.lexicon.non_casualty or lower in self.lexicon.attacks or lower in self.lexicon.weapons
            if things or index.group_of(counted) == "perpetrators" or counted.pos_ != "NOUN":
                continue  # 'fired three rockets', 'two gunmen': no victims
            amount = parse_number(token.text, self.lexicon)
            if not isinstance(amount, int) or amount < MIN_PLURAL:
                continue
            if index.names_people(counted):
                return amount
            if other_plural is None:
                other_plural = amount  # 'abducted three youths': a plural the lexicon does not know
        return other_plural

    def _suicide_attackers(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
        """'a suicide bomber detonated a vest', 'four militants detonated a suicide car bomb',
        'a suicide bomber blew up in the market': a suicide attacker setting off the device
        died, as the databases count attackers, whether or not the clause says so. A toll
        reported beside a suicide attacker ('Suicide bomber kills 12') says nothing of the
        attacker's death, which news tolls mostly leave out."""
        suicide = self.role("suicide_modifier")
        counted = {figure.anchor_i for figure in figures if figure.victim_group == "perpetrators" and figure.casualty_type == "killed"}
        found: list[Figure] = []
        # Only the trigger words can be such a verb: looking them up by position spares
        # building every token of the doc.
        for position, entry in sorted(index.triggers.items()):
            verb = doc[position]
            if verb.pos_ != "VERB" or not entry.kills_only_self:
                continue
            if self.triggers.is_unreal(verb):
                continue
            subject = next((child for child in verb.children if child.dep_ == "nsubj"), None)
            if subject is None or subject.i in counted or subject.tag_ not in ("NN", "NNS", "NNP"):
                continue
            suicide_attacker = any(child.lower_ in suicide for child in subject.children)
            suicide_device = any(
                word.lower_ in suicide for child in verb.children if child.dep_ == "dobj" for word in child.subtree
            )
            if not (suicide_attacker or suicide_device):
                continue
            attackers = self._attackers_in(subject)
            if attackers is None:
                continue
            start = min([subject.i] + [token.i for child in subject.children if child.i < subject.i for token in child.subtree])
            found.append(Figure(
                casualty_type="killed",
                victim_group="perpetrators",
                value=attackers,
                qualifier="exact",
                value_low=attackers,
                value_high=attackers,
                value_start=max(start, subject.sent.start),
                value_end=subject.i + 1,
                number_i=subject.i,
                anchor_i=subject.i,
                trigger_i=verb.i,
                named_victims=True,
            ))
            counted.add(subject.i)
        return found

    def _found_bodies(self, doc: Doc, index: LexiconIndex, stated: set[tuple[int, str]], counted_tokens: set[int]) -> list[Figure]:
        """'His body was found the next day', 'police recovered the body of a teacher': the
        one person whose body a clause finds is dead, where the sentence counts no dead (a
        kidnapping's victim, found days later)."""
        found: list[Figure] = []
        for position, lower in enumerate(doc.to_array(LOWER).tolist()):
            if lower not in self._body_noun_ids:
                continue
            body = doc[position]
            if body.tag_ != "NN" or body.i in counted_tokens:
                continue
            verb = body.head
            if body.dep_ not in ("nsubjpass", "dobj") or verb.lower_ not in self.role("body_found_verb"):
                continue
            if self.triggers.is_unreal(verb):
                continue
            if any(child.lower_ in self.role("place_relative") for child in verb.children if child.i < body.i):
                continue  # 'lived a block from where his body was found' names a place by it
            if (body.sent.start, "killed") in stated:
                continue
            owner = self._owner_of_body(body, index)
            if owner is None:
                continue
            figure = Figure(
                casualty_type="killed",
                victim_group=index.group_of(owner),
                value=1,
                qualifier="exact",
                value_low=1,
                value_high=1,
                value_start=max(body.left_edge.i, body.sent.start),
                value_end=min(max(body.i, owner.i) + 1, body.sent.end),
                number_i=body.i,
                anchor_i=body.i,
                trigger_i=verb.i,
                named_victims=True,
            )
            found.append(figure)
            stated.add((body.sent.start, "killed"))
        return found

    def _owner_of_body(self, body: Token, index: LexiconIndex) -> Token | None:
        """The one person a body was: 'his body', 'John Doe's body', 'the body of a teacher'."""
        owners = [child for child in body.children if child.dep_ == "poss"]
        owners += [
            grandchild
            for child in body.children
            if child.dep_ == "prep" and child.lower_ == "of"
            for grandchild in child.children
            if grandchild.dep_ == "pobj"
        ]
        for owner in owners:
            if owner.lower_ in self.role("single_person_possessive") or self.people.is_one_person(owner, index, any_noun=False):
                return owner
        return None

    @staticmethod
    def _attacker_killed_by_others(trigger: Token, victim: Token, index: LexiconIndex) -> bool:
        """'Two guards were shot before officers killed the gunman': the attacker, killed by
        someone the clause names, is no more of the victims' count."""
        if index.group_of(victim) != "perpetrators":
            return False
        return any(
            (child.dep_ == "nsubj" and child != victim) or child.dep_ == "agent" for child in trigger.children
        )

    @staticmethod
    def _died_of_own_shot(trigger: Token, index: LexiconIndex) -> bool:
        """'A boy has died after he accidentally shot himself', 'Man dies after accidentally
        shooting himself', 'was killed after police say he shot himself': the death a
        shooting of oneself comes before in its sentence is the shooter's own."""
        clause = trigger.head if trigger.dep_ == "ccomp" else trigger  # 'after police say he shot himself'
        if clause.dep_ == "pcomp" and clause.head.lower_ == "after":
            death = clause.head.head
        elif clause.dep_ == "advcl" and any(child.dep_ == "mark" and child.lower_ == "after" for child in clause.children):
            death = clause.head
        else:
            return False
        entry = index.triggers.get(death.i)
        # The death is the subject's ('has died', 'was killed'), no killing of another ('killed his wife').
        return entry is not None and entry.casualty_type == "killed" and not any(child.dep_ == "dobj" for child in death.children)

    def died_by_own_hand(self, trigger: Token) -> bool:
        """'died of a self-inflicted gunshot wound', 'was found dead of a self-inflicted wound':
        the one who died turned the weapon on himself, an attacker as the databases count him."""
        clause = trigger.head if trigger.dep_ in ("acomp", "oprd", "xcomp") else trigger
        words = list(clause.subtree)
        return any(
            word.lower_ in self.role("own_hand_modifier") and position >= 2 and words[position - 1].text == "-" and words[position - 2].lower_ == "self"
            for position, word in enumerate(words)
        )

    def _death_counted_by_its_noun(self, trigger: Token) -> Token | None:
        """A headline's one death named by the noun alone: 'Army reports first combat death
        since truce', 'A death at the border post'. In running text 'a death' mostly refers to
        a victim a count elsewhere states."""
        if not is_headline(trigger) or trigger.tag_ != "NN" or trigger.lower_ not in self.role("one_death_noun"):
            return None
        modifiers = {child.lower_ for child in trigger.children if child.dep_ in ("det", "amod", "nummod") and child.i < trigger.i}
        return trigger if modifiers & self.role("one_death_modifier") else None

    def _unnumbered_victims_of(self, trigger: Token, index: LexiconIndex) -> Token | None:
        """A headline's victims in the plural with no number: 'Civilians killed as fighting
        flares', 'Rockets killing soldiers'. In running text such a plural is mostly generic
        ('soldiers killed in the war') or names people a count elsewhere states."""
        if not is_headline(trigger):
            return None
        if self._is_rising_toll(trigger):
            return trigger
        for victim, _ in self.victim_arguments(trigger, index):
            if self.is_unnumbered_plural(victim, index):
                return victim
        return None

    def _is_rising_toll(self, trigger: Token) -> bool:
        """'Death toll rises as fighting intensifies', 'Death toll mounts despite truce': a
        headline's toll that grows counts deaths, how many it does not say (a number would
        be the toll's own: 'toll rises to 28'). The parse may read 'toll mounts' as a
        compound noun."""
        return (
            trigger.lower_ in self.role("rising_toll_noun")
            and (trigger.dep_ == "nsubj" or (trigger.dep_ == "compound" and trigger.head.i == trigger.i + 1))
            and trigger.head.lower_ in self.role("rise_verb")
            and not any(child.dep_ == "neg" for child in trigger.head.children)
        )

    def is_unnumbered_plural(self, token: Token, index: LexiconIndex) -> bool:
        lower = token.lower_
        plural = token.tag_ in ("NNS", "NNPS") or (token.tag_ == "NN" and lower.endswith("men"))
        if not plural or not index.names_people(token) or lower in self.role("collective_noun"):
            return False
        # 'no soldiers', 'the civilians', 'two of the guards': a determiner or a number says how many or which.
        return not any(child.dep_ in ("det", "nummod", "quantmod", "poss", "prep", "conj") or child.like_num for child in token.children)

    def _attacker_killed_by_own_device(self, trigger: Token, index: LexiconIndex) -> Token | None:
        """'a bomber blew himself up' (the reflexive object), 'a suicide bomber detonated his
        vest', 'two suicide bombers self-detonated', 'a militant detonated his suicide vest'
        (suicide attackers setting off a device they carry): the attackers died."""
        doc = trigger.doc
        objects = [child for child in trigger.children if child.dep_ == "dobj"]
        for thing in objects:
            if thing.lower_ in self.role("reflexive_pronoun"):
                return thing
        # The parse may hang the possessive anywhere in a long name of the device ('his vehicle borne ... device').
        own_device = any(
            child.dep_ == "poss" and child.lower_ in self.role("own_possessive") for thing in objects for child in thing.children
        ) or (trigger.i + 1 < len(doc) and doc[trigger.i + 1].tag_ == "PRP$" and doc[trigger.i + 1].lower_ in self.role("own_possessive"))
        self_detonated = trigger.i >= 2 and doc[trigger.i - 1].text == "-" and doc[trigger.i - 2].lower_ == "self"
        if not (own_device or self_detonated):
            return None
        suicide_device = own_device and any(word.lower_ in self.role("suicide_modifier") for word in doc[trigger.i + 1 : trigger.i + 3])
        # The parse may give the verb a second subject out of the lead ('in Tikrit, Salah ad Din, Iraq, a bomber'),
        # or read the subject before 'self-' as a modifier of the verb.
        subject_deps = ("nsubj", "npadvmod") if self_detonated else ("nsubj",)
        subject = next(
            (
                subject
                for subject in trigger.children
                if subject.dep_ in subject_deps and subject.tag_ in ("NN", "NNS")
                and (suicide_device or self._is_suicide_attacker(subject, index))
            ),
            None,
        )
        return subject or self._suicide_attacker_before(trigger, index)

    def _suicide_attacker_before(self, trigger: Token, index: LexiconIndex) -> Token | None:
        """The suicide attacker named before his verb in its sentence, where the parse gave
        the verb no subject or another one: 'a suicide bomber, John Doe, detonated his vest'
        (the name read as the lead's), 'a suicide bomber disguised as a guard detonated his
        vest' (the guard read as the subject), 'a suicide bomber exchanged fire with guards
        before detonating his vest' (the subject of the main verb). Not one stopped: 'a suicide
        bomber was arrested'."""
        for token in reversed(trigger.doc[trigger.sent.start : trigger.i]):
            if self._is_suicide_attacker(token, index) and token.dep_ != "nsubjpass":
                return token
        return None

    def _is_suicide_attacker(self, token: Token, index: LexiconIndex) -> bool:
        return index.group_of(token) == "perpetrators" and any(child.lower_ in self.role("suicide_modifier") for child in token.children)

    def _attackers_in(self, subject: Token) -> int | None:
        """One suicide attacker, or as many as the number before them ('two suicide bombers');
        'suicide bombers' with no number are not counted."""
        if subject.tag_ != "NNS":
            return 1
        numbers = [child for child in subject.children if child.dep_ == "nummod" and child.like_num]
        if not numbers:
            return None
        amount = parse_number(numbers[0].text, self.lexicon)
        return amount if isinstance(amount, int) else None

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

    def _single_victim_of(self, trigger: Token, index: LexiconIndex, first_of_its_kind: bool) -> Token | None:
        """The one person a casualty word's clause names as its victim, if it names one
        ('another soldier was wounded' too, where no count of wounded came before)."""
        # Whatever a killing or wounding verb's object or passive subject is, it is a victim
        # ('the head of the council was killed'), and so is whoever a verb of dying has for
        # its subject ('the chairman died'); other roles need a word for a person, and so
        # does the passive of a verb of shooting or stabbing, said of cars and doors as well.
        entry = index.triggers[trigger.i]
        if entry.counts_fighters_only:
            return None
        passive_any_noun = not entry.outcome_in_complement and not entry.victim_named_as_person
        subject_any_noun = trigger.pos_ == "VERB" and not entry.transitive and entry.casualty_type == "killed"
        for victim, role in self.victim_arguments(trigger, index):
            # 'a computer operator sustained injuries': whoever suffers injuries is a person.
            any_noun = (role in ("dobj", "sufferer", "outcome_object") and not entry.victim_named_as_person) or (
                role == "nsubjpass" and passive_any_noun
            ) or (role == "nsubj" and subject_any_noun)
            if self.people.is_one_person(victim, index, any_noun=any_noun, first_of_its_kind=first_of_its_kind):
                return victim
        victim = self._passive_subject_in_the_lead(trigger)
        if victim is not None and self.people.is_one_person(victim, index, any_noun=passive_any_noun, first_of_its_kind=first_of_its_kind):
            return victim
        return None

    def _passive_subject_in_the_lead(self, trigger: Token) -> Token | None:
        """'in Khost, Afghanistan, a provincial official, John Doe, was killed': the parse hung
        the victim on the lead's list of places and left the passive verb without a subject.
        The noun right before the auxiliary (or the noun a name there stands beside) is it.
        'a local leader of the party, identified as John Doe, was shot and killed', parsed as
        the leader identifying: the noun the name after 'identified as' names."""
        verb = trigger
        if trigger.dep_ == "conj" and not any(child.dep_ == "auxpass" for child in trigger.children):
            verb = trigger.head  # 'was shot and killed': the auxiliary is the first verb's
        if any(child.dep_ in ("nsubj", "nsubjpass") for child in verb.children):
            return None
        auxiliary = next((child for child in verb.children if child.dep_ == "auxpass" and child.i < verb.i), None)
        if auxiliary is None or auxiliary.i < 2:
            return None
        doc = trigger.doc
        before = doc[auxiliary.i - 2] if doc[auxiliary.i - 1].text == "," else doc[auxiliary.i - 1]
        named = self._noun_named_as(before)
        if named is not None:
            return named
        if before.pos_ == "PROPN" and before.dep_ == "appos" and before.head.pos_ == "NOUN" and before.head.i < before.i:
            before = before.head  # 'a provincial official, John Doe,'
        before = _head_of_prepositions(before, noun_heads_only=True)  # 'another soldier of unknown origin was wounded'
        # The parse hung the subject on what came before: a list of places ('in Khost, Afghanistan,
        # a provincial official'), the object of the clause before ('When it exploded his son was
        # injured') or a list with the noun of a prepositional phrase ('killed in the attack and
        # another soldier was wounded').
        return before if before.pos_ == "NOUN" and before.dep_ in ("appos", "dobj", "conj") else None

    def _noun_named_as(self, name: Token) -> Token | None:
        """The noun before ', identified as John Doe': the subject the parse gave 'identified',
        the noun it hung the participle on, or else the noun phrase ending at the comma before
        it ('an employee of the embassy in Kathmandu', the place read as the lead's)."""
        preposition = name.head
        if name.dep_ != "pobj" or preposition.lower_ != "as" or preposition.head.lower_ not in self.role("naming_verb"):
            return None
        participle = preposition.head
        if participle.dep_ == "acl" and participle.head.i < participle.i:
            return participle.head
        subject = next((child for child in participle.children if child.dep_ == "nsubj" and child.i < participle.i), None)
        if subject is not None or participle.i < 2 or participle.doc[participle.i - 1].text != ",":
            return subject
        noun = _head_of_prepositions(participle.doc[participle.i - 2], noun_heads_only=False)  # 'of the embassy in Kathmandu' -> 'employee'
        return noun if noun.pos_ == "NOUN" and noun.dep_ == "appos" else None

    @staticmethod
    def _past_read_as_participle(verb: Token, thing: Token, index: LexiconIndex) -> bool:
        """'militants on a motorcycle injured an elderly man', 'a militant hacked to death a
        police officer', tagged as a participle (modifying the noun before, or the sentence's
        verb): a participle with no auxiliary takes no object of its own, so one right after
        it or its outcome phrase, with a determiner, makes it the past tense."""
        start = verb.i + 1
        for child in verb.children:
            if child.dep_ == "prep" and child.i == start and any(word.dep_ == "pobj" and word.i in index.triggers for word in child.children):
                start = child.right_edge.i + 1  # 'to death'
        return (
            verb.dep_ in ("acl", "ROOT")
            and not any(child.dep_ in ("aux", "auxpass") for child in verb.children)
            and thing.left_edge.i == start
            and any(child.dep_ in ("det", "poss") and child.i == start for child in thing.children)
        )

    def victim_arguments(self, trigger: Token, index: LexiconIndex) -> list[tuple[Token, str]]:
        """The words a casualty word's clause may name its victims by, objects first."""
        candidates: list[tuple[Token, str]] = []
        # A passive with an auxiliary of its own is a clause of its own: in 'a soldier was killed
        # and another was wounded' the soldier is no subject of 'wounded'.
        own_clause = any(child.dep_ == "auxpass" for child in trigger.children)
        entry = index.triggers[trigger.i]
        for verb in (trigger, trigger.head) if trigger.dep_ == "conj" else (trigger,):
            # 'shot and killed a man', 'a man was shot and killed': conjoined verbs share arguments;
            # an object only with another casualty word ('entered a house and shot ...').
            shares_object = verb is trigger or verb.i in index.triggers
            shares_subject = verb is trigger or not own_clause
            # 'John Doe, who was killed', 'a tribal elder who was murdered': a relative pronoun
            # names the noun its clause hangs on. Only for a killing told in the passive: 'a
            # man who was shot' is mostly someone a count of people shot holds, and 'the funeral
            # of John Doe, who died in November' tells of a death before the story's.
            killed_in_relative_clause = (
                verb.dep_ == "relcl" and entry.casualty_type == "killed" and entry.transitive
                and any(child.dep_ == "auxpass" for child in verb.children)
            )
            candidates += [
                (verb.head if killed_in_relative_clause and child.tag_ == "WP" else child, child.dep_)
                for child in verb.children
                if (child.dep_ in ("nsubjpass", "nsubj") and shares_subject) or (child.dep_ == "dobj" and shares_object)
            ]
        passive_gerund = next(
            (verb for verb in (trigger, trigger.head) if verb.dep_ == "pcomp" and any(child.dep_ == "auxpass" for child in verb.children)),
            None,
        )
        if passive_gerund is not None and not entry.outcome_in_complement and passive_gerund.head.dep_ == "prep":
            # 'The driver stopped the truck after being shot and injured': the main clause's subject.
            candidates += [(child, "nsubjpass") for child in passive_gerund.head.head.children if child.dep_ == "nsubj"][:1]
        if trigger.pos_ == "VERB":
            # 'Civilian dies in town': a bare subject the parse read as the verb's adjective.
            candidates += [(child, "nsubj") for child in trigger.children if child.dep_ == "amod" and child.i < trigger.i]
            # 'Shelling kills 8-year-old': a headline's bare age, read as the verb's adjectival complement, is its object.
            candidates += [
                (child, "dobj")
                for child in trigger.children
                if child.dep_ == "acomp" and child.i > trigger.i and child.lower_ in self.role("age_adjective")
            ]
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
        outcome = trigger.head
        if (
            trigger.dep_ == "pobj"
            and outcome.lower_ in self.role("outcome_preposition")
            and outcome.head.pos_ == "VERB"
            and outcome.head.lower_ not in self.role("later_act_verb")
        ):
            # 'stoned a man to death', 'beat him to death': whatever the verb, its object died
            # (not 'sentenced him to death').
            candidates += [(child, "outcome_object") for child in outcome.head.children if child.dep_ == "dobj"]
        # The object before the subject: in 'the shooting left a teen dead' the teen is the victim.
        candidates.sort(key=lambda candidate: candidate[1] not in ("dobj", "nsubjpass", "outcome_object"))
        if not candidates:
            return []
        reduced_passive = self.triggers.is_reduced_passive(trigger, needs_object(entry))  # 'Two soldiers killed in shelling'
        # 'one was killed, another wounded': a participle stating the outcome of its subject.
        elliptical_outcome = trigger.tag_ in ("VBN", "JJ") and self.triggers.is_elliptical_outcome(trigger)
        arguments: list[tuple[Token, str]] = []
        for victim, role in candidates:
            if role == "nsubj" and (
                (entry.transitive and not reduced_passive and not elliptical_outcome)
                or not self.triggers.valid_trigger(trigger, index, role="nsubj")
            ):
                continue  # the subject of an active 'killed' is the killer
            if role == "dobj" and not (entry.transitive and (trigger.tag_ != "VBN" or self._past_read_as_participle(trigger, victim, index))):
                continue
            arguments.append((victim, role))
        return arguments


def _head_of_prepositions(word: Token, noun_heads_only: bool) -> Token:
    """The word a chain of prepositional phrases ending at `word` hangs from, before it
    ('employee of the embassy in Kathmandu' -> 'employee'); with `noun_heads_only`, the chain
    is climbed only through common nouns."""
    while word.dep_ == "pobj" and word.head.dep_ == "prep" and word.head.head.i < word.i:
        if noun_heads_only and word.head.head.pos_ != "NOUN":
            break
        word = word.head.head
    return word
