"""Loading: formats and encodings detected from the bytes, bad input refused in one line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.inputs.load import load
from pipeline.inputs.pdf_tables import PageTable, table_lines
from tests.corpus import PDFS, RAW
from tests.typeset import encrypted_pdf, scanned_pdf

NOTICE = "关于印发《2025年安全生产工作计划》的通知\n各医疗卫生单位：\n一、压实安全生产责任\n"


@pytest.mark.parametrize(
    "encoding, data",
    [
        ("utf-8", NOTICE.encode("utf-8")),
        ("utf-8-sig", codecs.BOM_UTF8 + NOTICE.encode("utf-8")),
        ("gb18030", NOTICE.encode("gbk")),
        ("utf-16", NOTICE.encode("utf-16")),  # with BOM
        ("utf-16-le", NOTICE.encode("utf-16-le")),  # without BOM
        ("utf-16-be", NOTICE.encode("utf-16-be")),
    ],
)
def test_text_encodings_are_detected_from_the_bytes(tmp_path: Path, encoding: str, data: bytes) -> None:
    path = tmp_path / "notice.dat"  # the extension says nothing
    path.write_bytes(data)
    source = load(path)
    assert source.text.lstrip("\ufeff") == NOTICE
    assert source.encoding == encoding
    assert source.format == "txt"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\n  \r\n", "empty file"),
        ("binary.txt", bytes(range(256)) * 40, "binary file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00\x10\xff" * 500, "binary file"),
        ("corrupt.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100, "corrupt PDF"),
        ("renamed.pdf", "不是PDF".encode() * 50, "not a PDF"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as caught:
        load(path)
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load(tmp_path / "absent.txt")


def test_text_page_numbers_end_pages() -> None:
    """hd07 is text taken from PDF pages 81-86, their numbers printed as —/81/— on three lines."""
    source = load(RAW / "hd07_nhc_2024_weijian_zhiben.txt")
    numbers = [source.text[ln.start : ln.end] for ln in source.lines if ln.zone == "page_number"]
    assert numbers == ["—", "81", "—", "—", "82", "—", "—", "83", "—", "—", "84", "—", "—", "85", "—", "—", "86", "—"]
    assert source.page_count == 6
    second_page = next(ln for ln in source.lines if source.text[ln.start : ln.end].startswith("领域安全生产形势"))
    assert source.locate(second_page.start) == (2, 3)  # the page's third line (two blank lines above)


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_pdf_lines_know_their_page_and_layout(pdf: Path) -> None:
    source = load(pdf)
    assert source.format == "pdf"
    assert {ln.page for ln in source.lines} == set(range(1, source.page_count + 1))
    body = [ln for ln in source.lines if ln.zone == "body"]
    assert any(ln.indented for ln in body) and any(ln.reaches_margin for ln in body)


@pytest.mark.parametrize("pdf", PDFS[:2], ids=lambda p: p.stem)
def test_pdf_page_numbers_are_furniture(pdf: Path) -> None:
    """pdf01 prints — 1 —, pdf02 also the full-width — １ —; neither reaches the text."""
    source = load(pdf)
    numbers = [ln for ln in source.lines if ln.zone == "page_number"]
    assert len(numbers) >= source.page_count - 2
    assert all(source.text[ln.start : ln.end].startswith("—") for ln in numbers)


def test_pypdfium2_gives_the_characters_pdfplumber_gives() -> None:
    """The fast text path reads the same characters as pdfplumber, page by page."""
    pdfplumber = pytest.importorskip("pdfplumber")
    for pdf in PDFS:
        source = load(pdf)
        with pdfplumber.open(pdf) as doc:
            for number, page in enumerate(doc.pages[:6], start=1):
                ours = "".join(source.text[ln.start : ln.end] for ln in source.lines if ln.page == number)
                theirs = page.extract_text() or ""
                strip = str.maketrans("", "", " \n\t\u3000")
                assert sorted(ours.translate(strip)) == sorted(theirs.translate(strip)), (pdf.name, number)


def test_pdf_without_text_layer_is_reported_as_scanned(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no text layer"):
        load(scanned_pdf(tmp_path / "scan.pdf"))


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="encrypted"):
        load(encrypted_pdf(tmp_path / "locked.pdf"))


def test_table_rows_carry_merged_cells_down_and_join_a_row_the_page_cut() -> None:
    header: list[str | None] = ["类别", "工作任务", "牵头单位"]
    first = PageTable(100, 300, [header, ["一、安全生产", None, None], ["消防", "开展检查", "区卫健委"],
                                 [None, "开展培训", "区应急局"], ["2", "完成10家", "区卫"]],
                      [100, 140, 180, 220, 260], 50, 500)  # fmt: skip
    second = PageTable(60, 120, [["", "改造", "健委"], ["3", "年内完成", "区民政局"]], [60, 90], 50, 500)
    lines = table_lines({4: [first], 5: [second]})
    assert [row.text for row in lines[4]] == [
        "类别\t工作任务\t牵头单位", "一、安全生产", "消防\t开展检查\t区卫健委", "消防\t开展培训\t区应急局",
        "2\t完成10家改造\t区卫健委",
    ]  # fmt: skip
    assert [row.text for row in lines[5]] == ["3\t年内完成\t区民政局"]
    assert [row.top for row in lines[4]] == [100, 140, 180, 220, 260]
