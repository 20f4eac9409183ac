"""End-to-end batch speed: pages per second and peak memory of a `gongwen run`, beside the bare
text extraction of pypdfium2 on the same PDFs, measured in the same run.

    pip install -e ".[dev,bench]"      # reportlab typesets the corpus, psutil reads memory
    python benchmarks/batch_speed.py [--pages 600] [--workers 2] [--corpus DIR] [--profile]

The corpus: the sample notices of data/raw typeset as official PDFs (A4, an embedded CJK
font, 22 lines to the page, "— N —" page numbers; see tests/typeset.py), cycled until it
holds --pages pages.  Three runs of the batch over it, each PDF → JSON + xlsx + store +
汇总.xlsx + tasks.parquet:

  cold       a batch into an empty folder: the fork server starts and loads the pipeline
  warm       the same into another empty folder, the fork server already up: the steady rate
  unchanged  a rerun over the unchanged folder
  one added  a rerun after one notice (the small one below, as text) joined the folder, the
             fork server still up: the user's common case, whose end rewrites 汇总.xlsx and
             the 督办台账 of every notice in the store

Each run also says where the parent's time went: starting the workers (the fork server's
start and preload, on a first batch), writing each file's outputs, saving rows to the store,
汇总.xlsx, tasks.parquet and the 督办台账.  `--profile` adds the CPU time per page of each stage
a worker runs (load … store rows), measured one file after another in one process, twice: as
the corpus comes (the 15 sample notices cycled, so the caches of sentences and lines a stage
keeps find most of each copy done) and with those caches emptied before each file, as a folder of
different notices would meet them; then, for each workbook a batch writes (the notice workbooks,
汇总.xlsx, the 督办台账), its CPU time per page and how much of it is xlsxwriter's own
(`xlsxwriter_share`): with pypdfium2's bare rate, the part of a page's cost no change to
gongwen's code can remove while it writes the same files with the same libraries.

One small notice: `gongwen extract` of a text notice of a page (--small, hd05 by default) in
a process of its own, beside `import spacy, jieba, pydantic, pypdfium2`, taken in turn five times
each (the least CPU seconds of each: a shared machine only ever adds).  The children are run
with Python's bytecode cache allowed, as a user's machine has it (an environment with
PYTHONDONTWRITEBYTECODE would compile gongwen's modules at each run), after one run of each
that fills it and jieba's cache.

Memory is sampled every 100 ms over this process and all its children: the sum of their
proportional set sizes (PSS: shared pages counted once, in shares) and, for comparison,
of their resident sizes (RSS, which counts the pages the workers share with the fork
server once per process).  Reading a process's PSS takes the kernel 1.6 ms (it walks the
process's page tables): sampled every 20 ms, five processes took 40 % of one of the two
cores the batch is measured on.  The same samples give the CPU seconds the process tree spent,
which other work on a shared machine inflates far less than the wall time: twice the pages over
them is the rate two otherwise idle cores would give the batch if it kept both busy.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import inspect
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.typeset, the PDF typesetter the tests use

from pipeline.batch import pool, runner, store  # noqa: E402
from pipeline.batch.runner import run_batch  # noqa: E402
from pipeline.batch.settings import STORE_NAME, Settings  # noqa: E402
from pipeline.textwidth import excel_width  # noqa: E402

# The parent's phases: where each is done (module or class, and the name of its function); the
# 督办台账 is written in a process of its own while the parent writes 汇总.xlsx: its phase is the
# parent's wait for that process
PARENT_PHASES: dict[str, list[tuple[Any, str]]] = {
    "start workers": [(pool.LocalPool, "_start")],
    "write outputs": [(runner.Batch, "_write_outputs")],
    "store": [(store.Store, "save")],
    "汇总.xlsx": [(runner, "write_summary")],
    "tasks.parquet": [(runner, "write_tasks_parquet")],
    "督办台账": [(runner, "_done_beside")],
}
LIBRARIES = "import spacy, jieba, pydantic, pypdfium2"  # what a small notice's run cannot do without
SMALL_NOTICE = ROOT / "data" / "raw" / "hd05_shandong_2024_luanfa1_xiaofang.txt"
SMALL_RUNS = 5
SAMPLE_SECONDS = 0.1  # between two samples of the memory of the process tree
SHARE_RUNS = 5  # of each workbook, as it is and without xlsxwriter's work: the least of each
WORKER_STAGES = ("load", "normalise", "structure", "extract", "JSON", "workbook", "review page", "store rows")


def make_corpus(folder: Path, pages: int) -> None:
    """Typeset the sample notices, in turn, until the folder holds `pages` pages.  Run in a
    process of its own (`--make-corpus`): this one, whose memory is measured, never loads
    the pipeline."""
    from extractors.structure import parse_structure
    from pipeline.inputs.load import load
    from pipeline.normalise import normalise
    from tests.typeset import typeset

    sources = sorted((ROOT / "data" / "raw").glob("*.txt"))
    documents = [parse_structure(normalise(load(path))) for path in sources]
    folder.mkdir(parents=True, exist_ok=True)
    total = sum(page_count(p) for p in folder.glob("*.pdf"))
    index = len(list(folder.glob("*.pdf")))
    while total < pages:
        source, document = sources[index % len(sources)], documents[index % len(sources)]
        path = typeset(document, folder / f"{index:04d}_{source.stem}.pdf")
        total += page_count(path)
        index += 1


def profile_worker(folder: Path) -> None:
    """Print the CPU milliseconds per page of each stage a worker runs, over every PDF of the corpus,
    one after another in this process, the pipeline loaded, warmed up and frozen first, as the
    fork server leaves a worker (`pipeline.batch.preload`).

    Twice: as a batch meets the corpus, and as if each file's text were new.  The corpus cycles
    the 15 sample notices, so the caches the stages keep of what they read (a sentence's words, a
    line's heading style; `text_caches`) find most of a copy's text already done, which a folder
    of different notices would not; the second pass empties them before each file, words' tags
    too, which notices of one genre share: a bound from below of the rate on unseen text."""
    import gc

    from pipeline.batch.worker import warm_up

    warm_up()
    gc.freeze()
    files = sorted(folder.glob("*.pdf"))
    _stage_seconds(files[:1], fresh=True)  # what only a process's first PDF costs, in neither pass
    for title, fresh in (("as the corpus repeats its notices", False), ("each file as unseen text", True)):
        for cache in text_caches():
            cache.cache_clear()
        seconds, pages = _stage_seconds(files, fresh)
        total = sum(seconds.values())
        print(f"one worker, {pages} pages, {title}: {1000 * total / pages:.1f} ms a page ({pages / total:.0f} pages/s)")
        for name, spent in seconds.items():
            print(f"  {name:<12} {1000 * spent / pages:5.2f} ms a page  {100 * spent / total:3.0f} %")


def xlsxwriter_share(folder: Path, batch_out: Path) -> None:
    """Print the CPU milliseconds a page that each workbook a batch writes costs, and how much of
    it is xlsxwriter's own: each writer timed as it is and with xlsxwriter's cell writes, sheet
    settings and workbook close made no-ops (gongwen's code, which chooses the cells, still runs),
    the least of `SHARE_RUNS` runs of each.  The notices are the corpus's; 汇总.xlsx and the 督办台账 are
    written from a copy of the store a batch of it left in `batch_out`.  The 督办台账's figure
    includes its calendar (.ics), which xlsxwriter has no part in."""
    import datetime as dt
    import gc

    from extractors.notice import extract
    from extractors.plans import split_plans
    from extractors.structure import parse_structure
    from pipeline.batch.summary import write_summary
    from pipeline.inputs.load import load_bytes
    from pipeline.normalise import normalise
    from pipeline.outputs.task_workbook import WorkbookReviews, build_xlsx
    from pipeline.outputs.tracker import write_exported

    notices, pages = [], 0
    for path in sorted(folder.glob("*.pdf")):
        source = load_bytes(path, path.read_bytes())
        notices += [extract(plan) for plan in split_plans(parse_structure(normalise(source)))]
        pages += source.page_count
    gc.freeze()  # the notices live throughout: the collections timed below need not walk them
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        shutil.copy(batch_out / STORE_NAME, scratch / STORE_NAME)
        batch_store = store.Store(scratch / STORE_NAME)
        batch_store.export_tracked(scratch / "tasks.jsonl")
        reviews = WorkbookReviews()
        for workbook in batch_out.glob("*.xlsx"):  # as the batch knows them: just written, no review
            reviews.unreviewed(workbook)

        def tracker() -> None:
            (scratch / "督办台账.xlsx").unlink(missing_ok=True)  # an earlier one would be read back
            write_exported(scratch / "tasks.jsonl", scratch / "督办台账.xlsx", scratch / "督办台账.ics",
                           dt.date.today(), reviews)  # fmt: skip

        writers: dict[str, Callable[[], Any]] = {
            "notice workbooks": lambda: [build_xlsx(notice, {}) for notice in notices],
            "汇总.xlsx": lambda: write_summary(batch_store, scratch / "汇总.xlsx", folder, reviews),
            "督办台账": tracker,
        }
        least: dict[tuple[str, bool], float] = {}
        for _ in range(SHARE_RUNS):
            for name, write in writers.items():
                for idle in (False, True):
                    with _xlsxwriter_idle() if idle else contextlib.nullcontext():
                        gc.collect()  # the last run's workbook, in reference cycles, is not freed in this one
                        started = time.process_time()
                        write()
                        gc.collect()
                        spent = time.process_time() - started
                    least[name, idle] = min(least.get((name, idle), spent), spent)
        batch_store.close()
    print(f"the workbooks, {pages} pages: CPU ms a page, all / xlsxwriter's own")
    for name in writers:
        whole, own = least[name, False], least[name, False] - least[name, True]
        label = name + " " * (16 - excel_width(name))  # CJK characters take two columns
        print(f"  {label} {1000 * whole / pages:5.2f} / {1000 * own / pages:5.2f}  ({100 * own / whole:3.0f} %)")


@contextmanager
def _xlsxwriter_idle() -> Iterator[None]:
    """Every public method of xlsxwriter's worksheets, and its workbook's close, doing nothing
    while the block runs (making a workbook, its formats, sheets and charts still runs)."""
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    originals = {name: method for name, method in vars(Worksheet).items() if not name.startswith("_")}
    close = Workbook.close
    try:
        for name in originals:
            setattr(Worksheet, name, lambda *args, **kwargs: 0)
        Workbook.close = lambda self: None
        yield
    finally:
        for name, method in originals.items():
            setattr(Worksheet, name, method)
        Workbook.close = close


def text_caches() -> list[Any]:
    """The bounded caches (`functools.lru_cache` with a size) of gongwen's stages: each keeps
    results by the text asked about (a sentence, a line, a word); the unbounded ones hold the
    vocabularies and rules, loaded once (and the few recurrence rules a text can state)."""
    modules = [m for name, m in sys.modules.items() if name.split(".")[0] in ("extractors", "pipeline", "schemas")]
    functions = {id(f): f for m in modules for f in vars(m).values() if hasattr(f, "cache_parameters")}
    return [f for f in functions.values() if f.cache_parameters()["maxsize"] is not None]


def _stage_seconds(files: list[Path], fresh: bool) -> tuple[dict[str, float], int]:
    """The seconds each stage spent on `files`, and their pages; `fresh` empties `text_caches`
    before each file."""
    from extractors.notice import extract
    from extractors.plans import split_plans
    from extractors.structure import parse_structure
    from pipeline.batch.rows import notice_rows
    from pipeline.inputs.load import load_bytes
    from pipeline.normalise import normalise
    from pipeline.outputs.record import json_bytes
    from pipeline.outputs.review import review_html
    from pipeline.outputs.task_workbook import build_xlsx

    seconds = dict.fromkeys(WORKER_STAGES, 0.0)
    caches = text_caches()

    @contextmanager
    def stage(name: str) -> Iterator[None]:  # CPU time: what other work on the machine inflates least
        started = time.process_time()
        yield
        seconds[name] += time.process_time() - started

    pages = 0
    for path in files:
        if fresh:
            for cache in caches:
                cache.cache_clear()
        data = path.read_bytes()
        with stage("load"):
            source = load_bytes(path, data)
        with stage("normalise"):
            text = normalise(source)
        with stage("structure"):
            plans = split_plans(parse_structure(text))
        with stage("extract"):
            notices = [extract(plan) for plan in plans]
        for notice in notices:
            with stage("JSON"):
                record = json_bytes(notice)
            with stage("workbook"):
                build_xlsx(notice, {})
            with stage("review page"):
                review_html(notice)
            with stage("store rows"):
                notice_rows(notice, record.decode("utf-8"), path.with_suffix(".json"), path.with_suffix(".xlsx"))
        pages += source.page_count
    return seconds, pages


@contextmanager
def parent_phases() -> Iterator[dict[str, float]]:
    """The seconds the parent spends in each of `PARENT_PHASES` while the block runs."""
    seconds = dict.fromkeys(PARENT_PHASES, 0.0)
    places = [(name, owner, attribute) for name, found in PARENT_PHASES.items() for owner, attribute in found]
    originals = [inspect.getattr_static(owner, attribute) for _, owner, attribute in places]

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - started

        return wrapper

    for (name, owner, attribute), original in zip(places, originals, strict=True):
        static = isinstance(original, staticmethod)
        wrapped = timed(name, original.__func__ if static else original)
        setattr(owner, attribute, staticmethod(wrapped) if static else wrapped)
    try:
        yield seconds
    finally:
        for (_, owner, attribute), original in zip(places, originals, strict=True):
            setattr(owner, attribute, original)


def page_count(path: Path) -> int:
    with pdfium.PdfDocument(path) as pdf:
        return len(pdf)


def bare_pypdfium2(folder: Path) -> tuple[int, float]:
    """Pages, and seconds to open every PDF and take every page's text, as fast as pypdfium2 goes."""
    started, pages = time.perf_counter(), 0
    for path in sorted(folder.glob("*.pdf")):
        pdf = pdfium.PdfDocument(path)
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    return pages, time.perf_counter() - started


class MemorySampler(threading.Thread):
    """The peak, over the run, of the summed PSS and RSS of this process and its descendants,
    and the CPU seconds (user and system) they spent in it, this thread's own excepted: unlike
    the wall time, a figure other work on the machine hardly changes.  A process's CPU is read
    at each sample, so a worker's last tenth of a second before it exits goes uncounted."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_pss = self.peak_rss = 0
        self.peak_processes = 0
        self.running = True
        self.cpu_before: dict[int, float] = {}  # by pid: at the first sample, for the processes already there
        self.cpu_last: dict[int, float] = {}  # by pid: at the last sample that saw the process
        self.own_cpu = 0.0  # this thread's, spent sampling

    @property
    def cpu_seconds(self) -> float:
        spent = sum(last - self.cpu_before.get(pid, 0.0) for pid, last in self.cpu_last.items())
        return spent - self.own_cpu

    def run(self) -> None:
        me = psutil.Process()
        first = True
        while self.running:
            pss = rss = 0
            processes = [me, *me.children(recursive=True)]
            for process in processes:
                try:
                    info, cpu = process.memory_full_info(), process.cpu_times()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                pss, rss = pss + info.pss, rss + info.rss
                self.cpu_last[process.pid] = cpu.user + cpu.system
                if first:
                    self.cpu_before[process.pid] = cpu.user + cpu.system
            first = False
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)
            self.peak_processes = max(self.peak_processes, len(processes))
            self.own_cpu = time.thread_time()
            time.sleep(SAMPLE_SECONDS)

    def stop(self) -> None:
        self.running = False
        self.join()


def small_notice(path: Path, out_dir: Path) -> tuple[float, float]:
    """The least CPU seconds of `gongwen extract` of one notice, and of importing its libraries,
    over SMALL_RUNS runs of each in turn (after one untimed run of each)."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    commands = [
        [sys.executable, "-m", "pipeline.cli", "extract", str(path), "-o", str(out_dir)],
        [sys.executable, "-c", LIBRARIES],
    ]
    least = [float("inf")] * len(commands)
    for run in range(SMALL_RUNS + 1):
        for index, command in enumerate(commands):
            shutil.rmtree(out_dir, ignore_errors=True)  # a first extract: no earlier workbook's review to keep
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            spent = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            if run:  # the first fills the caches
                least[index] = min(least[index], spent)
    return least[0], least[1]


def timed_run(settings: Settings) -> tuple[float, int, int, MemorySampler, dict[str, float]]:
    sampler = MemorySampler()
    sampler.start()
    started = time.perf_counter()
    with parent_phases() as phases:
        report = run_batch(settings)
    seconds = time.perf_counter() - started
    sampler.stop()
    if report.failed:
        raise SystemExit(f"files failed: {report.failed[:3]}")
    return seconds, report.pages, report.processed, sampler, phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=600, help="pages in the corpus (600)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (2)")
    parser.add_argument("--corpus", type=Path, help="keep the typeset corpus here (default: a temporary folder)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="CPU time a page of each stage a worker runs, as the corpus comes and as new text",
    )
    parser.add_argument("--small", type=Path, default=SMALL_NOTICE, help="the small notice (data/raw's hd05)")
    parser.add_argument("--make-corpus", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--batch-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_corpus:
        return make_corpus(args.corpus, args.pages)
    if args.profile_worker:
        profile_worker(args.corpus)
        if args.batch_out:
            xlsxwriter_share(args.corpus, args.batch_out)
        return
    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus or Path(scratch) / "corpus"
        command = [sys.executable, __file__, "--make-corpus", "--corpus", str(corpus), "--pages", str(args.pages)]
        subprocess.run(command, check=True)
        files, pages = len(list(corpus.glob("*.pdf"))), sum(page_count(p) for p in corpus.glob("*.pdf"))
        bare_pages, bare_seconds = bare_pypdfium2(corpus)
        settings = Settings(input=corpus, out_dir=Path(scratch) / "out", workers=args.workers)
        runs = {
            "cold": timed_run(settings),
            "warm": timed_run(dataclasses.replace(settings, out_dir=Path(scratch) / "out-warm")),
            "unchanged": timed_run(settings),
        }
        added = corpus / "one-added.txt"  # taken out again: the corpus stays as made
        added.write_bytes(args.small.read_bytes())
        try:
            runs["one added"] = timed_run(settings)
        finally:
            added.unlink()
        extract_cpu, import_cpu = small_notice(args.small.resolve(), Path(scratch) / "small")
        profile = ""
        if args.profile:  # in a process of its own, like the corpus: this one never loads the pipeline
            command = [sys.executable, __file__, "--profile-worker", "--corpus", str(corpus), "--batch-out",
                       str(settings.out_dir)]  # fmt: skip
            profile = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    print(f"corpus: {files} PDFs, {pages} pages; {args.workers} workers; {psutil.cpu_count()} CPUs")
    print(f"pypdfium2 text alone      {bare_pages / bare_seconds:8.0f} pages/s")
    for name, (seconds, done_pages, processed, memory, _) in runs.items():
        batch = name not in ("unchanged", "one added")  # the corpus, not the one file or none of a rerun
        rate = f"{done_pages / seconds:8.0f} pages/s" if batch else f"{processed:8} files done"
        print(
            f"gongwen run, {name:<10}  {rate}  {seconds:6.2f} s   peak memory {memory.peak_pss / 2**20:4.0f} MB PSS"
            f" ({memory.peak_rss / 2**20:4.0f} MB RSS, {memory.peak_processes} processes)"
            f"   CPU {memory.cpu_seconds:5.1f} s"
            + (
                f" ({args.workers * done_pages / memory.cpu_seconds:.0f} pages per {args.workers} CPU-s)"
                if batch
                else ""
            )
        )
    print("the parent's time (s):  " + "  ".join(f"{name:>13}" for name in PARENT_PHASES))
    for name, (*_, phases) in runs.items():
        print(f"  {name:<20}  " + "  ".join(f"{phases[phase]:13.2f}" for phase in PARENT_PHASES))
    print(
        f"one small notice ({args.small.name}): gongwen extract {extract_cpu:.2f} s CPU, {LIBRARIES} "
        f"{import_cpu:.2f} s: {extract_cpu / import_cpu:.2f} times"
    )
    print(profile, end="")


if __name__ == "__main__":
    main()
