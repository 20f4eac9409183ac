"""The store → `督办台账.xlsx` and `督办台账.ics`: every task of every notice, followed by unit
and by date, and its deadlines in the analysts' calendars.

Sheets: 总览 (one row per lead unit: its tasks, overdue, due within 30 days and done, the
inferred leads counted apart; a chart of the most overdue units), 近期到期 (deadlines of the
next 60 days) and 逾期 (past, the task not done), each by date; a 责任清单 for each of the
units with the most tasks and one for the others; 说明.  The analyst's 进度 (a drop-down) and
进度说明 carry over to the next tracker by task identity — the notice (its file's SHA-256 and
plan, the hidden column 标识) and the task's text — as a notice workbook's review does.

A task stands on several sheets; the tracker records on the hidden sheet 进度记录 what it wrote,
so a 进度 that differs from it is the analyst's entry wherever it was made.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.batch.tracked import StoredTask, read_tracked
from pipeline.collector import paused
from pipeline.files import keep_backup, latest_backup, stamp, write_atomically
from pipeline.outputs.ledger import (
    DONE,
    NO_LEAD,
    NOT_ENTERED,
    PROGRESS,
    SOON_DAYS,
    Progress,
    Tracked,
    UnitCounts,
    follow,
    unit_counts,
)
from pipeline.outputs.task_workbook import NEAR, OVERDUE, WorkbookReviews, read_columns
from pipeline.outputs.tracker_calendar import build_calendar
from pipeline.outputs.xlsx import CELL_LIMIT, Book, CellValue, Sheet, safe
from schemas.notice import gongwen_version

if TYPE_CHECKING:  # the process that writes the tracker for a batch needs no DuckDB
    from pipeline.batch.store import Store

TRACKER_NAME = "督办台账.xlsx"
CALENDAR_NAME = "督办台账.ics"
NEAR_DAYS = 60  # 近期到期 lists the deadlines this many days ahead
UNIT_SHEETS = 15  # units with a 责任清单 of their own; the others share one
OTHERS = "其他单位"
RECORD = "进度记录"  # the hidden sheet of what the tracker wrote

HEADERS = ("到期日", "完成时限", "工作任务", "牵头单位", "配合单位", "文件标题", "文号", "章节", "进度", "进度说明",
           "审核状态", "原文位置", "标识")  # fmt: skip
WIDTHS: dict[str, float] = {"到期日": 11, "完成时限": 14, "工作任务": 50, "牵头单位": 16, "配合单位": 16,
                            "文件标题": 24, "章节": 20, "进度": 8, "进度说明": 20, "审核状态": 9,
                            "原文位置": 13, "标识": 10}  # fmt: skip
PROGRESS_COLUMNS = ("标识", "工作任务", "进度", "进度说明")
OVERVIEW = ("牵头单位", "任务", "逾期", f"{SOON_DAYS}天内到期", "已完成", "其中推定：任务", "其中推定：逾期",
            f"其中推定：{SOON_DAYS}天内到期", "其中推定：已完成", "责任清单")  # fmt: skip
CHART_UNITS = 20  # the chart shows the units with the most tasks overdue or due soon
DONE_FONT = "#A6A6A6"
BAR_COLOURS = ("#E06666", "#F6B26B")  # overdue, due soon


class NothingToTrack(Exception):
    """The store holds no task; the message is one line."""


@dataclass(frozen=True)
class TrackerReport:
    notices: int
    tasks: int
    deadlines: int
    overdue: int
    soon: int
    done: int
    written: str = ""  # what the tracker was written with (`_written`), for the next one's carry-over


def write_tracker(
    store: Store,
    target: Path,
    calendar: Path,
    as_of: dt.date,
    workbooks: WorkbookReviews | None = None,
    written: str | None = None,
) -> TrackerReport:
    """Write the tracker and its calendar as of a day; an earlier tracker's 进度 carries over and,
    if it holds any its latest backup does not, is kept as a backup; `workbooks`, the notice
    workbooks' reviews as far as they are known already; `written`, the last tracker's
    `TrackerReport.written`.  Raises NothingToTrack for a store without tasks."""
    tasks = store.tracked_tasks()
    if not tasks:
        raise NothingToTrack(f"the store {store.path} holds no task yet: `gongwen run` fills it")
    return write_tracked(tasks, target, calendar, as_of, workbooks, written)


def write_exported(
    tasks: Path,
    target: Path,
    calendar: Path,
    as_of: dt.date,
    workbooks: WorkbookReviews | None = None,
    written: str | None = None,
) -> TrackerReport:
    """`write_tracked` of the tasks `Store.export_tracked` wrote to the file `tasks`."""
    return write_tracked(read_tracked(tasks), target, calendar, as_of, workbooks, written)


def write_tracked(
    tasks: Sequence[StoredTask],
    target: Path,
    calendar: Path,
    as_of: dt.date,
    workbooks: WorkbookReviews | None = None,
    written: str | None = None,
) -> TrackerReport:
    """`write_tracker` of the tasks a store tracks (`Store.tracked_tasks`): needs no store."""
    earlier, entered_since = _earlier_progress(target, written)
    tracked = follow(tasks, as_of, earlier, workbooks)
    data = build_tracker(tracked, as_of)
    if entered_since and earlier:  # an analyst's 进度: kept in backups/ unless its latest backup holds it
        backup = latest_backup(target)
        if backup is None or read_progress(backup) != earlier:
            keep_backup(target)
    write_atomically(target, data)
    write_atomically(calendar, build_calendar(tracked))
    return TrackerReport(
        notices=len({item.task.notice for item in tracked}),
        tasks=len(tracked),
        deadlines=sum(len(item.task.deadlines) for item in tracked),
        overdue=sum(1 for item in tracked if item.overdue(as_of)),
        soon=sum(1 for item in tracked if item.due_within(as_of, SOON_DAYS)),
        done=sum(item.done for item in tracked),
        written=_written(target, tracked),
    )


def _written(target: Path, tracked: Sequence[Tracked]) -> str:
    """The tracker just written, as JSON: gongwen's version, the workbook and its stamp, and the
    进度 it holds (notice → task text → [进度, 进度说明]) as `read_progress` reads it back; without
    the 进度 where reading back might give another (two tasks of one notice with one text, a text
    Excel or xlsxwriter would alter), so the next tracker reads the workbook.  ASCII: a notice's
    GBK file name keeps its lone surrogates escaped."""
    progress: dict[str, dict[str, Progress]] = {}
    seen: set[tuple[str, str]] = set()
    exact = True
    for item in tracked:
        task = item.task
        once = (task.notice, task.text) not in seen
        seen.add((task.notice, task.text))
        exact = exact and once and all(map(_kept_as_is, (task.text, *item.progress)))
        if task.text and item.progress != NOT_ENTERED:
            progress.setdefault(task.notice, {})[task.text] = item.progress
    written = {"version": gongwen_version(), "workbook": str(target), "stamp": stamp(target)}
    return json.dumps(written | ({"progress": progress} if exact else {}))


def _kept_as_is(text: str) -> bool:
    """Whether a cell's text reads back as written: no character `safe` drops, no carriage return
    or _xHHHH_ (which come back as escapes), not past Excel's 32,767 characters."""
    return len(text) <= CELL_LIMIT and safe(text) == text and "\r" not in text and "_x" not in text


