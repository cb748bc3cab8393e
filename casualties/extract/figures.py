"""The `casualty_figures` component: the casualty figures of a parsed Doc.

It links each number to the word that makes it a casualty figure through the dependency
parse ('killed at least 14 people', 'left 34 people dead and 121 injured', 'the death toll
rose to at least 544', '496 of the dead were protesters') and stores the figures in
`doc._.casualty_figures` as plain dicts (they travel between processes as msgpack). The
numbers it links come from number_spans.py, the casualty words' grammar from triggers.py;
victims named without a number (single_victims.py) and totals of listed people
(listed_totals.py) join them; the figures of one shooting's dead and wounded are settled here.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from spacy.language import Language
from spacy.tokens import Doc, Token

from casualties.extract.lexicon import Lexicon
from casualties.extract.lexicon_pipe import CasualtyLexicon, LexiconIndex
from casualties.extract.listed_totals import ListedTotals
from casualties.extract.number_spans import NumberSpotter, word_after_number
from casualties.extract.numbers import make_quantity
from casualties.extract.people import PersonWords
from casualties.extract.records import FIGURES_ATTR, Figure, NumberSpan
from casualties.extract.single_victims import SingleVictims
from casualties.extract.tree import tree_distance
from casualties.extract.triggers import TriggerGrammar
from casualties.extract.words import words_in

PIPE_NAME = "casualty_figures"
# The longest aside between commas that may stand between counted people and their verb
# (the default of the pipe's `aside_tokens` setting).
ASIDE_TOKENS = 16
# A suicide attacker's sentence and the next name the victims of his blast; a killing told
# later in the story may be another one ('the mastermind was later shot dead by police').
BLAST_VICTIM_SENTENCES = 2
# 'was shot and is expected to survive': a word of survival this close to the shooting in the
# tree tells of those shot; further away it is another clause's.
SURVIVAL_TREE_DISTANCE = 2
# 'hospitalized for injuries', 'taken to a hospital with injuries': the wound's noun is the
# object of a preposition on the hospital's word.
WOUND_TREE_DISTANCE = 2
# The groups a side in a fight loses ('Ukraine loses two soldiers', 'the Taliban lost 20 militants').
FIGHTER_GROUPS = frozenset({"military", "security_forces", "perpetrators"})
# The dependencies of a word modifying the noun after it ('double homicide suspect').
NOUN_MODIFIERS = frozenset({"amod", "compound", "nmod"})


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
        self._readers_of: Lexicon | None = None  # the lexicon the readers were built on

    def __call__(self, doc: Doc) -> Doc:
        pipe: CasualtyLexicon = self.nlp.get_pipe(self.lexicon_pipe)
        if pipe.lexicon is not self._readers_of:
            self._read_with(pipe.lexicon)
        index = LexiconIndex(doc, pipe.lexicon)
        figures = self.find(doc, index)
        doc._.set(FIGURES_ATTR, [figure.as_record() for figure in figures])
        return doc

    def _read_with(self, lexicon: Lexicon) -> None:
        """The readers of numbers, casualty words and people, over the lexicon pipe's words."""
        self._readers_of = self.lexicon = lexicon
        self.role = lexicon.role
        self.numbers = NumberSpotter(lexicon)
        self.triggers = TriggerGrammar(lexicon, self.aside_tokens, self.numbers)
        self.people = PersonWords(lexicon)
        self._victim_multiple_words = frozenset(lexicon.victim_multiples)
        self.single_victims = SingleVictims(lexicon, self.triggers, self.people)
        self.listed_totals = ListedTotals(lexicon, self.triggers, self.people, self.single_victims)

    def find(self, doc: Doc, index: LexiconIndex) -> list[Figure]:
        numbers = self.numbers.find(doc, index)
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
        figures = self.listed_totals.with_listed_totals(doc, figures)
        coordinated = self.listed_totals.coordinated_totals(doc, index, figures)
        figures = [
            figure for figure in figures if not any(self.listed_totals.is_part_of_list(figure, total) for total in coordinated)
        ] + coordinated
        figures += self._crimes_of_several_victims(doc, figures)
        figures += self.single_victims.find(doc, index, figures)
        figures += self.listed_totals.listed_attackers(doc, index, figures)
        figures = self._victims_beside_their_attacker(doc, index, figures)
        figures = self._survivors_of_shootings(doc, index, figures)
        figures = self._attackers_among_the_dead(doc, index, figures)
        figures = self._attackers_who_turned_from_others(doc, index, figures)
        figures += self._hospitalized_with_wounds(doc, index, figures)
        figures.sort(key=lambda figure: figure.value_start)
        return self._once_per_sentence(doc, figures)

    def _crimes_of_several_victims(self, doc: Doc, figures: list[Figure]) -> list[Figure]:
        """'A double homicide', 'the triple-murder', 'a quadruple shooting': news names a
        crime by the number of its victims, the dead of a killing's noun and everyone shot
        (the dead among them) of a shooting's. Only the singular: 'triple murders' are
        several crimes. A number the sentence counts with the noun stays its count. A
        multiple that is a verb multiplies ('could double shooting deaths'), and a crime
        noun modifying a casualty or count noun ('double shooting deaths', 'the killing
        tally') names a class of deaths the head counts itself; a crime noun modifying
        anything else is the one crime's ('a double homicide suspect')."""
        counted_triggers = {figure.trigger_i for figure in figures}
        found: list[Figure] = []
        for multiple in words_in(doc[:], self._victim_multiple_words):
            after = word_after_number(doc, multiple.i + 1)
            if after is None or after.i in counted_triggers:
                continue
            if multiple.pos_ == "VERB" and not (multiple.dep_ in NOUN_MODIFIERS and multiple.head == after):
                continue  # the tagger's verb modifying the noun is still its multiple ('respond to double homicide')
            noun = after.lower_
            if noun in self.role("crime_of_several_dead"):
                casualty_type, all_shot = "killed", False
            elif noun in self.role("crime_of_several_shot"):
                casualty_type, all_shot = "injured", True
            else:
                continue
            modified = [word.head for word in (after, multiple) if word.dep_ in NOUN_MODIFIERS and word.head.i > after.i]
            if any(self._counts_deaths_itself(head) for head in modified):
                continue
            victims = self.lexicon.victim_multiples[multiple.lower_]
            found.append(Figure(
                casualty_type=casualty_type,
                victim_group=None,
                value=victims,
                qualifier="exact",
                value_low=victims,
                value_high=victims,
                value_start=multiple.i,
                value_end=after.i + 1,
                number_i=multiple.i,
                anchor_i=after.i,
                trigger_i=after.i,
                all_shot=all_shot,
            ))
        return found

    def _counts_deaths_itself(self, head: Token) -> bool:
        """A noun after a crime's name that counts casualties or crimes itself ('deaths', 'tally')."""
        return head.lower_ in self.lexicon.triggers or head.lower_ in self.role("count_noun")

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
                if attacker is not None and attacker.tag_ == "NNS":
                    # 'ten deaths (including the attackers)': the attackers the story counted before.
                    counted = [
                        other
                        for other in figures
                        if other.victim_group == "perpetrators" and other.casualty_type == figure.casualty_type and other.anchor_i < attacker.i
                    ]
                elif attacker is not None:
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
            if attackers == 0 and self._counts_the_dead_found(doc[figure.trigger_i]):
                # Whether those found dead count an attacker who turned the gun on himself is
                # the story's to settle (StoryReader): he may be told of in another paragraph.
                kept.append(replace(figure, dead_found=True))
                continue
            if attackers == 0 or attackers >= (figure.value_low or 0):
                kept.append(figure)
                continue
            kept.append(Figure(**{
                **asdict(figure),
                "value": None if figure.value is None else figure.value - attackers,
                "value_low": None if figure.value_low is None else figure.value_low - attackers,
                "value_high": None if figure.value_high is None else figure.value_high - attackers,
            }))
        return [replace(figure, by_own_hand=True) if self._died_by_own_hand(doc, figure) else figure for figure in kept + added]

    def _victims_beside_their_attacker(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
        """'A mother shot her husband and three sons before killing herself': victims named
        as the objects of a killing in a sentence whose attacker turns the weapon on
        himself are a toll that takes the attacker back in reconciliation, no count of
        named victims that may name him again ('he shot himself and died'). So are the
        victims a suicide attacker's blast killed, named in his sentence or the next ('a
        suicide bomber detonated his vest, killing the governor', '... The governor was
        killed along with two guards'): the attacker set off the device, no one named
        as killed by it is he, unless a pronoun names him again ('he died instantly'). And
        so are the objects of an attacker's killing where others killed the attacker ('a
        gunman shot and killed a guard ... the gunman was killed by return fire'), and the
        people listed as killed ('an officer and his wife were killed ... one gunman was
        killed as police returned fire'): the attacker is one of neither."""
        own_hand_sentences = {
            (doc[figure.anchor_i].sent.start, figure.casualty_type)
            for figure in figures
            if figure.victim_group == "perpetrators" and doc[figure.anchor_i].lower_ in self.role("reflexive_pronoun")
        }
        sentence_starts = [sentence.start for sentence in doc.sents]
        # The sentence of a suicide attacker killed by his own device, and the one after it.
        blast_sentences = {
            start
            for figure in figures
            if figure.victim_group == "perpetrators" and figure.casualty_type == "killed" and self._killed_by_own_device(index, figure)
            for start in sentence_starts[sentence_starts.index(doc[figure.anchor_i].sent.start) :][:BLAST_VICTIM_SENTENCES]
        }

        attackers_killed_by_others = any(
            figure.victim_group == "perpetrators" and figure.casualty_type == "killed"
            and doc[figure.anchor_i].lower_ not in self.role("reflexive_pronoun") and not self._killed_by_own_device(index, figure)
            for figure in figures
        )

        def counted_beside_attacker(figure: Figure) -> bool:
            victim = doc[figure.anchor_i]
            if (victim.sent.start, figure.casualty_type) in own_hand_sentences and victim.dep_ == "dobj":
                return True
            # 'killed the bomber and seven others': a list naming the attacker counts him already.
            if figure.casualty_type != "killed" or any(index.group_of(word) == "perpetrators" for word in doc[figure.value_start : figure.value_end]):
                return False
            if attackers_killed_by_others and victim.dep_ == "dobj" and self._killed_by_a_subject(victim):
                return True  # 'a gunman shot and killed a guard ... the gunman was killed by return fire'
            if attackers_killed_by_others and victim.dep_ == "nsubjpass" and (figure.value or 0) >= 2:
                return True  # 'an officer and his wife were killed ... one gunman was killed as police returned fire'
            return victim.sent.start in blast_sentences and victim.dep_ in ("dobj", "nsubjpass") and victim.pos_ != "PRON"

        return [
            Figure(**{**asdict(figure), "named_victims": False})
            if figure.named_victims and figure.victim_group != "perpetrators" and counted_beside_attacker(figure)
            else figure
            for figure in figures
        ]

    def _attackers_who_turned_from_others(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
        """'shot her baby and then himself', 'targeted her and her mother before killing
        himself', 'killed his two children and himself': an attacker who turned the weapon
        on himself after others in his own clause; the story reads his victims as a toll he
        is added to (StoryReader). 'He shot himself and died', 'a boy who accidentally shot
        himself' name no one else he acted on."""
        reflexive_attackers = [
            figure
            for figure in figures
            if figure.victim_group == "perpetrators" and doc[figure.anchor_i].lower_ in self.role("reflexive_pronoun")
        ]
        if not reflexive_attackers:
            return figures
        # A name is a person where a figure counts it as a victim ('shot Jo Bell'): a name
        # read nowhere as one may be a bank or a town ('robbed Chase Bank').
        victim_words = {
            position
            for figure in figures
            if figure.victim_group != "perpetrators"
            for position in (*range(figure.value_start, figure.value_end), figure.anchor_i)
        }
        return [
            replace(figure, turned_from_others=True)
            if figure in reflexive_attackers and self._acted_on_others(doc[figure.anchor_i], index, victim_words)
            else figure
            for figure in figures
        ]

    def _acted_on_others(self, reflexive: Token, index: LexiconIndex, victim_words: set[int]) -> bool:
        """Whether a verb of the clause of an attacker's 'himself' (the verbs it is
        coordinated with or follows, 'before', 'then') has a person as its object: 'her', 'his
        wife', 'John Doe'. A relative or reported clause is another's ('police charged the
        mother of a girl who shot herself')."""
        if reflexive.dep_ == "conj" and reflexive.head.dep_ == "dobj" and self._is_person(reflexive.head, index, victim_words):
            return True  # 'killed his two children and himself'
        verbs: list[Token] = []
        word = reflexive
        while word.dep_ in ("dobj", "pobj", "prep", "conj", "advcl", "pcomp", "xcomp") and word.head != word:
            word = word.head
            if word.pos_ in ("VERB", "AUX"):
                verbs.append(word)
        verbs += [child for verb in list(verbs) for child in verb.children if child.dep_ == "conj" and child.pos_ == "VERB"]
        return any(
            self._is_person(target, index, victim_words)
            for verb in verbs
            for child in verb.children
            if child.dep_ == "dobj" and child.lower_ not in self.role("reflexive_pronoun")
            for target in (child, *(conj for conj in child.children if conj.dep_ == "conj"))
        )

    def _is_person(self, word: Token, index: LexiconIndex, victim_words: set[int]) -> bool:
        lower = word.lower_
        if lower in self.role("reflexive_pronoun"):
            return False
        return (
            lower in self.role("single_person_pronoun")
            or lower in self.role("plural_person_pronoun")
            or (word.pos_ == "PROPN" and word.i in victim_words)
            or index.names_people(word)
        )

    @staticmethod
    def _killed_by_a_subject(victim: Token) -> bool:
        """'gunmen shot and killed a guard': the object of a verb whose subject did the killing."""
        verbs = [victim.head] + ([victim.head.head] if victim.head.dep_ == "conj" else [])
        return any(child.dep_ == "nsubj" for verb in verbs for child in verb.children)

    @staticmethod
    def _killed_by_own_device(index: LexiconIndex, figure: Figure) -> bool:
        entry = index.triggers.get(figure.trigger_i)
        return entry is not None and entry.kills_only_self

    def _died_by_own_hand(self, doc: Doc, figure: Figure) -> bool:
        """An attacker who turned the gun on himself ('before killing himself', 'died of a
        self-inflicted wound'); not a suicide bomber, whose remains a count of bodies may
        leave out."""
        if figure.victim_group != "perpetrators" or figure.casualty_type != "killed" or not figure.named_victims:
            return False
        return doc[figure.anchor_i].lower_ in self.role("reflexive_pronoun") or self.single_victims.died_by_own_hand(doc[figure.trigger_i])

    def _counts_the_dead_found(self, trigger: Token) -> bool:
        """'were found dead', 'found shot dead', 'Police discover 3 bodies': a count of the dead
        as they were found, whoever killed whom."""
        return trigger.lower_ == "bodies" or any(verb.lower_ in self.role("dead_found_verb") for verb in (trigger.head, trigger.head.head))

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
        """Attackers named by a noun and no number that a toll includes: one ('four dead,
        including the shooter', 'five people including the leader and the bomber') or those
        the story told of ('ten deaths, including the attackers')."""
        for token in doc[min(toll)].sent:
            one = token.tag_ in ("NN", "NNP")
            those_told_of = token.tag_ == "NNS" and not any(child.dep_ == "nummod" or child.like_num for child in token.children)
            if token.dep_ in ("pobj", "conj") and index.group_of(token) == "perpetrators" and (one or those_told_of):
                if self._is_included_in(token, toll):
                    return token
        return None

    def _survivors_of_shootings(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
        """'Five people were shot, two of whom died', 'four were shot, three fatally', 'he
        shot six people, killing a girl': a shooting's count holds the dead it goes on to
        name, so its wounded are the rest (none when all of them died). A count of wounded
        holds only the dead counted out of it: 'three were wounded, one of whom died later',
        'five were wounded, two of them fatally'."""
        kept: list[Figure] = []
        for shot in figures:
            entry = index.triggers.get(shot.trigger_i)
            if shot.casualty_type != "injured" or entry is None or shot.value is None:
                kept.append(shot)
                continue
            is_shooting = entry.outcome_in_complement or self._suffered_a_gunshot_wound(doc[shot.trigger_i])
            dead = sum(
                figure.value or 0
                for figure in figures
                if figure.casualty_type == "killed" and figure.value_start > shot.value_start
                and (
                    self._is_part_of_shooting(doc, figure, shot)
                    if is_shooting
                    # 'killed one of them' in the next sentence is of other people (the gunmen)
                    else doc[figure.number_i].sent == doc[shot.number_i].sent and self._is_share_of(doc, figure, shot)
                )
            )
            if dead == 0 and (not is_shooting or self._counts_others(doc[shot.anchor_i]) or self._survived(doc[shot.trigger_i])):
                kept.append(shot)  # 'A boy was killed and six others shot', 'was shot but survived': the wounded
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

    def _hospitalized_with_wounds(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
        """'The four victims were hospitalized for non-life-threatening injuries', 'two others
        were hospitalized in critical condition', 'five were taken to a hospital with
        injuries': those in hospital with wounds or in a condition are the wounded too, where
        their sentence counts no wounded and tells of no death there ('taken to a hospital,
        where he died'; 'rushed to the hospital' alone says nothing of wounds)."""
        wounded_sentences = {doc[figure.number_i].sent.start for figure in figures if figure.casualty_type == "injured"}
        wounded: list[Figure] = []
        for figure in figures:
            if figure.casualty_type != "hospitalized" or figure.value is None:
                continue
            trigger = doc[figure.trigger_i]
            if trigger.sent.start in wounded_sentences:
                continue
            with_wounds = any(
                word.lower_ in self.role("wounded_state") and word.dep_ == "pobj" and tree_distance(word, trigger) <= WOUND_TREE_DISTANCE
                for word in trigger.sent
            )
            died_there = any(
                word.i in index.triggers and self.triggers.casualty_type(word, index) == "killed" for word in trigger.subtree
            )
            if with_wounds and not died_there:
                wounded.append(replace(figure, casualty_type="injured"))
        return wounded

    def _suffered_a_gunshot_wound(self, trigger: Token) -> bool:
        """'The girl suffered a gunshot wound': one shot, as 'she was shot' is, whether she
        lived the sentence does not say."""
        return (
            trigger.dep_ == "dobj"
            and trigger.head.lower_ in self.role("suffer_verb")
            and any(child.lower_ in self.role("gunshot_noun") for child in trigger.children)
        )

    def _survived(self, trigger: Token) -> bool:
        """'was shot but survived', 'survives being shot', 'was shot and is expected to
        survive', 'suffered a gunshot wound and survived': those shot lived."""
        verb = trigger.head if trigger.dep_ == "dobj" else trigger  # 'suffered' of 'suffered a gunshot wound'
        return any(word.lower_ in self.role("survive_verb") and tree_distance(word, verb) <= SURVIVAL_TREE_DISTANCE for word in trigger.sent)

    def _counts_others(self, anchor: Token) -> bool:
        """'three other people', 'six others': people besides those the story named."""
        others = self.role("other_people")
        return anchor.lower_ in others or any(child.lower_ in others for child in anchor.children)

    def _is_share_of(self, doc: Doc, dead: Figure, counted: Figure) -> bool:
        """Deaths counted out of a count: on its own verb ('three fatally') or out of them
        ('two of whom died')."""
        return dead.trigger_i == counted.trigger_i or self._refers_back(doc[dead.number_i])

    def _is_part_of_shooting(self, doc: Doc, dead: Figure, shot: Figure) -> bool:
        """Deaths counted among a shooting's victims: on its own verb ('three fatally'), out
        of them ('two of whom died') or in a clause of its verb with no subject of its own
        ('shot six people, killing a girl')."""
        if self._is_share_of(doc, dead, shot):
            return True
        trigger = doc[dead.trigger_i]
        return (
            trigger.dep_ in ("advcl", "xcomp")
            and trigger.head.i == shot.trigger_i
            and not any(child.dep_ in ("nsubj", "nsubjpass") for child in trigger.children)
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
        linked = self.triggers.trigger(doc, index, number, root, anchor)
        if linked is None:
            return None
        trigger, direct = linked
        entry = index.triggers.get(trigger.i)
        victim_named_as_person = entry is not None and entry.victim_named_as_person
        # A bare number counts nobody for such a verb: 'the Tigers lost 3-1'.
        if (anchor != root or victim_named_as_person) and not self._anchor_may_be_victims(anchor, index, direct, victim_named_as_person):
            return None
        if anchor != root and self._is_whole_of_a_share(anchor) and trigger.head != anchor:
            return None  # 'two of the four attackers were killed': the four are no count of the dead
        if self._is_rate(anchor, trigger, root) or self.triggers.is_hypothetical(trigger) or self.triggers.has_other_cause(trigger):
            return None
        if self._is_negated(trigger, index):
            return None  # 'two guards were not injured': people the attack spared
        if (trigger == anchor and self._is_partial_count(trigger, index)) or self._is_war_wide(doc, trigger):
            # 'the bodies of two guards were found' counts the guards, all of them dead.
            return None
        if trigger == anchor and self.triggers.is_verb_read_as_noun(anchor, index, number):
            # '9 shot, 1 fatally': the outcome words after the first count are the next count's.
            casualty_type = index.triggers[trigger.i].casualty_type
        else:
            casualty_type = self.triggers.own_outcome(root, index) or self.triggers.casualty_type(trigger, index)
        group = self._group(doc, index, anchor, root, number)
        if entry is not None and entry.counts_fighters_only and group not in FIGHTER_GROUPS:
            return None
        if group is None and anchor == root and trigger.dep_ in ("acl", "relcl", "amod") and not _comma_between(trigger, trigger.head):
            group = index.group_of(trigger.head)  # 'the number of children killed rose to 5'
        if group is None and anchor == root and casualty_type == "killed":
            # 'two of the gunmen were killed': the people the number counts some of. Not for
            # the wounded: 'wounding one of the assailants' may be one of the victims' count.
            group = self._group_of_members(root, index)
        return self._figure(doc, number, root, anchor, trigger, casualty_type, group)

    @staticmethod
    def _is_whole_of_a_share(anchor: Token) -> bool:
        """'two of the four attackers', 'one of the three guards': the people a count before
        'of the' takes its share of."""
        preposition = anchor.head
        return (
            anchor.dep_ == "pobj"
            and preposition.lower_ == "of"
            and preposition.head.pos_ == "NUM"
            and any(child.dep_ == "det" and child.lower_ == "the" for child in anchor.children)
        )

    @staticmethod
    def _is_negated(trigger: Token, index: LexiconIndex) -> bool:
        """A casualty word its sentence denies, unless the word states its casualty by the
        denial ('three people were not found': missing)."""
        entry = index.triggers.get(trigger.i)
        return not (entry is not None and entry.requires_negation) and any(child.dep_ == "neg" for child in trigger.children)

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
        # 'Two dozen rebels' is often parsed with 'dozen' as a compound of 'rebels'.
        counts_head = root.dep_ in ("nummod", "quantmod", "amod") or (root.dep_ == "compound" and root.lower_ in self.lexicon.multipliers)
        if counts_head and head.pos_ in ("NOUN", "PROPN") and head.i > root.i:
            if head.tag_ in ("NN", "NNP") and _comma_between(root, head):
                return root  # 'Eight injured, suspect arrested': a headline's next clause, no noun it counts
            anchor = head
            while anchor.dep_ in ("compound", "nmod") and anchor.head.pos_ == "NOUN" and anchor.head.i > anchor.i and (
                anchor.pos_ == "PROPN" or (anchor.dep_ == "compound" and anchor.head.lower_ in self.lexicon.group_words)
            ):
                # A name or a noun between number and noun: 'two Ahle Sunnat Wal Jamaat (ASJW)
                # cadres', 'nine cattle herders' (the number hung on 'cattle'); not '13 toddler
                # shooting deaths', which names no people to count.
                anchor = anchor.head
            return anchor
        if root.dep_ == "compound" and head.pos_ == "PROPN" and head.dep_ == "compound" and head.head.pos_ == "NOUN" and head.i > root.i:
            return head.head  # a name between number and noun: 'Four Ukraine soldiers', read as a compound
        return root

    def _anchor_may_be_victims(self, anchor: Token, index: LexiconIndex, direct: bool, victim_named_as_person: bool) -> bool:
        non_casualty = self.lexicon.non_casualty.get(anchor.lower_)
        if non_casualty is not None and not index.names_people(anchor):
            return direct and non_casualty.casualty_when_trigger_argument
        if index.names_people(anchor) or anchor.i in index.triggers:
            return True
        # 'killed 5 miners': an unknown noun counts only as the trigger's own argument, and
        # never for a verb that also takes things ('lost 3 games', 'assaulted 2 checkpoints').
        return direct and not victim_named_as_person

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

    def _group(self, doc: Doc, index: LexiconIndex, anchor: Token, root: Token, number: NumberSpan) -> str | None:
        if anchor != root and self.triggers.sharing_the_count(anchor, index):
            return None  # '34 soldiers, civilians': people of more than one group
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
        own_outcome = self.triggers.own_outcome(root, index)
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
        head, dep = self.triggers.governor(anchor, number)
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


def _comma_between(left: Token, right: Token) -> bool:
    """A comma between two words the parse joined: in a headline, the start of its next
    clause ('Eight injured, suspect arrested'), which the number neither counts nor groups."""
    return any(token.text == "," for token in left.doc[min(left.i, right.i) + 1 : max(left.i, right.i)])


@Language.factory(
    PIPE_NAME,
    requires=["token.dep", "token.head"],
    default_config={"lexicon_pipe": "casualty_lexicon", "aside_tokens": ASIDE_TOKENS},
)
def make_casualty_figures(nlp: Language, name: str, lexicon_pipe: str, aside_tokens: int) -> FigureFinder:
    return FigureFinder(nlp, name, lexicon_pipe, aside_tokens)
