"""Hostile and broken input (issue 18): each attack is the input's fault and says so in one line,
costs seconds, not minutes, and never takes down a batch. The inputs are built by `tests.hostile`."""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest

from pipeline.batch.jobs import Job, Outcome
from pipeline.batch.pool import run
from pipeline.batch.runner import Settings, run_batch
from pipeline.batch.worker import run_job
from tests import hostile
from tests.corpus import RAW

QINGPU = RAW / "qingpu_2025_safety_plan.txt"


def _outcome_of(name: str, data: bytes, tmp_path: Path) -> tuple[str | None, str, float]:
    started = time.monotonic()
    outcome = run_job(Job(Path(name), data, tmp_path / Path(name).stem, time_limit=60))
    return outcome.error_kind, outcome.error or "", time.monotonic() - started


@pytest.mark.parametrize(
    "name, build, message",
    [
        (
            "paragraphs.docx",
            hostile.tiny_paragraphs_docx,
            "too large: word/document.xml holds 100 MB of markup, over the 8 MB",
        ),
        ("text-node.docx", hostile.huge_text_node_docx, "too large: word/document.xml holds 1,536 MB of markup"),
        ("laughs.docx", hostile.billion_laughs_docx, "corrupt Word file: Maximum entity amplification factor exceeded"),
        ("one-line.txt", hostile.one_line_text, "too long: 30 MB of text, more than the 1,000,000 characters"),
        ("page-tree.pdf", hostile.page_tree_loop_pdf, "corrupt PDF: Failed to load page"),
    ],
)
def test_a_hostile_file_is_the_inputs_fault(
    name: str, build: Callable[[], bytes], message: str, tmp_path: Path
) -> None:
    kind, error, seconds = _outcome_of(name, build(), tmp_path)
    assert (kind, message in error) == ("input", True), error
    assert seconds < 5  # refused before the costly step


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def test_a_word_package_is_judged_before_it_is_inflated(tmp_path: Path) -> None:
    many = _zip({"word/document.xml": b"<w:document/>", **{f"word/media/{i}.png": b"" for i in range(10_001)}})
    assert _outcome_of("many.docx", many, tmp_path)[:2] == (
        "input",
        "too many parts: a Word package of over 10,000 parts",
    )
    pictures = _zip({"word/document.xml": b"<w:document/>", "word/media/photo.bmp": bytes(300 * 2**20)})
    kind, error, _ = _outcome_of("pictures.docx", pictures, tmp_path)
    assert (kind, error) == ("input", "too large: the Word package inflates to 300 MB, over the 256 MB gongwen reads")


def test_a_web_page_past_the_markup_budget_is_refused(tmp_path: Path) -> None:
    page = b"<html><body><p>" + "各单位要加强安全生产工作。".encode() * (9 * 2**20 // 39) + b"</p></body></html>"
    kind, error, _ = _outcome_of("page.html", page, tmp_path)
    assert (kind, error) == ("input", "too large: the web page holds 9 MB of markup, over the 8 MB gongwen parses")


def test_a_text_within_the_byte_bound_is_still_held_to_its_characters(tmp_path: Path) -> None:
    text = "加强安全生产。\n".encode() * 130_000  # 1,040,000 characters in 2.9 MB
    assert _outcome_of("long.txt", text, tmp_path)[:2] == (
        "input",
        "too long: 1,040,000 characters of text, over the 1,000,000 a notice may have",
    )


def hoarding(job: Job) -> Outcome:
    """A worker's `work` in which reading a file named for it asks for memory without end, as a
    parser on a hostile file may (64 GB, never touched: without the cap it costs nothing)."""
    if not job.path.name.startswith("hoard"):
        return run(job)
    with mock.patch("pipeline.batch.worker.process", side_effect=lambda *_: [bytes(2**30) for _ in range(64)]):
        return run_job(job)


def test_a_worker_cannot_take_more_memory_than_its_cap(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("hoard.txt", "fine.txt"):
        shutil.copy(QINGPU, raw / name)
    report = run_batch(Settings(input=raw, out_dir=tmp_path / "out", workers=1), work=hoarding)
    assert [(Path(path).name, kind, error) for path, kind, error in report.failed] == [
        ("hoard.txt", "input", "needs more memory than a worker may use (1024 MB, --max-memory)")
    ]
    assert report.processed == 2 and report.tasks > 0  # the same worker goes on to the next file
