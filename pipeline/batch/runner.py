"""A batch: every notice below a folder, processed in parallel, again each time new ones arrive.

files    = discover(input)                 # notices to read; anything else skipped, with why
todo     = files not yet done              # by content hash and gongwen version (unless --force)
outcomes = executor.run(jobs(todo))        # workers: bytes in, JSON + workbook + rows out
each     → <stem>.json, <stem>.xlsx, <stem>.review.html   # atomically, then recorded in the store
           (<stem>-01.json … for a file that bundles several plans)
end      → 汇总.xlsx, tasks.parquet, 督办台账.xlsx/.ics   # from the store: all notices at once

Every output is written through a temporary file; the store takes a file's rows in one
transaction after its outputs are in place.  So a crash or Ctrl-C leaves each earlier output
whole and the store consistent, and the next run does just the files the store lacks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.batch.jobs import Job, Outcome, Output
from pipeline.batch.pool import DaskPool, Executor, LocalPool, Work, run
from pipeline.batch.rows import Rows
from pipeline.batch.settings import LOG_NAME, PARQUET_NAME, STORE_NAME, SUMMARY_NAME, Settings
from pipeline.batch.store import FULL_DISK, FileRecord, Store, StoreError, Unstorable
from pipeline.batch.summary import workbooks_changed_since, write_summary, write_tasks_parquet
from pipeline.files import atomic_path, keep_backup, latest_backup, one_line, readable, write_atomically
from pipeline.inputs.formats import SUPPORTED, is_own_output, is_regular, why_skipped
from pipeline.outputs.task_workbook import WorkbookReviews
from pipeline.outputs.tracker import (
    CALENDAR_NAME,
    TRACKER_NAME,
    NothingToTrack,
    TrackerReport,
    write_exported,
    write_tracker,
)
from schemas.notice import gongwen_version

FLUSH_SECONDS = 5.0  # the store takes finished files at most this often: a flush costs 40 ms of the
# parent's CPU however few files it holds; a crash leaves the files finished since the last to be redone


@dataclass(frozen=True, slots=True)
class Found:
    """A file below the input folder: how it was found, its key in the store, where its outputs go
    (`output` without a suffix: <output>.json, <output>.xlsx)."""

    path: Path
    key: str
    size: int
    mtime_ns: int
    output: Path


REVIEWS_KEY = "workbook_reviews"  # the store's info: what the notice workbooks held when last read
TRACKER_KEY = "tracker_written"  # the store's info: what the last 督办台账 was written with
# the 督办台账's arguments: workbook, calendar, as of, reviews, what the last was written with
Tracker = tuple[Path, Path, dt.date, WorkbookReviews, str | None]


class BatchStopped(Exception):
    """The batch cannot go on: its output folder is full or cannot be written.  As after Ctrl-C,
    every file done before is saved, and no temporary file is left; the message is one line."""


@dataclass
class Report:
    found: int = 0
    processed: int = 0
    unchanged: int = 0
    removed: int = 0  # files in the store from below the input that are gone: their rows removed
    tasks: int = 0
    pages: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (path, kind, message), this run
    failing: int = 0  # files below the input whose last outcome is an error, this run's or earlier
    outputs: list[Path] = field(default_factory=list)  # the combined outputs written at the end


class Progress:
    """What a batch tells its display; the command line shows a progress bar."""

    def start(self, total: int) -> None: ...

    def advance(self, outcome: Outcome | None) -> None:
        """A file done: its outcome, or None for a file left as it was."""


def run_batch(settings: Settings, progress: Progress | None = None, work: Work = run) -> Report:
    return Batch(settings, progress or Progress(), work).run()


class Batch:
    def __init__(self, settings: Settings, progress: Progress, work: Work) -> None:
        self.settings, self.progress, self.work = settings, progress, work
        self.version = gongwen_version()
        self.report = Report()
        self.in_flight: dict[Path, tuple[Found, str]] = {}  # by store key: a job's file and its hash
        self.early: list[tuple[Found, str, Outcome]] = []  # files that failed before a worker saw them
        self.unsaved: list[tuple[FileRecord, tuple[Rows, ...]]] = []
        self.last_flush = time.monotonic()
        self.pool: LocalPool | None = None
        self.listed: dict[Path, dict[str, list[str]]] = {}  # by output folder: its workbooks by output name

    def run(self) -> Report:
        settings, report = self.settings, self.report
        started = time.monotonic()
        found, skipped = discover(settings.input, settings.out_dir)
        self.store = Store(settings.out_dir / STORE_NAME)  # locked: no other run writes here now
        kept_reviews = None if settings.force else self.store.info(REVIEWS_KEY)  # --force: read everything again
        self.workbooks = WorkbookReviews.from_json(kept_reviews)  # for 汇总.xlsx and the 督办台账
        _remove_leftovers(settings.out_dir)
        self.log = _file_log(settings.out_dir / LOG_NAME)
        try:
            report.found = len(found)
            self._forget_gone(found, skipped)
            self._skip(skipped)
            known = self.store.files()
            candidates = [f for f in found if not self._unchanged_stat(f, known.get(f.key))]
            report.unchanged = len(found) - len(candidates)
            self.progress.start(len(candidates))
            executor = self._executor()
            if candidates and self.pool is not None:
                self.pool.warm()  # loading the pipeline while the files are read and hashed
            try:
                for outcome in executor.run(self._jobs(candidates, known)):
                    self._finish(*self.in_flight.pop(outcome.path), outcome)
                    self._finish_early()
                self._finish_early()
            except KeyboardInterrupt:
                report.interrupted = True
            finally:
                self._flush()
            current = self.store.files()
            report.failing = sum(1 for f in found if (r := current.get(f.key)) is not None and r.status == "error")
            if not report.interrupted:
                self._write_combined()
            if (reviews := self.workbooks.to_json()) != kept_reviews:
                self.store.set_info(REVIEWS_KEY, reviews)
        except (OSError, StoreError) as error:
            raise BatchStopped(_stopped_by(error, settings.out_dir)) from error
        finally:
            self.store.close()
            _close_log(self.log)
        report.seconds = time.monotonic() - started
        return report

    # ------------------------------------------------------------ what to do

    def _unchanged_stat(self, found: Found, known: FileRecord | None) -> bool:
        """Done before, by this version, and not touched since (same size and time): no need to read it."""
        return self._done(known) and known is not None and (known.size, known.mtime_ns) == (found.size, found.mtime_ns)

    def _done(self, known: FileRecord | None) -> bool:
        settings = self.settings
        return (
            known is not None
            and not settings.force
            and known.gongwen_version == self.version
            and (known.status == "ok" or (known.status == "error" and not settings.retry_errors))
        )

    def _jobs(self, candidates: list[Found], known: dict[str, FileRecord]) -> Iterator[Job]:
        """A job for each file that changed; read lazily, so only the files in flight are in memory."""
        for found in candidates:
            limit = self.settings.max_bytes
            if found.size > limit:
                self._fail_early(
                    found, f"too large: {found.size / 2**20:.0f} MB, over {limit / 2**20:.0f} MB (--max-size)"
                )
                continue
            try:
                data = found.path.read_bytes()
            except OSError as error:
                self._fail_early(found, f"cannot read the file: {error.strerror or error}")
                continue
            sha256 = hashlib.sha256(data).hexdigest()
            previous = known.get(found.key)
            if self._done(previous) and previous is not None and previous.sha256 == sha256:
                self.store.touch(found.key, found.size, found.mtime_ns)  # same content, a new time
                self.report.unchanged += 1
                self.progress.advance(None)
                continue
            workbooks = {p.name: p.read_bytes() for p in self._earlier_workbooks(found)}
            self.in_flight[Path(found.key)] = (found, sha256)
            yield Job(Path(found.key), data, found.output, self.settings.time_limit, workbooks)

    def _earlier_workbooks(self, found: Found) -> list[Path]:
        """The workbooks an earlier run wrote for this file: its own, or one per plan of a bundle.
        Each output folder is listed once, when its first file is read (listed for each file, a
        batch took time in the square of its files)."""
        folder = found.output.parent
        if folder not in self.listed:
            self.listed[folder] = _workbooks_by_output(folder)
        return [folder / name for name in self.listed[folder].get(found.output.name, [])]

    def _executor(self) -> Executor:
        if self.settings.scheduler:
            return DaskPool(self.settings.scheduler, self.work)
        self.pool = LocalPool(self.settings.workers, self.work, memory=self.settings.memory)
        return self.pool

    @staticmethod
    def _track_beside(
        store: Store,
        helper: ProcessPoolExecutor,
        tasks: Path,
        target: Path,
        calendar: Path,
        as_of: dt.date,
        workbooks: WorkbookReviews,
        written: str | None,
    ) -> Future[TrackerReport] | None:
        """The 督办台账 being written by the helper process, from the tasks `store` (a cursor of the
        batch's store, closed here: this runs in a thread beside 汇总.xlsx, and DuckDB lets go of
        the GIL) exported to the file `tasks`, which the parent never holds; None when the store
        tracks no task."""
        try:
            if not store.export_tracked(tasks):
                return None
        finally:
            store.close()
        return helper.submit(write_exported, tasks, target, calendar, as_of, workbooks, written)

    @contextlib.contextmanager
    def _helper(self) -> Iterator[ProcessPoolExecutor | None]:
        """A process forked from the workers' fork server, to write the 督办台账 while this one
        writes 汇总.xlsx (two cores, and the tracker's cells never in the parent's memory); None
        when this batch did not start the fork server: starting it would cost more than it saves."""
        if self.pool is None or not self.pool.started:
            yield None
            return
        with ProcessPoolExecutor(1, mp_context=self.pool.context) as helper:
            yield helper

    # ------------------------------------------------------------ what came of it

    def _finish(self, found: Found, sha256: str, outcome: Outcome) -> None:
        if outcome.error is None:
            try:
                self._write_outputs(outcome.outputs)
            except OSError as error:
                if error.errno in FULL_DISK:  # no file can be written: stop, and leave this one to the next run
                    raise
                outcome = Outcome.failed(outcome.path, "input", f"cannot write the outputs: {error}", outcome.seconds)
        record = FileRecord(
            path=found.key, size=found.size, mtime_ns=found.mtime_ns, sha256=sha256 or None,
            gongwen_version=self.version, status="error" if outcome.error else "ok",
            error_kind=outcome.error_kind, error=outcome.error, pages=outcome.pages, tasks=outcome.tasks,
            seconds=round(outcome.seconds, 3), processed_at=dt.datetime.now(),
        )  # fmt: skip
        self.unsaved.append((record, outcome.rows))
        report = self.report
        report.processed += 1
        name = readable(found.path)
        if outcome.error:
            report.failed.append((name, outcome.error_kind or "", outcome.error))
            self.log.warning("%s: failed (%s): %s", name, outcome.error_kind, outcome.error)
        else:
            report.tasks += outcome.tasks
            report.pages += outcome.pages
            done = "%s: %d tasks, %d pages, %.2f s"
            facts = (name, outcome.tasks, outcome.pages, outcome.seconds)
            if outcome.warnings:  # the file's line says what was wrong with it
                self.log.warning(done + "; warning: %s", *facts, "; ".join(outcome.warnings))
            else:
                self.log.info(done, *facts)
        self.progress.advance(outcome)
        if time.monotonic() - self.last_flush >= FLUSH_SECONDS:
            self._flush()

    def _fail_early(self, found: Found, message: str) -> None:
        self.early.append((found, "", Outcome.failed(Path(found.key), "input", message)))

    def _finish_early(self) -> None:
        while self.early:
            self._finish(*self.early.pop(0))

    def _write_outputs(self, outputs: tuple[Output, ...]) -> None:
        for output in outputs:
            write_atomically(output.json_path, output.json)
            write_atomically(output.review_path, output.review)
            with atomic_path(output.xlsx_path) as temporary:
                temporary.write_bytes(output.xlsx)
                if (output.reviewed or output.edited) and _not_backed_up(output.xlsx_path):  # once the new is written
                    keep_backup(output.xlsx_path)
            if not output.reviewed:  # nothing carried over: 汇总.xlsx and the 督办台账 need not read it back
                self.workbooks.unreviewed(output.xlsx_path)

    def _skip(self, skipped: list[tuple[Path, str]]) -> None:
        """List the files that are not notices, in the report, the log and (once) the store."""
        known = self.store.files()
        records = []
        for path, why in skipped:
            self.report.skipped.append((readable(path), why))
            self.log.info("%s: skipped: %s", readable(path), why)
            key, size, mtime_ns = _identity(path)
            previous = known.get(key)
            if previous is None or previous.status != "skipped" or previous.error != why:
                records.append(FileRecord(path=key, size=size, mtime_ns=mtime_ns, sha256=None,
                                          gongwen_version=self.version, status="skipped", error_kind="unsupported",
                                          error=why, processed_at=dt.datetime.now()))  # fmt: skip
        if records:
            self.store.save(records, [])

    def _forget_gone(self, found: list[Found], skipped: list[tuple[Path, str]]) -> None:
        """Remove from the store the files below the input folder that are no longer there: their
        tasks leave the store, tasks.parquet and 汇总.xlsx; their JSON and workbooks stay on disk."""
        if not self.settings.input.is_dir():
            return
        below = readable(self.settings.input.resolve()).rstrip("/") + "/"
        present = {f.key for f in found} | {_identity(path)[0] for path, _ in skipped}
        gone = [path for path in self.store.files() if path.startswith(below) and path not in present]
        if gone:
            self.store.forget(gone)
            self.report.removed = len(gone)
            for path in gone:
                self.log.info("%s: removed: no longer below the input; its outputs stay", path)

    def _flush(self) -> None:
        if self.unsaved:
            records = [record for record, _ in self.unsaved]
            try:
                self.store.save(records, [part for _, rows in self.unsaved for part in rows])
            except Unstorable:  # some file's rows: each file alone, so only that one fails
                for record, rows in self.unsaved:
                    self._save_alone(record, rows)
            self.unsaved.clear()
        self.last_flush = time.monotonic()

    def _save_alone(self, record: FileRecord, rows: tuple[Rows, ...]) -> None:
        """A file's rows, or, if the store refuses them, the file as failed (its outputs stay)."""
        try:
            self.store.save([record], rows)
        except Unstorable as error:
            message = f"cannot be stored: {error}"
            self.store.save([replace(record, status="error", error_kind="internal", error=message, tasks=0)], [])
            self.report.tasks -= record.tasks or 0
            self.report.pages -= record.pages or 0
            self.report.failed.append((record.path, "internal", message))
            self.log.warning("%s: failed (internal): %s", record.path, message)

    def _write_combined(self) -> None:
        """汇总.xlsx, tasks.parquet and the 督办台账 (as of today), when the store changed since they
        were written (the flag is in the store, so a run that stopped before writing them leaves
        them to the next) or are missing."""
        out = self.settings.out_dir
        combined = [out / SUMMARY_NAME, out / PARQUET_NAME, out / TRACKER_NAME, out / CALENDAR_NAME]
        stale = self.store.info("combined") != "current" or not all(path.exists() for path in combined)
        if stale or workbooks_changed_since(self.store, combined[0].stat().st_mtime):  # an analyst's review
            # a copy: the helper's arguments are pickled in another thread while 汇总.xlsx reads more reviews
            written = None if self.settings.force else self.store.info(TRACKER_KEY)
            tracker: Tracker = (combined[2], combined[3], dt.date.today(), self.workbooks.copy(), written)
            with (
                tempfile.TemporaryDirectory(dir=out, prefix=".gongwen-") as scratch,
                self._helper() as helper,
                ThreadPoolExecutor(1) as thread,
            ):
                tasks = Path(scratch) / "tasks.jsonl"
                handed_over = (
                    thread.submit(self._track_beside, self.store.cursor(), helper, tasks, *tracker) if helper else None
                )
                write_summary(self.store, combined[0], self.settings.input, self.workbooks)
                beside = handed_over.result() if handed_over else None
                # while the helper still writes the 督办台账, which takes longer than 汇总.xlsx
                write_tasks_parquet(self.store, combined[1])
                self.store.checkpoint()  # the close then has little left to do
                tracker_report = _done_beside(beside)
                if tracker_report is None:
                    with contextlib.suppress(NothingToTrack):  # no task in the store: no tracker to write
                        tracker_report = write_tracker(self.store, *tracker)
            if tracker_report is not None:
                self.store.set_info(TRACKER_KEY, tracker_report.written)
            self.store.set_info("combined", "current")
        self.report.outputs = [*(path for path in combined if path.exists()), out / STORE_NAME, out / LOG_NAME]


