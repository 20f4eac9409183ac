"""Hostile and broken input (issue 18): each attack is the input's fault and says so in one line,
costs seconds, not minutes, and never takes down a batch. The inputs are built by `tests.hostile`."""

from __future__ import annotations

import dataclasses
import errno
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import duckdb
import pytest
from openpyxl import load_workbook

from pipeline.batch import runner
from pipeline.batch.jobs import Job, Outcome
from pipeline.batch.pool import run
from pipeline.batch.rows import notice_rows
from pipeline.batch.runner import BatchStopped, run_batch
from pipeline.batch.settings import LOG_NAME, PARQUET_NAME, STORE_NAME, SUMMARY_NAME, Settings
from pipeline.batch.store import FileRecord, Store
from pipeline.batch.worker import run_job
from pipeline.cli import main
from pipeline.outputs.record import json_bytes
from tests import hostile
from tests.corpus import RAW, notice_of

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


def test_a_record_over_the_json_readers_16_mb_is_stored_whole(tmp_path: Path) -> None:
    notice = notice_of(QINGPU)
    big = notice.model_copy(update={"text": notice.text * (40 * 2**20 // len(notice.text.encode()) + 1)})
    record = json_bytes(big).decode("utf-8")
    assert len(record.encode()) > 40 * 2**20  # read_json refuses an object over 16 MB (32 MB as it reads)
    rows = notice_rows(big, record, tmp_path / "big.json", tmp_path / "big.xlsx")
    store = Store(tmp_path / STORE_NAME)
    try:
        store.save([FileRecord(big.source.path, 1, 0, None, "test", "ok", tasks=len(big.tasks))], [rows])
        [(_, _, stored)] = store.plans(str(notice.meta.issuer))
        tasks = store.con.execute("SELECT count(*) FROM tasks").fetchall()
    finally:
        store.close()
    assert stored == record and tasks == [(len(notice.tasks),)]


def unstorable(job: Job) -> Outcome:
    """A worker's `work` that spoils the rows of a file named for it, as a bug might: a date the
    store cannot read."""
    outcome = run(job)
    if not job.path.name.startswith("unstorable"):
        return outcome
    spoilt = b'"end_date":"not a date '
    rows = tuple({**r, "deadlines": r["deadlines"].replace(b'"end_date":"', spoilt)} for r in outcome.rows)
    return dataclasses.replace(outcome, rows=rows)


def test_rows_the_store_refuses_fail_their_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "FLUSH_SECONDS", 3600.0)  # every file in one flush, at the end
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for name in ("a.txt", "unstorable.txt", "z.txt"):
        shutil.copy(QINGPU, raw / name)
    settings = Settings(input=raw, out_dir=out, workers=1)

    report = run_batch(settings, work=unstorable)

    [(path, kind, error)] = report.failed
    assert (Path(path).name, kind) == ("unstorable.txt", "internal")
    assert error.startswith("cannot be stored: Invalid Input Error: JSON transform error") and "not a date" in error
    with duckdb.connect(str(out / STORE_NAME), read_only=True) as con:
        files = dict(con.execute("SELECT regexp_extract(path, '[^/]*$'), status FROM files").fetchall())
        tasks = con.execute("SELECT count(DISTINCT path), count(*) FROM tasks").fetchall()
    assert files == {"a.txt": "ok", "unstorable.txt": "error", "z.txt": "ok"}
    assert tasks == [(2, 2 * len(notice_of(QINGPU).tasks))] and report.tasks == tasks[0][1]
    errors = list(load_workbook(out / SUMMARY_NAME, read_only=True)["错误"].iter_rows(min_row=2, values_only=True))
    assert [(Path(str(row[0])).name, row[2]) for row in errors] == [("unstorable.txt", "内部错误")]
    again = run_batch(settings, work=unstorable)  # the failure is remembered, not redone
    assert (again.processed, again.unchanged, again.failing) == (0, 3, 1)


GBK_NAME = "关于印发工作要点的通知"


def test_names_that_are_not_utf8_are_carried_as_bytes_and_shown_readable(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    gbk, neither = (
        GBK_NAME.encode("gbk") + b".txt",
        b"\xff\xfe.txt",
    )  # as unzipped from Chinese Windows; not even GB18030
    for name in (gbk, neither, b"plain.txt"):
        shutil.copy(QINGPU, os.fsdecode(os.fsencode(raw) + b"/" + name))
    settings = Settings(input=raw, out_dir=out, workers=2)

    report = run_batch(settings)

    assert (report.processed, report.failed) == (3, [])
    assert {gbk[:-4] + b".json", neither[:-4] + b".xlsx"} <= set(os.listdir(os.fsencode(out)))  # the input's bytes
    with duckdb.connect(str(out / STORE_NAME), read_only=True) as con:
        names = {row[0] for row in con.execute("SELECT name FROM notices").fetchall()}
        paths = {row[0] for row in con.execute("SELECT json_path FROM notices").fetchall()}
    names_gbk = f"{GBK_NAME}.txt"
    assert names == {names_gbk, "\\xff\\xfe.txt", "plain.txt"}
    assert f"{out}/{GBK_NAME}.json" in paths
    tasks = load_workbook(out / SUMMARY_NAME, read_only=True)["任务"].iter_rows(min_row=2, values_only=True)
    assert {row[0] for row in tasks} == names
    record = json.loads((out / os.fsdecode(gbk[:-4] + b".json")).read_bytes())
    assert record["source"]["name"] == f"{GBK_NAME}.txt"
    assert f"{GBK_NAME}.txt: " in (out / LOG_NAME).read_text("utf-8")
    again = run_batch(settings)  # the same bytes, the same key: nothing to redo
    assert (again.processed, again.unchanged) == (0, 3)
    workbook = out / os.fsdecode(gbk[:-4] + b".xlsx")  # the store keeps its readable name
    book = load_workbook(workbook)
    book["任务分解表"]["I2"], book["任务分解表"]["J2"] = "需修改", "牵头单位有误"
    book.save(workbook)
    run_batch(settings)  # the review alone: 汇总.xlsx is written again, with it
    rows = load_workbook(out / SUMMARY_NAME, read_only=True)["任务"].iter_rows(values_only=True)
    header = next(rows)
    review = [(row[header.index("审核状态")], row[header.index("审核意见")]) for row in rows if row[0] == names_gbk]
    assert ("需修改", "牵头单位有误") in review


def test_a_name_cannot_forge_a_line_of_the_log(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    forged = "a.txt: 90 tasks, 1 pages, 0.10 s\n2026-01-01 00:00:00,000 INFO forged"
    shutil.copy(QINGPU, raw / f"{forged}.txt")
    (raw / "empty\n.txt").write_bytes(b"")

    report = run_batch(Settings(input=raw, out_dir=out, workers=1))

    lines = (out / LOG_NAME).read_text("utf-8").splitlines()
    escaped = forged.replace("\n", "\\n")
    assert len(lines) == 2 and report.processed == 2
    assert sum(f"raw/{escaped}.txt: {len(notice_of(QINGPU).tasks)} tasks, 1 pages, " in line for line in lines) == 1
    assert sum("raw/empty\\n.txt: failed (input): empty file" in line for line in lines) == 1


def test_extract_reads_a_gbk_name_and_names_its_outputs_readably(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = os.fsdecode(os.fsencode(tmp_path) + b"/" + GBK_NAME.encode("gbk") + b".txt")
    shutil.copy(QINGPU, source)
    assert main(["extract", source, "-o", str(tmp_path / "out")]) == 0
    record = json.loads((tmp_path / "out" / f"{GBK_NAME}.json").read_text("utf-8"))
    assert record["source"]["path"] == f"{tmp_path}/{GBK_NAME}.txt"
    assert capsys.readouterr().out.startswith(f"{tmp_path}/{GBK_NAME}.txt → ")


def _in_a_mount_namespace(script: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """Run a shell script as root of its own user and mount namespaces (`unshare -Urm`), where
    it may mount a small tmpfs: a disk that fills, without root or touching the machine's."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-Urm", "true"], check=False).returncode:
        pytest.skip("needs user and mount namespaces (unshare -Urm) to mount a small disk")
    return subprocess.run(["unshare", "-Urm", "sh", "-ec", script], capture_output=True, text=True, timeout=timeout)


def test_a_full_output_disk_stops_the_batch_in_one_line_and_the_next_run_completes(tmp_path: Path) -> None:
    raw, out, kept = tmp_path / "raw", tmp_path / "out", tmp_path / "kept"
    raw.mkdir()
    out.mkdir()
    names = sorted(p.name for p in RAW.glob("*.txt"))
    for name in names:
        shutil.copy(RAW / name, raw)
    run = f"{sys.executable} -m pipeline.cli run {raw} -o {out} --workers 2"
    script = f"""
        mount -t tmpfs -o size=1500k tmpfs {out}
        {run} >/dev/null 2>{tmp_path}/first.err || echo $? >{tmp_path}/first.code
        ls -A {out} >{tmp_path}/first.files
        mount -o remount,size=64m {out}
        {run} >/dev/null 2>{tmp_path}/second.err || echo $? >{tmp_path}/second.code
        cp -a {out} {kept}
    """
    done = _in_a_mount_namespace(script)
    assert done.returncode == 0, done.stderr

    first = (tmp_path / "first.err").read_text("utf-8").splitlines()
    assert (tmp_path / "first.code").read_text().strip() == "2"
    assert first[-1] == (
        f"gongwen run: stopped, cannot write to {out}: No space left on device; every file done before is saved: "
        "make room and run the same command again"
    )
    assert not any("Traceback" in line for line in first)
    left = (tmp_path / "first.files").read_text("utf-8").split()
    assert [name for name in left if name.startswith(".")] == []  # no temporary or staging file
    assert not (tmp_path / "second.code").exists(), (tmp_path / "second.err").read_text("utf-8")
    with duckdb.connect(str(kept / STORE_NAME), read_only=True) as con:
        assert con.execute("SELECT status, count(*) FROM files GROUP BY status").fetchall() == [("ok", len(names))]
    assert (kept / SUMMARY_NAME).exists() and len(list(kept.glob("*.json"))) == len(names)


def test_a_disk_that_fills_at_the_store_s_commit_stops_the_batch_not_the_file(tmp_path: Path) -> None:
    """DuckDB says a full disk at COMMIT as a TransactionException ("Failed to commit: Could not
    write file …wal: No space left on device"), not its IOException: the disk's fault all the same,
    raised as the OSError any other output meets on a full disk, so the batch stops (and the next
    run redoes the file) rather than failing the file for good as unstorable."""
    disk = tmp_path / "disk"
    disk.mkdir()
    script = f"""
import sys
from pathlib import Path
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
from pipeline.batch.rows import TABLES, json_lines
from pipeline.batch.store import Store
store = Store(Path({str(disk)!r}) / "gongwen.duckdb")
row = tuple("x" * 200_000 if column == "record" else None for column in TABLES["notices"])
try:
    with open({str(disk / "fill")!r}, "wb") as fill:
        while True:
            fill.write(b"x" * 65536)
except OSError:
    pass
try:
    store.save([], [{{"notices": json_lines("notices", [row])}}])
except OSError as error:
    print(f"OSError {{error.errno}}: {{error.strerror}}: {{error.filename}}")
"""
    (tmp_path / "fill.py").write_text(script, encoding="utf-8")
    done = _in_a_mount_namespace(f"mount -t tmpfs -o size=1500k tmpfs {disk}\n{sys.executable} {tmp_path}/fill.py")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"OSError {errno.ENOSPC}: No space left on device: {disk}/gongwen.duckdb\n"


def test_a_full_disk_where_no_small_one_can_be_mounted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as the test above, the disk filling at the second file's first output."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(QINGPU, raw / name)
    settings = Settings(input=raw, out_dir=out, workers=1)
    written: list[Path] = []

    def filling(target: Path, data: bytes) -> None:
        if len(written) == 2:  # the first file's record and review page
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        written.append(target)
        (target.parent / f".{target.name}.tmp").write_bytes(data)  # as write_atomically does
        (target.parent / f".{target.name}.tmp").replace(target)

    monkeypatch.setattr(runner, "write_atomically", filling)
    with pytest.raises(BatchStopped, match=f"^stopped, cannot write to {out}: No space left on device; every file"):
        run_batch(settings)
    monkeypatch.undo()

    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    report = run_batch(settings)
    assert (report.processed, report.unchanged, report.failing) == (2, 1, 0)
    assert {p.name for p in out.glob("*.json")} == {"a.json", "b.json", "c.json"} and (out / SUMMARY_NAME).exists()


def test_a_deleted_input_leaves_the_store_and_summary_but_keeps_its_outputs(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "other").mkdir(parents=True)
    for name in ("kept.txt", "deleted.txt", "other/elsewhere.txt"):
        shutil.copy(QINGPU, raw / name)
    assert run_batch(Settings(input=raw, out_dir=out, workers=2)).processed == 3
    (raw / "deleted.txt").unlink()
    other = run_batch(Settings(input=raw / "other", out_dir=out, workers=1))  # another folder into the same store
    assert (other.unchanged, other.removed) == (1, 0)  # the files outside it are not its business

    report = run_batch(Settings(input=raw, out_dir=out, workers=2))

    assert (report.processed, report.unchanged, report.removed) == (0, 2, 1)
    with duckdb.connect(str(out / STORE_NAME), read_only=True) as con:
        for table in ("files", "notices", "tasks", "deadlines", "parties"):
            paths = {Path(row[0]).name for row in con.execute(f"SELECT DISTINCT path FROM {table}").fetchall()}
            assert paths == {"kept.txt", "elsewhere.txt"}, table
        parquet = {
            Path(row[0]).name for row in con.execute(f"SELECT DISTINCT path FROM '{out / PARQUET_NAME}'").fetchall()
        }
    assert parquet == {"kept.txt", "elsewhere.txt"}
    tasks = load_workbook(out / SUMMARY_NAME, read_only=True)["任务"].iter_rows(min_row=2, values_only=True)
    assert {row[0] for row in tasks} == {"kept.txt", "elsewhere.txt"}
    assert (out / "deleted.json").exists() and (out / "deleted.xlsx").exists()  # the analyst's work stays
    assert "deleted.txt: removed: no longer below the input" in (out / LOG_NAME).read_text("utf-8")
