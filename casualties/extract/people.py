"""Words that name people: whether a noun phrase is one person ('a 20-year-old man', 'her'),
and how many people a listed noun counts ('a couple', 'twins')."""

from __future__ import annotations

from spacy.tokens import Token

from casualties.extract.lexicon import Lexicon
from casualties.extract.lexicon_pipe import LexiconIndex
from casualties.extract.triggers import is_headline


class PersonWords:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.role = lexicon.role

    def people_in(self, token: Token) -> int:
        """One person, or two for 'a couple', 'both brothers', 'them both'."""
        return 2 if token.lower_ in self.role("pair_noun") or self._is_pair(token) else 1

    def _is_pair(self, token: Token) -> bool:
        """'both brothers', 'them both', 'both of them': two people; 'both the man and his son' is a list."""
        return self._pair_named_by_both_of(token) is not None or (
            token.tag_ in ("NNS", "NNPS", "PRP")
            and any(child.lower_ in self.role("pair_determiner") and child.dep_ in ("det", "predet", "appos") for child in token.children)
            and not any(child.dep_ == "conj" for child in token.children)
        )

    def _pair_named_by_both_of(self, token: Token) -> Token | None:
        """'wounding both of them', 'both of the guards were killed': the plural after 'both of'."""
        if token.lower_ not in self.role("pair_determiner") or token.dep_ not in ("nsubj", "nsubjpass", "dobj"):
            return None
        return next(
            (
                plural
                for preposition in token.children
                if preposition.dep_ == "prep" and preposition.lower_ == "of"
                for plural in preposition.children
                if plural.dep_ == "pobj" and (plural.tag_ in ("NNS", "NNPS") or plural.lower_ in self.role("plural_person_pronoun"))
            ),
            None,
        )

    def is_one_person(
        self, token: Token, index: LexiconIndex, any_noun: bool, listed: bool = False, first_of_its_kind: bool = False
    ) -> bool:
        """Whether a noun phrase names one person. `first_of_its_kind`: no count of its
        casualty type came before it, so 'another' adds to none ('a man was killed and
        another soldier wounded': one wounded)."""
        lower = token.lower_
        if lower in self.role("single_person_pronoun") or lower in self.role("reflexive_pronoun"):
            return True
        if lower == "another" and token.dep_ in ("nsubj", "nsubjpass", "dobj"):
            return True  # 'one officer was killed and another was wounded'
        if lower in self.role("one_more") and token.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
            child.dep_ == "det" and child.lower_ in ("the", "a") for child in token.children
        ) and not any(child.dep_ == "prep" and child.lower_ == "of" for child in token.children):
            # 'two guards were hurt and the third died', 'two were shot dead and a third was
            # injured': one more person; 'a third of the residents' is a share.
            return True
        if self._is_bare_person_read_as_adjective(token, index):
            return lower not in self.role("collective_noun")  # 'Shelling kills civilian'
        if self._is_age_as_person(token):
            return True  # 'a 6-year-old was shot'
        if self._is_pair(token):
            # 'both brothers were killed', 'killing them both': two named together; a pair of
            # any noun where any noun is a victim ('both rubber tappers were injured').
            named = self._pair_named_by_both_of(token) or token
            return named.pos_ == "PRON" or any_noun or index.names_people(named)
        if token.tag_ not in ("NN", "NNP") or any(child.dep_ == "nummod" for child in token.children):
            return False  # a plural or a number of its own
        if token.tag_ == "NN" and lower.endswith("men"):
            return False  # 'servicemen', 'policemen': plurals the tagger may take for singulars
        if not listed and any(
            child.dep_ == "conj" and self._may_count_people(child, index)
            and not (self.is_another_role_of(token, child) or self.names_the_one_before(token, child))
            for child in token.children
        ):
            return False  # one of several ('a man and a woman'): their total is the list's
        one_more = {child.lower_ for child in token.children if child.i < token.i} & self.role("one_more")
        if one_more and not (first_of_its_kind and one_more <= self.role("increment_before")):
            # 'a third victim died', 'another man': one more of a count stated elsewhere. Only
            # 'another' (not 'a second', 'the last') is a person of his own where none came before.
            return False
        if lower in self.lexicon.non_casualty or lower in self.lexicon.attacks or lower in self.lexicon.weapons:
            return False
        if lower in self.role("body_part"):
            return False  # 'a bullet grazed his foot': the wound's place, not the one wounded
        if index.nation_at(token) is not None or lower in self.role("not_a_person"):
            return False
        if token.pos_ == "PROPN":
            return token.i not in {position for start, end, _ in index.parties for position in range(start, end)}
        if token.pos_ != "NOUN" or not (any_noun or index.names_people(token)):
            return False
        # An object may be a place the parse split off a lead ('in Shura village, Ninawa governorate, Iraq').
        named_argument = token.dep_ in ("nsubj", "nsubjpass") or (token.dep_ == "dobj" and index.names_people(token))
        if named_argument and any(child.dep_ == "appos" and child.pos_ == "PROPN" for child in token.children):
            # 'Local governor, John Doe, was killed': the name says which one person.
            return True
        determiners = {child.lower_ for child in token.children if child.dep_ in ("det", "poss", "predet")}
        if not determiners and token.tag_ == "NN" and index.names_people(token):
            # Headlines drop the article: 'Soldier killed in shelling', 'Mine kills local man'.
            return lower not in self.role("collective_noun")
        return bool(determiners & self.role("single_determiner")) or any(child.dep_ == "poss" for child in token.children) or bool(one_more)

    @staticmethod
    def is_another_role_of(before: Token, role: Token) -> bool:
        """'a cadre and former bodyguard of the party leader', 'former activist and employee of
        the water board': a second noun after a bare 'and', with no article of its own and
        naming whose it is, is another role of the same one person ('a man and woman' are two)."""
        doc = role.doc
        return (
            before.tag_ == role.tag_ == "NN"
            and role.dep_ == "conj"
            and role.head == before
            and doc[role.left_edge.i - 1].lower_ == "and"
            and not any(child.dep_ in ("det", "poss", "nummod") for child in role.children)
            and not any(child.dep_ == "nummod" for child in before.children)
            and role.i + 1 < len(doc)
            and doc[role.i + 1].lower_ == "of"
        )

    @staticmethod
    def names_the_one_before(before: Token, name: Token) -> bool:
        """'the police chief, John Doe, and two guards', 'a member of parliament, John Doe', 'the
        Director of the Transport Office, John Doe': a name set off by a comma right after the
        words of a noun for one person (a title the tagger took for a name has its article)
        is that person's name, no one more of the list."""
        doc = name.doc
        # The parse may hang the comma on the noun's last word: the words end before it.
        words_end = max((token.i for token in before.subtree if not token.is_punct and token.i < name.left_edge.i), default=before.i) + 1
        between = doc[words_end : name.left_edge.i]
        one_person = (before.pos_ == "NOUN" and before.tag_ == "NN") or (
            before.tag_ == "NNP" and any(child.dep_ == "det" and child.i < before.i for child in before.children)
        )
        return (
            name.pos_ == "PROPN"
            and one_person
            and not any(child.dep_ == "nummod" for child in before.children)
            and len(between) == 1
            and between[0].text == ","
        )

    def _may_count_people(self, token: Token, index: LexiconIndex) -> bool:
        """A conjunct that may be more victims ('a man and two others', 'and his son'), unlike
        a place the parse hung on a name ('John Doe in Lagos city, Lagos province')."""
        return (
            token.pos_ == "NUM"
            or any(child.dep_ == "nummod" for child in token.children)
            or self.is_one_person(token, index, any_noun=False, listed=True)
        )

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
        """'a 6-year-old', 'her 3-month-old', and in a headline, which drops the article,
        'Shelling kills 8-year-old': an age standing for one person. 'The 8-year-old', or an age
        with no article in running text, is mostly a person a count elsewhere states."""
        if token.lower_ not in self.role("age_adjective") or not any(
            child.dep_ == "npadvmod" and child.lower_ in self.role("age_unit") for child in token.children
        ):
            return False
        if any(child.lower_ in self.role("one_more") for child in token.children):
            return False
        if any(child.lower_ in self.role("indefinite_determiner") or child.dep_ == "poss" for child in token.children):
            return True
        return is_headline(token) and not any(child.dep_ in ("det", "predet") for child in token.children)
