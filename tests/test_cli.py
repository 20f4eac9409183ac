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
