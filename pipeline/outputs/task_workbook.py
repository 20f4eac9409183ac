"""Stage 5b: `Notice` → `<stem>.xlsx`, the task matrix an analyst opens.

Sheets: 任务分解表 (one row per task, the conventional columns of a 重点工作任务分解表, with
a review drop-down), 责任矩阵 (tasks × units), 时间表 (tasks × the months of the plan),
量化目标 (one row per target), 文件信息 (metadata and provenance) and 说明 (what each sheet
and mark means).  A workbook already at the target keeps its analyst's review: the new one
carries 审核状态/审核意见 over by task text, and the old file is kept as a backup.

Written with xlsxwriter (see `workbook`), two and a half times faster than openpyxl at
this; openpyxl only reads an earlier workbook's review back.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from pathlib import Path
from typing import IO, TypeVar

from xlsxwriter.utility import xl_col_to_name

from pipeline.collector import paused
from pipeline.files import Stamp, keep_backup, latest_backup, on_disk, stamp, write_atomically
from pipeline.outputs.xlsx import Book, CellValue, Sheet
from pipeline.textwidth import excel_width
from schemas.notice import Notice, Task, gongwen_version

REVIEW_STATES = ("待审核", "已确认", "需修改")
INFERRED = "（推定）"  # after an inferred lead, as 汇总.xlsx writes it: the mark survives print and pandas
# What an analyst signs off first (printed, on A4 landscape), then the rest (on screen only).
TASK_HEADERS = ("序号", "一级标题", "二级标题", "工作任务", "牵头单位", "配合单位", "完成时限", "截止", "审核状态",
                "审核意见", "其他相关单位", "开始", "周期", "量化目标", "原文位置")  # fmt: skip
PRINTED = TASK_HEADERS.index("审核意见") + 1  # the columns an A4 landscape page holds at 100 % (Calibri widths)
TASK_WIDTHS: dict[str, float] = {"序号": 5, "一级标题": 10, "二级标题": 11, "工作任务": 36, "牵头单位": 13,
                                 "配合单位": 13, "完成时限": 10, "截止": 10.5, "审核状态": 8, "审核意见": 10,
                                 "其他相关单位": 16, "开始": 10.5, "量化目标": 24}  # fmt: skip
RECURRENCE = {"daily": "每日", "weekly": "每周", "monthly": "每月", "bimonthly": "每两个月", "quarterly": "每季度",
              "semiannual": "每半年", "yearly": "每年"}  # fmt: skip
MAX_YEARS = 5  # the 时间表 shows at most this many years of months
NEAR_DAYS = 30  # a deadline this close counts as near
LABEL_COLUMNS = 2  # 序号 and the task: repeated on every page of a grid sheet printed in parts
ABRIDGED = 56  # width (CJK counting double) of a task's text on the grid sheets
MARK_FILLS = {"●": "due", "▬": "span", "↻": "recur", "牵头": "lead", "牵头*": "lead", "配合": "co", "相关": "other"}
OVERDUE, NEAR = "#FFC7CE", "#FFEB9C"
K = TypeVar("K")
V = TypeVar("V")


def write_xlsx(notice: Notice, out_dir: Path, now: dt.datetime | None = None) -> Path:
    """Write `<stem>.xlsx`; an existing workbook's review is carried over, and the workbook kept
    as a backup when it holds one or its 任务分解表 differs from the new one's (a cell mended by
    hand), unless its latest backup holds the same."""
    target = out_dir / f"{notice.source.stem}.xlsx"
    reviews = (read_reviews(target) or {}) if target.exists() else {}
    data = build_xlsx(notice, reviews)
    work = target.exists() and (bool(reviews) or rows_differ(target, data))
    if work and not_backed_up(target, latest_backup(target)):
        keep_backup(target, now)
    write_atomically(target, data)
    return target


def build_xlsx(notice: Notice, reviews: dict[str, tuple[str, str]] | None = None) -> bytes:
    """The workbook's bytes; `reviews` (task text → 审核状态, 审核意见) from an earlier workbook."""
    buffer = io.BytesIO()
    book = Book(buffer)
    texts = {task.id: task.text for task in notice.tasks}
    _task_sheet(book.sheet("任务分解表"), notice, matched_by_text(texts, reviews or {}))
    short = [abridged(task.text) for task in notice.tasks]  # the grid sheets' labels, cut once for both
    _matrix_sheet(book.sheet("责任矩阵"), notice, short)
    _timeline_sheet(book.sheet("时间表"), notice, short)
    _targets_sheet(book.sheet("量化目标"), notice)
    _info_sheet(book.sheet("文件信息"), notice)
    _legend_sheet(book.sheet("说明"))
    book.close()
    return buffer.getvalue()


