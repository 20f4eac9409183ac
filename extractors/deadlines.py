"""Deadlines: every time expression of a task, resolved against the plan year.

The grammar is `lexicon/time.toml`: ordered rules, each a regex and the name of a resolver
here.  A year the text names wins over the plan year; a later expression without a year
takes the year named before it in the sentence; a `by` date that would fall before the
notice was issued (3月31日前 in a notice of December) falls in the next year, unless the
sentence names a span of its year that holds it (一季度：春节前……).

A recurrence becomes an iCalendar (RFC 5545) rule, built with dateutil's `rrule`: the point
in each period the text names (每月25日前, 次月5日前, 每季度末, 每年12月底前), else the
period's last day (每月: BYMONTHDAY=-1; 每季度: FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1 from
31 March; 每半年: 30 June and 31 December; 每年: 31 December), a weekly task that names no
day on Friday, the week's last working day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule
from lunardate import LunarDate

from extractors.cues import required_chars
from extractors.nlp import Sentence, next_token
from extractors.numerals import parse_int
from extractors.vocab import table
from schemas.notice import DeadlineKind, Recurrence


@dataclass(frozen=True, slots=True)
class TimeContext:
    plan_year: int
    issue_date: dt.date | None = None
    year_named: bool = False  # a title names the plan's year: its dates are that year's, however early


@dataclass(frozen=True, slots=True)
class Recur:
    """A recurrence and the point in each period it falls due, as the text names it."""

    recurrence: Recurrence
    year: int  # the year of its first occurrence
    month: int | None = None  # the month of each period it falls due in (1: the period's first); None: the last
    day: int | None = None  # the day of that month (-1: the last); None: the last
    weekdays: tuple[int, ...] = ()  # daily and weekly: the days of the week (0: Monday)
    after: bool = False  # due in the month after each period: 次月5日前, 每季度结束后10日内
    relative: bool = False  # a point without a period of its own (次月5日前): the sentence's period's

    @property
    def pointed(self) -> bool:
        return self.month is not None or self.day is not None or bool(self.weekdays) or self.after


@dataclass(frozen=True, slots=True)
class FoundDeadline:
    text: str
    start: int  # offsets into the sentence
    end: int
    kind: DeadlineKind
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    recur: Recur | None = None
    unrolled: dt.date | None = None  # a date rolled into the next year: where it was before

    @property
    def recurrence(self) -> Recurrence | None:
        return self.recur.recurrence if self.recur else None

    @property
    def rule(self) -> tuple[str, dt.date] | None:
        """The RFC 5545 RRULE value and its DTSTART (the first occurrence), for a recurrence."""
        return recurrence_rule(self.recur) if self.recur else None

    @property
    def key(self) -> tuple[object, ...]:
        return self.kind, self.start_date, self.end_date, self.recurrence, self.rule


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: str
    cues: frozenset[str] | None  # a sentence with none of these characters cannot match (`required_chars`)


@cache
def _grammar() -> tuple[_Rule, ...]:
    rules = table("time.toml")
    macros = _macros()

    def expand(regex: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: f"(?:{macros[m.group(1)]})", regex)

    compiled = [(r, re.compile(expand(r["regex"]))) for r in rules["rule"]]
    return tuple(_Rule(r["name"], pattern, r["resolve"], required_chars(pattern)) for r, pattern in compiled)


@cache
def _macros() -> dict[str, str]:
    """The grammar's macros: time.toml's, and alternations of the named periods and holidays."""
    rules = table("time.toml")
    holidays = sorted([*rules["holidays"]["solar"], *rules["holidays"]["lunar"], "清明"], key=len, reverse=True)
    return {
        **rules["macros"],
        "PERIOD": "|".join(map(re.escape, rules["named_periods"])),
        "HOLIDAY": "|".join(map(re.escape, holidays)),
    }


def _settings() -> dict[str, Any]:
    return table("time.toml")


def find_deadlines(doc: Sentence, context: TimeContext) -> list[FoundDeadline]:
    """The deadlines a sentence states, in order, without repeats."""
    text = doc.text
    taken = _quiet_ranges(text)
    chars = set(text)
    matches: list[tuple[re.Match[str], _Rule]] = []
    for rule in _grammar():
        if rule.cues is not None and rule.cues.isdisjoint(chars):
            continue
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
        if _dates_a_noun(match.group(), text[match.end() :], named, context):
            continue
        resolver = _RESOLVERS[rule.resolve]
        deadlines = list(resolver(match, named or year, context, doc))
        if named:
            year = named
        found += deadlines
    found = _drop_qualifying_years(_points_of_periods(_kept_in_named_spans(found, context)))
    unique: dict[tuple[object, ...], FoundDeadline] = {}
    for deadline in found:
        unique.setdefault(deadline.key, deadline)
    return list(unique.values())


def _dates_a_noun(time: str, after: str, named: int | None, context: TimeContext) -> bool:
    """Whether a bounded time is part of a clause modifying a noun (2020年前已鉴定的危房), judged by
    the text after it: a 的 close by, and the clause opening with 已 or the year before the plan's."""
    settings = _settings()["not_deadlines"]
    if not time.endswith(tuple(settings["modifier_bounds"])):
        return False
    clause = re.match(f"[^，。；、,;：:（(]{{0,{settings['modifier_reach']}}}?的", after)
    if clause is None:
        return False
    return after.startswith(tuple(settings["modifier_openers"])) or (named is not None and named < context.plan_year)


