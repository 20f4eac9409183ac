"""Targets: every quantity a task commits to, and the qualitative results it must reach.

A quantity is a number (Arabic or Chinese, 万/亿 multiplied out, 百分之X as X %) with a
unit from `lexicon/targets.toml`, an optional comparator (不少于, 以上, 左右 …) and the
object it counts: the noun phrase after the unit (5家社区卫生服务中心), else the one before
the number (公务车及专业技术车12辆).  Ordinals, codes, names and dates are not quantities,
and a clause that states a baseline (在……的基础上) has no targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Doc, Token

from extractors.nlp import PUNCTUATION, is_nominal, make_doc, text_of, token_at
from extractors.numerals import parse_number
from extractors.vocab import alternation, table, words

CHINESE_NUMBER = "零〇一二两三四五六七八九十百千"
QUIET = [("《", "》"), ("“", "”"), ("〔", "〕"), ("【", "】")]


@dataclass(frozen=True, slots=True)
class FoundTarget:
    text: str
    start: int  # offsets into the sentence
    end: int
    value: float | None
    unit: str | None
    object: str | None
    comparator: str | None


@cache
def _rules() -> dict[str, Any]:
    return table("targets.toml")


@cache
def _quantity() -> re.Pattern[str]:
    numeric = _rules()["numeric"]
    before = alternation(numeric["comparators_before"])
    after = alternation(numeric["comparators_after"])
    multipliers = alternation(numeric["multipliers"])
    units = alternation(numeric["units"])
    return re.compile(
        rf"(?:(?P<before>{before})(?:{_verb_between()})?)?"
        rf"(?:百分之(?P<percent>[{CHINESE_NUMBER}]+|\d+(?:\.\d+)?)"
        rf"|(?P<number>\d+(?:\.\d+)?|[{CHINESE_NUMBER}]+)\s*(?P<multiplier>{multipliers})?\s*(?P<unit>{units}))"
        rf"(?P<after>{after})?"
    )


def _verb_between() -> str:
    """A delivering verb between a comparator and its number: 至少组织一次, 不少于开展2次."""
    return alternation(_rules()["object"]["governing"])


def find_targets(doc: Doc) -> list[FoundTarget]:
    text = text_of(doc)
    quiet = _quiet(text)
    found = [t for t in _quantities(doc) if not _inside(t, quiet)]
    taken = [(t.start, t.end) for t in found]
    for target in _qualitative(doc):
        if not _inside(target, quiet) and not any(target.start < e and s < target.end for s, e in taken):
            found.append(target)
            taken.append((target.start, target.end))
    return sorted((t for t in found if not _in_baseline(text, t)), key=lambda t: t.start)


def _quiet(text: str) -> list[tuple[int, int]]:
    spans = []
    for opening, closing in QUIET:
        spans += [(m.start(), m.end()) for m in re.finditer(f"{opening}[^{closing}]*{closing}", text)]
    return spans


def _inside(target: FoundTarget, spans: list[tuple[int, int]]) -> bool:
    return any(start <= target.start and target.end <= end for start, end in spans)


def _in_baseline(text: str, target: FoundTarget) -> bool:
    """In a clause that looks back (在……的基础上, 已……), a result is the baseline, not a target."""
    clause_start = max(text.rfind(mark, 0, target.start) for mark in "，；。：") + 1
    clause_end = min([i for i in (text.find(mark, target.end) for mark in "，；。") if i >= 0] or [len(text)])
    clause = text[clause_start:clause_end]
    return any(word in clause for word in _rules()["context"]["baseline"])


# ---------------------------------------------------------------- quantities


def _quantities(doc: Doc) -> list[FoundTarget]:
    text = text_of(doc)
    found = []
    for match in _quantity().finditer(text):
        start = match.start("percent") if match["percent"] else match.start("number")
        if not _counts(text, match, start):
            continue
        if match["percent"]:
            value, unit = parse_number(match["percent"]), "%"
        else:
            value, unit = parse_number(match["number"] + (match["multiplier"] or "")), match["unit"]
        if value is None:
            continue
        comparator = match["before"] or match["after"]
        object_start, object_end = _object(doc, match)
        span_start, span_end = min(match.start(), object_start), max(match.end(), object_end)
        found.append(
            FoundTarget(
                text=text[span_start:span_end],
                start=span_start,
                end=span_end,
                value=value,
                unit=unit,
                object=text[object_start:object_end] or None,
                comparator=comparator,
            )
        )
    return found


def _counts(text: str, match: re.Match[str], number_start: int) -> bool:
    """Whether a number with a unit is a quantity, not an ordinal, a code, a date or 'a'."""
    numeric = _rules()["numeric"]
    before = text[:number_start]
    if before.endswith(tuple(numeric["not_before"])) or (before and (before[-1].isascii() and before[-1].isalnum())):
        return False
    if before.endswith("."):
        return False
    unit = match["unit"]
    if unit and text[match.end("unit") :].startswith(tuple(numeric["not_after"].get(unit, []))):
        return False
    number = match["number"] or match["percent"] or ""
    if number[:1] in "千百":  # 若千条, 百张: not a number standing alone
        return False
    if (number and not number[0].isdigit()) or unit in numeric["needs_governing_unit"]:
        governed = before.rstrip().endswith(tuple(_rules()["object"]["governing"]))
        return bool(match["before"] or match["after"] or match["percent"] or governed)
    return True


def _object(doc: Doc, match: re.Match[str]) -> tuple[int, int]:
    """Where the counted object is: the noun phrase after the unit, else the one before the number."""
    text = text_of(doc)
    stops = tuple(_rules()["object"]["stops"])
    after = end = match.end()
    while end < len(text) and not text.startswith(stops, end) and text[end] not in PUNCTUATION:
        token = token_at(doc, end)
        if token is not None and token.idx == end and _ends_phrase(doc, token, first=end == after):
            break
        end += 1
    if end > after:
        return after, end
    named = _org_ending().match(text, after, _phrase_end(text, after, stops))
    if named:  # 18家养护院完成: jieba reads 养护 as a verb, but 院 ends an institution's name
        return after, named.end()
    return _noun_phrase_start(doc, match.start()), match.start()


def _phrase_end(text: str, start: int, stops: tuple[str, ...]) -> int:
    end = start
    while end < len(text) and not text.startswith(stops, end) and text[end] not in PUNCTUATION:
        end += 1
    return end


@cache
def _org_ending() -> re.Pattern[str]:
    return re.compile(rf"[^，。；、]*(?:{alternation(words('org_suffixes.txt'))})")


def _ends_phrase(doc: Doc, token: Token, first: bool) -> bool:
    """A verb ends the object, unless nouns lead up to it and it closes the clause
    (村卫生室标准化改造。: a nominalised action); a verb right after the unit starts a predicate."""
    if is_nominal(token):
        return False
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return first or (following is not None and following.text not in PUNCTUATION)


# ---------------------------------------------------------------- qualitative results


@cache
def _qualitative_rules() -> tuple[tuple[str, re.Pattern[str], bool], ...]:
    return tuple((r["name"], re.compile(r["pattern"]), r["object_before"]) for r in _rules()["qualitative"])


def _qualitative(doc: Doc) -> list[FoundTarget]:
    found = []
    for _, pattern, object_before in _qualitative_rules():
        for match in pattern.finditer(text_of(doc)):
            start = _result_subject_start(doc, match.start()) if object_before else match.start()
            found.append(
                FoundTarget(
                    text=text_of(doc)[start : match.end()],
                    start=start,
                    end=match.end(),
                    value=None,
                    unit=None,
                    object=text_of(doc)[start : match.start()] or None,
                    comparator=None,
                )
            )
    return found


def _result_subject_start(doc: Doc, end: int) -> int:
    """What reaches a result may end in its action: 污水排放达标, 安全生产监管全覆盖."""
    token = token_at(doc, end - 1)
    if token is not None and not is_nominal(token) and token.i > 0 and is_nominal(doc[token.i - 1]):
        return _noun_phrase_start(doc, token.idx)
    return _noun_phrase_start(doc, end)


def _noun_phrase_start(doc: Doc, end: int) -> int:
    """Where the noun phrase ending at `end` begins: back over nouns (and 及/和) to a verb or a mark."""
    governing = set(_rules()["object"]["governing"])
    start = end
    while start > 0:
        token = token_at(doc, start - 1)
        if token is None or token.text in PUNCTUATION or token.text in governing:
            break
        if not is_nominal(token) and token.text not in "及和与":
            break
        if token.tag_ == "vn" and (token.i == 0 or not is_nominal(doc[token.i - 1])):
            break  # 培训基层干部: a verbal noun that opens the phrase is its verb
        start = token.idx
    return start


def find_goals(text: str) -> list[str]:
    """Overall goals a preamble states: a clause opening with 确保/力争/实现 that sets a result."""
    openers = alternation(_rules()["context"]["goal_openers"])
    goals = []
    for match in re.finditer(rf"(?:{openers})[^，。；]+", text):
        if find_targets(make_doc(match.group(0))):
            goals.append(match.group(0))
    return goals