# ---------------------------------------------------------------- 任务分解表


def abridged(text: str, width: int = ABRIDGED) -> str:
    """A task's text cut to one line of a grid sheet (the whole text is on 任务分解表), or to
    `width` (Excel's units, CJK counting double) elsewhere."""
    if excel_width(text) <= width:
        return text
    fits, too_long = 0, len(text)  # the longest start of the text that fits, by bisection
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        fits, too_long = (middle, too_long) if excel_width(text[:middle]) <= width else (fits, middle)
    return text[:fits] + "…"


def location(task: Task) -> str:
    return f"第{task.span.page}页第{task.span.line}行"


def _task_sheet(sheet: Sheet, notice: Notice, reviews: dict[str, tuple[str, str]]) -> None:
    sheet.header(TASK_HEADERS, freeze_columns=4)
    inferred = notice.inferred_leads()
    for row, task in enumerate(notice.tasks, start=2):
        start, end = task.date_range()
        leads = "、".join(task.units("lead"))
        state, comment = reviews.get(task.id, (REVIEW_STATES[0], ""))
        values: dict[str, CellValue] = {
            "序号": row - 1,
            "一级标题": task.section[0] if task.section else "",
            "二级标题": task.section[1] if len(task.section) > 1 else "",
            "工作任务": task.text,
            "牵头单位": leads or (f"{'、'.join(inferred[task.id])}{INFERRED}" if task.id in inferred else ""),
            "配合单位": "、".join(task.units("co")),
            "完成时限": task.when(),
            "截止": end,
            "审核状态": state,
            "审核意见": comment,
            "其他相关单位": "、".join(task.units("other")),
            "开始": start,
            "周期": "、".join(dict.fromkeys(RECURRENCE[d.recurrence] for d in task.deadlines if d.recurrence)),
            "量化目标": "；".join(t.text for t in task.targets),
            "原文位置": location(task),
        }
        for column, header in enumerate(TASK_HEADERS, start=1):
            sheet.put(row, column, values[header], "inferred" if header == "牵头单位" and not leads else "body")
    ws, last = sheet.ws, max(len(notice.tasks), 1)
    state_column, due_column = TASK_HEADERS.index("审核状态"), TASK_HEADERS.index("截止")
    choice = {"validate": "list", "source": list(REVIEW_STATES), "error_title": "审核状态",
              "error_message": "请选择：" + "、".join(REVIEW_STATES)}  # fmt: skip
    ws.data_validation(1, state_column, last, state_column, choice)
    due = f"${xl_col_to_name(due_column)}2"
    overdue = f'=AND({due}<>"",{due}<TODAY())'  # 审核状态 checks the extraction, not that the task is done
    near = f'=AND({due}<>"",{due}>=TODAY(),{due}<=TODAY()+{NEAR_DAYS})'
    for criteria, colour in ((overdue, OVERDUE), (near, NEAR)):
        ws.conditional_format(
            1, due_column, last, due_column,
            {"type": "formula", "criteria": criteria, "format": sheet.styles.highlight(colour)},
        )  # fmt: skip
    sheet.finish(sheet.fitted(TASK_HEADERS, TASK_WIDTHS), len(notice.tasks), printed=PRINTED)