def _quiet_ranges(text: str) -> list[tuple[int, int]]:
    """Spans inside 《》 and 〔〕 (titles of documents, document numbers), the quoted name of a year's
    campaign, and words that name no date: no deadlines there."""
    return [(match.start(), match.end()) for pattern in _quiet_patterns() for match in pattern.finditer(text)]


@cache
def _quiet_patterns() -> tuple[re.Pattern[str], ...]:
    """What `_quiet_ranges` finds: a bracketed span, the words that are never a time, a campaign's name."""
    settings = _settings()["not_deadlines"]
    brackets = zip(settings["quiet_open"], settings["quiet_close"], strict=True)
    spans = [f"{re.escape(opening)}[^{re.escape(closing)}]*{re.escape(closing)}" for opening, closing in brackets]
    regexes = [*spans, *map(re.escape, settings["never"]), settings["quiet_names"]]
    return tuple(re.compile(regex) for regex in regexes)


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


def _kept_in_named_spans(found: list[FoundDeadline], context: TimeContext) -> list[FoundDeadline]:
    """A date rolled into the next year stays in its own where the sentence names a span of that
    year, not yet over when the notice was issued, that holds it: 一季度：“春节”节前检查 in a plan
    issued on 3 March is this year's 春节."""
    current = [
        d
        for d in found
        if d.kind == "within" and d.start_date and d.end_date and d.end_date >= (context.issue_date or d.end_date)
    ]

    def held(day: dt.date) -> bool:
        return any(s.start_date and s.end_date and s.start_date <= day <= s.end_date for s in current)

    return [_unrolled(d) if d.unrolled and held(d.unrolled) else d for d in found]


def _unrolled(deadline: FoundDeadline) -> FoundDeadline:
    """The deadline back in the year it was rolled out of (a span keeps its length)."""
    assert deadline.unrolled is not None and deadline.end_date is not None
    shift = deadline.end_date - deadline.unrolled
    start = deadline.start_date - shift if deadline.start_date else None
    return replace(deadline, start_date=start, end_date=deadline.unrolled, unrolled=None)


def _points_of_periods(found: list[FoundDeadline]) -> list[FoundDeadline]:
    """A recurrence and the point the sentence names in its period are one deadline:
    每季度……次月10日前 is due on the 10th after each quarter; 每月……每月25日前 on the 25th."""
    periods = [d.recur for d in found if d.recur and not d.recur.pointed]
    longer = next((recur for recur in periods if recur.recurrence != "monthly"), None)
    joined = [
        replace(d, recur=replace(d.recur, recurrence=longer.recurrence, year=longer.year))
        if longer and d.recur and d.recur.relative
        else d
        for d in found
    ]
    pointed = {d.recurrence for d in joined if d.recur and d.recur.pointed}
    return [d for d in joined if not (d.recur and not d.recur.pointed and d.recurrence in pointed)]


