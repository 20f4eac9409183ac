"""End-to-end batch speed: pages per second and peak memory of a `gongwen run`, beside the bare
text extraction of pypdfium2 on the same PDFs, measured in the same run.

    pip install -e ".[dev,bench]"      # reportlab typesets the corpus, psutil reads memory
    python benchmarks/batch_speed.py [--pages 600] [--workers 2] [--corpus DIR]

The corpus: the sample notices of data/raw typeset as official PDFs (A4, an embedded CJK
font, 22 lines to the page, "— N —" page numbers; see tests/typeset.py), cycled until it
holds --pages pages.  Three runs of the batch over it, each PDF → JSON + xlsx + store +
汇总.xlsx + tasks.parquet:

  cold       a batch into an empty folder: the fork server starts and loads the pipeline
  warm       the same into another empty folder, the fork server already up: the steady rate
  unchanged  a rerun over the unchanged folder

Memory is sampled every 20 ms over this process and all its children: the sum of their
proportional set sizes (PSS: shared pages counted once, in shares) and, for comparison,
of their resident sizes (RSS, which counts the pages the workers share with the fork
server once per process).
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.typeset, the PDF typesetter the tests use

from pipeline.batch.runner import Settings, run_batch  # noqa: E402


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
    """The peak, over the run, of the summed PSS and RSS of this process and its descendants."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_pss = self.peak_rss = 0
        self.peak_processes = 0
        self.running = True

    def run(self) -> None:
        me = psutil.Process()
        while self.running:
            pss = rss = 0
            processes = [me, *me.children(recursive=True)]
            for process in processes:
                try:
                    info = process.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                pss, rss = pss + info.pss, rss + info.rss
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)
            self.peak_processes = max(self.peak_processes, len(processes))
            time.sleep(0.02)

    def stop(self) -> None:
        self.running = False
        self.join()


def timed_run(settings: Settings) -> tuple[float, int, int, MemorySampler]:
    sampler = MemorySampler()
    sampler.start()
    started = time.perf_counter()
    report = run_batch(settings)
    seconds = time.perf_counter() - started
    sampler.stop()
    if report.failed:
        raise SystemExit(f"files failed: {report.failed[:3]}")
    return seconds, report.pages, report.processed, sampler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=600, help="pages in the corpus (600)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (2)")
    parser.add_argument("--corpus", type=Path, help="keep the typeset corpus here (default: a temporary folder)")
    parser.add_argument("--make-corpus", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_corpus:
        return make_corpus(args.corpus, args.pages)
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
    print(f"corpus: {files} PDFs, {pages} pages; {args.workers} workers; {psutil.cpu_count()} CPUs")
    print(f"pypdfium2 text alone      {bare_pages / bare_seconds:8.0f} pages/s")
    for name, (seconds, done_pages, processed, memory) in runs.items():
        rate = f"{done_pages / seconds:8.0f} pages/s" if done_pages else f"{'':>8} {processed} files redone"
        print(
            f"gongwen run, {name:<10}  {rate}  {seconds:6.2f} s   peak memory {memory.peak_pss / 2**20:4.0f} MB PSS"
            f" ({memory.peak_rss / 2**20:4.0f} MB RSS, {memory.peak_processes} processes)"
        )


if __name__ == "__main__":
    main()
