"""The characters every match of a regex holds: a cheap test that a text cannot match it.

A rule of the lexicon that needs 月 (3月底前, 4月、9月) cannot match a sentence without 月; asking
`set(text).isdisjoint(cues)` costs a tenth of a `finditer` over the sentence, and the field
rules run some sixty regexes over each task sentence, most of which hold none of their
characters.  The cues are read off the pattern's own parse tree (Python's `re` parser), so
they follow the lexicon as it changes; a construct this does not understand makes no cue,
and the pattern is simply always run.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

_parser: Any = importlib.import_module("re._parser")  # the parser `re.compile` itself uses; private, so untyped
MAX_RANGE = 256  # a character class wider than this ([\u4e00-\u9fff]) is no cue


def required_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Characters of which every non-empty match of `pattern` holds at least one; None when no
    such set is known (the pattern may match anything, or holds a construct read as unknown)."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        return _in_sequence(_parser.parse(pattern.pattern, pattern.flags))
    except (AttributeError, TypeError, ValueError, re.error):  # another Python's parser: no cue
        return None


def _in_sequence(items: Any) -> frozenset[str] | None:
    """A sequence matches each of its items in turn: any item's cue is the sequence's; the
    smallest is the most telling."""
    best: frozenset[str] | None = None
    for op, argument in items:
        found = _in_item(op, argument)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    return best


def _in_item(op: Any, argument: Any) -> frozenset[str] | None:
    if op == _parser.LITERAL:
        return frozenset(chr(argument))
    if op == _parser.IN:
        return _in_class(argument)
    if op == _parser.SUBPATTERN:
        _, added_flags, _, inner = argument
        return None if added_flags & re.IGNORECASE else _in_sequence(inner)  # (?i:…): any case matches
    if op == _parser.ATOMIC_GROUP:
        return _in_sequence(argument)
    if op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT):
        least, _, item = argument
        return _in_sequence(item) if least >= 1 else None
    if op == _parser.BRANCH:
        branches = [_in_sequence(branch) for branch in argument[1]]
        cues = [cue for cue in branches if cue is not None]
        return frozenset().union(*cues) if len(cues) == len(branches) else None  # each branch must give one
    return None  # lookarounds and anchors consume nothing; any other construct: unknown


def _in_class(members: Any) -> frozenset[str] | None:
    """The characters of a class of literals and short ranges ([一二三四], [1-9]); None for a
    negated class, a category (\\d, \\s) or a wide range."""
    chars: set[str] = set()
    for op, argument in members:
        if op == _parser.LITERAL:
            chars.add(chr(argument))
        elif op == _parser.RANGE and argument[1] - argument[0] < MAX_RANGE:
            chars.update(map(chr, range(argument[0], argument[1] + 1)))
        else:
            return None
    return frozenset(chars)