def _workbooks_by_output(folder: Path) -> dict[str, list[str]]:
    """The workbooks in an output folder by the output they belong to: 通知.xlsx to 通知, and
    通知-02.xlsx (a bundle's second plan) to 通知 and to 通知-02."""
    by_output: dict[str, list[str]] = {}
    with contextlib.suppress(OSError):  # a folder that is not there, or cannot be listed, holds none
        for name in os.listdir(folder):
            if name.endswith(".xlsx") and not name.startswith("."):
                stem = name.removesuffix(".xlsx")
                plan = re.fullmatch(r"(.+)-\d+", stem, re.DOTALL)
                for output in {stem, plan.group(1) if plan else stem}:
                    by_output.setdefault(output, []).append(name)
    return by_output


def _not_backed_up(workbook: Path) -> bool:
    from pipeline.outputs.task_workbook import not_backed_up  # openpyxl: only for a workbook with analyst work

    return not_backed_up(workbook, latest_backup(workbook))


def _done_beside(work: Future[TrackerReport] | None) -> TrackerReport | None:
    """The report of the helper process's work (its errors raised here); None when it had none
    or died (killed), and the parent must do the work itself."""
    if work is None:
        return None
    try:
        return work.result()
    except BrokenProcessPool:
        return None


LEFTOVER = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # atomic_path's temporary name


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files a killed run left in the output folder (`kill -9` between write and rename)."""
    for root, _, files in os.walk(out_dir):
        for name in files:
            if LEFTOVER.match(name):
                with contextlib.suppress(OSError):
                    (Path(root) / name).unlink()


def _stopped_by(error: OSError | StoreError, out_dir: Path) -> str:
    """Why a batch stopped, in one line: the output folder's fault (full, read-only) or the
    workers' (a Dask scheduler out of reach, a worker gone)."""
    reason = one_line(error.strerror if isinstance(error, OSError) and error.strerror else str(error))
    saved = "every file done before is saved"
    if isinstance(error, OSError) and error.errno not in (*FULL_DISK, errno.EACCES, errno.EPERM, errno.EIO):
        return f"stopped, the workers failed: {reason}; {saved}: run the same command again"
    locked = isinstance(error, OSError) and error.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    remedy = "make it writable" if locked else "make room"
    return f"stopped, cannot write to {readable(out_dir)}: {reason}; {saved}: {remedy} and run the same command again"


