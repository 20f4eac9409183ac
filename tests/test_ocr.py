"""Scanned PDFs: a page with no text layer, only its image, is read by Tesseract; the record
says which pages were OCRed and how sure Tesseract was."""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from extractors.structure import parse_structure
from pipeline.errors import InputError
from pipeline.inputs import ocr
from pipeline.inputs.load import load
from pipeline.normalise import normalise
from tests.corpus import RAW, notice_of
from tests.typeset import image_pdf, typeset


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Qingpu notice typeset as a PDF, and its first page scanned at 150 dpi."""
    folder = tmp_path_factory.mktemp("scan")
    printed = typeset(parse_structure(normalise(load(RAW / "qingpu_2025_safety_plan.txt"))), folder / "printed.pdf")
    return printed, image_pdf(printed, folder / "scanned.pdf", pages=1)


def test_a_scanned_page_is_read_by_ocr(scanned: tuple[Path, Path]) -> None:
    printed, scan = scanned
    text_layer = normalise(load(printed))
    first_page = text_layer.text[: text_layer.text.index("2025年青浦区卫生健康系统安全生产工作计划\n2025年，")]
    notice = notice_of(scan)
    assert notice.source.ocr_pages == [1]
    assert notice.source.ocr_confidence is not None and notice.source.ocr_confidence > 0.8
    read = notice.text[: len(first_page)]
    accuracy = 1 - Levenshtein.distance(first_page, read) / len(first_page)
    assert accuracy > 0.95, f"character accuracy {accuracy:.3f}"  # 0.99+ measured
    assert notice.meta.doc_number == "青卫健办〔2025〕7号"  # [2025] as OCR reads it, normalised
    assert notice.meta.addressees == ["各医疗卫生单位"]


def test_without_tesseract_a_scan_says_how_to_install_it(
    scanned: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "tesseract", lambda: None)
    with pytest.raises(InputError, match="install Tesseract to read them by OCR: apt-get install tesseract-ocr"):
        load(scanned[1])


def test_a_text_pdf_is_not_ocred(scanned: tuple[Path, Path]) -> None:
    assert notice_of(scanned[0]).source.ocr_pages == []
