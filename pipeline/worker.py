"""One job of a batch, in a worker: the file's bytes in, everything the batch writes out.

A worker needs no disk: the parent reads the file and the earlier review, the worker returns
the JSON and workbook bytes and the rows for the store, and the parent writes them.  That
keeps the writing (and its atomicity) in one process, and lets the same function run on a
Dask cluster whose machines do not share the output folder.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from pipeline.errors import InputError
from pipeline.export_json import json_bytes
from pipeline.export_xlsx import build_xlsx, read_reviews
from pipeline.jobs import Job, Outcome, timeout_message
from pipeline.process import process
from pipeline.rows import notice_rows


class FileTimeout(Exception):
    """The file took longer than its time limit."""


def run_job(job: Job) -> Outcome:
    started = time.perf_counter()
    try:
        with time_limit(job.time_limit):
            notice = process(job.path, job.data)
            reviews = read_reviews(BytesIO(job.workbook)) if job.workbook else {}
            json, xlsx = json_bytes(notice), build_xlsx(notice, reviews)
    except InputError as error:
        return Outcome.failed(job.path, "input", str(error), time.perf_counter() - started)
    except FileTimeout:
        return Outcome.failed(job.path, "timeout", timeout_message(job.time_limit), time.perf_counter() - started)
    except Exception as error:  # a bug on one file must not stop the batch; the message names it
        message = f"internal error ({type(error).__name__}: {error})"
        return Outcome.failed(job.path, "internal", message, time.perf_counter() - started)
    return Outcome(
        path=job.path,
        seconds=time.perf_counter() - started,
        pages=notice.source.pages,
        tasks=len(notice.tasks),
        json=json,
        xlsx=xlsx,
        rows=notice_rows(notice, json.decode("utf-8")),
    )


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `FileTimeout` in the code within after `seconds`.  A signal only reaches the main
    thread and only between Python instructions, so elsewhere (a Dask thread, a hang inside
    PDFium) the parent's watchdog is what stops the file."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


WARM_UP_NOTICE = "关于印发2025年工作要点的通知\n各单位：\n一、加强安全生产。区应急局牵头，6月底前完成10家企业检查。\n"


def warm_up() -> None:
    """Load everything a first file would (jieba's dictionary, spaCy, the vocabularies)."""
    process(Path("warm-up.txt"), WARM_UP_NOTICE.encode("utf-8"))