# ---------------------------------------------------------------- carried-over review


def read_reviews(workbook: Path | IO[bytes]) -> dict[str, tuple[str, str]] | None:
    """The review an analyst entered in a workbook: task text → (审核状态, 审核意见), entered rows
    only; none from a workbook that is not ours, None from one that cannot be read."""
    sheets = _columns(workbook, ("工作任务", "审核状态", "审核意见"))
    if sheets is None:
        return None
    rows = sheets.get("任务分解表", [])
    entered = {}
    for text, state, comment in rows:
        if text and ((state or REVIEW_STATES[0]) != REVIEW_STATES[0] or comment):
            entered[text] = (state or REVIEW_STATES[0], comment)
    return entered


def rows_differ(earlier: Path | IO[bytes], written: bytes) -> bool:
    """Whether a workbook's 任务分解表 holds rows the one written over it does not: a cell
    mended by hand, a review that found no task to go to, another extraction."""
    return read_columns(earlier, TASK_HEADERS) != read_columns(io.BytesIO(written), TASK_HEADERS)


def not_backed_up(workbook: Path | IO[bytes], backup: Path | None) -> bool:
    """Whether a workbook about to be replaced holds what its latest backup does not (its
    任务分解表 rows differ): re-runs with no new review work add no copies."""
    return backup is None or read_columns(workbook, TASK_HEADERS) != read_columns(backup, TASK_HEADERS)


class WorkbookReviews:
    """The review each notice workbook holds (`read_reviews`), read at most once while the file
    is unchanged (`files.stamp`); a workbook just written without a review (`unreviewed`) is
    known to hold none and is not read back at all.  What is known is kept from one batch to the
    next by the same gongwen (`to_json`, `from_json`: the batch keeps it in its store), so a batch
    reads back only the workbooks an analyst saved since (each read took 40 ms: a run that added
    one notice to a hundred spent four seconds reading the others' reviews).  A workbook that
    cannot be read is not remembered: it is tried again."""

    def __init__(self) -> None:
        self.known: dict[Path, tuple[Stamp, dict[str, tuple[str, str]]]] = {}

    def to_json(self) -> str:
        """What is known of the workbooks still there, as JSON: gongwen's version, and workbook →
        [its stamp, {task text: [审核状态, 审核意见]}]."""
        known = {str(path): [list(when), review] for path, (when, review) in self.known.items() if path.exists()}
        # ASCII: a GBK file name's lone surrogates escaped, which UTF-8 cannot hold
        return json.dumps({"version": gongwen_version(), "workbooks": known})

    @classmethod
    def from_json(cls, text: str | None) -> WorkbookReviews:
        """What `to_json` wrote; nothing known from text of another form or another gongwen (it
        is only a cache, and a later gongwen may read reviews better)."""
        reviews = cls()
        try:
            loaded = json.loads(text or "{}")
            if loaded.get("version") != gongwen_version():
                return reviews
            for path, ((size, mtime_ns, inode, ctime_ns), review) in loaded["workbooks"].items():
                entered = {str(task): (str(state), str(comment)) for task, (state, comment) in review.items()}
                reviews.known[Path(path)] = ((int(size), int(mtime_ns), int(inode), int(ctime_ns)), entered)
        except (ValueError, TypeError, AttributeError, KeyError):
            reviews.known.clear()
        return reviews

    def unreviewed(self, workbook: Path) -> None:
        """`workbook` was just written, with no 审核状态 or 审核意见 entered."""
        if (now := stamp(workbook)) is not None:
            self.known[workbook] = (now, {})

    def copy(self) -> WorkbookReviews:
        """What is known so far, for work beside this one (a process of its own): its later reads
        do not change the copy, which may be pickled while they happen."""
        other = WorkbookReviews()
        other.known = dict(self.known)
        return other

    def __call__(self, workbook: Path) -> dict[str, tuple[str, str]] | None:
        """The review in `workbook` (task text → 审核状态, 审核意见), a path as written or as the
        store keeps it (`files.on_disk`); None when there is no such file."""
        workbook = on_disk(workbook)
        now = stamp(workbook)
        if now is None:
            return None
        known = self.known.get(workbook)
        if known is None or known[0] != now:
            review = read_reviews(workbook)
            if review is None:  # cannot be read now (a permission, a share gone): tried again next time
                return {}
            known = self.known[workbook] = (now, review)
        return known[1]


