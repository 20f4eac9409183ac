"""The rows a notice adds to the store's tables, and the tables' columns.

Built in the worker that extracted the notice, as JSON lines that DuckDB reads in one go
(`read_json`, built into DuckDB: 20,000 rows in 25 ms), so the parent only inserts them and
needs neither pandas nor numpy; kept apart from `store` so that a worker needs no DuckDB.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from schemas.notice import Notice, Span

# Each table's columns and their SQL types; `path` ties every row to its file.
_WHERE = {"page": "INTEGER", "line": "INTEGER", "char_start": "INTEGER", "char_end": "INTEGER"}
TABLES: dict[str, dict[str, str]] = {
    "files": {
        "path": "VARCHAR", "size": "BIGINT", "mtime_ns": "BIGINT", "sha256": "VARCHAR",
        "gongwen_version": "VARCHAR", "status": "VARCHAR", "error_kind": "VARCHAR", "error": "VARCHAR",
        "pages": "INTEGER", "tasks": "INTEGER", "seconds": "DOUBLE", "json_path": "VARCHAR", "xlsx_path": "VARCHAR",
        "processed_at": "TIMESTAMP",
    },
    "notices": {
        "path": "VARCHAR", "name": "VARCHAR", "format": "VARCHAR", "pages": "INTEGER", "sha256": "VARCHAR",
        "schema_version": "VARCHAR", "gongwen_version": "VARCHAR", "extracted_at": "TIMESTAMPTZ",
        "title": "VARCHAR", "doc_number": "VARCHAR", "issuer": "VARCHAR", "issuers": "VARCHAR[]",
        "issue_date": "DATE", "printed_by": "VARCHAR", "printed_date": "DATE", "addressees": "VARCHAR[]",
        "plan_title": "VARCHAR", "plan_year": "INTEGER", "openness": "VARCHAR", "goals": "VARCHAR[]",
        "tasks": "INTEGER", "record": "VARCHAR",  # the whole record, as in <stem>.json
    },
    "tasks": {
        "path": "VARCHAR", "number": "INTEGER", "id": "VARCHAR", "origin": "VARCHAR", "section": "VARCHAR[]",
        "text": "VARCHAR", "lead": "VARCHAR[]", "co": "VARCHAR[]", "other": "VARCHAR[]", "implicit_lead": "VARCHAR",
        "deadline": "VARCHAR", "start_date": "DATE", "end_date": "DATE", "recurrence": "VARCHAR[]",
        "targets": "VARCHAR[]", **_WHERE,
    },
    "deadlines": {
        "path": "VARCHAR", "task": "INTEGER", "text": "VARCHAR", "kind": "VARCHAR", "start_date": "DATE",
        "end_date": "DATE", "recurrence": "VARCHAR", **_WHERE,
    },
    "parties": {
        "path": "VARCHAR", "task": "INTEGER", "name": "VARCHAR", "canonical": "VARCHAR", "role": "VARCHAR", **_WHERE,
    },
    "targets": {
        "path": "VARCHAR", "task": "INTEGER", "text": "VARCHAR", "value": "DOUBLE", "unit": "VARCHAR",
        "object": "VARCHAR", "comparator": "VARCHAR", **_WHERE,
    },
}  # fmt: skip
RECORD_TABLES = ("notices", "tasks", "deadlines", "parties", "targets")

Rows = dict[str, bytes]  # table → its rows as JSON lines


def notice_rows(notice: Notice, record: str) -> Rows:
    """A notice's rows for every record table; `record` is its JSON."""
    path, meta, source = notice.source.path, notice.meta, notice.source
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in RECORD_TABLES}
    rows["notices"].append(
        (path, source.name, source.format, source.pages, source.sha256, notice.schema_version,
         notice.gongwen_version, notice.extracted_at, meta.title, meta.doc_number, meta.issuer, meta.issuers,
         meta.issue_date, meta.printed_by, meta.printed_date, meta.addressees, meta.plan_title, meta.plan_year,
         meta.openness, meta.goals, len(notice.tasks), record)
    )  # fmt: skip
    for number, task in enumerate(notice.tasks, start=1):
        start, end = task.date_range()
        recurrence = list(dict.fromkeys(d.recurrence for d in task.deadlines if d.recurrence))
        rows["tasks"].append(
            (path, number, task.id, task.origin, task.section, task.text, task.units("lead"), task.units("co"),
             task.units("other"), task.implicit_lead, task.when(), start, end, recurrence,
             [t.text for t in task.targets], *_where(task.span))
        )  # fmt: skip
        for d in task.deadlines:
            rows["deadlines"].append((path, number, d.text, d.kind, d.start, d.end, d.recurrence, *_where(d.span)))
        for p in task.parties:
            rows["parties"].append((path, number, p.name, p.canonical, p.role, *_where(p.span)))
        for t in task.targets:
            rows["targets"].append((path, number, t.text, t.value, t.unit, t.object, t.comparator, *_where(t.span)))
    return {name: json_lines(name, table_rows) for name, table_rows in rows.items()}


def json_lines(table: str, rows: Iterable[tuple[Any, ...]]) -> bytes:
    """Rows (in the table's column order) as JSON lines; dates and times in ISO form."""
    columns = list(TABLES[table])
    lines = (json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=str) for row in rows)
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def _where(span: Span) -> tuple[int, int, int, int]:
    return span.page, span.line, span.start, span.end
