"""The numbers Word draws before list paragraphs.  A heading numbered by Word's automatic
numbering (一、 （一） 1. （1）) holds no number in its text: Word computes it from
numbering.xml as it lays the page out, and python-docx gives only the text.  So do we: the
paragraph's list and level (its own w:numPr, else its style's), the level's start, format
(w:numFmt: decimal, chineseCounting, ideographTraditional …, the characters in the lexicon's
word_numbering.toml) and text (w:lvlText: "%1、", "（%2）", "%1.%2"), counters that go on
from paragraph to paragraph of the same list and restart under a higher level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from lxml.etree import _Element

from extractors.vocab import table

LEVELS = 9  # w:ilvl 0-8
_PLACEHOLDER = re.compile(r"%([1-9])")
_SUFFIXES = {"tab": " ", "space": " ", "nothing": ""}


@dataclass(frozen=True, slots=True)
class _Level:
    start: int
    format: str  # w:numFmt
    text: str  # w:lvlText, "%1、"
    restart: int | None  # w:lvlRestart: restart after a use of this level (1-based); 0 never; None any higher
    legal: bool  # w:isLgl: every level's number in decimal
    suffix: str  # what stands between the number and the text


@dataclass(slots=True)
class _List:
    """A list's levels and where its counters stand."""

    levels: dict[int, _Level]
    counters: list[int | None] = field(default_factory=lambda: [None] * LEVELS)


class ListNumbers:
    """The number each list paragraph of one document shows, asked of the paragraphs in
    document order (the counters go on as Word's do)."""

    def __init__(self, document: WordDocument) -> None:
        self._styles = _styles(document)
        numbering = _numbering_element(document)
        self._abstract = {
            element.get(qn("w:abstractNumId")): element for element in _children(numbering, "w:abstractNum")
        }
        self._nums = {element.get(qn("w:numId")): element for element in _children(numbering, "w:num")}
        self._lists: dict[str, _List] = {}  # by abstractNumId: instances of one definition share counters
        self._started: set[str] = set()  # numIds whose start overrides have been applied

    def label(self, paragraph: _Element) -> str:
        """The number Word draws before this paragraph, with what follows it ("一、", "（2） "),
        or "" for a paragraph that is not in a numbered list. Advances the list's counters."""
        found = self._num_and_level(paragraph)
        if found is None:
            return ""
        num_id, level = found
        listed = self._list(num_id)
        if listed is None or level not in listed.levels:
            return ""
        counters = listed.counters
        current = counters[level]
        counters[level] = listed.levels[level].start if current is None else current + 1
        for deeper in range(level + 1, LEVELS):
            restart = listed.levels[deeper].restart if deeper in listed.levels else None
            if restart is None or level < restart:
                counters[deeper] = None
        return _label(listed, level)

    def _num_and_level(self, paragraph: _Element) -> tuple[str, int] | None:
        """The paragraph's list (w:numId) and level, from its own properties or its style's."""
        properties = paragraph.find(qn("w:pPr"))
        own = properties.find(qn("w:numPr")) if properties is not None else None
        style_id = _value(properties.find(qn("w:pStyle")) if properties is not None else None)
        num_id, level = _value(_child(own, "w:numId")), _value(_child(own, "w:ilvl"))
        if num_id is None:
            num_id, style_level = self._style_numbering(style_id)
            level = level if level is not None else style_level
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return None
        if level is None:
            level = self._level_of_style(num_id, style_id)
        return num_id, min(int(level), LEVELS - 1) if level.isdigit() else 0

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, str | None]:
        """w:numId and w:ilvl of the paragraph style (or the style it is based on) that numbers."""
        seen: set[str] = set()
        style_id = style_id or self._styles.default
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self._styles.by_id.get(style_id)
            if style is None:
                break
            numbering = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if numbering is not None and _child(numbering, "w:numId") is not None:
                return _value(_child(numbering, "w:numId")), _value(_child(numbering, "w:ilvl"))
            style_id = _value(style.find(qn("w:basedOn")))
        return None, None

    def _level_of_style(self, num_id: str, style_id: str | None) -> str:
        """The level whose w:pStyle names the paragraph's style (a heading style linked to a list)."""
        abstract = self._abstract_of(num_id)
        for level in _children(abstract, "w:lvl"):
            if style_id is not None and _value(level.find(qn("w:pStyle"))) == style_id:
                return level.get(qn("w:ilvl")) or "0"
        return "0"

    def _abstract_of(self, num_id: str) -> _Element | None:
        """The definition a list instance uses, following w:numStyleLink to the one that holds the levels."""
        for _ in range(3):  # a style link points to a style whose list holds the definition
            num = self._nums.get(num_id)
            abstract = self._abstract.get(_value(_child(num, "w:abstractNumId")) or "")
            linked = _value(_child(abstract, "w:numStyleLink"))
            if linked is None:
                return abstract
            linked_num, _ = self._style_numbering(linked)
            if linked_num is None:
                return abstract
            num_id = linked_num
        return None

    def _list(self, num_id: str) -> _List | None:
        abstract = self._abstract_of(num_id)
        if abstract is None:
            return None
        key = abstract.get(qn("w:abstractNumId")) or ""
        levels = {int(lvl.get(qn("w:ilvl")) or 0): _level(lvl) for lvl in _children(abstract, "w:lvl")}
        overrides = _children(self._nums[num_id], "w:lvlOverride")
        for override in overrides:
            index = int(override.get(qn("w:ilvl")) or 0)
            replaced = override.find(qn("w:lvl"))
            if replaced is not None:
                levels[index] = _level(replaced)
            start = _value(_child(override, "w:startOverride"))
            if start is not None and index in levels:
                levels[index] = _replace_start(levels[index], int(start))
        listed = self._lists.setdefault(key, _List(levels))
        listed.levels = levels
        if overrides and num_id not in self._started:  # an instance that restarts the list
            self._started.add(num_id)
            listed.counters = [None] * LEVELS
        return listed


