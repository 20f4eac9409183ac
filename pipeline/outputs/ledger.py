"""What the 督办台账 follows: each task of the store, when it falls due as of a day, how far
it has got (进度, entered by an analyst) and its review (审核状态, from its notice's workbook).

A deadline falls due at its end (a `by` or `within` deadline; a start with no end never does)
or, recurring, at its next occurrence in the plan's period (python-dateutil expands the
deadline's RFC 5545 rule), or at its last once that period is over.  A task is overdue when one
of its deadlines is past and it is not done (已完成 or 销号).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.batch.tracked import StoredTask
from pipeline.outputs.task_workbook import REVIEW_STATES, WorkbookReviews, matched_by_text, plan_years
from schemas.notice import Deadline

PROGRESS = ("未开始", "推进中", "已完成", "销号")
DONE = PROGRESS[2:]
NOT_ENTERED = (PROGRESS[0], "")  # 进度 and 进度说明 of a task nobody has touched
SOON_DAYS = 30  # 总览 counts the tasks due this many days ahead
NO_LEAD = "（未写明牵头单位）"  # the unit of a task that names no lead and has none inferred

Progress = tuple[str, str]  # 进度, 进度说明


@dataclass(frozen=True, slots=True)
class Due:
    """A deadline of a task on the day it falls due."""

    date: dt.date
    deadline: Deadline


@dataclass(frozen=True, slots=True)
class Tracked:
    task: StoredTask
    period_end: dt.date  # the last day of the plan's period, where its recurrences stop
    dues: tuple[Due, ...]  # by date
    progress: Progress = NOT_ENTERED
    review: str = ""  # 审核状态 in the notice's workbook; '' without one

    @property
    def leads(self) -> list[str]:
        """The lead units, as written or, where none is, those inferred (地区、部门 carried over
        from the sentence before is two units)."""
        return self.task.lead or (self.task.implicit_lead.split("、") if self.task.implicit_lead else [])

    @property
    def inferred(self) -> bool:
        return not self.task.lead and self.task.implicit_lead is not None

    @property
    def done(self) -> bool:
        return self.progress[0] in DONE

    def overdue(self, as_of: dt.date) -> list[Due]:
        """The deadlines past on `as_of`, unless the task is done."""
        return [] if self.done else [due for due in self.dues if due.date < as_of]

    def due_within(self, as_of: dt.date, days: int) -> list[Due]:
        """The deadlines falling due from `as_of` to `days` later, unless the task is done."""
        last = as_of + dt.timedelta(days=days)
        return [] if self.done else [due for due in self.dues if as_of <= due.date <= last]


def follow(
    tasks: Sequence[StoredTask],
    as_of: dt.date,
    progress: Mapping[str, Mapping[str, Progress]],
    workbooks: WorkbookReviews | None = None,
) -> list[Tracked]:
    """The tasks as the tracker follows them on `as_of`; `progress` (notice → task text → 进度,
    进度说明) from an earlier tracker, matched by text within each notice; `workbooks`, the notice
    workbooks' reviews as far as they are known already."""
    workbooks = workbooks or WorkbookReviews()
    by_notice: dict[str, list[StoredTask]] = defaultdict(list)
    for task in tasks:
        by_notice[task.notice].append(task)
    tracked = []
    for notice, its_tasks in by_notice.items():
        first = its_tasks[0]
        ends = [d.end.year for t in its_tasks for d in t.deadlines if d.end]
        period_end = dt.date(plan_years(first.plan_year, first.title, ends)[-1], 12, 31)
        texts = dict(enumerate(t.text for t in its_tasks))
        entered = matched_by_text(texts, progress.get(notice, {}))
        reviews = _reviews(workbooks(Path(first.workbook)) if first.workbook else None, texts)
        for n, task in enumerate(its_tasks):
            dues = _dues(task, as_of, period_end)
            tracked.append(Tracked(task, period_end, dues, entered.get(n, NOT_ENTERED), reviews.get(n, "")))
    return tracked


def _dues(task: StoredTask, as_of: dt.date, period_end: dt.date) -> tuple[Due, ...]:
    """The task's deadlines on the days they fall due, by date; one a day for each time as written."""
    dues = {(day, d.text): Due(day, d) for d in task.deadlines for day in due_dates(d, as_of, period_end)}
    return tuple(dues[key] for key in sorted(dues))


def due_dates(deadline: Deadline, as_of: dt.date, period_end: dt.date) -> list[dt.date]:
    """When a deadline falls due as of a day: at its end; recurring, at its next occurrence from
    `as_of` to the end of the plan's period, or at its last once the period is over."""
    if deadline.kind != "recurring":
        return [deadline.end] if deadline.end else []
    if deadline.dtstart is None:
        return []
    coming = deadline.occurrences(as_of, period_end)
    return coming[:1] or deadline.occurrences(deadline.dtstart, period_end)[-1:]


def _reviews(review: Mapping[str, tuple[str, str]] | None, texts: Mapping[int, str]) -> dict[int, str]:
    """Each task's 审核状态 in its notice's workbook (`review`, None without one): entered, else
    the workbook's default."""
    if review is None:
        return {}
    entered = matched_by_text(texts, review)
    return {n: entered[n][0] if n in entered else REVIEW_STATES[0] for n in texts}


@dataclass
class Counts:
    tasks: int = 0
    overdue: int = 0
    soon: int = 0  # due in the next SOON_DAYS days
    done: int = 0

    def add(self, item: Tracked, as_of: dt.date) -> None:
        self.tasks += 1
        self.overdue += bool(item.overdue(as_of))
        self.soon += bool(item.due_within(as_of, SOON_DAYS))
        self.done += item.done


@dataclass
class UnitCounts:
    """A lead unit's tasks: all of them, and of those the ones it leads by inference."""

    all: Counts = field(default_factory=Counts)
    inferred: Counts = field(default_factory=Counts)


def unit_counts(tracked: Sequence[Tracked], as_of: dt.date) -> dict[str, UnitCounts]:
    """Each lead unit's counts, the units with the most overdue tasks first (then due soon, then tasks)."""
    counts: dict[str, UnitCounts] = defaultdict(UnitCounts)
    for item in tracked:
        for unit in item.leads or [NO_LEAD]:
            counts[unit].all.add(item, as_of)
            if item.inferred:
                counts[unit].inferred.add(item, as_of)
    order = sorted(counts.items(), key=lambda kv: (-kv[1].all.overdue, -kv[1].all.soon, -kv[1].all.tasks, kv[0]))
    return dict(order)
