"""A batch's unit of work, as the parent and the pools see it: a file's bytes in, an outcome out.

Light on purpose: the parent process and the workers both import this, and the parent never
imports the pipeline itself (spaCy and jieba would cost it three seconds and 150 MB it has no
use for).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.batch.rows import Rows
from pipeline.files import one_line

ErrorKind = Literal["input", "timeout", "crash", "internal"]


@dataclass(frozen=True, slots=True)
class Job:
    path: Path
    data: bytes
    output: Path  # the outputs without suffix: <output>.json, or <output>-07.json for plan 7 of a bundle
    time_limit: float  # seconds
    workbooks: Mapping[str, bytes] = field(default_factory=dict)  # those at the output, by name: reviews carry over


@dataclass(frozen=True, slots=True)
class Output:
    """One notice record's files: its JSON, its workbook and its review page, and where each goes."""

    json_path: Path
    json: bytes
    xlsx_path: Path
    xlsx: bytes
    review_path: Path
    review: bytes
    reviewed: bool = False  # the workbook it replaces holds an analyst's review: back it up (once)
    edited: bool = False  # … or its 任务分解表 differs from the new one's (a cell mended by hand): back it up


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a job: each record's outputs and the store's rows, or an error in one line."""

    path: Path
    seconds: float
    pages: int = 0
    tasks: int = 0
    outputs: tuple[Output, ...] = ()
    rows: tuple[Rows, ...] = ()
    error_kind: ErrorKind | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()  # what was wrong with the file but did not stop it, a line each

    @classmethod
    def failed(cls, path: Path, kind: ErrorKind, error: str, seconds: float = 0.0) -> Outcome:
        """A failure; its message made one line of valid Unicode (an exception's message may
        hold a newline or a name's undecodable bytes)."""
        return cls(path=path, seconds=seconds, error_kind=kind, error=one_line(error))


def timeout_message(limit: float) -> str:
    return f"took longer than {limit:g} s, the per-file time limit (--time-limit)"
