"""One job of a batch, in a worker: the file's bytes in, everything the batch writes out.

A worker needs no disk: the parent reads the file and the earlier review, the worker returns
the JSON and workbook bytes and the rows for the store, and the parent writes them.  That
keeps the writing (and its atomicity) in one process, and lets the same function run on a
Dask cluster whose machines do not share the output folder.
"""

from __future__ import annotations

import resource
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from pipeline.batch.jobs import Job, Outcome, Output, timeout_message
from pipeline.batch.rows import Rows, notice_rows
from pipeline.errors import InputError
from pipeline.outputs.record import json_bytes
from pipeline.outputs.review import review_html
from pipeline.outputs.task_workbook import build_xlsx, read_reviews, rows_differ
from pipeline.process import process, warnings_of
from schemas.notice import Notice


class FileTimeout(Exception):
    """The file took longer than its time limit."""


def run_job(job: Job) -> Outcome:
    started = time.perf_counter()
    try:
        with time_limit(job.time_limit):
            notices = process(job.path, job.data)
            made = [_outputs(notice, job) for notice in notices]
    except InputError as error:
        return Outcome.failed(job.path, "input", str(error), time.perf_counter() - started)
    except FileTimeout:
        return Outcome.failed(job.path, "timeout", timeout_message(job.time_limit), time.perf_counter() - started)
    except MemoryError:
        return Outcome.failed(job.path, "input", _out_of_memory(), time.perf_counter() - started)
    except Exception as error:  # a bug on one file must not stop the batch; the message names it
        message = f"internal error ({type(error).__name__}: {error})"
        return Outcome.failed(job.path, "internal", message, time.perf_counter() - started)
    return Outcome(
        path=job.path,
        seconds=time.perf_counter() - started,
        pages=notices[0].source.pages,
        tasks=sum(len(notice.tasks) for notice in notices),
        outputs=tuple(output for output, _ in made),
        rows=tuple(rows for _, rows in made),
        warnings=tuple(warnings_of(notices)),
    )


def _out_of_memory() -> str:
    limit, _ = resource.getrlimit(resource.RLIMIT_DATA)
    if limit == resource.RLIM_INFINITY:
        return "ran out of memory reading it"
    return f"needs more memory than a worker may use ({limit / 2**20:.0f} MB, --max-memory)"


def _outputs(notice: Notice, job: Job) -> tuple[Output, Rows]:
    """A notice's JSON and workbook (with the review of the workbook it replaces), and its rows."""
    name = job.output.name + notice.source.plan_suffix
    json_path, xlsx_path = job.output.with_name(f"{name}.json"), job.output.with_name(f"{name}.xlsx")
    earlier = job.workbooks.get(xlsx_path.name)
    json = json_bytes(notice)
    reviews = (read_reviews(BytesIO(earlier)) or {}) if earlier else {}
    xlsx = build_xlsx(notice, reviews)
    page = job.output.with_name(f"{name}.review.html"), review_html(notice).encode("utf-8")
    rows = notice_rows(notice, json.decode("utf-8"), json_path, xlsx_path)
    edited = earlier is not None and rows_differ(BytesIO(earlier), xlsx)
    return Output(json_path, json, xlsx_path, xlsx, *page, reviewed=bool(reviews), edited=edited), rows


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


# a task with a role cue (会同), so that spaCy's pipeline and the cue matcher are built here too
WARM_UP_NOTICE = (
    "关于印发2025年工作要点的通知\n各单位：\n"
    "一、加强安全生产。区应急局牵头，会同区消防救援支队，6月底前完成10家企业检查。\n"
)


def warm_up() -> None:
    """Load everything a first file would (jieba's dictionary, spaCy's pipeline and the cue
    matcher, the vocabularies), so that the fork server holds them and no worker builds its own."""
    process(Path("warm-up.txt"), WARM_UP_NOTICE.encode("utf-8"))
