"""A batch's unit of work, as the parent and the pools see it: a file's bytes in, an outcome out.

Light on purpose: the parent process imports this, never the pipeline itself (spaCy and
jieba would cost it three seconds and 150 MB it has no use for).  `run` is what the pools
send to a worker; the pipeline is imported there, where the fork server has it loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pipeline.rows import Rows

ErrorKind = Literal["input", "timeout", "crash", "internal"]


@dataclass(frozen=True, slots=True)
class Job:
    path: Path
    data: bytes
    time_limit: float  # seconds
    workbook: bytes | None = None  # the workbook already at the output, whose review carries over


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a job: the outputs' bytes and the store's rows, or an error in one line."""

    path: Path
    seconds: float
    pages: int = 0
    tasks: int = 0
    json: bytes | None = None
    xlsx: bytes | None = None
    rows: Rows | None = None
    error_kind: ErrorKind | None = None
    error: str | None = None

    @classmethod
    def failed(cls, path: Path, kind: ErrorKind, error: str, seconds: float = 0.0) -> Outcome:
        return cls(path=path, seconds=seconds, error_kind=kind, error=error)


def timeout_message(limit: float) -> str:
    return f"took longer than {limit:g} s, the per-file time limit (--time-limit)"


def run(job: Job) -> Outcome:
    """Process a job in this (worker) process."""
    from pipeline.worker import run_job  # here, not at the top: see the module's docstring

    return run_job(job)
