"""Deadlines: every time expression of a task, resolved against the plan year.

The grammar is `lexicon/time.toml`: ordered rules, each a regex and the name of a resolver
here.  A year the text names wins over the plan year; a later expression without a year
takes the year named before it in the sentence; a `by` date that would fall before the
notice was issued (3月31日前 in a notice of December) falls in the next year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from lunardate import LunarDate
from spacy.tokens import Doc

from extractors.nlp import next_token, text_of
from extractors.numerals import parse_int
from extractors.vocab import table
from schemas.notice import DeadlineKind, Recurrence


@dataclass(frozen=True, slots=True)
class TimeContext:
    plan_year: int
    issue_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FoundDeadline:
    text: str
    start: int  # offsets into the sentence
    end: int
    kind: DeadlineKind
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    recurrence: Recurrence | None = None

    @property
    def key(self) -> tuple[object, ...]:
        return self.kind, self.start_date, self.end_date, self.recurrence


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: str


@cache
def _grammar() -> tuple[_Rule, ...]:
    rules = table("time.toml")
    macros: dict[str, str] = rules["macros"]

    def expand(regex: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: f"(?:{macros[m.group(1)]})", regex)

    return tuple(_Rule(r["name"], re.compile(expand(r["regex"])), r["resolve"]) for r in rules["rule"])


def _settings() -> dict[str, Any]:
    return table("time.toml")


def find_deadlines(doc: Doc, context: TimeContext) -> list[FoundDeadline]:
    """The deadlines a sentence states, in order, without repeats."""
    text = text_of(doc)
    taken = _quiet_ranges(text)
    matches: list[tuple[re.Match[str], _Rule]] = []
    for rule in _grammar():
        for match in rule.pattern.finditer(text):
            if match.end() > match.start() and not any(
                match.start() < end and start < match.end() for start, end in taken
            ):
                matches.append((match, rule))
                taken.append((match.start(), match.end()))
    matches.sort(key=lambda item: item[0].start())
    found: list[FoundDeadline] = []
    year = context.plan_year
    for match, rule in matches:
        named = _named_year(match)
        resolver = _RESOLVERS[rule.resolve]
        deadlines = list(resolver(match, named or year, context, doc))
        if named:
            year = named
        found += deadlines
    found = _drop_qualifying_years(found)
    unique: dict[tuple[object, ...], FoundDeadline] = {}
    for deadline in found:
        unique.setdefault(deadline.key, deadline)
    return list(unique.values())


def _quiet_ranges(text: str) -> list[tuple[int, int]]:
    """Spans inside 《》 and 〔〕 (titles of documents, document numbers): no deadlines there."""
    settings = _settings()["not_deadlines"]
    ranges = []
    for opening, closing in zip(settings["quiet_open"], settings["quiet_close"], strict=True):
        for match in re.finditer(f"{re.escape(opening)}[^{re.escape(closing)}]*{re.escape(closing)}", text):
            ranges.append((match.start(), match.end()))
    for word in settings["never"]:
        ranges += [(m.start(), m.end()) for m in re.finditer(re.escape(word), text)]
    return ranges


def _named_year(match: re.Match[str]) -> int | None:
    for group in ("year", "y1", "year2", "year3", "last"):
        value = match.groupdict().get(group)
        if value:
            return _year(value)
    return None


def _year(text: str) -> int:
    value = parse_int(text)
    assert value is not None, text
    return value


def _drop_qualifying_years(found: list[FoundDeadline]) -> list[FoundDeadline]:
    """A bare year that a later, finer expression of the same year qualifies is no deadline of its
    own: 2025年将组织……在重大节日节前（4月、9月、12月）→ three months, not the year."""

    def qualified(year: FoundDeadline) -> bool:
        return any(
            not _is_whole_year(finer)
            and finer.start > year.start
            and finer.end_date is not None
            and year.end_date is not None
            and finer.end_date.year == year.end_date.year
            for finer in found
        )

    return [d for d in found if not (_is_whole_year(d) and qualified(d))]


def _is_whole_year(deadline: FoundDeadline) -> bool:
    return (
        deadline.kind == "within"
        and deadline.start_date is not None
        and deadline.end_date is not None
        and deadline.start_date == dt.date(deadline.start_date.year, 1, 1)
        and deadline.end_date == dt.date(deadline.start_date.year, 12, 31)
    )


# ---------------------------------------------------------------- dates


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _date(year: int, month: int | None, day: int | None) -> dt.date | None:
    if month is None or not 1 <= month <= 12:
        return None
    if day is None:
        return month_end(year, month)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def holiday(name: str, year: int) -> dt.date:
    holidays = _settings()["holidays"]
    if name in holidays["solar"]:
        month, day = holidays["solar"][name]
        return dt.date(year, month, day)
    if name in holidays["lunar"]:
        month, day = holidays["lunar"][name]
        solar: dt.date = LunarDate(year, month, day).to_solar_date()
        return solar
    century = "2000" if year > 2000 else "1900"
    short = year % 100
    day = math.floor(short * 0.2422 + holidays["qingming_c"][century]) - short // 4
    return dt.date(year, 4, day)


def _roll_forward(date: dt.date, named: bool, context: TimeContext) -> dt.date:
    """A date without a named year that falls well before the notice was issued is next year's."""
    if named or context.issue_date is None or date >= context.issue_date - dt.timedelta(days=31):
        return date
    return date.replace(year=date.year + 1) if not (date.month == 2 and date.day == 29) else date


