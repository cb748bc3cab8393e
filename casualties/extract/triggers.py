"""The grammar of casualty words: which word makes a number a casualty figure ('killed at
least 14 people', 'left 34 people dead', 'the death toll rose to 544'), whether a verb is
active or a headline's reduced passive, and what type of casualty a trigger states."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from casualties.extract.lexicon import Lexicon, Trigger
from casualties.extract.lexicon_pipe import LexiconIndex
from casualties.extract.number_spans import NumberSpotter
from casualties.extract.records import NumberSpan

_SUBJECT_OR_OBJECT = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "appos", "npadvmod", "pobj"})
_COMPLEMENT_DEPS = frozenset({"xcomp", "acomp", "oprd", "ccomp", "advcl", "attr", "dobj", "conj"})
_MODIFIER_DEPS = frozenset({"amod", "acl", "relcl", "appos", "compound"})
# What an active verb has and a headline's passive lacks: an object, an auxiliary or a reported clause.
_ACTIVE_VERB_DEPS = frozenset({"dobj", "dative", "aux", "auxpass", "ccomp"})
_SENTENCE_STOPS = frozenset({".", "!", "?"})
_CLOSING_MARKS = frozenset({'"', "'", "”", "’", ")", "]", "»"})
_CLAUSE_BREAKS = frozenset({",", ";", ":"})


def needs_object(trigger: Trigger) -> bool:
    """A casualty verb never used actively without its object ('killed', 'wounded'); a
    verb-only word is ('the gunman shot at police', 'the bomb exploded')."""
    return trigger.transitive and not trigger.verb_only


def is_headline(token: Token) -> bool:
    """The token's sentence ends without a stop (spaces, closing quotes and brackets after the stop aside)."""
    sentence = token.sent
    last = next((word for word in reversed(sentence) if not (word.is_space or word.text in _CLOSING_MARKS)), sentence[-1])
    return last.text not in _SENTENCE_STOPS


