"""`gongwen run` in a terminal: the batch with a progress bar, then a report of what it did."""

from __future__ import annotations

import os
import signal
from types import FrameType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.progress import Progress as Bar

from pipeline.batch.jobs import Outcome
from pipeline.batch.runner import BatchStopped, Progress, Report, run_batch
from pipeline.batch.settings import Settings
from pipeline.batch.store import StoreError
from pipeline.files import one_line, readable
from pipeline.inputs.formats import SUPPORTED

LISTED = 15  # failures and skipped files listed in the report; the rest are in the log and 汇总.xlsx


def run_command(settings: Settings) -> int:
    """A batch with a progress bar and a summary; exit 1 if a file below the input fails, 130 if stopped."""
    signal.signal(signal.SIGTERM, _interrupt)  # a `kill` stops the batch as Ctrl-C does: cleanly
    console = Console(stderr=True)
    try:
        with _ProgressBar(console) as bar:
            report = run_batch(settings, bar)
    except (StoreError, FileNotFoundError, BatchStopped) as error:
        console.print(f"gongwen run: {one_line(str(error))}", markup=False, soft_wrap=True)
        return 2
    _print_report(Console(), settings, report)
    if report.interrupted:
        return 130
    return 1 if report.failing else 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


class _ProgressBar(Progress):
    def __init__(self, console: Console) -> None:
        self.bar = Bar(
            TextColumn("[bold]gongwen[/]"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[tasks]} tasks, {task.fields[errors]} errors"),
            TimeElapsedColumn(), TimeRemainingColumn(), console=console,
        )  # fmt: skip
        self.task = self.bar.add_task("files", total=None, tasks=0, errors=0)
        self.tasks = self.errors = 0

    def __enter__(self) -> _ProgressBar:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def start(self, total: int) -> None:
        self.bar.update(self.task, total=total)

    def advance(self, outcome: Outcome | None) -> None:
        if outcome is not None:
            self.tasks += outcome.tasks
            self.errors += outcome.error is not None
        self.bar.update(self.task, advance=1, tasks=self.tasks, errors=self.errors)


def _print_report(console: Console, settings: Settings, report: Report) -> None:
    rate = ""
    if report.seconds and report.pages > report.processed:  # files of many pages (PDFs): pages per second
        rate = f", {report.pages / report.seconds:.0f} pages/s"
    elif report.seconds and report.processed:  # text files of a page each: files per second
        rate = f", {report.processed / report.seconds:.1f} files/s"
    done = f"{report.tasks} tasks from {report.pages} pages in {report.seconds:.1f} s{rate}"
    lines = [
        f"gongwen run: {one_line(readable(settings.input))} → {one_line(readable(settings.out_dir))}"
        + ("  (interrupted)" if report.interrupted else ""),
        f"  notices found   {report.found}",
        f"  processed       {report.processed}: {done}",
        f"  unchanged       {report.unchanged} (done before; --force redoes them)",
        f"  removed         {report.removed} (gone from the input: out of the store and 汇总.xlsx; outputs kept)",
        f"  failed          {len(report.failed)} this run, {report.failing} in all below the input",
        f"  skipped         {len(report.skipped)} (not notices)",
    ]
    failed = [one_line(f"{path}: {why} ({kind})") for path, kind, why in report.failed]
    skipped = [one_line(f"{path}: {why}") for path, why in report.skipped]
    for title, rows in (("Failed", failed), ("Skipped", skipped)):
        if rows:
            lines += [f"{title}:", *(f"  {row}" for row in rows[:LISTED])]
            if len(rows) > LISTED:
                lines.append(f"  … and {len(rows) - LISTED} more: see {settings.out_dir / 'gongwen.log'}")
    if not report.found:
        formats = " ".join(SUPPORTED)
        lines.append(f"No notice below {one_line(readable(settings.input))}: gongwen reads {formats}")
    if report.interrupted:
        lines.append("Stopped before the end: every file finished so far is saved; run the same command to go on.")
    elif report.outputs:
        lines.append("Outputs: " + ", ".join(os.fspath(p) for p in report.outputs))
    console.print("\n".join(lines), markup=False, highlight=False, soft_wrap=True)