# ---------------------------------------------------------------- finding the files


def discover(input: Path, out_dir: Path) -> tuple[list[Found], list[tuple[Path, str]]]:
    """The notices below `input` (or `input` itself), in path order, and the files skipped with
    the reason.  Hidden files, Office lock files and the output folder are passed over."""
    out = out_dir.resolve()
    if input.is_file():
        paths, base = [input], input.parent
    elif input.is_dir():
        paths, base = sorted(_walk(input, out)), input
    else:
        raise FileNotFoundError(f"no such file or folder: {input}")
    paths = [p for p in paths if not is_own_output(p) and not (p.name in _OWN_NAMES and p.parent.resolve() == out)]
    notices = [p for p in paths if p.suffix.lower() in SUPPORTED and is_regular(p)]
    records = {(p.parent, p.stem) for p in notices}
    paths = [p for p in paths if not (p.suffix.lower() in (".json", ".xlsx") and _record_of(p, records))]
    names = _output_names(notices, base)
    found = [_found(p, out_dir / names[p]) for p in notices]
    skipped = [(p, why_skipped(p)) for p in paths if p not in names]
    return found, skipped


def _walk(folder: Path, out_dir: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (Path(root) / d).resolve() != out_dir)
        for name in files:
            if not name.startswith((".", "~$")):
                yield Path(root) / name


