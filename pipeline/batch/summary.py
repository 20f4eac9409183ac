"""The batch's combined outputs, from the store: `汇总.xlsx` and `tasks.parquet`.

汇总.xlsx has every task of every notice in one filterable sheet (任务), one row per notice
(文件) and one per file that failed or was skipped (错误).  It is streamed row by row, so a
national corpus does not need its tasks in memory; a sheet stops at Excel's row limit with
a last row that says so (the Parquet file has every row).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline.batch.store import Store
from pipeline.files import atomic_path
from pipeline.outputs.xlsx import Book, Sheet

EXCEL_ROWS = 1_048_576
CHUNK = 2000

# One row per task: what an analyst filters and reads; the notice's other details are on 文件.
TASK_COLUMNS = (
    ("文件", "n.name", 24), ("发文机关", "n.issuer", 18), ("计划年度", "n.plan_year", 8), ("序号", "t.number", 6),
    ("一级标题", "t.section[1]", 18), ("二级标题", "t.section[2]", 18), ("工作任务", "t.text", 60),
    ("牵头单位", "coalesce(nullif(array_to_string(t.lead, '、'), ''), t.implicit_lead || '（推定）')", 18),
    ("配合单位", "array_to_string(t.co, '、')", 18), ("其他相关单位", "array_to_string(t.other, '、')", 18),
    ("完成时限", "t.deadline", 14), ("截止", "t.end_date", 11), ("量化目标", "array_to_string(t.targets, '；')", 24),
    ("原文位置", "'第' || t.page || '页第' || t.line || '行'", 14),
)  # fmt: skip
NOTICE_COLUMNS = (
    ("文件", "n.name", 24), ("标题", "n.title", 40), ("发文字号", "n.doc_number", 16), ("发文机关", "n.issuer", 20),
    ("成文日期", "n.issue_date", 11), ("计划名称", "n.plan_title", 30), ("计划年度", "n.plan_year", 8),
    ("任务数", "n.tasks", 7), ("页数", "n.pages", 6), ("格式", "n.format", 6), ("JSON", "n.json_path", 30),
    ("工作簿", "n.xlsx_path", 30), ("gongwen 版本", "n.gongwen_version", 10), ("源文件", "n.path", 40),
)  # fmt: skip
ERROR_KINDS = {"input": "无法读取", "timeout": "超时", "crash": "进程崩溃", "internal": "内部错误",
               "unsupported": "格式不支持"}  # fmt: skip
_KIND_CASES = " ".join(f"WHEN '{kind}' THEN '{label}'" for kind, label in ERROR_KINDS.items())
ERROR_COLUMNS = (
    ("文件", "f.path", 50), ("状态", "CASE f.status WHEN 'error' THEN '失败' ELSE '跳过' END", 6),
    ("类别", f"CASE f.error_kind {_KIND_CASES} END", 10),
    ("原因", "f.error", 60), ("时间", "strftime(f.processed_at, '%Y-%m-%d %H:%M')", 16),
)  # fmt: skip


def write_summary(store: Store, target: Path) -> None:
    ok = "JOIN files f ON f.path = n.path AND f.status = 'ok'"
    with atomic_path(target) as temporary:
        book = Book(str(temporary), streaming=True)
        _table(book.sheet("任务"), TASK_COLUMNS, store, f"FROM tasks t JOIN notices n USING (path, plan) {ok}",
               "n.name, t.path, t.plan, t.number")  # fmt: skip
        _table(book.sheet("文件"), NOTICE_COLUMNS, store, f"FROM notices n {ok}", "n.name, n.path, n.plan")
        _table(book.sheet("错误"), ERROR_COLUMNS, store, "FROM files f WHERE f.status <> 'ok'", "f.path")
        book.close()


def write_tasks_parquet(store: Store, target: Path) -> None:
    store.write_parquet("SELECT * FROM tasks ORDER BY path, plan, number", target)


def _table(sheet: Sheet, columns: Sequence[tuple[str, str, float]], store: Store, source: str, order: str) -> None:
    headers = [name for name, _, _ in columns]
    sheet.header(headers, freeze_columns=1)
    row = 1
    for values in _rows(store, f"SELECT {', '.join(sql for _, sql, _ in columns)} {source} ORDER BY {order}"):
        row += 1
        if row == EXCEL_ROWS:
            sheet.put(row, 1, "（已达 Excel 行数上限，其余各行见 tasks.parquet 或 gongwen.duckdb）", "line")
            break
        for column, value in enumerate(values, start=1):
            sheet.put(row, column, value, "line")
    sheet.finish({i: width for i, (_, _, width) in enumerate(columns, start=1)}, row - 1)


def _rows(store: Store, query: str) -> Iterator[tuple[Any, ...]]:
    cursor = store.con.cursor()
    cursor.execute(query)
    while chunk := cursor.fetchmany(CHUNK):
        yield from chunk
    cursor.close()
