"""The tracker's tasks → `督办台账.ics`, an iCalendar (RFC 5545) file of to-dos, written with
the `icalendar` library, for the analysts' calendars (Outlook, Thunderbird, Apple Reminders).

One VTODO per deadline of a task: DUE on the day it falls due, DTSTART too for a span (一季度;
a start with no end has DTSTART only), and for a recurring deadline its RRULE from its first
occurrence, ended (UNTIL) with the plan's period.  SUMMARY is the lead unit and the task's
first words, DESCRIPTION the whole task, its notice, 文号, page and line, STATUS the 进度.
Its UID is made from the task's identity (the notice and the task's text) and the deadline's,
so importing a later calendar updates the to-dos instead of adding them again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from icalendar import STATUS, Calendar, Todo, vRecur

from pipeline.outputs.ledger import NO_LEAD, Tracked
from pipeline.outputs.task_workbook import abridged
from schemas.notice import Deadline

PRODID = "-//gongwen//督办台账//ZH"
NAME = "督办台账"
SUMMARY_WIDTH = 40  # the task's first words: Excel's units, a CJK character counting two
STATUSES = {"未开始": STATUS.NEEDS_ACTION, "推进中": STATUS.IN_PROCESS, "已完成": STATUS.COMPLETED,
            "销号": STATUS.COMPLETED}  # fmt: skip


def build_calendar(tracked: Sequence[Tracked]) -> bytes:
    """The calendar's bytes: a VTODO for each deadline that falls due or starts on a day."""
    calendar = Calendar.new(name=NAME, prodid=PRODID)
    todos = {todo.uid: todo for item in tracked for deadline in item.task.deadlines if (todo := _todo(item, deadline))}
    for todo in todos.values():
        calendar.add_component(todo)
    return bytes(calendar.to_ical())


def _todo(item: Tracked, deadline: Deadline) -> Todo | None:
    start, due, rule = _times(deadline, item.period_end)
    if start is None and due is None:
        return None
    task = item.task
    todo = Todo.new(
        uid=_uid(item, deadline),
        summary=f"{'、'.join(item.leads) or NO_LEAD}：{abridged(task.text, SUMMARY_WIDTH)}",
        description=_description(item, deadline),
        start=start,
        end=due,
        status=STATUSES.get(item.progress[0], STATUS.NEEDS_ACTION),
        categories=item.leads,
    )
    if rule is not None:
        todo.add("rrule", rule)
    return todo


def _description(item: Tracked, deadline: Deadline) -> str:
    task = item.task
    notice = f"{task.title}（{task.doc_number}）" if task.doc_number else task.title
    where = f"{' / '.join(task.section) or '通知正文'}，第{task.page}页第{task.line}行"
    progress = "：".join(part for part in item.progress if part)
    return "\n".join((task.text, notice, where, f"完成时限：{deadline.text}", f"进度：{progress}"))


def _times(deadline: Deadline, period_end: dt.date) -> tuple[dt.date | None, dt.date | None, vRecur | None]:
    """DTSTART, DUE and RRULE of a deadline's to-do."""
    if deadline.kind == "by":
        return None, deadline.end, None
    if deadline.kind == "within":
        return deadline.start, deadline.end, None
    if deadline.rrule is None or deadline.dtstart is None:
        return None, None, None
    rule = vRecur.from_ical(deadline.rrule)
    if "COUNT" not in rule and "UNTIL" not in rule:  # RFC 5545: one or the other, never both
        rule["UNTIL"] = [period_end]
    return deadline.dtstart, deadline.dtstart, rule


def _uid(item: Tracked, deadline: Deadline) -> str:
    """The same for the same deadline of the same task, run after run."""
    task = item.task
    parts = (task.notice, task.text, deadline.text, deadline.start, deadline.end, deadline.rrule, deadline.dtstart)
    return hashlib.sha256("\n".join(map(str, parts)).encode("utf-8")).hexdigest()[:32] + "@gongwen"