_OWN_NAMES = {STORE_NAME, f"{STORE_NAME}.wal", SUMMARY_NAME, PARQUET_NAME, LOG_NAME, TRACKER_NAME, CALENDAR_NAME}


def _record_of(path: Path, notices: set[tuple[Path, str]]) -> bool:
    """Whether a .json or .xlsx is the record or workbook gongwen wrote for a notice beside it
    (通知.json for 通知.pdf; 通知-03.xlsx for a bundle's third plan)."""
    stem = path.stem
    return (path.parent, stem) in notices or (path.parent, re.sub(r"-\d{2,}$", "", stem)) in notices


def _output_names(paths: list[Path], base: Path) -> dict[Path, Path]:
    """Each notice's output path without suffix, mirroring the input's folders: `<stem>`, or
    `<name>` where two notices in one folder share a stem (通知.pdf and 通知.docx)."""
    stems: dict[Path, int] = {}
    for path in paths:
        stems[path.with_suffix("")] = stems.get(path.with_suffix(""), 0) + 1
    return {
        p: p.relative_to(base).with_suffix("") if stems[p.with_suffix("")] == 1 else p.relative_to(base) for p in paths
    }


def _found(path: Path, output: Path) -> Found:
    key, size, mtime_ns = _identity(path)
    return Found(path=path, key=key, size=size, mtime_ns=mtime_ns, output=output)