def read_columns(workbook: Path | IO[bytes], headers: Sequence[str]) -> dict[str, list[tuple[str, ...]]]:
    """The columns under `headers` in every sheet whose header row has them all: sheet → its
    rows, each cell as text ('' when empty); {} from a workbook that cannot be read."""
    return _columns(workbook, headers) or {}


def _columns(workbook: Path | IO[bytes], headers: Sequence[str]) -> dict[str, list[tuple[str, ...]]] | None:
    """`read_columns`, None where the workbook cannot be read."""
    from openpyxl import load_workbook  # here: it imports numpy, 20 MB a batch's parent seldom needs

    try:
        book = load_workbook(workbook, read_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    found = {}
    with paused():  # the rows read live until the end (a 督办台账's: 1.4 → 1.2 s)
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = [str(h) for h in next(rows, ())]
            if set(headers) <= set(header):
                columns = [header.index(h) for h in headers]
                found[sheet.title] = [tuple(_text(row, column) for column in columns) for row in rows]
    book.close()
    return found


def _text(row: tuple[object, ...], column: int) -> str:
    value = row[column] if column < len(row) else None  # a read-only sheet's row may stop at its last value
    return "" if value is None else str(value)


def matched_by_text(texts: Mapping[K, str], entries: Mapping[str, V]) -> dict[K, V]:
    """Each earlier entry (by the task text it was entered for) given to the task it belongs to
    now (`texts`: key → task text): the same text, else the most similar one, at least 85 %
    alike (a re-extraction may mend a sentence's edges)."""
    matched: dict[K, V] = {}
    left = dict(entries)
    for key, text in texts.items():
        if text in left:
            matched[key] = left.pop(text)
    for key, text in texts.items():
        if key in matched or not left:
            continue
        best = max(left, key=lambda old: SequenceMatcher(None, old, text, autojunk=False).ratio())
        if SequenceMatcher(None, best, text, autojunk=False).ratio() >= 0.85:
            matched[key] = left.pop(best)
    return matched


# ---------------------------------------------------------------- 责任矩阵


def _matrix_sheet(sheet: Sheet, notice: Notice, short: Sequence[str]) -> None:
    roles: list[dict[str, str]] = []
    inferred = notice.inferred_leads()
    for task in notice.tasks:
        cells = {p.canonical: {"lead": "牵头", "co": "配合", "other": "相关"}[p.role] for p in reversed(task.parties)}
        if task.id in inferred and not any(p.role == "lead" for p in task.parties):
            for unit in inferred[task.id]:
                cells.setdefault(unit, "牵头*")
        roles.append(cells)
    weight = Counter(unit for cells in roles for unit in cells)
    units = [unit for unit, _ in weight.most_common()]
    columns = {unit: column for column, unit in enumerate(units, start=3)}
    headers = ["序号", "工作任务", *units]
    sheet.header(headers, freeze_columns=2)
    for row, (text, cells) in enumerate(zip(short, roles, strict=True), start=2):
        sheet.put(row, 1, row - 1)
        sheet.put(row, 2, text, "line")
        for unit, mark in cells.items():  # only the marked cells: a matrix is mostly empty
            sheet.put(row, columns[unit], mark, "mark", MARK_FILLS[mark])
    marked = Counter((unit, mark.rstrip("*")) for cells in roles for unit, mark in cells.items())
    for row, (label, mark) in enumerate((("牵头合计", "牵头"), ("配合合计", "配合"), ("相关合计", "相关")),
                                        start=len(notice.tasks) + 2):  # fmt: skip
        sheet.put(row, 2, label, "label")
        for unit, column in columns.items():
            sheet.put(row, column, marked[unit, mark], "mark")
    widths = {1: 6.0, 2: ABRIDGED + 3, **{c: min(max(excel_width(u) + 2, 8), 24) for u, c in columns.items()}}
    sheet.finish(widths, len(notice.tasks), grid=True, labels=LABEL_COLUMNS)


# ---------------------------------------------------------------- 时间表


def plan_months(notice: Notice) -> list[tuple[int, int]]:
    """The months the plan covers: every month of its `plan_years`."""
    ends = [d.end.year for t in notice.tasks for d in t.deadlines if d.end]
    years = plan_years(notice.meta.plan_year, notice.meta.plan_title or notice.meta.title or "", ends)
    return [(year, month) for year in years for month in range(1, 13)]


def plan_years(plan_year: int | None, title: str, ends: Sequence[int]) -> range:
    """The years a plan covers: from its year (else its earliest deadline's) to the last year its
    deadlines' ends or its title (2024—2026年) reach, at most MAX_YEARS years."""
    first = plan_year or (min(ends) if ends else dt.date.today().year)
    named = [int(y) for y in re.findall(r"(?:19|20)\d{2}", title)]
    last = max([first, *(y for y in [*ends, *named] if first <= y < first + MAX_YEARS)])
    return range(first, last + 1)


def _marks(task: Task, months: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """What the 时间表 shows in each month of a task: ● due (a `by` date; a span within one
    month, such as each of 4月、9月、12月), ▬ within a span (a start with no end runs to the
    plan's last month, never due), ↻ the months its recurrence rule falls due in."""
    first = dt.date(*months[0], 1)
    last = dt.date(*months[-1], calendar.monthrange(*months[-1])[1])
    recurring: set[tuple[int, int]] = set()
    spans: set[tuple[int, int]] = set()
    due: set[tuple[int, int]] = set()
    for deadline in task.deadlines:
        recurring |= {(day.year, day.month) for day in deadline.occurrences(first, last)}
        if deadline.kind == "by" and deadline.end:
            due.add((deadline.end.year, deadline.end.month))
        elif deadline.start:
            start = (deadline.start.year, deadline.start.month)
            end = (deadline.end.year, deadline.end.month) if deadline.end else months[-1]
            (due if start == end else spans).update(month for month in months if start <= month <= end)
    return {**dict.fromkeys(recurring, "↻"), **dict.fromkeys(spans, "▬"), **dict.fromkeys(due, "●")}


def _timeline_sheet(sheet: Sheet, notice: Notice, short: Sequence[str]) -> None:
    months = plan_months(notice)
    headers = ["序号", "工作任务", "完成时限", *(f"{y}-{m:02d}" for y, m in months)]
    sheet.header(headers, freeze_columns=3)
    columns = {key: column for column, key in enumerate(months, start=4)}
    for row, (task, text) in enumerate(zip(notice.tasks, short, strict=True), start=2):
        sheet.put(row, 1, row - 1)
        sheet.put(row, 2, text, "line")
        sheet.put(row, 3, task.when(), "line")
        for key, mark in _marks(task, months).items():
            if key in columns:  # a deadline outside the plan's span shows in 完成时限 only
                sheet.put(row, columns[key], mark, "mark", MARK_FILLS[mark])
    widths = {1: 6.0, 2: ABRIDGED + 3, 3: 16.0, **{c: 8.5 for c in range(4, len(headers) + 1)}}
    sheet.finish(widths, len(notice.tasks), grid=True, labels=LABEL_COLUMNS)


# ---------------------------------------------------------------- 量化目标, 文件信息, 说明

TARGET_HEADERS = ("序号", "任务序号", "工作任务", "目标", "数值", "单位", "对象", "比较", "原文位置")


def _targets_sheet(sheet: Sheet, notice: Notice) -> None:
    sheet.header(TARGET_HEADERS, freeze_columns=2)
    row = 2
    for number, task in enumerate(notice.tasks, start=1):
        for target in task.targets:
            values: list[CellValue] = [row - 1, number, task.text, target.text, target.value, target.unit or "",
                                       target.object or "", target.comparator or "", location(task)]  # fmt: skip
            for column, value in enumerate(values, start=1):
                sheet.put(row, column, value)
            row += 1
    sheet.finish(sheet.fitted(TARGET_HEADERS, {"工作任务": 50, "目标": 24, "对象": 24}), row - 2)


def _info_sheet(sheet: Sheet, notice: Notice) -> None:
    meta, source = notice.meta, notice.source
    rows: list[tuple[str, CellValue]] = [
        ("标题", meta.title), ("发文字号", meta.doc_number), ("发文机关", meta.issuer), ("成文日期", meta.issue_date),
        ("印发机关", meta.printed_by), ("印发日期", meta.printed_date), ("主送机关", "、".join(meta.addressees)),
        ("计划名称", meta.plan_title), ("计划年度", meta.plan_year), ("公开属性", meta.openness),
        ("总体目标", "；".join(meta.goals)), ("任务数", len(notice.tasks)), ("源文件", source.name),
        ("源文件 SHA-256", source.sha256), ("格式", source.format), ("页数", source.pages),
        ("gongwen 版本", notice.gongwen_version), ("提取时间", notice.extracted_at.strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("记录版本", notice.schema_version),
    ]  # fmt: skip
    sheet.header(("项目", "内容"))
    for row, (label, value) in enumerate(rows, start=2):
        sheet.put(row, 1, label, "label")
        sheet.put(row, 2, "" if value is None else str(value))
    sheet.finish({1: 16.0, 2: 90.0})


LEGEND = (
    ("任务分解表", "每行一项任务。牵头单位标“（推定）”（灰色斜体）时，原文未写明牵头单位，"
                 "系按发文机关（或所属列举的引导句）推定。"
                 "截止日期已过的标红，30天内到期的标黄（与审核状态无关：审核状态核对的是抽取结果，不是任务进度）。"
                 "审核状态可选：待审核、已确认、需修改；重新提取时按任务原文保留审核状态和审核意见。"),
    ("责任矩阵", "任务 × 单位（同一单位的简称与全称合并为一列）。牵头、配合、相关；“牵头*”为推定的牵头单位。"
               "末三行为各单位的合计。"),
    ("时间表", "任务 × 计划期内各月（年-月）。● 截止月份（含限定在某一个月内的任务）；▬ 在该时段内完成"
             "（只写起始时间的，自起始月起）；↻ 周期性任务（每月、每季度等）按其周期规则到期的月份。"),
    ("量化目标", "每行一个量化或定性目标：数值（万、亿已换算）、单位、对象、比较词（以上、左右、不少于等）；"
               "定性目标（全覆盖、达标等）数值为空。"),
    ("文件信息", "文件的标题、发文字号、发文机关、日期等，以及源文件、其SHA-256校验值和提取所用的gongwen版本。"),
    ("原文位置", "“第N页第M行”：PDF按页内文字行计，文本文件按行计。"
               "责任矩阵和时间表中的任务文字为节略，全文见任务分解表。"),
)  # fmt: skip


def _legend_sheet(sheet: Sheet) -> None:
    sheet.header(("内容", "说明"))
    for row, (label, text) in enumerate(LEGEND, start=2):
        sheet.put(row, 1, label, "label")
        sheet.put(row, 2, text)
    sheet.finish({1: 14.0, 2: 100.0})
