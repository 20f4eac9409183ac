"""The batch's combined outputs, from the store: `汇总.xlsx` and `tasks.parquet`.

汇总.xlsx has every task of every notice in one filterable sheet (任务: the plan it belongs to,
its number in a bundle, the task's fields, and the 审核状态 and 审核意见 an analyst entered in
the notice's own workbook), one row per notice (文件) and one per file that failed or was
skipped (错误).  A bundle's covering-notice instructions, which each of its plans' records
holds, are listed once.  It is streamed row by row, so a national corpus does not need its
tasks in memory; a sheet stops at Excel's row limit with a last row that says so (the Parquet
file has every row).  Source paths are relative to the batch's input folder.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline.batch.store import Store
from pipeline.files import atomic_path, on_disk
from pipeline.outputs.task_workbook import RECURRENCE, REVIEW_STATES, WorkbookReviews
from pipeline.outputs.xlsx import Book, Sheet

EXCEL_ROWS = 1_048_576
CHUNK = 2000

# One row per task: what an analyst filters and reads; the notice's other details are on 文件.
# (header, SQL, width, wrapped)
TASK_COLUMNS = (
    ("文件", "n.name", 22, False), ("计划名称", "coalesce(n.plan_title, n.title, n.name)", 28, True),
    ("计划序号", "CASE WHEN n.plans > 1 THEN n.plan END", 6, False), ("发文机关", "n.issuer", 18, True),
    ("计划年度", "n.plan_year", 8, False), ("序号", "t.number", 6, False),
    ("来源", "CASE t.origin WHEN 'notice' THEN '通知' ELSE '正文' END", 6, False),
    ("一级标题", "t.section[1]", 18, True), ("二级标题", "t.section[2]", 18, True), ("工作任务", "t.text", 60, True),
    ("牵头单位", "coalesce(nullif(array_to_string(t.lead, '、'), ''), t.implicit_lead || '（推定）')", 18, True),
    ("配合单位", "array_to_string(t.co, '、')", 18, True), ("其他相关单位", "array_to_string(t.other, '、')", 18, True),
    ("完成时限", "t.deadline", 14, True), ("开始", "t.start_date", 11, False), ("截止", "t.end_date", 11, False),
    ("周期", "t.recurrence", 8, False), ("量化目标", "array_to_string(t.targets, '；')", 24, True),
    ("审核状态", "n.xlsx_path", 8, False), ("审核意见", "t.text", 24, True),  # filled from the notice's workbook
    ("原文位置", "'第' || t.page || '页第' || t.line || '行'", 14, False),
)  # fmt: skip
REVIEW_STATE, REVIEW_COMMENT, RECURRENCE_COLUMN = (
    [name for name, _, _, _ in TASK_COLUMNS].index(h) for h in ("审核状态", "审核意见", "周期")
)
# a bundle's covering-notice instructions are in each plan's record: list them with the first plan only
ONCE = "t.origin = 'body' OR coalesce(t.plan, 1) = 1"
NOTICE_COLUMNS = (
    ("文件", "n.name", 24, False), ("标题", "n.title", 40, True), ("发文字号", "n.doc_number", 16, False),
    ("发文机关", "n.issuer", 20, True), ("成文日期", "n.issue_date", 11, False), ("计划名称", "n.plan_title", 30, True),
    ("计划序号", "CASE WHEN n.plans > 1 THEN n.plan END", 6, False), ("计划年度", "n.plan_year", 8, False),
    ("任务数", "n.tasks", 7, False), ("页数", "n.pages", 6, False), ("格式", "n.format", 6, False),
    ("JSON", "n.json_path", 30, False), ("工作簿", "n.xlsx_path", 30, False),
    ("gongwen 版本", "n.gongwen_version", 10, False), ("源文件", "n.path", 40, False),
)  # fmt: skip
ERROR_KINDS = {"input": "无法读取", "timeout": "超时", "crash": "进程崩溃", "internal": "内部错误",
               "unsupported": "格式不支持"}  # fmt: skip
_KIND_CASES = " ".join(f"WHEN '{kind}' THEN '{label}'" for kind, label in ERROR_KINDS.items())
ERROR_COLUMNS = (
    ("文件", "f.path", 50, False), ("状态", "CASE f.status WHEN 'error' THEN '失败' ELSE '跳过' END", 6, False),
    ("类别", f"CASE f.error_kind {_KIND_CASES} END", 10, False),
    ("原因", "f.error", 60, True), ("时间", "strftime(f.processed_at, '%Y-%m-%d %H:%M')", 16, False),
)  # fmt: skip
Column = tuple[str, str, float, bool]
Row = list[Any]


def write_summary(
    store: Store, target: Path, root: Path | None = None, workbooks: WorkbookReviews | None = None
) -> None:
    """汇总.xlsx from the store; `root`, the input folder the source paths are shown relative to;
    `workbooks`, the notice workbooks' reviews as far as they are known already."""
    ok = "JOIN files f ON f.path = n.path AND f.status = 'ok'"
    reviews = _Reviews(workbooks or WorkbookReviews())
    with atomic_path(target) as temporary:
        book = Book(str(temporary), streaming=True)
        _table(book.sheet("任务"), TASK_COLUMNS, store,
               f"FROM tasks t JOIN notices n USING (path, plan) {ok} WHERE {ONCE}",
               "n.name, t.path, t.plan, t.number", reviews.fill)  # fmt: skip
        relative = _relative_to(root, [name for name, _, _, _ in NOTICE_COLUMNS].index("源文件"))
        _table(book.sheet("文件"), NOTICE_COLUMNS, store, f"FROM notices n {ok}", "n.name, n.path, n.plan", relative)
        relative = _relative_to(root, 0)
        _table(book.sheet("错误"), ERROR_COLUMNS, store, "FROM files f WHERE f.status <> 'ok'", "f.path", relative)
        book.close()


