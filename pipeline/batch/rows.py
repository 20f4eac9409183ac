"""The rows a notice adds to the store's tables, and the tables' columns.

Built in the worker that extracted the notice, as JSON lines that DuckDB reads in one go
(`read_json`, built into DuckDB: 20,000 rows in 25 ms), so the parent only inserts them and
needs neither pandas nor numpy; kept apart from `store` so that a worker needs no DuckDB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic_core import to_json

from pipeline.files import readable
from schemas.notice import Notice, Span

# Each table's columns and their SQL types; `path` ties every row to its file, `plan` to its notice
# (a file holds one, plan 1 of 1, or bundles several plans, each a notice record).
_WHERE = {"page": "INTEGER", "line": "INTEGER", "char_start": "INTEGER", "char_end": "INTEGER"}
_NOTICE = {"path": "VARCHAR", "plan": "INTEGER"}
_TASK = {**_NOTICE, "task": "INTEGER"}
TABLES: dict[str, dict[str, str]] = {
    "files": {
        "path": "VARCHAR", "size": "BIGINT", "mtime_ns": "BIGINT", "sha256": "VARCHAR",
        "gongwen_version": "VARCHAR", "status": "VARCHAR", "error_kind": "VARCHAR", "error": "VARCHAR",
        "pages": "INTEGER", "tasks": "INTEGER", "seconds": "DOUBLE", "processed_at": "TIMESTAMP",
    },
    "notices": {
        **_NOTICE, "plans": "INTEGER", "name": "VARCHAR", "format": "VARCHAR", "pages": "INTEGER", "sha256": "VARCHAR",
        "schema_version": "VARCHAR", "gongwen_version": "VARCHAR", "extracted_at": "TIMESTAMPTZ",
        "title": "VARCHAR", "doc_number": "VARCHAR", "issuer": "VARCHAR", "issuers": "VARCHAR[]",
        "issue_date": "DATE", "printed_by": "VARCHAR", "printed_date": "DATE", "addressees": "VARCHAR[]",
        "plan_title": "VARCHAR", "plan_year": "INTEGER", "openness": "VARCHAR", "goals": "VARCHAR[]",
        "tasks": "INTEGER", "json_path": "VARCHAR", "xlsx_path": "VARCHAR",
        "record": "VARCHAR",  # the whole record, as in <stem>.json
    },
    "tasks": {
        **_NOTICE, "number": "INTEGER", "id": "VARCHAR", "origin": "VARCHAR", "section": "VARCHAR[]",
        "text": "VARCHAR", "lead": "VARCHAR[]", "co": "VARCHAR[]", "other": "VARCHAR[]", "implicit_lead": "VARCHAR",
        "deadline": "VARCHAR", "start_date": "DATE", "end_date": "DATE", "recurrence": "VARCHAR[]",
        "targets": "VARCHAR[]", **_WHERE,
    },
    "deadlines": {
        **_TASK, "text": "VARCHAR", "kind": "VARCHAR", "start_date": "DATE", "end_date": "DATE",
        "recurrence": "VARCHAR", "rrule": "VARCHAR", "dtstart": "DATE", **_WHERE,
    },
    "parties": {
        **_TASK, "name": "VARCHAR", "canonical": "VARCHAR", "role": "VARCHAR", **_WHERE,
    },
    "targets": {
        **_TASK, "text": "VARCHAR", "value": "DOUBLE", "unit": "VARCHAR",
        "object": "VARCHAR", "comparator": "VARCHAR", **_WHERE,
    },
}  # fmt: skip
RECORD_TABLES = ("notices", "tasks", "deadlines", "parties", "targets")
_TIMES = {
    name: [i for i, kind in enumerate(columns.values()) if kind.startswith("TIMESTAMP")]
    for name, columns in TABLES.items()
}

Rows = dict[str, bytes]  # table → its rows as JSON lines


def notice_rows(notice: Notice, record: str, json_path: Path, xlsx_path: Path) -> Rows:
    """A notice's rows for every record table; `record` is its JSON, written to `json_path`."""
    meta, source = notice.meta, notice.source
    key = (source.path, source.plan or 1)
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in RECORD_TABLES}
    rows["notices"].append(
        (*key, source.plans, source.name, source.format, source.pages, source.sha256, notice.schema_version,
         notice.gongwen_version, notice.extracted_at, meta.title, meta.doc_number, meta.issuer, meta.issuers,
         meta.issue_date, meta.printed_by, meta.printed_date, meta.addressees, meta.plan_title, meta.plan_year,
         meta.openness, meta.goals, len(notice.tasks), readable(json_path), readable(xlsx_path), record)
    )  # fmt: skip
    inferred = notice.inferred_leads()
    for number, task in enumerate(notice.tasks, start=1):
        start, end = task.date_range()
        recurrence = list(dict.fromkeys(d.recurrence for d in task.deadlines if d.recurrence))
        rows["tasks"].append(
            (*key, number, task.id, task.origin, task.section, task.text, task.units("lead"), task.units("co"),
             task.units("other"), "、".join(inferred.get(task.id, [])) or None, task.when(), start, end, recurrence,
             [t.text for t in task.targets], *_where(task.span))
        )  # fmt: skip
        for d in task.deadlines:
            rows["deadlines"].append(
                (*key, number, d.text, d.kind, d.start, d.end, d.recurrence, d.rrule, d.dtstart, *_where(d.span))
            )
        for p in task.parties:
            rows["parties"].append((*key, number, p.name, p.canonical, p.role, *_where(p.span)))
        for t in task.targets:
            rows["targets"].append((*key, number, t.text, t.value, t.unit, t.object, t.comparator, *_where(t.span)))
    return {name: json_lines(name, table_rows) for name, table_rows in rows.items()}


def json_lines(table: str, rows: Iterable[tuple[Any, ...]]) -> bytes:
    """Rows (in the table's column order) as JSON lines, UTF-8; dates in ISO form (2024-06-30), times
    as `str` writes them (2024-06-30 08:00:00+00:00).  Written by pydantic-core, 5 times as fast as
    `json.dumps` a row."""
    columns = list(TABLES[table])
    times = _TIMES[table]
    lines = [to_json(dict(zip(columns, _times_as_text(row, times) if times else row, strict=True))) for row in rows]
    return b"".join(line + b"\n" for line in lines)


def _times_as_text(row: tuple[Any, ...], times: list[int]) -> tuple[Any, ...]:
    """The row with the times at `times` (columns) as `str` writes them, as DuckDB has always read them."""
    values = list(row)
    for i in times:
        if isinstance(values[i], dt.datetime):
            values[i] = str(values[i])
    return tuple(values)


def _where(span: Span) -> tuple[int, int, int, int]:
    return span.page, span.line, span.start, span.end
