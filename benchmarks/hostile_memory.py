"""Peak memory of a batch over hostile input: every attack of `tests/hostile.py` (two PDFs whose
page inflates to 300 MB of drawing among them, so both workers are at their cap at once) and
the sample notices of data/raw, in one `gongwen run` with its fork server and workers.

    pip install -e ".[dev,bench]"      # psutil reads memory
    python benchmarks/hostile_memory.py [--workers 2] [--max-memory 1024]

Prints the peak, over the run, of the summed PSS (shared pages counted once, in shares) and
RSS of the batch's processes, and what became of each hostile file.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.hostile, the attacks' generators
sys.path.insert(0, str(ROOT / "benchmarks"))

from batch_speed import MemorySampler  # noqa: E402

from pipeline.batch.runner import run_batch  # noqa: E402
from pipeline.batch.settings import Settings  # noqa: E402
from tests import hostile  # noqa: E402

ATTACKS = {
    "paragraphs.docx": hostile.tiny_paragraphs_docx,
    "text-node.docx": hostile.huge_text_node_docx,
    "laughs.docx": hostile.billion_laughs_docx,
    "one-line.txt": hostile.one_line_text,
    "page-tree.pdf": hostile.page_tree_loop_pdf,
    "bomb-1.pdf": hostile.content_bomb_pdf,
    "bomb-2.pdf": hostile.content_bomb_pdf,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (2)")
    parser.add_argument("--max-memory", type=float, default=Settings.memory / 2**20, help="MB a worker may use")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "raw"
        raw.mkdir()
        for name, build in ATTACKS.items():
            (raw / name).write_bytes(build())
        for sample in (ROOT / "data" / "raw").glob("*.*"):
            shutil.copy(sample, raw)
        memory = int(args.max_memory * 2**20)
        sampler = MemorySampler()
        sampler.start()
        report = run_batch(Settings(input=raw, out_dir=Path(scratch) / "out", workers=args.workers, memory=memory))
        sampler.stop()
    print(f"{report.processed} files in {report.seconds:.1f} s; {args.workers} workers of {args.max_memory:.0f} MB")
    print(f"peak memory {sampler.peak_pss / 2**20:.0f} MB PSS ({sampler.peak_rss / 2**20:.0f} MB RSS)")
    for path, kind, error in report.failed:
        print(f"  {Path(path).name}: {kind}: {error}")


if __name__ == "__main__":
    main()