def workbooks_changed_since(store: Store, moment: float) -> bool:
    """Whether an analyst saved a notice's workbook after `moment` (a time stamp): its review
    belongs in 汇总.xlsx."""
    for (path,) in store.con.execute("SELECT DISTINCT xlsx_path FROM notices WHERE xlsx_path IS NOT NULL").fetchall():
        with contextlib.suppress(OSError):
            if on_disk(Path(path)).stat().st_mtime > moment:
                return True
    return False


class _Reviews:
    """The review each notice's workbook holds, read once per workbook: task text → (审核状态, 审核意见)."""

    def __init__(self, workbooks: WorkbookReviews) -> None:
        self.workbooks = workbooks
        self.workbook: str | None = None
        self.entered: dict[str, tuple[str, str]] = {}

    def fill(self, row: Row) -> Row:
        workbook, text = row[REVIEW_STATE], row[REVIEW_COMMENT]
        if workbook != self.workbook:  # the rows come notice by notice
            self.workbook = workbook
            self.entered = (self.workbooks(Path(workbook)) if workbook else None) or {}
        row[REVIEW_STATE], row[REVIEW_COMMENT] = self.entered.get(text, (REVIEW_STATES[0], ""))
        row[RECURRENCE_COLUMN] = "、".join(RECURRENCE.get(r, r) for r in row[RECURRENCE_COLUMN] or [])
        return row


def write_tasks_parquet(store: Store, target: Path) -> None:
    store.write_parquet("SELECT * FROM tasks ORDER BY path, plan, number", target)


def _relative_to(root: Path | None, column: int) -> Callable[[Row], Row]:
    def relative(row: Row) -> Row:
        if root is not None and row[column]:
            with contextlib.suppress(ValueError):
                row[column] = os.path.relpath(row[column], root)
        return row

    return relative


def _table(
    sheet: Sheet, columns: Sequence[Column], store: Store, source: str, order: str, shaped: Callable[[Row], Row]
) -> None:
    headers = [name for name, _, _, _ in columns]
    widths = {i: width for i, (_, _, width, _) in enumerate(columns, start=1)}
    wraps = {i for i, (_, _, _, wrapped) in enumerate(columns, start=1) if wrapped}
    sheet.header(headers, freeze_columns=1)
    row = 1
    for values in _rows(store, f"SELECT {', '.join(sql for _, sql, _, _ in columns)} {source} ORDER BY {order}"):
        row += 1
        if row == EXCEL_ROWS:
            sheet.put(row, 1, "（已达 Excel 行数上限，其余各行见 tasks.parquet 或 gongwen.duckdb）", "line")
            break
        cells = dict(enumerate(shaped(list(values)), start=1))
        sheet.fit_row(row, {c: v for c, v in cells.items() if c in wraps and isinstance(v, str)}, widths)
        for column, value in cells.items():
            sheet.put(row, column, value, "body" if column in wraps else "line")
    sheet.finish(widths, row - 1)


def _rows(store: Store, query: str) -> Iterator[tuple[Any, ...]]:
    cursor = store.con.cursor()
    cursor.execute(query)
    while chunk := cursor.fetchmany(CHUNK):
        yield from chunk
    cursor.close()