def _earlier_progress(target: Path, written: str | None) -> tuple[dict[str, dict[str, Progress]], bool]:
    """The 进度 of the earlier tracker, and whether anyone may have entered any since gongwen
    wrote it: what it was written with while it is as this gongwen left it (`_written`, the
    same stamp), else read from it (a second or more for a store of thousands of tasks); none
    where there is no earlier one."""
    now = stamp(target)
    if now is None:
        return {}, False
    try:
        known = json.loads(written or "{}")
        same = (known.get("version"), known.get("workbook"), known.get("stamp")) == (
            gongwen_version(),
            str(target),
            list(now),
        )
        if same and "progress" in known:
            progress = {
                str(notice): {str(text): (str(state), str(note)) for text, (state, note) in tasks.items()}
                for notice, tasks in known["progress"].items()
            }
            return progress, False
    except (ValueError, TypeError, AttributeError):
        pass  # not what `_written` wrote: read the tracker
    return read_progress(target), True


def build_tracker(tracked: Sequence[Tracked], as_of: dt.date) -> bytes:
    """The workbook's bytes."""
    buffer = io.BytesIO()
    with paused():  # the cells live until the book is closed (a store of 7,800 tasks: 2.6 → 1.8 s)
        _write_sheets(Book(buffer, large=True), tracked, as_of)
    return buffer.getvalue()


