"""The validated records gongwen writes: a notice, its metadata, sections and tasks.

Every extracted value carries a `Span`: its character offsets into `Notice.text` (the
normalised text, stored in the record) and the page and line of the source file it came
from, so an analyst can find it in the original.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import PurePath
from typing import Literal, Self

from dateutil.rrule import rrulestr
from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.5"  # 1.1: source.ocr_pages and ocr_confidence; 1.2: source.plan and plans;
# 1.3: a deadline's rrule and dtstart; a `within` deadline may name no end; 1.4: source.warnings;
# 1.5: meta.drafter, a party's name as written


@cache
def gongwen_version() -> str:
    """The installed gongwen's version, recorded with every notice it extracts.  Read once: each
    read of the package's metadata from disk took 1 ms, 2 % of extracting a notice."""
    try:
        return version("gongwen")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"


DeadlineKind = Literal["by", "within", "recurring"]
Recurrence = Literal["daily", "weekly", "monthly", "bimonthly", "quarterly", "semiannual", "yearly"]
Role = Literal["lead", "co", "other"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(Record):
    """Where a value sits: offsets into `Notice.text`, and its page and line in the source file."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int = Field(ge=1)
    line: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"span ends ({self.end}) before it starts ({self.start})")
        return self


class Deadline(Record):
    """When a task is due or runs, as the text writes it (`text`) and resolved to dates.

    - `by`: due on `end` (6月底前, 年中, 春节前);
    - `within`: runs from `start` to `end` (一季度, 2024年-2026年, 三年内); a start with no end
      named (自4月8日起, 从即日起) has `end` None: it is never due;
    - `recurring`: due every `recurrence` period, at the point `rrule` gives.

    `rrule` is an iCalendar (RFC 5545) recurrence rule, the value of an RRULE property
    without its "RRULE:" prefix (FREQ=MONTHLY;BYMONTHDAY=25), and `dtstart` its DTSTART, a
    DATE value: the rule's first occurrence in the year the text or the plan names. An
    iCalendar event is `DTSTART;VALUE=DATE:<dtstart>` plus `RRULE:<rrule>`. The rule is
    open-ended; the plan's period bounds it. A period that names no point is due at its end
    (每季度: FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1 from 31 March; see `extractors.deadlines`).
    """

    text: str
    kind: DeadlineKind
    start: dt.date | None = None
    end: dt.date | None = None
    recurrence: Recurrence | None = None
    rrule: str | None = None
    dtstart: dt.date | None = None
    span: Span

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.kind == "recurring" and self.recurrence is None:
            raise ValueError("a recurring deadline needs a recurrence")
        if self.kind == "by" and self.end is None:
            raise ValueError("a 'by' deadline needs an end date")
        if self.kind == "within" and self.start is None:
            raise ValueError("a 'within' deadline needs a start date")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"deadline starts {self.start} after it ends {self.end}")
        if (self.rrule is None) != (self.dtstart is None) or (self.rrule and self.kind != "recurring"):
            raise ValueError("a recurrence rule goes with its dtstart, on a recurring deadline")
        # RFC 5545: DTSTART should be the rule's first occurrence (rrulestr raises ValueError on a bad rule)
        if self.dtstart and self.occurrences(self.dtstart, self.dtstart) != [self.dtstart]:
            raise ValueError(f"dtstart {self.dtstart} is not an occurrence of {self.rrule}")
        return self

    def occurrences(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The days from `first` to `last` (inclusive) its recurrence rule falls due; [] without one."""
        if self.rrule is None or self.dtstart is None:
            return []
        start = dt.datetime.combine(self.dtstart, dt.time())
        rule = rrulestr(self.rrule, dtstart=start)
        days = rule.between(dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time()), inc=True)
        return [day.date() for day in days]


class Party(Record):
    name: str = Field(min_length=1)  # without a leading 各/全 or count, as the GUIDELINE writes it: 单位
    written: str = Field(min_length=1)  # as the text writes it: 各单位
    canonical: str = Field(min_length=1)  # one name per unit across the notice (区卫健委 = 区卫生健康委员会; 各单位)
    role: Role
    span: Span


class Target(Record):
    text: str = Field(min_length=1)
    value: float | None = None  # None for a qualitative result (全覆盖, 二级达标)
    unit: str | None = None
    object: str | None = None
    comparator: str | None = None  # 以上, 左右, 不少于, 达到 …
    span: Span