def _drop_qualifying_years(found: list[FoundDeadline]) -> list[FoundDeadline]:
    """A whole year that a finer expression of the same year qualifies is no deadline of its
    own: 2025年将组织……在重大节日节前（4月、9月、12月）→ three months, not the year;
    年内建成……，全年完成…… → the end of the year, once."""

    def qualified(year: FoundDeadline) -> bool:
        return any(
            not _is_whole_year(finer)
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
    """A date without a named year that falls well before the notice was issued is next year's,
    unless the plan's title names its year (a 2025年工作要点 issued in April keeps its 3月前)."""
    if named or context.year_named or context.issue_date is None or date >= context.issue_date - dt.timedelta(days=31):
        return date
    return date.replace(year=date.year + 1) if not (date.month == 2 and date.day == 29) else date


def _found(match: re.Match[str], kind: DeadlineKind, start: dt.date | None = None,
           end: dt.date | None = None, recur: Recur | None = None) -> FoundDeadline:  # fmt: skip
    return FoundDeadline(match.group(0), match.start(), match.end(), kind, start, end, recur)


def _due(match: re.Match[str], date: dt.date, named: bool, context: TimeContext) -> FoundDeadline:
    """A `by` deadline on a date the text gives without a year, rolled forward if it has passed."""
    rolled = _roll_forward(date, named, context)
    return replace(_found(match, "by", end=rolled), unrolled=date if rolled != date else None)


def _number(text: str | None) -> int | None:
    return parse_int(text) if text else None


# ---------------------------------------------------------------- recurrences

Resolver = Callable[[re.Match[str], int, TimeContext, Sentence], Iterator[FoundDeadline]]


@cache
def recurrence_rule(recur: Recur) -> tuple[str, dt.date]:
    """The RFC 5545 RRULE value (without "RRULE:") of a recurrence, built with dateutil's
    `rrule`, and its DTSTART: the first occurrence in the recurrence's year."""
    settings = _settings()["rrule"]
    day = -1 if recur.day is None else recur.day
    first_day = dt.datetime(recur.year, 1, 1)
    if recur.recurrence in ("daily", "weekly"):
        weekdays = recur.weekdays or tuple(settings["default_weekdays"][recur.recurrence])
        rule = rrule(DAILY if recur.recurrence == "daily" else WEEKLY, byweekday=weekdays or None, dtstart=first_day)
    else:
        period = settings["period_months"][recur.recurrence]
        phase = period + 1 if recur.after else (recur.month or period)  # the month of the period it is due in
        month = (phase - 1) % period + 1  # the first such month in the year
        anchor = first_day.replace(month=month)
        if recur.recurrence == "yearly":
            rule = rrule(YEARLY, bymonth=month, bymonthday=day, dtstart=anchor)
        else:
            rule = rrule(MONTHLY, interval=period, bymonthday=day, dtstart=anchor)
    first = rule[0]
    value = str(rule.replace(dtstart=first)).split("RRULE:", 1)[1]
    return value, first.date()


def _recur(match: re.Match[str], year: int, recurrence: Recurrence, **point: Any) -> FoundDeadline:
    return _found(match, "recurring", recur=Recur(recurrence, year, **point))


def _month_day(match: re.Match[str]) -> int | None:
    """The day of a month a point names: 25日 → 25, 底/末 → the last (-1), 上旬 → 10, 下旬 → the last."""
    if match["day"]:
        return _number(match["day"])
    if match["part"]:
        return int(_settings()["month_parts"][match["part"]][1])
    return -1 if match["end"] else None


def _recurring(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    word = match["every"] or match["fixed"]
    settings = _settings()["rrule"]
    weekdays: tuple[int, ...] = ()
    named_day = re.fullmatch(r"(周|星期)([一二三四五六日天])", word)
    if named_day:
        word, weekdays = named_day[1], (settings["weekdays"][named_day[2]],)
    elif "工作日" in word:
        weekdays = tuple(settings["workdays"])
    recurrence = _settings()["recurrence"].get(word)
    if recurrence:
        yield _recur(match, year, recurrence, weekdays=weekdays)


def _yearly(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    yield _recur(match, year, "yearly")


def _monthly_point(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """每月25日前 · 每月底 · 次月5日前 (a point after a period the sentence may name elsewhere)."""
    day = _month_day(match)
    if day is None or not -1 <= day <= 31:
        return
    following = bool(match["next"])
    yield _recur(match, year, "monthly", day=day, after=following, relative=following)


def _quarterly_point(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """每季度末 · 每季度结束后10日内 · 每季度首月10日前 (N days or working days after a quarter: the
    Nth of the month after it)."""
    if match["end"]:
        yield _recur(match, year, "quarterly", day=-1)
    elif match["after_day"] or match["days"]:
        yield _recur(match, year, "quarterly", day=_number(match["after_day"] or match["days"]), after=True)
    elif match["first"]:
        yield _recur(match, year, "quarterly", month=1, day=_number(match["first"]))


def _yearly_point(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """每年12月底前 · 每年3月15日前 · 每年年底前."""
    month = 12 if match["yearend"] else _number(match["month"])
    if month is None or not 1 <= month <= 12:
        return
    yield _recur(match, year, "yearly", month=month, day=_month_day(match) or -1)


# ---------------------------------------------------------------- spans and dates


def _date_range(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    groups = match.groupdict()
    if groups.get("from") == "即日":
        start = context.issue_date
    else:
        y1 = _year(groups["y1"]) if groups.get("y1") else year
        start = _date(y1, _number(groups["m1"]), _number(groups.get("d1")) or 1)
    if start is None:
        return
    y2 = _year(groups["y2"]) if groups.get("y2") else start.year + bool(groups.get("next"))
    if groups.get("hol2"):
        end: dt.date | None = holiday(groups["hol2"], y2) - dt.timedelta(days=1)
    else:
        month = _number(groups.get("m2")) or start.month
        day = groups.get("d2") or groups.get("d2only")
        end = _date(y2, month, _number(day))
    if end is None:
        return
    if end < start and not groups.get("y2"):  # 12月11日至3月25日: the phase ends the next year
        end = end.replace(year=end.year + 1)
    if end >= start:
        yield _found(match, "within", start, end)


def _year_range(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    first, last = _year(match["y1"]), _year(match["y2"])
    if first <= last:
        yield _found(match, "within", dt.date(first, 1, 1), dt.date(last, 12, 31))


def _years_then_spec(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    years = [_year(y) for y in re.findall(_macros()["YEAR"], match["years"])] + [_year(match["last"])]
    month = parse_int(match["month"]) if match["month"] else 12
    for each in years:
        end = month_end(each, month or 12)
        yield FoundDeadline(match.group(0), match.start(), match.end(), "by", None, end)


def _month_list(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """（4月、9月、12月）· 3、6、9、12月: within each month."""
    for month_text in re.findall(_macros()["MONTH"], match["months"]):
        month = parse_int(month_text)
        if month and 1 <= month <= 12:
            yield _found(match, "within", dt.date(year, month, 1), month_end(year, month))


def _day(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    date = _date(year, parse_int(match["month"]), parse_int(match["day"]))
    if date is None:
        return
    if match["by"] or match["by_prefix"]:
        yield _due(match, date, bool(match["year"]), context)
    else:
        date = _roll_forward(date, bool(match["year"]), context)
        yield _found(match, "within", date, date)


def _month_end(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    month = parse_int(match["month"])
    if month and 1 <= month <= 12:
        yield _due(match, month_end(year, month), bool(match["year"]), context)


def _month_before(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """6月前 (a month without 底/末): by the last day of the month before (GUIDELINE)."""
    month = parse_int(match["month"])
    if month and 1 <= month <= 12:
        first = dt.date(year, month, 1)
        yield _due(match, first - dt.timedelta(days=1), bool(match["year"]), context)


def _month_part(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    month = parse_int(match["month"])
    if not month or not 1 <= month <= 12:
        return
    first, last = _settings()["month_parts"][match["part"]]
    last = month_end(year, month).day if last == -1 else last
    if match["by"]:
        yield _found(match, "by", end=dt.date(year, month, last))
    else:
        yield _found(match, "within", dt.date(year, month, first), dt.date(year, month, last))


def _quarter(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    quarter = parse_int(match["quarter"])
    if not quarter or not 1 <= quarter <= 4:
        return
    start, end = dt.date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter)
    if match["end"] or match["by"]:
        yield _found(match, "by", end=end)
    else:
        yield _found(match, "within", start, end)


def _half(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    first = match["half"] == "上"
    start, end = (dt.date(year, 1, 1), dt.date(year, 6, 30)) if first else (dt.date(year, 7, 1), dt.date(year, 12, 31))
    if match["end"] or match["by"]:
        yield _found(match, "by", end=end)
    else:
        yield _found(match, "within", start, end)


def _year_end(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    if match["year3"]:  # 2025年前: before the year begins
        yield _found(match, "by", end=dt.date(_year(match["year3"]) - 1, 12, 31))
    else:
        yield _found(match, "by", end=dt.date(year, 12, 31))


def _this_year(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """今年 timing an action (今年适当时候，由……组织; 今年要完成): by the end of the year the notice
    is issued in. 今年政府工作, 今年发展目标: a noun's modifier, no deadline."""
    if _times_action(match, doc):
        this_year = context.issue_date.year if context.issue_date else context.plan_year
        yield _found(match, "by", end=dt.date(this_year, 12, 31))


def _mid_year(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """年中: by 30 June (GUIDELINE)."""
    yield _found(match, "by", end=dt.date(year, 6, 30))


def _whole_year(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    yield _found(match, "within", dt.date(year, 1, 1), dt.date(year, 12, 31))


def _month(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    month = parse_int(match["month"])
    if month and 1 <= month <= 12:
        yield _found(match, "within", dt.date(year, month, 1), month_end(year, month))


def _holiday(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """春节前 · 春节、国庆等重大节日前: by the day before each holiday named; 春节前后: within
    the holiday itself. Each the next one after the notice's issue."""
    around = bool(match["around"])
    eve = dt.timedelta(days=0 if around else 1)
    for name in dict.fromkeys(re.findall(_macros()["HOLIDAY"], match["holidays"])):
        day = holiday(name, year) - eve
        if context.issue_date and day < context.issue_date and not _named_year(match):
            later = holiday(name, year + 1) - eve
            yield replace(_holiday_deadline(match, later, around), unrolled=day)
        else:
            yield _holiday_deadline(match, day, around)


def _holiday_deadline(match: re.Match[str], day: dt.date, around: bool) -> FoundDeadline:
    return _found(match, "within", day, day) if around else _found(match, "by", end=day)


def _named_period(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """安全生产月 (June), 消防宣传月 (November): within the month the period takes each year."""
    month = _settings()["named_periods"][match["period"] or match["period2"]]
    yield _found(match, "within", dt.date(year, month, 1), month_end(year, month))


def _five_year_plan(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """“九五”期间 → 1996-2000; “十四五”末 → by the end of 2025."""
    number = parse_int(match["plan"])
    if number is None:
        return
    plans = _settings()["five_year_plans"]
    first = plans["first"] + 5 * (number - 1) if number < 3 else plans["third"] + 5 * (number - 3)
    if match["when"] in ("末", "期末"):
        yield _found(match, "by", end=dt.date(first + 4, 12, 31))
    else:
        yield _found(match, "within", dt.date(first, 1, 1), dt.date(first + 4, 12, 31))


# ---------------------------------------------------------------- durations and starts


def _start_of(match: re.Match[str], year: int, context: TimeContext) -> dt.date | None:
    """Where a span the text counts from begins: 即日 and 印发之日 are the issue date."""
    groups = match.groupdict()
    if groups.get("today") or groups.get("issued") or groups.get("issued_after"):
        return context.issue_date
    if groups.get("this_year"):
        return dt.date(context.issue_date.year if context.issue_date else context.plan_year, 1, 1)
    return _date(year, _number(groups.get("month")) or 1, _number(groups.get("day")) or 1)


def _start(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """自4月8日起 · 从即日起 · 2020年起: a start, no end named."""
    start = _start_of(match, year, context)
    if start:
        yield _found(match, "within", start=start)


def _years(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """三年内 · 通过三年治本攻坚 · 2012年起5年内 · 从2019年1月1日起，实施三年……: that many
    years from the start of the year named (or the plan year), or from the day named."""
    count = _number(match["count"] or match["count2"])
    if not count:
        return
    start = _start_of(match, year, context) if match["from"] else dt.date(year, 1, 1)
    if start:
        yield _found(match, "within", start, start + relativedelta(years=count) - dt.timedelta(days=1))


def _counted_days(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """本意见印发之日起30日内 · 自即日起3个月内: from the day named. The day itself does not
    count (民法典 第二百零一条); a month ends on the same day of the month (or the month's last),
    as dateutil's relativedelta counts; working days skip Saturdays and Sundays only."""
    start, count = _start_of(match, year, context), _number(match["count"])
    if start is None or not count:
        return
    unit = match["unit"]
    if unit == "个月":
        end = start + relativedelta(months=count)
    elif unit == "周":
        end = start + dt.timedelta(weeks=count)
    elif unit == "个工作日":
        end = start
        for _ in range(count):
            end += dt.timedelta(days=3 if end.weekday() == 4 else 2 if end.weekday() == 5 else 1)
    else:
        end = start + dt.timedelta(days=count)
    yield _found(match, "within", start, end)


def _bare_year(match: re.Match[str], year: int, context: TimeContext, doc: Sentence) -> Iterator[FoundDeadline]:
    """2024年 alone is a deadline when it times an action, not when it modifies a noun."""
    after = doc.text[match.end() :]
    clause = re.split(r"[，；。]", after, maxsplit=1)[0]
    named = _year(match["year"])
    # 在2024年……的基础上, 2023年及以前: what was done, not when to do it
    if _times_action(match, doc) and "基础" not in clause and named >= context.plan_year:
        yield _found(match, "within", dt.date(named, 1, 1), dt.date(named, 12, 31))


def _times_action(match: re.Match[str], doc: Sentence) -> bool:
    """A year word times an action (2024年，重点开展; 计划于2025年开展; 今年要完成; 今年适当时候),
    rather than modifying a noun (2024年消防安全标准, 今年政府工作)."""
    text = doc.text
    after, before = text[match.end() :], text[: match.start()]
    token = next_token(doc, match.end())
    settings = _settings()["not_deadlines"]
    return (
        before.endswith(("于", "到", "至", "截至", "从"))
        or after[:1] in ("，", "、", ",", "")
        or after.startswith((*settings["year_verbs"], *settings["never"]))
        or (token is not None and token.tag_ in ("v", "d", "p", "c", "t"))
    )


_RESOLVERS: dict[str, Resolver] = {
    "recurring": _recurring,
    "yearly": _yearly,
    "monthly_point": _monthly_point,
    "quarterly_point": _quarterly_point,
    "yearly_point": _yearly_point,
    "date_range": _date_range,
    "year_range": _year_range,
    "years_then_spec": _years_then_spec,
    "month_list": _month_list,
    "day": _day,
    "month_end": _month_end,
    "month_before": _month_before,
    "month_part": _month_part,
    "quarter": _quarter,
    "half": _half,
    "year_end": _year_end,
    "this_year": _this_year,
    "mid_year": _mid_year,
    "whole_year": _whole_year,
    "month": _month,
    "holiday": _holiday,
    "named_period": _named_period,
    "five_year_plan": _five_year_plan,
    "start": _start,
    "years": _years,
    "counted_days": _counted_days,
    "year": _bare_year,
}
