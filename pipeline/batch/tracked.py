"""The tasks the 督办台账 follows, as the store gives them (`Store.tracked_tasks`) or exports
them (`Store.export_tracked`).  Apart from `store` so that the process a batch writes the
tracker in needs no DuckDB (38 MB of its memory)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemas.notice import Deadline


@dataclass(frozen=True, slots=True)
class StoredTask:
    """A task as the tracker follows it: its text, units and deadlines, and its notice's details.

    `notice` names the notice by content, `<sha256>#<plan>` (the file's SHA-256 and the plan of
    it), so a task keeps its identity — `notice` and `text` — when its file moves or is redone."""

    notice: str
    title: str  # the plan's title, else the notice's, else the file's name (a bundle's own instructions: the notice's)
    doc_number: str | None
    plan_year: int | None
    workbook: str | None  # the notice's <stem>.xlsx, where its 审核状态 is entered
    number: int  # 序号 in the notice's workbook
    section: list[str]
    text: str
    lead: list[str]  # canonical names
    implicit_lead: str | None
    co: list[str]
    when: str  # the time expressions as written
    page: int
    line: int
    deadlines: tuple[Deadline, ...]


def read_tracked(source: Path) -> list[StoredTask]:
    """The tasks `Store.export_tracked` wrote."""
    with source.open(encoding="utf-8") as lines:
        return [stored_task(json.loads(line)) for line in lines if line.strip()]


def stored_task(row: dict[str, Any]) -> StoredTask:
    """A task from a row of the store's query, by column name."""
    return StoredTask(**{**row, "deadlines": tuple(Deadline(**d) for d in row["deadlines"] or ())})
