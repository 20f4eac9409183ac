"""The record of a year-on-year diff: two plans of one issuer, their tasks paired, and what
changed, in fields and in words."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.notice import SCHEMA_VERSION, Record

ChangeField = Literal["wording", "section", "deadline", "lead", "co", "other", "target"]
PairStatus = Literal["unchanged", "changed"]
TaskClass = Literal["unchanged", "changed", "added", "removed"]


class PlanRef(Record):
    """One of the two notices compared."""

    source: str
    title: str | None
    doc_number: str | None
    issuer: str | None
    plan_year: int | None
    tasks: int


class TaskRef(Record):
    """A task in one of the two versions, with what an analyst needs to find and judge it."""

    id: str
    number: int = Field(ge=1)  # its place in its notice, from 1
    text: str
    section: list[str]  # headings as written
    page: int
    line: int
    lead: list[str]  # canonical across both notices; the implicit lead if none is written
    co: list[str]
    other: list[str]
    deadline: str  # the time expressions as written
    targets: list[str]


class FieldChange(Record):
    field: ChangeField
    old: str
    new: str
    description: str  # in words, for the analyst: 目标：12家 → 18家


class TaskPair(Record):
    status: PairStatus
    similarity: float = Field(ge=0, le=1)  # of the two texts
    moved: bool  # its section as written differs (renumbered, renamed or another one)
    old: TaskRef
    new: TaskRef
    changes: list[FieldChange]
    old_marks: list[tuple[int, int]]  # the changed passages: character offsets into old.text
    new_marks: list[tuple[int, int]]  # … and into new.text


class Unpaired(Record):
    """A task found in one version only, with the most alike task of the other version when
    there is one worth a look (alike, but too little to be the same task)."""

    task: TaskRef
    nearest: TaskRef | None
    similarity: float | None = Field(default=None, ge=0, le=1)


class PlanDiff(Record):
    schema_version: str = SCHEMA_VERSION
    old: PlanRef
    new: PlanRef
    pairs: list[TaskPair]  # in the new plan's order
    added: list[Unpaired]
    removed: list[Unpaired]
    counts: dict[TaskClass, int]
    by_section: dict[str, dict[TaskClass, int]]  # top-level section title (new plan's, else old's) → counts
    by_unit: dict[str, dict[TaskClass, int]]  # a unit → counts of the tasks it has a role in