def _write_sheets(book: Book, tracked: Sequence[Tracked], as_of: dt.date) -> None:
    counts = unit_counts(tracked, as_of)
    sheet_of = _unit_sheets(counts)
    _overview_sheet(book, counts, sheet_of, tracked, as_of)
    near = [(item, due) for item in tracked for due in item.due_within(as_of, NEAR_DAYS)]
    past = [(item, due) for item in tracked for due in item.overdue(as_of)]
    for title, dues in (("近期到期", near), ("逾期", past)):
        rows = [(item, due.date, due.deadline.text) for item, due in sorted(dues, key=lambda pair: pair[1].date)]
        _task_sheet(book.sheet(title), rows, as_of)
    for name, listed in _listed(tracked, sheet_of).items():
        _task_sheet(book.sheet(name), [(item, _first_due(item), item.task.when) for item in listed], as_of)
    _legend_sheet(book.sheet("说明"), as_of)
    _record_sheet(book.sheet(RECORD), tracked)
    book.close()


def _listed(tracked: Sequence[Tracked], sheet_of: Mapping[str, str]) -> dict[str, list[Tracked]]:
    """Sheet name → the tasks it lists, in their order: those led by one of its units."""
    listed: dict[str, list[Tracked]] = {name: [] for name in sheet_of.values()}
    for item in tracked:
        for name in dict.fromkeys(sheet_of[unit] for unit in item.leads or [NO_LEAD]):
            listed[name].append(item)
    return listed


def _first_due(item: Tracked) -> dt.date | None:
    """The day a task first falls due: its earliest deadline past, else its next."""
    return item.dues[0].date if item.dues else None


# ---------------------------------------------------------------- 总览


def _unit_sheets(counts: Mapping[str, UnitCounts]) -> dict[str, str]:
    """Each lead unit → the one sheet that lists it, in the sheets' order: the units with the most
    tasks a sheet each, the others one sheet together."""
    busiest = sorted((unit for unit in counts if unit != NO_LEAD), key=lambda unit: -counts[unit].all.tasks)
    sheet_of: dict[str, str] = {}
    for unit in busiest[:UNIT_SHEETS]:
        sheet_of[unit] = _sheet_name(unit, sheet_of.values())
    if rest := [unit for unit in counts if unit not in sheet_of]:
        others = _sheet_name(OTHERS, sheet_of.values())
        sheet_of.update(dict.fromkeys(rest, others))
    return sheet_of


def _sheet_name(unit: str, taken: Iterable[str]) -> str:
    """A unit's name as a sheet's: without the characters Excel refuses, 31 characters at most, unique."""
    name = re.sub(r"[\[\]:*?/\\']", "", unit)[:31] or "单位"
    reserved = {"总览", "近期到期", "逾期", "说明", RECORD, *taken}
    candidate, n = name, 1
    while candidate in reserved:
        n += 1
        candidate = f"{name[: 31 - len(str(n)) - 1]}-{n}"
    return candidate


def _overview_sheet(
    book: Book, counts: Mapping[str, UnitCounts], sheet_of: Mapping[str, str], tracked: Sequence[Tracked],
    as_of: dt.date,
) -> None:  # fmt: skip
    sheet = book.sheet("总览")
    sheet.header(OVERVIEW)
    for row, (unit, unit_count) in enumerate(counts.items(), start=2):
        every, inferred = unit_count.all, unit_count.inferred
        values: list[CellValue] = [unit, every.tasks, every.overdue, every.soon, every.done, inferred.tasks,
                                   inferred.overdue, inferred.soon, inferred.done]  # fmt: skip
        for column, value in enumerate(values, start=1):
            sheet.put(row, column, value, "label" if column == 1 else "body")
        name = sheet_of[unit]
        sheet.ws.write_url(row - 1, len(values), f"internal:'{name}'!A1", sheet.styles.get("body"), string=name)
    sheet.finish(sheet.fitted(OVERVIEW, {name: 9.0 for name in OVERVIEW[1:-1]}), len(counts))
    facts: list[tuple[str, CellValue]] = [
        ("截至", as_of), ("通知", len({item.task.notice for item in tracked})), ("任务", len(tracked)),
        ("逾期", sum(1 for item in tracked if item.overdue(as_of))),
        (f"{SOON_DAYS}天内到期", sum(1 for item in tracked if item.due_within(as_of, SOON_DAYS))),
        (f"{NEAR_DAYS}天内到期", sum(1 for item in tracked if item.due_within(as_of, NEAR_DAYS))),
        ("已完成（含销号）", sum(item.done for item in tracked)),
    ]  # fmt: skip
    side = len(OVERVIEW) + 2
    for row, (label, value) in enumerate(facts, start=1):
        sheet.put(row, side, label, "header" if row == 1 else "label")
        sheet.put(row, side + 1, value)
    sheet.ws.set_column(side - 1, side - 1, 16)
    sheet.ws.set_column(side, side, 12)
    _chart(book, sheet, counts, data_column=side + 3, anchor=(len(facts) + 2, side))