def _identity(path: Path) -> tuple[str, int, int]:
    """A file's key in the store (its absolute path, readable: a GBK name decoded), size and
    modification time."""
    try:
        stat = path.stat()
    except OSError:  # a broken link: reading it will fail, and say why
        return readable(path.absolute()), 0, 0
    return readable(path.resolve()), stat.st_size, stat.st_mtime_ns


# ---------------------------------------------------------------- the log


def _file_log(path: Path) -> logging.Logger:
    """`gongwen.log` in the output folder: one line per file and outcome, appended run after run."""
    log = logging.getLogger(f"gongwen.batch.{path}")
    log.setLevel(logging.INFO)
    log.propagate = False
    handler = _QuietFileHandler(path, encoding="utf-8")
    handler.setFormatter(_OneLine("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    return log


class _QuietFileHandler(logging.FileHandler):
    """A log line that cannot be written (a full disk) is lost without logging's traceback on
    the terminal: the batch's own next write fails and says why in one line."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


class _OneLine(logging.Formatter):
    """A log record on one line, whatever its arguments hold: a newline in a file name must not
    forge a line of its own."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return one_line(super().formatMessage(record))


def _close_log(log: logging.Logger) -> None:
    for handler in list(log.handlers):
        handler.close()
        log.removeHandler(handler)