class Task(Record):
    id: str
    text: str = Field(min_length=1)
    section: list[str]
    section_id: str | None
    origin: Literal["body", "notice"]  # the plan body, or a concrete instruction in the covering notice
    span: Span
    deadlines: list[Deadline] = []
    parties: list[Party] = []
    implicit_lead: str | None = None
    targets: list[Target] = []
    columns: dict[str, str] = {}  # a task from a table row: the row's cells by column header

    def units(self, role: Role) -> list[str]:
        """The units in a role, each once by its canonical name, in the order written."""
        found = [p.canonical for p in self.parties if p.role == role]
        return list(dict.fromkeys(found)) if len(found) > 1 else found  # most tasks name none or one

    def when(self) -> str:
        """The time expressions as written, each once (4月、9月、12月 gives three deadlines)."""
        texts = [d.text for d in self.deadlines]
        return "；".join(dict.fromkeys(texts) if len(texts) > 1 else texts)

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        """The earliest start and the latest end of the task's deadlines."""
        starts = [d.start for d in self.deadlines if d.start]
        ends = [d.end for d in self.deadlines if d.end]
        return (min(starts) if starts else None), (max(ends) if ends else None)


class Section(Record):
    id: str
    number: str  # the numbering as written: 一、 （一） 1. （1） 第一条
    title: str
    level: int = Field(ge=1)
    path: list[str]  # headings from the top level down to this one, as written
    parent: str | None
    span: Span


class NoticeMeta(Record):
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issuers: list[str] = []
    issue_date: dt.date | None = None
    printed_by: str | None = None
    printed_date: dt.date | None = None
    addressees: list[str] = []
    plan_title: str | None = None
    drafter: str | None = None  # who drafted the attached plan or report, where not the issuer (起草单位)
    plan_year: int | None = None
    openness: str | None = None  # 公开属性: 主动公开, 依申请公开, 不予公开 …
    goals: list[str] = []


class SourceInfo(Record):
    path: str
    name: str
    format: str
    sha256: str
    encoding: str | None
    pages: int = Field(ge=0)
    ocr_pages: list[int] = []  # pages read by OCR (scanned images), from 1
    ocr_confidence: float | None = Field(default=None, ge=0, le=1)  # Tesseract's mean over their lines
    plan: int | None = Field(default=None, ge=1)  # of a file that bundles several plans, which one (from 1)
    plans: int = Field(default=1, ge=1)  # how many plans the file bundles, each its own record
    warnings: list[str] = []  # what was wrong with the file but did not stop its reading (damaged bytes), a line each

    @property
    def plan_suffix(self) -> str:
        """What tells one plan's outputs from the others' of its bundle: -13 (-07 of 31 plans)."""
        return "" if self.plan is None else f"-{self.plan:0{len(str(self.plans))}d}"

    @property
    def stem(self) -> str:
        """What the record's outputs are called: the file's stem, with the plan's suffix."""
        return PurePath(self.name).stem + self.plan_suffix


class Notice(Record):
    schema_version: str = SCHEMA_VERSION
    gongwen_version: str
    extracted_at: dt.datetime
    source: SourceInfo
    meta: NoticeMeta
    sections: list[Section]
    tasks: list[Task]
    text: str  # the normalised text every span points into

    def inferred_leads(self) -> dict[str, list[str]]:
        """Each task's implicit lead (by task id) as the matrix names units: each unit of it (split
        at 、, not inside a bracket: 县（市、区）商务主管部门 is one) by the canonical name the notice's
        parties give it (单位 → 各单位, 镇 → 各镇); the record keeps the short form the text uses, as
        the GUIDELINE writes it."""
        names = {p.name: p.canonical for task in self.tasks for p in task.parties}
        return {
            task.id: [names.get(unit, unit) for unit in re.split(r"、(?![^（(]*[）)])", task.implicit_lead)]
            for task in self.tasks
            if task.implicit_lead
        }

    @model_validator(mode="after")
    def _spans_inside_text(self) -> Self:
        limit = len(self.text)
        for task in self.tasks:
            spans = [task.span, *(d.span for d in task.deadlines), *(p.span for p in task.parties)]
            spans += [t.span for t in task.targets]
            for span in spans:
                if span.end > limit:
                    raise ValueError(f"task {task.id}: span {span} runs past the text ({limit})")
        return self