def _chart(
    book: Book, sheet: Sheet, counts: Mapping[str, UnitCounts], data_column: int, anchor: tuple[int, int]
) -> None:
    """Bars of the overdue and the soon due tasks of the units with the most of them together,
    from a hidden copy of their counts beside 总览 (whose rows go by overdue alone)."""
    pressing = sorted(
        (unit for unit in counts if counts[unit].all.overdue + counts[unit].all.soon),
        key=lambda unit: (-counts[unit].all.overdue - counts[unit].all.soon, -counts[unit].all.overdue),
    )
    units = pressing[:CHART_UNITS]
    if not units:
        return
    headers = [f"图表：{name}" for name in (OVERVIEW[0], *OVERVIEW[2:4])]
    for column, name in enumerate(headers, start=data_column):
        sheet.put(1, column, name, "line")
    for row, unit in enumerate(units, start=2):
        values: tuple[CellValue, ...] = (unit, counts[unit].all.overdue, counts[unit].all.soon)
        for column, value in enumerate(values, start=data_column):
            sheet.put(row, column, value, "line")
    sheet.ws.set_column(data_column - 1, data_column + 1, None, None, {"hidden": True})
    chart = book.workbook.add_chart({"type": "bar", "subtype": "stacked"})
    font = {"name": sheet.styles.base["font_name"], "size": 9}
    for column, name, colour in zip((data_column, data_column + 1), OVERVIEW[2:4], BAR_COLOURS, strict=True):
        chart.add_series({
            "name": name,
            "categories": ["总览", 1, data_column - 1, len(units), data_column - 1],
            "values": ["总览", 1, column, len(units), column],
            "fill": {"color": colour}, "border": {"none": True}, "gap": 60,
        })  # fmt: skip
    chart.set_title({"name": "逾期与即将到期的任务最多的牵头单位", "name_font": {**font, "size": 11, "bold": True}})
    chart.set_x_axis({"num_font": font, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_y_axis({"num_font": font, "reverse": True})
    chart.set_legend({"position": "top", "font": font})
    chart.set_size({"width": 620, "height": 120 + 22 * len(units)})
    chart.show_hidden_data()
    sheet.ws.insert_chart(anchor[0] - 1, anchor[1] - 1, chart)


# ---------------------------------------------------------------- the task sheets


# each column's style: the lead grey and italic where inferred; 标识 on one line (a hidden column sets no height)
_ROW_STYLES = {
    inferred: ("body",) * 3 + ("inferred" if inferred else "body",) + ("body",) * (len(HEADERS) - 5) + ("line",)
    for inferred in (False, True)
}


def _task_sheet(sheet: Sheet, rows: Sequence[tuple[Tracked, dt.date | None, str]], as_of: dt.date) -> None:
    """One row per task (a 责任清单) or per deadline (近期到期, 逾期): the day it falls due and the
    time as written, the task, its notice, 进度 to enter."""
    sheet.header(HEADERS, freeze_columns=3)
    for row, (item, day, written) in enumerate(rows, start=2):
        task = item.task
        values: list[CellValue] = [
            day, written, task.text, "、".join(item.leads), "、".join(task.co), task.title, task.doc_number,
            " / ".join(task.section) or "通知正文", *item.progress, item.review, f"第{task.page}页第{task.line}行",
            task.notice,
        ]  # fmt: skip
        for column, (value, style) in enumerate(zip(values, _ROW_STYLES[item.inferred], strict=True), start=1):
            sheet.put(row, column, value, style)
    last = max(len(rows), 1)
    ws, progress = sheet.ws, HEADERS.index("进度")
    ws.data_validation(1, progress, last, progress, {
        "validate": "list", "source": list(PROGRESS), "error_title": "进度",
        "error_message": "请选择：" + "、".join(PROGRESS),
    })  # fmt: skip
    status = chr(ord("A") + progress)
    open_ = "AND(" + ",".join(f'${status}2<>"{state}"' for state in DONE) + ")"
    today = f"DATE({as_of.year},{as_of.month},{as_of.day})"
    rules = (
        (0, 0, f'=AND($A2<>"",$A2<{today},{open_})', sheet.styles.highlight(OVERDUE)),
        (0, 0, f'=AND($A2<>"",$A2>={today},$A2<={today}+{SOON_DAYS},{open_})', sheet.styles.highlight(NEAR)),
        (0, len(HEADERS) - 1, f"=NOT({open_})", sheet.styles.book.add_format({"font_color": DONE_FONT})),
    )
    for first, final, criteria, fmt in rules:
        ws.conditional_format(1, first, last, final, {"type": "formula", "criteria": criteria, "format": fmt})
    sheet.finish(sheet.fitted(HEADERS, WIDTHS), len(rows))
    ws.set_column(len(HEADERS) - 1, len(HEADERS) - 1, None, None, {"hidden": True})  # 标识: for the carry-over


def _record_sheet(sheet: Sheet, tracked: Sequence[Tracked]) -> None:
    sheet.header(PROGRESS_COLUMNS)
    for row, item in enumerate(tracked, start=2):
        for column, value in enumerate((item.task.notice, item.task.text, *item.progress), start=1):
            sheet.put(row, column, value, "line")
    sheet.finish({1: 20.0, 2: 60.0, 3: 8.0, 4: 20.0})
    sheet.ws.hide()


# ---------------------------------------------------------------- carried-over 进度


def is_tracker(workbook: Path) -> bool:
    """Whether a workbook is a 督办台账 gongwen wrote (its record sheet is there)."""
    return RECORD in read_columns(workbook, PROGRESS_COLUMNS)


def read_progress(workbook: Path) -> dict[str, dict[str, Progress]]:
    """What an analyst entered in an earlier tracker: notice → task text → (进度, 进度说明),
    entered tasks only.  Where a task's sheets disagree, what differs from the record of what
    was written is the entry, and of two entries the further 进度 (销号 over 已完成 …)."""
    sheets = read_columns(workbook, PROGRESS_COLUMNS)
    written = {(notice, text): (state or PROGRESS[0], note) for notice, text, state, note in sheets.pop(RECORD, [])}
    entries: dict[tuple[str, str], Progress] = {}
    for rows in sheets.values():
        for notice, text, state, note in rows:
            key, value = (notice, text), (state or PROGRESS[0], note)
            if value != written.get(key, NOT_ENTERED) and _rank(value) > _rank(entries.get(key)):
                entries[key] = value
    progress: dict[str, dict[str, Progress]] = {}
    for (notice, text), value in {**written, **entries}.items():
        if text and value != NOT_ENTERED:
            progress.setdefault(notice, {})[text] = value
    return progress


def _rank(value: Progress | None) -> int:
    if value is None:
        return -1
    return PROGRESS.index(value[0]) if value[0] in PROGRESS else 0


# ---------------------------------------------------------------- 说明


def _legend_sheet(sheet: Sheet, as_of: dt.date) -> None:
    legend = (
        ("截至", f"{as_of:%Y-%m-%d}：到期、逾期均按这一天计算。"),
        ("总览", f"每个牵头单位一行：牵头的任务数、逾期（截止日已过且进度未到已完成或销号）、{SOON_DAYS}天内到期、"
               "已完成（含销号）；“其中推定”为原文未写明牵头单位、按发文机关（或所属列举的引导句）推定的部分，"
               "已计入前面的合计。按逾期数排序；图为逾期最多的单位。"),
        ("近期到期", f"{NEAR_DAYS}天内到期的完成时限（进度为已完成或销号的除外），按日期排列，每个时限一行。"
                 "周期性任务（每月、每季度等）取下一次到期日，计划期（计划年度至标题或时限所及的最后一年）结束后取最后一次。"),
        ("逾期", "已过到期日、进度不是已完成或销号的完成时限，按日期排列。只写起始时间的任务不会到期。"),
        ("单位工作表", f"牵头任务最多的{UNIT_SHEETS}个单位各一张责任清单，其余单位合为“{OTHERS}”。"
                  "到期日为最早已过的时限，没有则为下一个；牵头单位为灰色斜体的，系推定。"),
        ("进度", "可选：" + "、".join(PROGRESS) + "。"
               "进度和进度说明在重新生成台账时按文件内容（SHA-256）和任务原文保留；同一任务出现在多张表中，在任一张表中修改即可；几处改得不一致时，取进度最靠后的一处。"
               "选为已完成或销号的任务，下次生成时不再列入逾期。"),
        ("审核状态", "取自各文件的任务分解表（<文件名>.xlsx），在那里修改。"),
        ("日历", "同名 .ics 文件：每个完成时限一个待办（VTODO），周期性任务带重复规则；重新导入时按 UID 更新。"),
    )  # fmt: skip
    sheet.header(("内容", "说明"))
    for row, (label, text) in enumerate(legend, start=2):
        sheet.put(row, 1, label, "label")
        sheet.put(row, 2, text)
    sheet.finish({1: 14.0, 2: 100.0})