class TriggerGrammar:
    def __init__(self, lexicon: Lexicon, aside_tokens: int, numbers: NumberSpotter) -> None:
        self.lexicon = lexicon
        self.role = lexicon.role
        self.aside_tokens = aside_tokens
        self.numbers = numbers

    def governor(self, token: Token, number: NumberSpan) -> tuple[Token, str]:
        """The head and relation of a token, looking through the qualifier ('over 70 injured')
        and through an auxiliary the parse hung the subject on ('Two guards said killed')."""
        head, dep = token.head, token.dep_
        while number.start <= head.i < number.number_start and head.head != head:
            dep, head = head.dep_, head.head
        if dep in ("nsubj", "nsubjpass") and head.dep_ in ("aux", "auxpass") and head.head.i > head.i:
            head = head.head
        return head, dep

    def trigger(
        self, doc: Doc, index: LexiconIndex, number: NumberSpan, root: Token, anchor: Token
    ) -> tuple[Token, bool] | None:
        """The trigger word and whether the counted noun is its direct argument."""
        if anchor != root and anchor.lower_ in self.role("counts_hurts_not_people"):
            return None  # 'fifteen stab wounds', 'three gunshot wounds': wounds on one body
        if anchor != root and self.valid_trigger(anchor, index, role="noun"):
            return anchor, True  # '12 fatalities'
        if anchor != root and self.is_verb_read_as_noun(anchor, index, number):
            return anchor, True  # the 5 in a headline's '5 shot, 2 dead'
        head, dep = self.governor(anchor, number)
        for child in anchor.children:
            if child.dep_ in _MODIFIER_DEPS and child.i in index.triggers and self._counts_its_own(child, number):
                continue  # '5 shot, 2 dead' read as '5 shot' modified by '2 dead': the dead are the 2
            if child.dep_ in ("acl", "relcl") and self._has_object_after(child, index):
                # 'killed seven people, injured 15 others' read as 'people injured ...': a verb
                # with an object of its own acts on others and states nothing of these people.
                continue
            if child.dep_ in _MODIFIER_DEPS and self.valid_trigger(child, index, role="modifier"):
                if (
                    child.dep_ in ("acl", "relcl")
                    and dep in ("nsubj", "nsubjpass")
                    and head != child
                    and self.valid_trigger(head, index, role=dep)
                    and not self._has_other_subject(head, anchor)
                ):
                    return head, True  # '45 people injured in the shelling were admitted': the predicate
                return child, True  # '121 injured', 'people wounded', 'children who cannot be found'
        for shared in self.sharing_the_count(anchor, index):
            for child in shared.children:
                if child.dep_ in ("acl", "relcl") and self.valid_trigger(child, index, role="modifier"):
                    return child, True  # '34 soldiers, civilians killed': the participle hung on the last noun
        if dep in _SUBJECT_OR_OBJECT | {"advmod"} and self.valid_trigger(head, index, role=dep):
            return head, True  # 'killed 14 people', '50 people were wounded', 'over 70 injured'
        place_participle = self._participle_on_their_place(anchor, index)
        if place_participle is not None:
            return place_participle, True  # 'Eight people in Tessa republic killed'
        if dep == "pobj" and head.lower_ in self.role("partitive") and self.valid_trigger(head.head, index, "noun"):
            return head.head, True  # 'the deaths of up to 85 personnel'
        toll = self._toll_trigger(head, dep, index)
        if toll is not None:
            return toll, True  # 'the death toll rose to at least 544'
        if dep == "dobj" and head.lower_ in self.role("including"):
            for child in head.children:
                if child.dep_ == "nsubj" and self.valid_trigger(child, index, "noun"):
                    return child, True  # 'the dead include four children'
        if dep in ("nsubj", "nsubjpass", "dobj", "attr") and head.lower_ in self.role("complement_verb"):
            for child in head.children:
                is_complement = child.dep_ in _COMPLEMENT_DEPS and child != anchor
                # A clause with a subject of its own is no complement of this one: in
                # '43 people were wounded; 17 of them are in hospital' the first clause may
                # hang under 'are'.
                has_subject = any(grandchild.dep_ in ("nsubj", "nsubjpass") for grandchild in child.children)
                if is_complement and not has_subject and self.valid_trigger(child, index, "complement"):
                    return child, True  # 'reported killed', 'left 34 people dead'
                if child.dep_ == "prep":
                    for grandchild in child.children:
                        if grandchild.dep_ in ("pobj", "pcomp") and self.valid_trigger(
                            grandchild, index, "complement"
                        ):
                            return grandchild, True  # 'taken to hospital', 'among the dead', 'listed as missing'
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ in self.role("partitive"):
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj" and self.valid_trigger(grandchild, index, "noun"):
                        return grandchild, False  # '496 of the dead', 'dozens of injuries'
                    if grandchild.dep_ == "pobj" and self._headline_share_of_people(grandchild, index):
                        for participle in grandchild.children:
                            if participle.dep_ == "acl" and self.valid_trigger(participle, index, "modifier"):
                                return participle, True  # a headline's '12 of their fighters killed'
        if anchor == root and number.end < len(doc):
            following = doc[number.end]
            if following.tag_ in ("VBN", "JJ", "NNS", "NN") and self.valid_trigger(following, index, "modifier"):
                return following, False  # 'Some of the 32 wounded'
        return self._verb_before(doc, index, number, root, anchor) or self._passive_after(doc, index, number, anchor)

    @staticmethod
    def _headline_share_of_people(noun: Token, index: LexiconIndex) -> bool:
        """'Rebels say 12 of their fighters killed': a headline's count of people it names with no
        number of their own. In running text 'one of three people wounded' or 'one of the
        people shot' picks one of a count stated elsewhere."""
        return is_headline(noun) and index.names_people(noun) and not any(child.dep_ in ("nummod", "det") for child in noun.children)

    def _participle_on_their_place(self, anchor: Token, index: LexiconIndex) -> Token | None:
        """'Eight people in Tessa republic killed by shelling': the parse may hang the participle
        on the place the people are in, which no casualty word counts; it is theirs."""
        if not index.names_people(anchor):
            return None
        for preposition in anchor.children:
            if preposition.dep_ != "prep" or preposition.lower_ not in ("in", "at", "near", "from"):
                continue
            for place in preposition.children:
                if place.dep_ != "pobj" or index.names_people(place):
                    continue
                for participle in place.children:
                    if participle.dep_ == "acl" and participle.tag_ == "VBN" and self.valid_trigger(participle, index, role="modifier"):
                        return participle
        return None

    @staticmethod
    def sharing_the_count(anchor: Token, index: LexiconIndex) -> list[Token]:
        """'34 soldiers, civilians killed', '12 soldiers and police killed': nouns for
        people listed after the counted one with no number of their own share its count
        (the headline counts them together); a noun for the same people is a restatement."""
        if anchor.pos_ != "NOUN" or not index.names_people(anchor):
            return []
        listed = [child for child in anchor.children if child.dep_ in ("conj", "appos")]
        # 'soldiers, police killed' parsed as a relative clause whose subject is 'police':
        # with the comma it is the list's next noun.
        listed += [
            subject
            for clause in anchor.children
            if clause.dep_ == "relcl"
            for subject in clause.children
            if subject.dep_ == "nsubj" and subject.i == anchor.i + 2 and anchor.doc[anchor.i + 1].text == ","
        ]
        return [
            noun
            for noun in listed
            if noun.i > anchor.i
            and index.names_people(noun)
            and index.group_of(noun) != index.group_of(anchor)
            and not any(child.dep_ in ("nummod", "det", "poss") for child in noun.children)
        ]

    @staticmethod
    def _has_other_subject(verb: Token, subject: Token) -> bool:
        """'One guard killed near Tessa, two wounded', parsed with both counts as subjects of
        'wounded': the predicate is the other count's, the guard's word is 'killed'."""
        return any(child.dep_ in ("nsubj", "nsubjpass") and child != subject for child in verb.children)

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
            if lower in (",", "and") or self.numbers.is_number_word(token) or token.pos_ in ("ADJ", "NOUN", "PROPN", "DET", "ADP"):
                position += 1
                continue
            break
        if position >= sentence_end or doc[position].lower_ not in self.role("passive_auxiliary"):
            return None
        position += 1
        while position < sentence_end and doc[position].pos_ in ("ADV", "AUX", "PART"):
            position += 1
        if position < sentence_end and position in index.triggers and self.valid_trigger(doc[position], index, "nsubjpass"):
            return doc[position], True
        return None

    def _verb_before(
        self, doc: Doc, index: LexiconIndex, number: NumberSpan, root: Token, anchor: Token
    ) -> tuple[Token, bool] | None:
        """A parse that missed the object: 'killing at least a dozen people' read with 'people'
        as the subject of a later verb, a headline's 'Shelling kills six' read with 'Shelling'
        as its root. A transitive casualty verb right before the figure still governs it, when
        the figure counts people or stands alone."""
        if number.start == 0 or (anchor != root and not index.names_people(anchor)):
            return None
        verb = doc[number.start - 1]
        trigger = index.triggers.get(verb.i)
        if trigger is None or not trigger.transitive or verb.tag_ not in ("VBG", "VBD", "VBN", "VBZ"):
            return None
        if not self.valid_trigger(verb, index, "dobj"):
            return None
        return verb, True

    def _toll_trigger(self, head: Token, dep: str, index: LexiconIndex) -> Token | None:
        if dep == "pobj" and head.lower_ in ("to", "at", "of"):
            verb = head.head
        elif dep in ("attr", "dobj", "npadvmod"):
            verb = head
        else:
            return None
        if head.lower_ == "of" and self.valid_trigger(verb, index, "noun"):
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
        if self.valid_trigger(token, index, "noun"):
            return token
        if token.lower_ in self.role("count_noun"):
            for child in token.children:
                if child.dep_ != "prep":
                    continue
                for grandchild in child.children:
                    if grandchild.dep_ != "pobj":
                        continue
                    if self.valid_trigger(grandchild, index, "noun"):
                        return grandchild
                    if index.names_people(grandchild):
                        for modifier in grandchild.children:
                            if modifier.dep_ in _MODIFIER_DEPS and self.valid_trigger(modifier, index, "modifier"):
                                return modifier  # 'the number of people killed'
        return None

    def valid_trigger(self, token: Token, index: LexiconIndex, role: str) -> bool:
        trigger = index.triggers.get(token.i)
        if trigger is None:
            return False
        if trigger.requires_negation and not any(child.dep_ == "neg" for child in token.children):
            return False
        if trigger.requires_prep and not (token.dep_ == "pobj" and token.head.lower_ in trigger.requires_prep):
            return False
        if trigger.overrides_head or trigger.names_victim_apart:
            return False
        # A headline without articles may get a noun tagged as a verb ('Shelling claims lives of
        # four soldiers'); its role in the parse still says it is the verb's object.
        read_as_noun = token.pos_ in ("NOUN", "PROPN") or (trigger.noun_only and token.dep_ == "dobj")
        if trigger.noun_only and not read_as_noun:
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
        if trigger.transitive and role == "nsubj" and not self.is_elliptical_outcome(token) and (
            self._has_object(token) or (token.tag_ != "VBN" and not self.is_reduced_passive(token, needs_object(trigger)))
        ):
            return False
        if role == "noun" and token.pos_ == "VERB" and token.tag_ != "VBN" and not read_as_noun:
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
    def _has_object_after(verb: Token, index: LexiconIndex) -> bool:
        """An object after the verb; or a noun phrase right after its outcome phrase, wherever
        the parse hung it ('militants hacked to death a village officer': a passive 'militants
        hacked to death' would go on with a preposition or a verb, not a determiner)."""
        # 'militants assaulted and injured five laborers', parsed as militants who were assaulted:
        # the verb conjoined to the participle has the object.
        verbs = [verb, *(child for child in verb.children if child.dep_ == "conj" and child.pos_ == "VERB")]
        if any(child.dep_ == "dobj" and child.i > verb.i for word in verbs for child in word.children):
            return True
        doc = verb.doc
        outcome = next(
            (
                child
                for child in verb.children
                if child.dep_ == "prep" and child.i == verb.i + 1
                and any(grandchild.dep_ == "pobj" and grandchild.i in index.triggers for grandchild in child.children)
            ),
            None,
        )
        after = outcome.right_edge.i + 1 if outcome is not None else len(doc)
        return after < len(doc) and doc[after].tag_ in ("DT", "PRP$") and doc[after].dep_ in ("det", "poss")

    @staticmethod
    def is_elliptical_outcome(verb: Token) -> bool:
        """'left a man dead and three others wounded', 'one officer was killed and three more
        wounded': a past form conjoined to an earlier clause (or the participle the parse took
        for an adjective), with a subject of its own and nothing of an active verb (no object,
        no auxiliary), states the outcome of the people it follows, as the clause before it did."""
        return (
            verb.dep_ == "conj"
            and verb.tag_ in ("VBD", "VBN", "JJ")
            and any(child.dep_ == "nsubj" for child in verb.children)
            and not any(child.dep_ in _ACTIVE_VERB_DEPS for child in verb.children)
        )

    @classmethod
    def is_reduced_passive(cls, verb: Token, object_required: bool) -> bool:
        """Headlines drop the auxiliary: in 'Two soldiers killed in shelling' the parser reads
        an active verb whose subject would be the killer, but in a headline (a sentence
        with no final stop) a past form of a killing verb with no object and no auxiliary is
        a passive, and its subject the victims. Conjoined verbs share them: 'gunmen shot and
        killed a man' is active. A verb that is never used actively without its object
        (`object_required`: 'kill', 'wound', not 'shoot at') is such a passive after its
        subject with a final stop as well, however the parser tagged it: 'Ann Vell killed
        in shelling.', a headline posted as a sentence."""
        if verb.tag_ not in ("VBD", "VBN"):
            return False
        if verb.tag_ == "VBD" and not is_headline(verb) and not (object_required and cls._follows_its_subject(verb)):
            return False  # 'the gunman shot at police.' is active
        return not any(cls._marks_active_voice(token, child) for token in cls._sharing_verbs(verb) for child in token.children)

    @staticmethod
    def _follows_its_subject(verb: Token) -> bool:
        """The verb's subject ends right before it: 'Ann Vell killed'."""
        return any(child.dep_ == "nsubj" and child.right_edge.i == verb.i - 1 for child in verb.children)

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

    def casualty_type(self, trigger: Token, index: LexiconIndex) -> str:
        for child in trigger.children:
            modifier = index.triggers.get(child.i)
            if modifier is not None and modifier.overrides_head:
                return modifier.casualty_type  # 'fatally wounded'
        entry = index.triggers[trigger.i]
        if entry.outcome_in_complement and self._states_death(trigger, index):
            return "killed"
        return entry.casualty_type

    @staticmethod
    def own_outcome(root: Token, index: LexiconIndex) -> str | None:
        """'Four people were shot, three fatally': a number carrying its own outcome word. So
        does a number with its own casualty adjective ('Two dead, two others injured', where the
        parse may hang both numbers on 'others')."""
        for child in root.children:
            entry = index.triggers.get(child.i)
            if entry is not None and (entry.overrides_head or (child.dep_ == "amod" and child.i == root.i + 1 and root.tag_ == "CD")):
                return entry.casualty_type
        return None

    def _states_death(self, trigger: Token, index: LexiconIndex) -> bool:
        """'shot dead', 'shot to death', 'shot and killed': a shooting whose outcome the
        clause states is a death; 'shot' alone wounds."""
        def is_death_word(token: Token) -> bool:
            # 'shot but not killed' denies the death.
            entry = index.triggers.get(token.i)
            return entry is not None and entry.casualty_type == "killed" and not any(child.dep_ == "neg" for child in token.children)

        for child in trigger.children:
            # After the shooting word: in 'Boy killed, 6 others shot' the parse may hang the
            # clause before it on 'shot', and that death is another victim's.
            if child.dep_ in ("oprd", "acomp", "advmod", "xcomp", "ccomp", "dobj", "attr") and child.i > trigger.i and is_death_word(child):
                return True
            if child.dep_ == "advcl" and child.pos_ == "ADJ" and is_death_word(child):
                return True  # 'shot three people dead', parsed as a clause of its own
            if child.dep_ == "prep" and any(grandchild.dep_ == "pobj" and is_death_word(grandchild) for grandchild in child.children):
                return True
            if child.dep_ == "dobj" and any(
                word.i == trigger.i + 1 and word.dep_ == "amod" and is_death_word(word) for word in child.subtree
            ):
                return True  # 'shot dead police Colonel John Doe': the parse took 'dead' for the object's adjective
        # 'shot and killed' is one act; in '4 Shot, 2 Dead' the death word counts others, and
        # in 'shooting four relatives, killing a father and daughter' each verb has its own object.
        if any(
            child.dep_ == "conj" and is_death_word(child) and not self._has_own_victims(child) and not self._both_have_objects(trigger, child)
            for child in trigger.children
        ):
            return True
        return (
            trigger.dep_ == "conj"
            and is_death_word(trigger.head)
            and not self._has_own_victims(trigger.head)
            and not self._both_have_objects(trigger, trigger.head)
        )

    @staticmethod
    def _both_have_objects(verb: Token, other: Token) -> bool:
        return all(any(child.dep_ == "dobj" for child in token.children) for token in (verb, other))

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
    def is_verb_read_as_noun(anchor: Token, index: LexiconIndex, number: NumberSpan) -> bool:
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

    def has_other_cause(self, trigger: Token) -> bool:
        """'two classmates killed in a car crash', 'died of natural causes', 'died after an
        illness': a death or injury the clause puts down to something other than violence
        is no casualty of it. A hunting accident is a shooting, and 'the crash' may be the
        attack's own (a car driven into a crowd): only a road accident named so is another cause."""
        if any(child.dep_ == "advmod" and child.lower_ in self.role("natural_cause_modifier") for child in trigger.children):
            return True
        entry = self.lexicon.triggers.get(trigger.lower_)
        if entry is not None and entry.succumbs_to_wounds:
            causes = [cause for preposition in trigger.children if preposition.dep_ == "prep" and preposition.lower_ == "to" for cause in preposition.children]
            # The parser may read 'to pressure' as an infinitive.
            causes += [verb for verb in trigger.children if verb.dep_ == "xcomp" and any(child.lower_ == "to" for child in verb.children)]
            if any(not self._is_wound(cause) for cause in causes):
                return True  # 'succumbed to pressure'
        for preposition in trigger.children:
            if preposition.dep_ != "prep" or preposition.lower_ not in ("in", "from", "of", "after", "by"):
                continue
            for cause in preposition.children:
                if cause.dep_ != "pobj":
                    continue
                modifiers = {child.lower_ for child in cause.children if child.dep_ in ("amod", "compound")}
                if cause.lower_ in self.role("other_cause_of_death"):
                    return True
                if cause.lower_ in self.role("accident_noun") and modifiers & self.role("road_accident_modifier"):
                    return True
                if cause.lower_ == "causes" and modifiers & self.role("natural_cause_modifier"):
                    return True
        return False

    def _is_wound(self, noun: Token) -> bool:
        entry = self.lexicon.triggers.get(noun.lower_)
        return entry is not None and entry.casualty_type == "injured"

    def is_unreal(self, trigger: Token) -> bool:
        """A casualty word that states no casualty: hypothetical or negated ('was not killed')."""
        return self.is_hypothetical(trigger) or any(child.dep_ == "neg" for child in trigger.children)

    def is_hypothetical(self, trigger: Token) -> bool:
        """'threatened to kill 10 hostages', 'could kill thousands', 'tried to kill the mayor':
        not a count of victims."""
        modal = self.role("modal")
        if any(child.dep_ == "aux" and child.lower_ in modal for child in trigger.children):
            # 'may have died' reports a count; 'could kill' does not; 'cannot be found' is a count.
            return not any(
                child.dep_ == "neg" or (child.dep_ == "aux" and child.lower_ in self.role("perfect_aux"))
                for child in trigger.children
            )
        # 'could not say if the man had died', 'unclear whether she was dead': a question, not a count.
        clause = trigger.head if trigger.dep_ in ("acomp", "attr", "oprd") else trigger
        if any(child.dep_ == "mark" and child.lower_ in self.role("open_question_mark") for child in clause.children):
            return True
        # 'tried to kill the governor', 'plotted to kill her': an attempt or a plan counts no victim
        return trigger.dep_ == "xcomp" and (trigger.head.lower_ in modal or trigger.head.lower_ in self.role("attempt_verb"))
