"""The command line: one JSON per file, one line per failure, the rest still processed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.corpus import RAW


def test_extract_writes_one_record_per_file_and_reports_bad_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = shutil.copy(RAW / "qingpu_2025_safety_plan.txt", tmp_path / "qingpu.txt")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes((RAW / "jinshan_2021_safety_resources_points.txt").read_text("utf-8").encode("gbk"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n" + b"\x00" * 300)
    out = tmp_path / "out"

    code = main(["extract", str(empty), str(good), str(binary), str(corrupt), str(gbk), "-o", str(out)])

    assert code == 1
    assert sorted(p.name for p in out.glob("*.json")) == ["gbk.json", "qingpu.json"]
    assert sorted(p.name for p in out.glob("*.xlsx")) == ["gbk.xlsx", "qingpu.xlsx"]
    record = json.loads((out / "qingpu.json").read_text("utf-8"))
    assert record["meta"]["doc_number"] == "青卫健办〔2025〕7号"
    assert record["source"]["encoding"] == "utf-8"
    assert json.loads((out / "gbk.json").read_text("utf-8"))["source"]["encoding"] == "gb18030"
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors == [
        f"{empty}: empty file",
        f"{binary}: binary file, not text",
        f"{corrupt}: corrupt PDF: Failed to load document (PDFium: Data format error).",
    ]


def test_extract_succeeds_when_every_file_does(tmp_path: Path) -> None:
    assert main(["extract", str(RAW / "hd12_guobanfa_2019_3_youeryuan_zhili.txt"), "-o", str(tmp_path)]) == 0
    assert not list(tmp_path.glob(".*.tmp"))  # written through a temporary file, renamed into place


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    return Path(shutil.copy(RAW / "qingpu_2025_safety_plan.txt", tmp_path / "qingpu.txt"))


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().err


@pytest.mark.parametrize("command", ["extract", "run"])
def test_an_output_folder_below_a_file_is_named_in_one_line(
    notice: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = notice.parent / "qingpu.txt" / "out"
    assert main([command, str(notice), "-o", str(out)]) == 2
    assert _error(capsys).splitlines()[-1] == f"gongwen {command}: {out}: cannot be a folder, {notice} is a file"


def test_an_output_folder_that_cannot_be_made_is_named(notice: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(notice), "-o", "/proc/gongwen/out"]) == 2
    assert _error(capsys).startswith("gongwen extract: /proc/gongwen/out: cannot create the folder (")


def test_a_full_disk_stops_extract_with_one_line(
    notice: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import pipeline.process

    def full(*args: object) -> list[Path]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline.process, "export", full)
    out = notice.parent / "out"
    assert main(["extract", str(notice), str(notice), "-o", str(out)]) == 2
    assert _error(capsys) == f"gongwen extract: cannot write {out}: No space left on device\n"


def test_run_on_a_missing_input_creates_no_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")]) == 2
    assert "nowhere" in _error(capsys) and not (tmp_path / "out").exists()


@pytest.mark.parametrize("option", ["--workers", "--time-limit", "--max-size", "--max-memory"])
def test_counts_and_limits_must_be_positive(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["run", "data/raw", option, "0"])
    assert stop.value.code == 2
    assert f"argument {option}: must be more than 0: 0" in _error(capsys)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.startswith("gongwen ")


def test_review_writes_beside_its_input(
    notice: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(notice.parent.parent)  # not where the notice is: nothing lands here
    assert main(["review", str(notice)]) == 0
    assert (notice.parent / "qingpu.review.html").exists() and not Path("data").exists()


def test_extract_of_a_bundle_prints_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.corpus import bundled_plans

    bundle = bundled_plans(tmp_path / "in")
    assert main(["extract", str(bundle), "-o", str(tmp_path / "out")]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{bundle} → {tmp_path / 'out' / 'bundle-1'}..2 .json .xlsx .review.html (2 plans, ")


@pytest.mark.parametrize("command", ["extract", "review"])
def test_a_folder_or_a_missing_file_is_a_usage_error(
    notice: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = ["-o", str(notice.parent / "out")] if command == "extract" else []
    assert main([command, str(notice.parent), *out]) == 2
    assert (
        _error(capsys)
        == f"gongwen {command}: {notice.parent}: a folder (gongwen run {notice.parent} reads every notice below it)\n"
    )
    assert main([command, str(notice.parent / "nosuch.pdf"), *out]) == 2
    assert _error(capsys) == f"gongwen {command}: {notice.parent / 'nosuch.pdf'}: no such file\n"
    assert not (notice.parent / "out").exists()


def test_extract_refuses_two_files_that_would_write_the_same_outputs(
    notice: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = notice.parent / "b" / "qingpu.txt"
    other.parent.mkdir()
    shutil.copy(notice, other)
    assert main(["extract", str(notice), str(other), "-o", str(notice.parent / "out")]) == 2
    assert f"{notice} and {other} would both write qingpu.*" in _error(capsys)
    assert not (notice.parent / "out").exists()


def test_a_file_without_tasks_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meeting = tmp_path / "meeting.txt"
    meeting.write_text(
        "关于召开季度例会的通知\n各科室：\n定于本周五下午在三楼会议室召开季度例会，请准时参加。\n", "utf-8"
    )
    assert main(["extract", str(meeting), "-o", str(tmp_path / "out")]) == 0
    assert _error(capsys).startswith(f"{meeting}: warning: no task found: not a plan")


def test_diff_names_the_file_it_cannot_read(notice: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = notice.parent / "empty.txt"
    empty.write_bytes(b"")
    assert main(["diff", str(empty), str(notice)]) == 1
    assert _error(capsys) == f"gongwen diff: {empty}: empty file\n"


def test_ctrl_c_is_one_line(notice: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.cli

    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.cli, "review_command", interrupted)
    assert main(["review", str(notice)]) == 130
    assert _error(capsys) == "gongwen review: interrupted\n"


def test_a_scheduler_is_for_dask(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["run", "data/raw", "--executor", "local", "--scheduler", "tcp://10.0.0.5:8786"])
    assert stop.value.code == 2 and "--scheduler is for --executor dask" in _error(capsys)


def test_an_empty_input_folder_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    assert main(["run", str(tmp_path / "in"), "-o", str(tmp_path / "out")]) == 0
    assert f"No notice below {tmp_path / 'in'}: gongwen reads .pdf .txt" in capsys.readouterr().out


def test_a_scheduler_alone_means_dask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.batch.console
    from pipeline.batch.settings import Settings

    given: list[Settings] = []

    def run_command(settings: Settings) -> int:
        given.append(settings)
        return 0

    monkeypatch.setattr(pipeline.batch.console, "run_command", run_command)
    assert main(["run", str(tmp_path), "-o", str(tmp_path / "out"), "--scheduler", "tcp://10.0.0.5:8786"]) == 0
    assert given[0].scheduler == "tcp://10.0.0.5:8786"


def test_an_output_never_overwrites_an_input(notice: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = notice.read_bytes()
    assert main(["review", str(notice), "-o", str(notice)]) == 2
    assert _error(capsys) == f"gongwen review: {notice}: is the input; name another -o\n"
    other = notice.parent / "other.txt"
    other.write_bytes(before)
    assert main(["diff", str(notice), str(other), "-o", str(other)]) == 2
    assert notice.read_bytes() == other.read_bytes() == before


def test_extract_reads_only_notice_formats(notice: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = notice.parent / "out"
    assert main(["extract", str(notice), "-o", str(out)]) == 0
    record = out / "qingpu.json"
    written = record.read_bytes()
    capsys.readouterr()
    assert main(["extract", str(record), "-o", str(out)]) == 1  # gongwen's own record is no notice
    assert _error(capsys).startswith(f"{record}: a record or data, not a notice")
    assert record.read_bytes() == written


def test_review_says_what_it_cannot_review(notice: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.corpus import bundled_plans

    assert main(["review", str(notice)]) == 0
    page = notice.parent / "qingpu.review.html"
    assert main(["review", str(page)]) == 2
    assert "a page or workbook gongwen wrote" in _error(capsys)
    bundle = bundled_plans(tmp_path / "in")
    capsys.readouterr()
    assert main(["review", str(bundle), "-o", str(tmp_path / "page.html")]) == 2
    assert "bundles 2 plans: -o a folder, or leave it out" in _error(capsys)
    assert main(["review", str(bundle)]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{bundle} → {tmp_path / 'in' / 'bundle-1'}..2.review.html (2 plans, ")


def test_a_pipe_is_no_file_to_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    for command in (["extract", str(pipe), "-o", str(tmp_path / "out")], ["review", str(pipe)], ["run", str(pipe)]):
        assert main(command) == 2
        assert _error(capsys).endswith(f"{pipe}: not a regular file (a pipe, socket or device)\n")


def test_a_worker_needs_memory_to_load_the_pipeline(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["run", "data/raw", "--max-memory", "300"])
    assert stop.value.code == 2 and "a worker needs at least 400 MB to load the pipeline: 300" in _error(capsys)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--issuer", "国务院", "a.txt", "b.txt"], "not both"),
        (["--issuer", " "], "--issuer needs a name"),
    ],
)
def test_diff_takes_notices_or_an_issuer(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["diff", *arguments])
    assert stop.value.code == 2 and message in _error(capsys)


def test_a_reader_that_goes_away_is_no_error(notice: Path) -> None:
    """`gongwen diff … --json | head`: the pipe closes; no traceback."""
    import subprocess
    import sys

    other = notice.parent / "other.txt"
    other.write_bytes(notice.read_bytes())
    command = [sys.executable, "-m", "pipeline.cli", "diff", str(notice), str(other), "--json"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 1 and "Traceback" not in errors