def _label(listed: _List, level: int) -> str:
    definition = listed.levels[level]
    if definition.format in _formats()["unnumbered"]["formats"]:
        return ""

    def number(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        shown = listed.levels.get(index, definition)
        value = listed.counters[index]
        count = shown.start if value is None else value
        return format_number(count, "decimal" if definition.legal else shown.format)

    return _PLACEHOLDER.sub(number, definition.text) + definition.suffix


def format_number(value: int, number_format: str) -> str:
    """A counter as Word draws it in a numbering format: 3 → 三 (chineseCounting), 丙
    (ideographTraditional), ③ (decimalEnclosedCircle), c (lowerLetter), iii (lowerRoman)."""
    formats = _formats()
    if number_format in formats["counting"] and 0 < value < 10000:
        return _counting(value, formats["counting"][number_format])
    if number_format in formats["digital"] and value >= 0:
        digits = formats["digital"][number_format]
        return "".join(digits[int(d)] for d in str(value))
    if number_format in formats["sequence"] and 0 < value <= len(formats["sequence"][number_format]):
        return str(formats["sequence"][number_format][value - 1])
    if number_format in formats["letters"] and value > 0:
        letters = formats["letters"][number_format]
        return str(letters[(value - 1) % len(letters)] * ((value - 1) // len(letters) + 1))
    if number_format in ("upperRoman", "lowerRoman") and 0 < value < 4000:
        roman = _roman(value)
        return roman.lower() if number_format == "lowerRoman" else roman
    if number_format == "decimalZero" and 0 <= value < 10:
        return f"0{value}"
    return str(value)


def _counting(value: int, numerals: dict[str, Any]) -> str:
    """1 一, 10 十, 11 十一, 20 二十, 105 一百零五, 110 一百一十."""
    digits, units, zero = numerals["digits"], numerals["units"], numerals["zero"]
    written: list[str] = []
    gap = False
    for place, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = value // place % 10
        if digit == 0:
            gap = bool(written)
            continue
        if gap:
            written.append(zero)
        bare = place == 10 and digit == 1 and not written and numerals["bare_ten"]
        written.append(("" if bare else digits[digit]) + unit)
        gap = False
    return "".join(written)


def _roman(value: int) -> str:
    written = []
    for amount, numeral in _formats()["roman"]["upperRoman"]:
        count, value = divmod(value, amount)
        written.append(numeral * count)
    return "".join(written)


@cache
def _formats() -> dict[str, Any]:
    return table("word_numbering.toml")


def _level(element: _Element) -> _Level:
    restart = _value(_child(element, "w:lvlRestart"))
    legal = _child(element, "w:isLgl")
    return _Level(
        start=int(_value(_child(element, "w:start")) or 1),
        format=_value(_child(element, "w:numFmt")) or "decimal",
        text=_value(_child(element, "w:lvlText")) or "",
        restart=int(restart) if restart is not None and restart.isdigit() else None,
        legal=legal is not None and _value(legal) not in ("0", "false"),
        suffix=_SUFFIXES.get(_value(_child(element, "w:suff")) or "tab", " "),
    )


def _replace_start(level: _Level, start: int) -> _Level:
    return _Level(start, level.format, level.text, level.restart, level.legal, level.suffix)


@dataclass(frozen=True, slots=True)
class _Styles:
    by_id: dict[str, _Element]
    default: str | None  # the default paragraph style's id


def _styles(document: WordDocument) -> _Styles:
    styles = list(_children(document.styles.element, "w:style"))
    by_id = {style.get(qn("w:styleId")) or "": style for style in styles}
    default = next(
        (
            style.get(qn("w:styleId"))
            for style in styles
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on")
        ),
        None,
    )
    return _Styles(by_id, default)


def _numbering_element(document: WordDocument) -> _Element | None:
    try:
        return document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element  # type: ignore[attr-defined,no-any-return]
    except KeyError:
        return None


def _children(element: _Element | None, tag: str) -> list[_Element]:
    return [] if element is None else list(element.iterchildren(qn(tag)))


def _child(element: _Element | None, tag: str) -> _Element | None:
    return None if element is None else element.find(qn(tag))


def _value(element: _Element | None) -> str | None:
    return None if element is None else element.get(qn("w:val"))
