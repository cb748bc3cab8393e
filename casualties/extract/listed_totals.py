"""Totals made of listed people: 'two adults and six children were killed', 'killing a
policeman, two soldiers and a child', 'the gunman and three others died'."""

from __future__ import annotations

import itertools

from spacy.tokens import Doc, Token

from casualties.extract.lexicon import Lexicon
from casualties.extract.lexicon_pipe import LexiconIndex
from casualties.extract.numbers import parse_number
from casualties.extract.people import PersonWords
from casualties.extract.records import Figure
from casualties.extract.single_victims import MIN_PLURAL, SINGLE_VICTIM_TYPES, SingleVictims
from casualties.extract.triggers import TriggerGrammar, is_headline


class ListedTotals:
    def __init__(
        self, lexicon: Lexicon, triggers: TriggerGrammar, people: PersonWords, single_victims: SingleVictims
    ) -> None:
        self.lexicon = lexicon
        self.role = lexicon.role
        self.triggers = triggers
        self.people = people
        self.single_victims = single_victims

    def with_listed_totals(self, doc: Doc, figures: list[Figure]) -> list[Figure]:
        """'The blast killed three women, four children and two men': counts listed one after
        another under one casualty word add up to the total the sentence does not state; a
        generic count inside the list ('two men') is a part of it, not a total. A list that
        breaks down a count ('including five children and two women', 'four civilians, three
        of them shop owners') adds up to nothing new.
        The attackers in a list are counted apart ('three soldiers and 15 militants')."""
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
                if all(token.lower_ in (",", "and") for token in between) and not self._is_part_of_count_before(doc, figure):
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
                if len(run) >= 3 and run[0].value == sum(figure.value or 0 for figure in run[1:]):
                    continue  # 'six people, three men and three women': a count, then its breakdown
                # Attackers listed among the dead ('six soldiers and eight militants') keep their
                # own figure, which reconciliation adds to the victims' total.
                victims = [figure for figure in run if figure.victim_group != "perpetrators"]
                if not victims:
                    continue
                total = sum(figure.value or 0 for figure in victims)
                sentence = first.sent
                if any(
                    other.casualty_type == casualty_type and other not in run and (other.value or 0) >= total
                    and sentence.start <= other.number_i < sentence.end
                    for other in figures
                ):
                    continue
                parts.update(id(figure) for figure in run if figure.victim_group is None)
                totals.append(
                    Figure(casualty_type, None, total, "exact", total, total, victims[0].value_start, victims[-1].value_end,
                           victims[0].number_i, victims[0].anchor_i, trigger_i)
                )
        return [figure for figure in figures if id(figure) not in parts] + totals

    def coordinated_totals(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
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
            if entry.casualty_type not in SINGLE_VICTIM_TYPES or entry.overrides_head or entry.noun_only or entry.names_victim_apart or entry.counts_fighters_only:
                continue
            for head, role in self.single_victims.victim_arguments(trigger, index):
                # 'found a woman and two slain children': an adjective for a casualty before its
                # noun counts that noun and the list after it, not the people listed before
                # ('Man, two children dead' puts it after the whole list).
                on_its_noun = trigger.dep_ == "amod" and trigger.head == head and trigger.i < head.i
                conjuncts = [head, *(token for token in head.conjuncts if not (on_its_noun and token.i < head.i))]
                if role == "dobj":
                    # 'killing the director, two guards and a driver': a list the parse split into objects.
                    # 'killing the governor, John Doe, his two guards and a driver': the parse may make
                    # the name after a comma a modifier of the verb and hang the rest of the list on it.
                    conjuncts += [
                        token
                        for other in head.head.children
                        if other.dep_ in ("dobj", "npadvmod") and other.i > head.i and other.left_edge.i > 0
                        and doc[other.left_edge.i - 1].text == ","
                        and (other.dep_ == "dobj" or other.pos_ == "PROPN")
                        for item in ((other,) if other.dep_ == "dobj" else (child for child in other.children if child.dep_ == "appos"))
                        for token in (item, *item.conjuncts)
                    ]
                    # 'wounding him and two of his guards': the number hung on the verb.
                    conjuncts += [
                        other
                        for other in head.head.children
                        if other.dep_ == "conj" and other.pos_ == "NUM" and other.i > head.i and self._counts_people_of(other, index)
                    ]
                    # 'shot and killed the imam, and his wife': the last item, after ', and', hung on
                    # the verb or on the verb the killing is joined to.
                    verbs = (head.head, head.head.head) if head.head.dep_ == "conj" else (head.head,)
                    conjuncts += [
                        other
                        for verb in verbs
                        for other in verb.children
                        if other.dep_ == "conj" and other.i > head.i and doc[other.left_edge.i - 1].lower_ == "and"
                        and (other.pos_ == "PROPN" or (other.pos_ == "NOUN" and index.names_people(other)))
                    ]
                    conjuncts += [attacker for attacker in self._headline_attackers(trigger) if attacker.i > head.i]
                if role in ("nsubj", "nsubjpass"):
                    # 'a woman, her son and her daughter were killed': a list the parse split into subjects.
                    conjuncts += [
                        token
                        for other in head.head.children
                        if other.dep_ == head.dep_ and head.i < other.i < trigger.i and self._follows_in_list(head, other)
                        for token in (other, *other.conjuncts)
                    ]
                    conjuncts += self._first_item_before_a_plural_verb(head)
                conjuncts += self._along_with(trigger, head)
                for child in head.children:
                    # 'John Doe, Mary Roe and Jim Poe': the parse hangs a list of names as an
                    # apposition holding the rest of the list.
                    if child.dep_ == "appos" and child.conjuncts and (
                        child.pos_ == head.pos_ == "PROPN"
                        or self._continues_list_of_one(head, child, index)
                        or self._ends_with_the_attacker(child)
                    ):
                        conjuncts += [child, *child.conjuncts]
                    elif child.dep_ == "appos" and self._headline_pair(head, child, index):
                        conjuncts.append(child)
                    elif child.dep_ == "appos" and child.conjuncts and head.pos_ == "PROPN" and child.pos_ == "NOUN":
                        # 'killing John Doe, his brother and a driver': after a name, a noun with a
                        # possessive is one more person, and so are the items joined to it. One without
                        # says who he was ('John Doe, a teacher and member of the council'), and only a
                        # count or an item set off by ', and' joined to it is more people ('John Doe,
                        # the elder, and two more victims').
                        if any(item.dep_ == "poss" for item in child.children):
                            conjuncts += [child, *child.conjuncts]
                        else:
                            conjuncts += [
                                item
                                for item in child.conjuncts
                                if item.pos_ == "NUM" or any(number.dep_ == "nummod" for number in item.children)
                                or doc[item.left_edge.i - 2 : item.left_edge.i].text == ", and"
                            ]
                    elif child.dep_ == "appos" and child.pos_ == "PROPN":
                        # 'the governor, John Doe, his two guards and a driver': the rest of the
                        # list hung on the first one's name.
                        conjuncts += [
                            token
                            for item in child.children
                            if item.dep_ == "appos" and item.conjuncts and self._continues_list_of_one(head, item, index)
                            for token in (item, *item.conjuncts)
                        ]
                        # 'a teacher, John Doe, and his friend': the items joined to the name.
                        conjuncts += [item for item in child.conjuncts if self._continues_list_of_one(head, item, index)]
                # '3 soldiers killed, 9 others injured': an item with a casualty word of another
                # type is that word's count ('a woman shot in the leg, a man shot in the hand' are one list).
                casualty_type = self.triggers.casualty_type(trigger, index)
                conjuncts = [head] + [
                    token
                    for token in conjuncts[1:]
                    if not any(
                        child.dep_ in ("acl", "amod") and child.i in index.triggers and self.triggers.casualty_type(child, index) != casualty_type
                        for child in token.children
                    )
                ]
                conjuncts = [
                    token
                    for position, token in enumerate(conjuncts)
                    if position == 0
                    or not (
                        self.people.names_the_one_before(conjuncts[position - 1], token)
                        or self.people.is_another_role_of(conjuncts[position - 1], token)
                        or self._counts_part_of_them(token)
                    )
                ]
                if len(conjuncts) < 2:
                    own_object = role == "dobj" and head.head == trigger and trigger.pos_ == "VERB"
                    read = self._list_read_in_words(head, index, any_noun=not entry.victim_named_as_person) if own_object else None
                    key = (trigger.sent.start, casualty_type)
                    if read is not None and stated_totals.get(key, 0) < read[0]:
                        total, end = read
                        stated_totals[key] = total
                        totals.append(
                            Figure(casualty_type, None, total, "exact", total, total, head.left_edge.i, end, head.i, head.i,
                                   trigger_i, named_victims=True)
                        )
                    continue
                # Any noun counts where it would count alone ('the governor was killed along with two guards').
                any_noun = not entry.victim_named_as_person and (role == "dobj" or (role == "nsubjpass" and not entry.outcome_in_complement))
                # 'killed his wife and himself': the attacker is no victim of his own toll but the
                # perpetrators' figure (listed_attackers); the victims listed beside him are a toll
                # that takes him back, no count of named victims that may name him again.
                reflexives = self.role("reflexive_pronoun") | self.role("plural_reflexive_pronoun") | self.role("headline_self")
                victims = [token for token in conjuncts if token.lower_ not in reflexives]
                beside_attacker = len(victims) < len(conjuncts)
                conjuncts = victims
                # 'Six soldiers and civilians wounded': a number before a plural counts the items after it too.
                numbered = any(token.pos_ == "NUM" or any(child.dep_ == "nummod" for child in token.children) for token in conjuncts)
                counts = [self._listed_count(token, index, any_noun=any_noun, unnumbered_list=not numbered) for token in conjuncts]
                if not counts or any(count is None for count in counts):
                    break
                listed = [count for count, _ in filter(None, counts)]
                # 'killing the driver and at least three other people': at least the list's total.
                qualifier = "at_least" if any(count[1] == "at_least" for count in counts if count is not None) else "exact"
                if len(listed) >= 3 and listed[0] == sum(listed[1:]):
                    break  # 'six people, three men and three women': a count, then its breakdown
                total = sum(listed)
                key = (trigger.sent.start, casualty_type)
                if stated_totals.get(key, 0) >= total:
                    break
                stated_totals[key] = total
                start = min(token.left_edge.i for token in conjuncts)
                end = max(token.i for token in conjuncts) + 1
                totals.append(
                    Figure(casualty_type, None, total, qualifier, total, total if qualifier == "exact" else None, start, end, head.i,
                           head.i, trigger_i, named_victims=not beside_attacker)
                )
                break
        return totals

    def _list_read_in_words(self, head: Token, index: LexiconIndex, any_noun: bool) -> tuple[int, int] | None:
        """The people of a list of objects the parse broke apart, read from its words: 'killing
        the director, two guards and one civilian', 'killing police chief of the province, John
        Doe and two other officers', 'killed John Doe, the deputy chief, his daughter, Ann, and
        his driver'. After the first object's own words (up to the first comma or 'and'), each
        item set off by a comma or 'and' is a count of people, one person (an article or a
        possessive before a word for a person), a name, or a description: a name, or a title
        before a name, names the people just listed while any are unnamed, and an article after
        one person or his name says who he was ('his boss, a teacher'). The reading stops at the
        first words that are no such item (a verb: ', and wounding five others'; a preposition;
        'including'). The first object is one person as any noun unless the trigger's victims
        must be named as people (`any_noun` false: 'assaulted the checkpoint, two guards'). The
        list's total and the end of its last item, or None where it lists no one after the
        first object."""
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        first = self._listed_count(head, index, any_noun=any_noun, unnumbered_list=False)
        if first is None or first[1] != "exact":
            return None
        items = self._items_after(head)
        own_words = list(itertools.takewhile(lambda word: word.lower_ not in self.role("naming_verb"), items[0]))
        if any(
            word.tag_ in ("VBD", "VBG", "VBZ", "VBP", "MD") or word.pos_ == "SCONJ" or (word.lower_ != "of" and word.lower_ in self.role("locative_prep"))
            for word in own_words
        ):
            return None  # 'Ahmed Doe as he closed his shop', 'the civilian in Fallujah, Anbar': no list follows
        total = first[0]
        after_one = total == 1  # after one person or a name, an item with an article says who he was
        unnamed = 0 if head.pos_ == "PROPN" else total
        end = None
        for item in items[1:]:
            words = [word for word in item if not word.is_punct]
            naming = next((word.i for word in words if word.lower_ in self.role("naming_verb")), None)
            if naming is not None:
                words = [word for word in words if word.i < naming]  # 'his guard, identified as Bo Rask'
            if not words:
                continue
            opening = words[0]
            if opening.pos_ in ("ADP", "SCONJ", "ADV", "CCONJ") or opening.lower_ in self.role("including"):
                break
            if any(
                word.tag_ in ("VB", "VBD", "VBG", "VBZ", "VBP", "MD") or (word.tag_ == "VBN" and word.dep_ != "amod") or word.i in index.triggers
                for word in words
            ):
                break  # another clause: ', and wounding five others'
            nouns = [word for word in words if word.pos_ in ("NOUN", "PROPN")]
            numbers = [word for word in words if word.pos_ == "NUM" and word.dep_ == "nummod"]
            if not nouns:
                if len(words) == 1 and opening.pos_ == "NUM":
                    continue  # an age: 'John Doe, 35, and his son'
                return None
            is_name = all(word.pos_ == "PROPN" for word in words)
            if is_name or (opening.pos_ in ("NOUN", "ADJ") and nouns[-1].pos_ == "PROPN"):
                # A name, or a title and a name ('senior police sergeant Bo Rask').
                if unnamed == 0:
                    return None  # a name after a name may go on with a name the parse broke ('Party, Sindh')
                unnamed, after_one, end = unnamed - 1, True, words[-1].i + 1
                continue
            if numbers and any(self._counts_part_of_them(noun) for noun in nouns):
                continue  # 'four civilians, three of them shop owners'
            if numbers:
                amount = parse_number(numbers[0].text, self.lexicon)
                if not index.names_people(nouns[-1]) or not isinstance(amount, int):
                    return None
                total, unnamed, after_one = total + amount, amount, False
            elif opening.tag_ == "PRP$" or opening.lower_ in self.role("single_determiner"):
                if not any(index.names_people(noun) for noun in nouns):
                    return None
                if opening.tag_ != "PRP$" and after_one:
                    continue  # 'John Doe, the deputy chief', 'his boss, a teacher': who he was
                total, unnamed, after_one = total + 1, 1, True
            else:
                return None  # an item that may be people or not: no total
            end = words[-1].i + 1
        if end is None or total == first[0]:
            return None  # no one more
        if first[0] > 1 and total == 2 * first[0] and index.group_of(head) is None:
            # People counted by a general word, then who they were ('two people, a man and his
            # wife'); a word of their own adds ('two soldiers, a policeman and a civilian').
            return None
        return total, end

    @staticmethod
    def _items_after(head: Token) -> list[list[Token]]:
        """The words after a noun up to its sentence's end, split at commas and 'and' outside
        brackets; the first item (the noun's own words) may be empty."""
        items: list[list[Token]] = [[]]
        depth = 0
        for token in head.doc[head.i + 1 : head.sent.end]:
            if token.text in ("(", "["):
                depth += 1
            elif token.text in (")", "]"):
                depth = max(0, depth - 1)
            elif depth == 0 and token.text in (".", ";", ":", "!", "?"):
                break
            elif depth == 0 and (token.text == "," or token.lower_ == "and"):
                items.append([])
                continue
            items[-1].append(token)
        return [items[0], *(item for item in items[1:] if item)]

    def listed_attackers(self, doc: Doc, index: LexiconIndex, figures: list[Figure]) -> list[Figure]:
        """'killed his wife and himself', 'killed two people and then himself', 'shot the
        guard, a clerk and then himself', 'killing himself and a guard', 'killing themselves
        and two police officers': attackers who turn the weapon on themselves in a list of
        their victims are no victims of their own toll but the perpetrators' figure, which
        reconciliation adds to the toll."""
        counted = {token for figure in figures for token in range(figure.value_start, figure.value_end)}
        found: list[Figure] = []
        for trigger_i in sorted(index.triggers):
            entry = index.triggers[trigger_i]
            trigger = doc[trigger_i]
            if entry.casualty_type not in SINGLE_VICTIM_TYPES or entry.overrides_head or entry.noun_only or trigger.pos_ != "VERB":
                continue
            listed = [child for child in trigger.children if child.dep_ == "conj"]
            # Any item of a list of objects, wherever the parse hung it ('the guard, a clerk and then himself',
            # 'killing himself and a guard').
            listed += [
                token
                for child in trigger.children
                if child.dep_ == "dobj"
                for token in child.subtree
                if token.dep_ == "conj" or (token == child and child.conjuncts)
            ]
            listed += self._headline_attackers(trigger)
            for attacker in listed:
                if attacker.i in counted:
                    continue
                if attacker.lower_ in self.role("reflexive_pronoun") or attacker.lower_ in self.role("headline_self"):
                    attackers: int | None = 1
                elif attacker.lower_ in self.role("plural_reflexive_pronoun"):
                    attackers = self._attackers_of(trigger)
                else:
                    continue
                counted.add(attacker.i)
                if attackers is None:
                    continue  # 'the bombers ... killing themselves': counted where the story numbered them, if it did
                found.append(
                    Figure(self.triggers.casualty_type(trigger, index), "perpetrators", attackers, "exact", attackers, attackers,
                           attacker.i, attacker.i + 1, attacker.i, attacker.i, trigger_i, named_victims=True)
                )
        return found

    def _headline_attackers(self, trigger: Token) -> list[Token]:
        """'Man kills wife, himself', 'Father kills 2 children, self': a headline drops the
        'and' before the attacker who turned the weapon on himself, the last item of the
        list, which the parse hangs on the verb or on the object."""
        if not is_headline(trigger):
            return []
        reflexives = self.role("reflexive_pronoun") | self.role("headline_self")
        doc = trigger.doc
        objects = [child for child in trigger.children if child.dep_ == "dobj"]
        return [
            token
            for token in (*trigger.children, *(child for thing in objects for child in thing.children))
            if token.dep_ in ("npadvmod", "appos", "conj") and token.lower_ in reflexives and token.i > trigger.i
            and doc[token.i - 1].text == ","
        ]

    def _attackers_of(self, trigger: Token) -> int | None:
        """How many attackers turned the weapon on themselves: the number of the subject of the
        killing, or of the clause it completes ('two gunmen opened fire, killing themselves
        and five others' -> 2)."""
        for verb in (trigger, trigger.head):
            for subject in verb.children:
                if subject.dep_ != "nsubj":
                    continue
                numbers = [child for child in subject.children if child.dep_ == "nummod" and child.like_num]
                amount = parse_number(numbers[0].text, self.lexicon) if numbers else None
                return amount if isinstance(amount, int) else None
        return None

    def _continues_list_of_one(self, head: Token, apposition: Token, index: LexiconIndex) -> bool:
        """'killing the elder, his son and a driver': a list of people the parse hung on its
        first item, one person, as an apposition. After a count ('two people, a man and his
        wife') or a pair ('a couple, ...') the apposition says who they were."""
        return (
            head.pos_ == "NOUN"
            and self.people.people_in(head) == 1
            and not any(child.dep_ == "nummod" for child in head.children)
            and index.names_people(apposition)
        )

    def _ends_with_the_attacker(self, apposition: Token) -> bool:
        """'killed six of his grandchildren, his daughter and himself': an apposition list that
        ends with the attacker says no more who the count before it were (he is none of
        them); it goes on with the list."""
        reflexives = self.role("reflexive_pronoun") | self.role("plural_reflexive_pronoun")
        return any(token.lower_ in reflexives for token in apposition.conjuncts)

    def _headline_pair(self, head: Token, apposition: Token, index: LexiconIndex) -> bool:
        """'Man kills wife, son', 'Teacher, infant son found dead': a headline drops the 'and'
        of two people. Two different bare nouns for one person each, the second with no
        article ('his wife, a teacher' says who she was)."""
        return (
            is_headline(head)
            and apposition.pos_ == "NOUN"
            and apposition.lower_ != head.lower_
            and not any(child.dep_ in ("det", "poss") for child in apposition.children)
            and self._continues_list_of_one(head, apposition, index)
        )

    def _is_part_of_count_before(self, doc: Doc, figure: Figure) -> bool:
        """'killing four civilians, three of them shop owners': a count out of the people just
        counted is a part of them, no more people of a list."""
        after = doc[figure.number_i + 1 : figure.number_i + 3]
        return len(after) == 2 and after[0].lower_ == "of" and after[1].lower_ in self.role("partitive_pronoun")

    def _counts_part_of_them(self, token: Token) -> bool:
        """'killing four civilians, three of them shop owners': an item counted out of the
        people before it ('of them', 'of whom') is a part of them, no more people."""
        return any(
            number.dep_ == "nummod" and preposition.dep_ == "prep" and preposition.lower_ == "of"
            and pronoun.lower_ in self.role("partitive_pronoun")
            for number in token.children
            for preposition in number.children
            for pronoun in preposition.children
        )

    @staticmethod
    def is_part_of_list(figure: Figure, total: Figure) -> bool:
        """'killing the mayor, two guards and a driver': the count of 'two guards and a
        driver' is a part of the list's total, not a total of its own."""
        return (
            figure.victim_group is None
            and figure.casualty_type == total.casualty_type
            and figure.trigger_i == total.trigger_i
            and (figure.value or 0) < (total.value or 0)
            and total.value_start <= figure.value_start
            and figure.value_end <= total.value_end
        )

    def _follows_in_list(self, head: Token, other: Token) -> bool:
        """'a woman, her son': the next item, of the same kind of word, right after the
        first's words and a comma ('... Donetsk Republic, one militia killed' is no list);
        'John Doe, head of the council, and his cousin': any item after ', and', or after 'and'
        right after the first item's noun ('a man shot at Main and Elm' names a corner)."""
        doc = head.doc
        if [token.text for token in doc[head.right_edge.i + 1 : other.left_edge.i]] == [","]:
            return head.pos_ == other.pos_
        if any(token.lower_ in self.role("including") for token in head.subtree):
            return False  # 'seven civilians including two men, three children and two women': a breakdown
        # The parse may hang the comma and 'and' before the next item on the first one.
        words_end = max(token.i for token in head.subtree if token.dep_ not in ("cc", "punct")) + 1
        between = [token.lower_ for token in doc[words_end : other.left_edge.i]]
        return between == [",", "and"] or (between == ["and"] and words_end == head.i + 1)

    def _first_item_before_a_plural_verb(self, last: Token) -> list[Token]:
        """'John Doe, a trader, and his friend were killed', 'One guard, identified as the
        owner, and a driver were injured': after a description set off by commas, the parse
        may make the last item alone the subject of the plural verb and join that verb to the
        first item (or to the description's participle). The first item is one more of the
        list; a singular subject of a plural verb says the list has more."""
        verb = last.head
        if verb.dep_ != "conj" or last.tag_ not in ("NN", "NNP") or last.dep_ not in ("nsubj", "nsubjpass"):
            return []
        if not any(child.dep_ in ("aux", "auxpass") and child.lower_ in self.role("plural_auxiliary") for child in verb.children):
            return []
        if last.doc[last.left_edge.i - 1].lower_ != "and":
            return []
        first = verb.head.head if verb.head.dep_ == "acl" else verb.head
        return [first] if first.pos_ in ("NOUN", "PROPN") and first.i < last.i else []

    @staticmethod
    def _along_with(trigger: Token, victim: Token) -> list[Token]:
        """'the imam was killed along with his wife and daughter', 'killed along with four
        others', 'the mayor, along with his driver, was wounded': the people killed with the
        victim, wherever the parse hung 'with' (on the verb or on the victim before it)."""
        heads = {trigger.i, trigger.head.i} if trigger.dep_ == "conj" else {trigger.i}
        if victim.i < trigger.i:
            heads.add(victim.i)
        for token in trigger.doc[min(victim.i, trigger.i) + 1 : trigger.sent.end]:
            if token.lower_ == "with" and token.doc[token.i - 1].lower_ == "along" and any(
                ancestor.i in heads for ancestor in token.ancestors
            ):
                return [person for child in token.children if child.dep_ == "pobj" for person in (child, *child.conjuncts)]
        return []

    def _listed_count(self, token: Token, index: LexiconIndex, any_noun: bool, unnumbered_list: bool) -> tuple[int, str] | None:
        """How many people one item of a list counts, and whether exactly or at least: its
        number ('three other people', 'at least three others'), one for a person ('her', 'a
        guard', 'John Doe'), at least two for a headline's plural with no number where
        `unnumbered_list` (no item of its list has a number); None when it counts no one."""
        if token.pos_ == "NUM":
            if not self._counts_people_of(token, index):
                return None  # a bare number in a list of names is an age ('Ann Vell, 60, and Bo Rask')
            return self._number_of(token, index)
        numbers = [child for child in token.children if child.dep_ == "nummod"]
        if numbers:
            if not index.names_people(token):
                return None  # 'four people and two vehicles were shot at'
            return self._number_of(numbers[0], index)
        if unnumbered_list and is_headline(token) and self.single_victims.is_unnumbered_plural(token, index):
            return MIN_PLURAL, "at_least"  # 'kills daughter, grandchildren, self': two or more
        return (self.people.people_in(token), "exact") if self.people.is_one_person(token, index, any_noun, listed=True) else None

    def _number_of(self, number: Token, index: LexiconIndex) -> tuple[int, str] | None:
        """The amount a number's words state, after an 'at least' before them."""
        words = [word for word in number.subtree if word.i <= number.i]
        qualifier = "exact"
        for position, word in enumerate(words):
            start, phrase = index.qualifier_before.get(word.i, (word.i, None))
            if phrase is not None and start == words[0].i:
                if phrase.qualifier != "at_least":
                    return None
                words, qualifier = words[position:], "at_least"
                break
        amount = parse_number(" ".join(word.text for word in words), self.lexicon)
        return (amount, qualifier) if isinstance(amount, int) else None

    @staticmethod
    def _counts_people_of(number: Token, index: LexiconIndex) -> bool:
        """'two of his bodyguards': a number out of people."""
        return any(
            child.dep_ == "prep" and child.lower_ == "of" and index.names_people(grandchild)
            for child in number.children
            for grandchild in child.children
            if grandchild.dep_ == "pobj"
        )
