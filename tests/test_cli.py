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
