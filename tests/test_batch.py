"""Batch runs: every file below a folder, in parallel; bad files reported, never fatal; reruns
skip what is done; a run stopped half-way loses nothing and the next one finishes the job."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from pipeline.batch.jobs import Job, Outcome
from pipeline.batch.pool import run
from pipeline.batch.runner import _done_beside, discover, run_batch
from pipeline.batch.settings import LOG_NAME, PARQUET_NAME, STORE_NAME, SUMMARY_NAME, Settings
from pipeline.batch.worker import FileTimeout, time_limit
from pipeline.cli import main
from pipeline.outputs import task_workbook
from pipeline.outputs.tracker import TrackerReport
from tests.conftest import Calls
from tests.corpus import RAW, ROOT, bundled_plans
from tests.typeset import encrypted_pdf, scanned_pdf

SMALL = (
    "qingpu_2025_safety_plan.txt",
    "hd12_guobanfa_2019_3_youeryuan_zhili.txt",
    "jinshan_2021_safety_resources_points.txt",
)


def _copy(names: tuple[str, ...], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(RAW / name, folder / name)) for name in names]


def _rows(store: Path, query: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute(query).fetchall()


def _sheet(path: Path, title: str) -> list[dict[str, object]]:
    rows = list(load_workbook(path, read_only=True)[title].iter_rows(values_only=True))
    return [dict(zip([str(h) for h in rows[0]], row, strict=True)) for row in rows[1:]]


def test_mixed_folder_good_files_done_bad_ones_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _copy(SMALL[:1], raw)
    _copy(SMALL[1:2], raw / "2019")
    shutil.copy(RAW / "pdf01_shandong_luanfa_2024_1_xiaofang.pdf", raw / "pdf01.pdf")
    bad = {
        "corrupt.pdf": "corrupt PDF",
        "encrypted.pdf": "encrypted PDF",
        "scanned.pdf": "no text layer",
        "empty.txt": "empty file",
        "binary.txt": "binary file",
        "missing.pdf": "cannot read the file",
        "huge.txt": "too large",
        "notes.doc": "LibreOffice could not read it as a DOC file",
    }
    (raw / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00" * 300)
    encrypted_pdf(raw / "encrypted.pdf")
    scanned_pdf(raw / "scanned.pdf")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (raw / "missing.pdf").symlink_to(raw / "gone.pdf")  # a broken link: a file that cannot be read
    (raw / "huge.txt").write_bytes("各单位：\n".encode() * 200_000)  # 2.2 MB, over --max-size 1
    (raw / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0")  # an old Word file's first bytes, no more
    (raw / "notice.ofd").write_bytes(b"PK\x03\x04")
    (raw / "photo.png").write_bytes(b"\x89PNG")
    (raw / ".hidden.txt").write_text("ignored")

    code = main(["run", str(raw), "-o", str(out), "--workers", "2", "--max-size", "1"])

    assert code == 1  # some file failed
    for stem in ("qingpu_2025_safety_plan", "2019/hd12_guobanfa_2019_3_youeryuan_zhili", "pdf01"):
        assert json.loads((out / f"{stem}.json").read_text("utf-8"))["tasks"]
        assert load_workbook(out / f"{stem}.xlsx", read_only=True)["任务分解表"].max_row > 1
        assert 'class="m task' in (out / f"{stem}.review.html").read_text("utf-8")
    errors = {Path(str(r["文件"])).name: r for r in _sheet(out / SUMMARY_NAME, "错误")}
    for name, reason in bad.items():
        assert errors[name]["状态"] == "失败" and reason in str(errors[name]["原因"]), name
    assert errors["notice.ofd"]["状态"] == errors["photo.png"]["状态"] == "跳过"
    assert ".hidden.txt" not in errors
    tasks = _sheet(out / SUMMARY_NAME, "任务")
    stored = _rows(out / STORE_NAME, "SELECT count(*) FROM tasks")[0][0]
    assert len(tasks) == stored == _rows(out / STORE_NAME, f"SELECT count(*) FROM '{out / PARQUET_NAME}'")[0][0]
    assert {r["文件"] for r in tasks} == {
        "qingpu_2025_safety_plan.txt",
        "hd12_guobanfa_2019_3_youeryuan_zhili.txt",
        "pdf01.pdf",
    }
    assert len(_sheet(out / SUMMARY_NAME, "文件")) == 3
    log = (out / LOG_NAME).read_text("utf-8")
    assert all(f"{name}: failed" in log for name in bad)
    printed = capsys.readouterr().out
    assert "processed       11" in printed and "failed          8 this run" in printed
    assert "notice.ofd: OFD format, not supported: export it as PDF" in printed
    assert not list(out.rglob(".*.tmp"))


def test_force_keeps_a_workbook_only_when_it_holds_review_work(tmp_path: Path) -> None:
    """--force redoes every file; a workbook an analyst reviewed is kept in backups/, the others
    are replaced; a re-run with no new review work adds no copy."""
    from openpyxl import load_workbook

    raw, out = tmp_path / "raw", tmp_path / "out"
    files = _copy(SMALL, raw)
    run_batch(Settings(input=raw, out_dir=out, workers=1))
    reviewed = out / f"{files[0].stem}.xlsx"
    book = load_workbook(reviewed)
    book["任务分解表"]["J2"] = "与科室核对无误"  # 审核意见
    book.save(reviewed)
    assert run_batch(Settings(input=raw, out_dir=out, workers=1, force=True)).processed == 3
    backups = list((out / "backups").glob("*.bak.xlsx"))
    assert [p.name.split(".")[0] for p in backups] == [files[0].stem]
    assert load_workbook(reviewed)["任务分解表"]["J2"].value == "与科室核对无误"  # carried over
    assert not list(out.glob("*.bak.xlsx"))  # none beside the workbooks

    run_batch(Settings(input=raw, out_dir=out, workers=1, force=True))  # nothing new since the backup
    assert list((out / "backups").glob("*.bak.xlsx")) == backups
    mended = out / f"{files[1].stem}.xlsx"
    book = load_workbook(mended)
    book["任务分解表"]["E2"] = "应急管理部"  # 牵头单位 corrected, no 审核状态 set: work all the same
    book.save(mended)
    run_batch(Settings(input=raw, out_dir=out, workers=1, force=True))
    [kept] = (out / "backups").glob(f"{files[1].stem}.*.bak.xlsx")
    assert load_workbook(kept)["任务分解表"]["E2"].value == "应急管理部"
    backups = list((out / "backups").glob("*.bak.xlsx"))
    book = load_workbook(reviewed)
    book["任务分解表"]["J3"] = "已核对"  # more review work: kept again
    book.save(reviewed)
    run_batch(Settings(input=raw, out_dir=out, workers=1, force=True))
    assert len(list((out / "backups").glob("*.bak.xlsx"))) == len(backups) + 1


def test_rerun_skips_unchanged_files(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    files = _copy(SMALL, raw)
    settings = Settings(input=raw, out_dir=out, workers=2)
    first = run_batch(settings)
    assert (first.processed, first.unchanged, first.failing) == (3, 0, 0)
    written = {p: p.stat().st_mtime_ns for p in out.glob("*.json")}

    second = run_batch(settings)
    assert (second.processed, second.unchanged) == (0, 3)
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.json")} == written  # not rewritten

    os.utime(files[0])  # touched, same content: read and hashed, still not redone
    files[1].write_text(files[1].read_text("utf-8") + "\n", "utf-8")  # changed
    third = run_batch(settings)
    assert (third.processed, third.unchanged) == (1, 2)
    assert not list(out.rglob("*.bak.xlsx"))  # the earlier workbook held no review: nothing to keep

    assert run_batch(Settings(input=raw, out_dir=out, workers=2, force=True)).processed == 3


def misbehaving(job: Job) -> Outcome:
    """A worker's `work` that misbehaves on files named for it, like a parser that hangs or crashes."""
    name = job.path.name
    if name.startswith("hang"):  # a hang no signal can break, like one inside a C library
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(600)
    if name.startswith("die"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("raise"):
        raise RuntimeError("a bug")
    return run(job)


def test_hanging_crashing_and_raising_files_are_errors_not_fatal(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for name in ("hang.txt", "die.txt", "raise.txt", "fine.txt", "fine2.txt"):
        shutil.copy(RAW / SMALL[0], raw / name)

    report = run_batch(Settings(input=raw, out_dir=out, workers=2, time_limit=1.0), work=misbehaving)

    kinds = {Path(path).name: kind for path, kind, _ in report.failed}
    assert kinds == {"hang.txt": "timeout", "die.txt": "crash", "raise.txt": "internal"}
    messages = {Path(path).name: message for path, _, message in report.failed}
    assert "SIGKILL" in messages["die.txt"] and "RuntimeError: a bug" in messages["raise.txt"]
    assert (out / "fine.json").exists() and (out / "fine2.json").exists()
    assert report.failing == 3


def test_time_limit_stops_python_code() -> None:
    started = time.monotonic()
    with pytest.raises(FileTimeout), time_limit(0.2):
        while True:
            pass
    assert time.monotonic() - started < 2


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_stopped_run_loses_nothing_and_the_next_one_finishes(tmp_path: Path, stop: signal.Signals) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    names = tuple(sorted(p.name for p in RAW.glob("*.txt")))
    _copy(names, raw)
    command = [sys.executable, "-m", "pipeline.cli", "run", str(raw), "-o", str(out), "--workers", "1"]
    batch = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = out / LOG_NAME
    _wait_for(lambda: log.exists() and log.read_text("utf-8").count(" tasks, ") >= 2)
    batch.send_signal(stop)
    code = batch.wait(timeout=60)

    assert code == (130 if stop == signal.SIGTERM else -signal.SIGKILL)
    for path in out.glob("*.json"):  # every output there is whole
        json.loads(path.read_text("utf-8"))
    for path in out.glob("*.xlsx"):
        load_workbook(path, read_only=True)
    done = {Path(str(p)).stem for (p,) in _rows(out / STORE_NAME, "SELECT path FROM files WHERE status = 'ok'")}
    assert done <= {p.stem for p in out.glob("*.json")}  # the store never runs ahead of the outputs
    assert len(done) < len(names)

    report = run_batch(Settings(input=raw, out_dir=out, workers=2))
    assert report.unchanged == len(done) and report.processed == len(names) - len(done)
    assert {p.stem for p in out.glob("*.json")} == {Path(n).stem for n in names}
    assert _rows(out / STORE_NAME, "SELECT count(*) FROM files WHERE status = 'ok'")[0][0] == len(names)
    assert (out / SUMMARY_NAME).exists()


def test_dask_executor_gives_the_local_pool_records(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    raw = tmp_path / "raw"
    _copy(SMALL, raw)
    run_batch(Settings(input=raw, out_dir=tmp_path / "local", workers=2))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        report = run_batch(Settings(input=raw, out_dir=tmp_path / "dask", scheduler=cluster.scheduler_address))
    assert report.processed == 3 and not report.failed

    query = "SELECT * EXCLUDE (extracted_at, record, json_path, xlsx_path) FROM notices ORDER BY path"
    assert _rows(tmp_path / "dask" / STORE_NAME, query) == _rows(tmp_path / "local" / STORE_NAME, query)
    for table in ("tasks", "deadlines", "parties", "targets"):
        query = f"SELECT * FROM {table} ORDER BY ALL"
        assert _rows(tmp_path / "dask" / STORE_NAME, query) == _rows(tmp_path / "local" / STORE_NAME, query)


def test_outputs_mirror_the_input_folders(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    for name in ("a/通知.txt", "a/通知.pdf", "b/通知.txt", "c.txt"):
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text("x")
    found, skipped = discover(raw, tmp_path / "out")
    outputs = sorted(f.output.relative_to(tmp_path / "out").as_posix() for f in found)
    assert outputs == ["a/通知.pdf", "a/通知.txt", "b/通知", "c"]
    assert not skipped
    (raw / "out").mkdir()
    (raw / "out" / "c.txt").write_text("an output")
    found, _ = discover(raw, raw / "out")  # an output folder inside the input is not input
    assert len(found) == 4


def test_an_output_folder_that_is_the_input_holds_no_notices(tmp_path: Path) -> None:
    """OUT = INPUT: the records, workbooks, store, log and summaries gongwen writes there are
    passed over, not listed as skipped files run after run; a killed run's temporary files go."""
    raw = tmp_path / "raw"
    _copy(SMALL[:1], raw)
    run_batch(Settings(input=raw, out_dir=raw, workers=1))
    (raw / ".汇总.xlsx.s0ev30tw.tmp").write_bytes(b"")  # kill -9 between write and rename
    report = run_batch(Settings(input=raw, out_dir=raw, workers=1))
    assert report.skipped == [] and report.unchanged == 1
    assert not list(raw.glob(".*.tmp"))


def test_a_batch_says_whose_fault_a_stop_is(tmp_path: Path) -> None:
    import errno

    from pipeline.batch.runner import _stopped_by

    out = tmp_path / "out"
    full = _stopped_by(OSError(errno.ENOSPC, "No space left on device"), out)
    assert full.startswith(f"stopped, cannot write to {out}: No space left on device;") and "make room" in full
    assert "make it writable" in _stopped_by(OSError(errno.EROFS, "Read-only file system"), out)
    dask = _stopped_by(TimeoutError("Timed out trying to connect to tcp://127.0.0.1:1 after 30 s"), out)
    assert dask.startswith("stopped, the workers failed: Timed out trying to connect") and "make room" not in dask


def test_gongwens_own_pages_and_pipes_below_the_input_are_not_notices(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "qingpu_2025_safety_plan.txt", raw / "qingpu.txt")
    assert main(["review", str(raw / "qingpu.txt")]) == 0  # qingpu.review.html, beside it
    (raw / "qingpu.review.html").rename(raw / "核对页.html")  # renamed: its generator mark tells
    (raw / "旧-vs-新.diff.xlsx").write_bytes(b"")
    os.mkfifo(raw / "pipe.txt")  # reading it would wait forever
    found, skipped = discover(raw, tmp_path / "out")
    assert [f.path.name for f in found] == ["qingpu.txt"]
    assert skipped == [(raw / "pipe.txt", "not a regular file (a pipe, socket or device)")]


def test_a_file_that_bundles_plans_gives_a_record_and_workbook_each(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    bundled_plans(raw)
    assert run_batch(Settings(input=raw, out_dir=out, workers=1)).processed == 1
    plans = [json.loads((out / f"bundle-{n}.json").read_text("utf-8")) for n in (1, 2)]
    assert [p["meta"]["plan_title"] for p in plans] == [
        "2025年青浦区卫生健康系统安全生产工作计划", "金山区卫健委2021年安全生产和资源保障工作要点",
    ]  # fmt: skip
    assert not (out / "bundle.json").exists() and (out / "bundle-2.review.html").exists()
    store = out / STORE_NAME
    by_plan = _rows(store, "SELECT plan, plans, tasks, xlsx_path FROM notices ORDER BY plan")
    assert [row[:2] for row in by_plan] == [(1, 2), (2, 2)]
    assert [row[2] for row in by_plan] == [len(p["tasks"]) for p in plans]
    assert [Path(str(row[3])).name for row in by_plan] == ["bundle-1.xlsx", "bundle-2.xlsx"]
    assert _rows(store, "SELECT plan, count(*) FROM tasks GROUP BY plan ORDER BY plan") == [
        (n, len(p["tasks"])) for n, p in enumerate(plans, 1)
    ]
    assert len(_sheet(out / SUMMARY_NAME, "任务")) == sum(len(p["tasks"]) for p in plans)
    assert [r["工作簿"] for r in _sheet(out / SUMMARY_NAME, "文件")] == [str(out / f"bundle-{n}.xlsx") for n in (1, 2)]
    # the analyst's review of the second plan's workbook survives a re-run
    book = load_workbook(out / "bundle-2.xlsx")
    book["任务分解表"]["I2"] = "已确认"  # 审核状态
    book.save(out / "bundle-2.xlsx")
    assert run_batch(Settings(input=raw, out_dir=out, workers=1, force=True)).processed == 1
    assert load_workbook(out / "bundle-2.xlsx")["任务分解表"]["I2"].value == "已确认"
    assert load_workbook(out / "bundle-1.xlsx")["任务分解表"]["I2"].value == "待审核"


def test_a_batch_reads_back_only_the_workbooks_saved_since_the_last(tmp_path: Path, calls: Calls) -> None:
    """The reviews each notice workbook held are kept in the store: a later batch reads back the
    workbook an analyst saved since, not the hundred it wrote and knows already."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for name in SMALL[:2]:
        shutil.copy(RAW / name, raw / name)
    run_batch(Settings(input=raw, out_dir=out, workers=1))
    reviewed = out / f"{Path(SMALL[0]).stem}.xlsx"
    book = load_workbook(reviewed)
    book["任务分解表"]["I2"], book["任务分解表"]["J2"] = "需修改", "牵头单位应为区卫健委"
    book.save(reviewed)
    shutil.copy(RAW / SMALL[2], raw / SMALL[2])  # a new notice: 汇总.xlsx and the 督办台账 are written again
    reads = calls(task_workbook, "read_reviews")
    run_batch(Settings(input=raw, out_dir=out, workers=1))
    assert reads == [reviewed]
    tasks = _sheet(out / SUMMARY_NAME, "任务")
    assert {(r["审核状态"], r["审核意见"]) for r in tasks if r["文件"] == SMALL[0]} >= {
        ("需修改", "牵头单位应为区卫健委")
    }


def test_the_summary_names_each_plan_and_shows_the_analysts_review(tmp_path: Path) -> None:
    """汇总.xlsx: per task the plan and its number in the bundle, 正文/通知, the 审核状态 and 审核意见
    set in the plan's own workbook; the covering notice's instruction once, not once per plan;
    source paths relative to the input."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    bundle = bundled_plans(raw)
    text = bundle.read_text("utf-8").replace("现将《", "各单位于4月10日前报送工作联系人。现将《", 1)
    bundle.write_text(text, "utf-8")
    run_batch(Settings(input=raw, out_dir=out, workers=1))
    book = load_workbook(out / "bundle-2.xlsx")
    sheet = book["任务分解表"]
    header = [cell.value for cell in sheet[1]]
    first = sheet.cell(3, header.index("工作任务") + 1).value  # row 2 is the covering notice's instruction
    sheet.cell(3, header.index("审核状态") + 1, "需修改")
    sheet.cell(3, header.index("审核意见") + 1, "牵头单位应为区卫健委")
    book.save(out / "bundle-2.xlsx")
    run_batch(Settings(input=raw, out_dir=out, workers=1))  # nothing to redo: the review alone refreshes 汇总

    tasks = _sheet(out / SUMMARY_NAME, "任务")
    instructions = [r for r in tasks if r["来源"] == "通知"]
    assert [r["工作任务"] for r in instructions] == ["各单位于4月10日前报送工作联系人"]
    assert {(r["计划序号"], r["计划名称"]) for r in tasks if r["来源"] == "正文"} == {
        (1, "2025年青浦区卫生健康系统安全生产工作计划"), (2, "金山区卫健委2021年安全生产和资源保障工作要点"),
    }  # fmt: skip
    reviewed = next(r for r in tasks if r["计划序号"] == 2 and r["工作任务"] == first)
    assert (reviewed["审核状态"], reviewed["审核意见"]) == ("需修改", "牵头单位应为区卫健委")
    assert {r["审核状态"] for r in tasks if r is not reviewed} == {"待审核"}
    assert {"开始", "截止", "周期"} <= set(tasks[0])
    assert [r["源文件"] for r in _sheet(out / SUMMARY_NAME, "文件")] == ["bundle.txt", "bundle.txt"]


def test_the_tracker_written_beside_the_summary_is_written_here_when_its_process_died() -> None:
    """The 督办台账 is written in a process of its own while the parent writes 汇总.xlsx: its errors
    are the parent's (a full disk stops the batch), and a helper that was killed leaves the
    writing to the parent."""
    report = TrackerReport(notices=1, tasks=2, deadlines=2, overdue=0, soon=1, done=0)
    done: Future[TrackerReport] = Future()
    done.set_result(report)
    killed: Future[TrackerReport] = Future()
    killed.set_exception(BrokenProcessPool("a child process terminated abruptly"))
    full: Future[TrackerReport] = Future()
    full.set_exception(OSError(28, "No space left on device"))
    assert (_done_beside(done), _done_beside(killed), _done_beside(None)) == (report, None, None)
    with pytest.raises(OSError, match="No space left"):
        _done_beside(full)


def test_the_warm_up_builds_what_a_first_cue_sentence_needs() -> None:
    """The fork server's warm-up makes spaCy's pipeline and the role-cue matcher, so that no
    worker builds its own after the fork (0.2 s of CPU each, and memory no other worker shares)."""
    from extractors import nlp, parties
    from pipeline.batch.worker import warm_up

    nlp.nlp.cache_clear()
    parties._matcher.cache_clear()
    warm_up()
    assert nlp.nlp.cache_info().currsize == 1
    assert parties._matcher.cache_info().currsize == 1
