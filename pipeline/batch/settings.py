"""What a batch is told (`Settings`) and the names of the files it keeps in its output folder:
kept apart from the runner, whose store and end-of-batch writers the command line loads only
for `gongwen run`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

STORE_NAME = "gongwen.duckdb"
SUMMARY_NAME = "汇总.xlsx"
PARQUET_NAME = "tasks.parquet"
LOG_NAME = "gongwen.log"
MEMORY = 1024 * 2**20  # bytes a local worker may use (a worker starts at about 290 MB)


@dataclass(frozen=True)
class Settings:
    input: Path
    out_dir: Path
    workers: int = max(len(os.sched_getaffinity(0)), 1)
    force: bool = False  # redo every file
    retry_errors: bool = False  # redo the files that failed last time
    time_limit: float = 120.0  # seconds per file
    max_bytes: int = 200 * 2**20
    memory: int = MEMORY  # bytes a local worker may use
    scheduler: str | None = None  # a Dask scheduler's address: run there instead of locally
