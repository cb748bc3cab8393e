"""Distances and paths in a sentence's dependency tree: how the readers of a story tie a
figure to the attack, place and date nearest to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from spacy.tokens import Token

MAX_TREE_DISTANCE = 99
Candidate = TypeVar("Candidate")


def governing_verb(token: Token) -> Token | None:
    """The first verb above a token in the tree, within six steps."""
    current = token
    for _ in range(6):
        if current.head == current:
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return None


def path_to_root(token: Token) -> list[Token]:
    path = [token]
    while path[-1].head != path[-1]:
        path.append(path[-1].head)
    return path


def tree_distance(first: Token, second: Token) -> int:
    depth_of = {token.i: depth for depth, token in enumerate(path_to_root(first))}
    for depth, token in enumerate(path_to_root(second)):
        if token.i in depth_of:
            return depth_of[token.i] + depth
    return MAX_TREE_DISTANCE


def nearest(candidates: list[Candidate], trigger: Token, position: Callable[[Candidate], int]) -> Candidate | None:
    """The candidate closest to the trigger in the dependency tree; the nearer word breaks ties."""
    if not candidates:
        return None
    doc = trigger.doc
    return min(
        candidates,
        key=lambda candidate: (
            tree_distance(doc[position(candidate)], trigger),
            abs(position(candidate) - trigger.i),
        ),
    )