def _found(match: re.Match[str], kind: DeadlineKind, start: dt.date | None = None,
           end: dt.date | None = None, recurrence: Recurrence | None = None) -> FoundDeadline:  # fmt: skip
    return FoundDeadline(match.group(0), match.start(), match.end(), kind, start, end, recurrence)


# ---------------------------------------------------------------- resolvers

Resolver = Callable[[re.Match[str], int, TimeContext, Doc], Iterator[FoundDeadline]]


def _recurring(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    word = match["every"] or match["fixed"]
    word = re.sub(r"^(周|星期)[一二三四五六日天]$", r"\1", word)
    recurrence = _settings()["recurrence"].get(word)
    if recurrence:
        yield _found(match, "recurring", recurrence=recurrence)


def _yearly(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    yield _found(match, "recurring", recurrence="yearly")


def _date_range(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    if match["from"] == "即日":
        start = context.issue_date
    else:
        y1 = _year(match["y1"]) if match["y1"] else year
        start = _date(y1, parse_int(match["m1"]), parse_int(match["d1"]) if match["d1"] else 1)
    if start is None:
        return
    y2 = _year(match["y2"]) if match["y2"] else start.year
    if match["hol2"]:
        end: dt.date | None = holiday(match["hol2"], y2) - dt.timedelta(days=1)
    else:
        month = parse_int(match["m2"]) if match["m2"] else start.month
        day = match["d2"] or match["d2only"]
        end = _date(y2, month, parse_int(day) if day else None)
    if end is None:
        return
    if end < start and not match["y2"]:  # 12月11日至3月25日: the phase ends the next year
        end = end.replace(year=end.year + 1)
    if end >= start:
        yield _found(match, "within", start, end)


def _year_range(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    first, last = _year(match["y1"]), _year(match["y2"])
    if first <= last:
        yield _found(match, "within", dt.date(first, 1, 1), dt.date(last, 12, 31))


def _years_then_spec(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    years = [_year(y) for y in re.findall(_grammar_macro("YEAR"), match["years"])] + [_year(match["last"])]
    month = parse_int(match["month"]) if match["month"] else 12
    for each in years:
        end = month_end(each, month or 12)
        yield FoundDeadline(match.group(0), match.start(), match.end(), "by", None, end)


@cache
def _grammar_macro(name: str) -> str:
    return str(table("time.toml")["macros"][name])


def _month_list(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    for month_text in re.findall(rf"({_grammar_macro('MONTH')})\s*月", match["months"]):
        month = parse_int(month_text)
        if month and 1 <= month <= 12:
            yield _found(match, "within", dt.date(year, month, 1), month_end(year, month))


def _day(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    date = _date(year, parse_int(match["month"]), parse_int(match["day"]))
    if date is None:
        return
    date = _roll_forward(date, bool(match["year"]), context)
    if match["by"] or match["by_prefix"]:
        yield _found(match, "by", end=date)
    else:
        yield _found(match, "within", date, date)


def _month_end(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    month = parse_int(match["month"])
    if month and 1 <= month <= 12:
        yield _found(match, "by", end=_roll_forward(month_end(year, month), bool(match["year"]), context))


def _month_part(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    month = parse_int(match["month"])
    if not month or not 1 <= month <= 12:
        return
    first, last = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, month_end(year, month).day)}[match["part"]]
    if match["by"]:
        yield _found(match, "by", end=dt.date(year, month, last))
    else:
        yield _found(match, "within", dt.date(year, month, first), dt.date(year, month, last))


def _quarter(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    quarter = parse_int(match["quarter"])
    if not quarter or not 1 <= quarter <= 4:
        return
    start, end = dt.date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter)
    if match["end"] or match["by"]:
        yield _found(match, "by", end=end)
    else:
        yield _found(match, "within", start, end)


def _half(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    first = match["half"] == "上"
    start, end = (dt.date(year, 1, 1), dt.date(year, 6, 30)) if first else (dt.date(year, 7, 1), dt.date(year, 12, 31))
    if match["end"] or match["by"]:
        yield _found(match, "by", end=end)
    else:
        yield _found(match, "within", start, end)


def _year_end(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    if match["year3"]:  # 2025年前: before the year begins
        yield _found(match, "by", end=dt.date(_year(match["year3"]) - 1, 12, 31))
    else:
        yield _found(match, "by", end=dt.date(year, 12, 31))


def _whole_year(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    yield _found(match, "within", dt.date(year, 1, 1), dt.date(year, 12, 31))


def _month(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    month = parse_int(match["month"])
    if month and 1 <= month <= 12:
        yield _found(match, "within", dt.date(year, month, 1), month_end(year, month))


def _holiday(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    following = text_of(doc)[match.end() :]
    if following.startswith(tuple(_settings()["not_deadlines"]["holiday_activity"])):
        return  # 节前检查: an activity, not a deadline
    day = holiday(match["holiday"], year)
    if context.issue_date and day < context.issue_date and not _named_year(match):
        day = holiday(match["holiday"], year + 1)
    yield _found(match, "by", end=day - dt.timedelta(days=1))


def _bare_year(match: re.Match[str], year: int, context: TimeContext, doc: Doc) -> Iterator[FoundDeadline]:
    """2024年 alone is a deadline when it times an action, not when it modifies a noun."""
    after = text_of(doc)[match.end() :]
    before = text_of(doc)[: match.start()]
    token = next_token(doc, match.end())
    timing = (
        before.endswith(("于", "到", "至", "截至", "从"))
        or after[:1] in ("，", "、", ",", "")
        or after.startswith(tuple(_settings()["not_deadlines"]["year_verbs"]))
        or (token is not None and token.tag_ in ("v", "d", "p", "c", "t"))
    )
    clause = re.split(r"[，；。]", after, maxsplit=1)[0]
    named = _year(match["year"])
    # 在2024年……的基础上, 2023年及以前: what was done, not when to do it
    if timing and "基础" not in clause and named >= context.plan_year:
        yield _found(match, "within", dt.date(named, 1, 1), dt.date(named, 12, 31))


_RESOLVERS: dict[str, Resolver] = {
    "recurring": _recurring,
    "yearly": _yearly,
    "date_range": _date_range,
    "year_range": _year_range,
    "years_then_spec": _years_then_spec,
    "month_list": _month_list,
    "day": _day,
    "month_end": _month_end,
    "month_part": _month_part,
    "quarter": _quarter,
    "half": _half,
    "year_end": _year_end,
    "whole_year": _whole_year,
    "month": _month,
    "holiday": _holiday,
    "year": _bare_year,
}
