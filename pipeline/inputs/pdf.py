"""PDF files → `SourceText`.  PDFs are read with pypdfium2, which gives the same characters as
pdfplumber about forty times faster and keeps each character's box, from which we learn where a
line starts and ends on the page; ruled tables are read by pdfplumber (`pdf_tables`), scanned
pages by OCR (`ocr`)."""

from __future__ import annotations

import ctypes
import hashlib
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.vocab import table
from pipeline.errors import InputError
from pipeline.inputs import ocr, pdf_tables
from pipeline.inputs.text import is_page_number
from pipeline.textwidth import ems
from schemas.source import LineZone, SourceLine, SourceText


@dataclass(frozen=True, slots=True)
class _PdfLine:
    text: str
    left: float
    right: float
    top: float  # distance from the page's top edge
    char_width: float
    type_size: float  # in points, as printed: the font size scaled by the text matrix
    whole: bool = False  # a table row: a paragraph of its own, never joined to the next line


def load_pdf(path: Path, data: bytes) -> SourceText:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower():
            raise InputError("encrypted PDF: it needs a password to open") from error
        raise InputError(f"corrupt PDF: {message}") from error
    settings = table("layout.toml")["pdf"]
    try:
        pages, ocr_confidences, ruled = _read_pages(pdf, settings)
    except pdfium.PdfiumError as error:  # a page that cannot be loaded: a broken or looping page tree
        raise InputError(f"corrupt PDF: {error}") from error
    finally:
        pdf.close()
    pages = _with_tables(pages, pdf_tables.find_tables(data, ruled))
    running = _running_lines(pages, settings)
    parts: list[str] = []
    lines: list[SourceLine] = []
    offset = 0
    for number, (page_lines, height) in enumerate(pages, start=1):
        left, right, char = _margins(page_lines) if page_lines else (0.0, 0.0, 1.0)
        usual = statistics.median(ln.type_size for ln in page_lines) if page_lines else 0.0
        for line, zone in _page_zones(page_lines, height, running, settings):
            lines.append(
                SourceLine(
                    start=offset,
                    end=offset + len(line.text),
                    page=number,
                    indented=line.left - left > 0.8 * char,
                    reaches_margin=right - line.right < 1.6 * char,
                    size=round(line.type_size / usual, 2) if usual else None,
                    zone=zone,
                    ends_paragraph=line.whole,
                )
            )
            parts.append(line.text + "\n")
            offset += len(line.text) + 1
        parts.append("\f")
        offset += 1
    return SourceText(
        path=path,
        format="pdf",
        text="".join(parts),
        lines=tuple(lines),
        page_count=len(pages),
        sha256=hashlib.sha256(data).hexdigest(),
        ocr_pages=tuple(ocr_confidences),
        ocr_confidence=_mean_confidence(ocr_confidences),
    )


def _read_pages(
    pdf: pdfium.PdfDocument, settings: dict[str, Any]
) -> tuple[list[tuple[list[_PdfLine], float]], dict[int, list[float]], list[int]]:
    """Each page's lines, from its text layer or, for a page that is a scanned image, by OCR;
    the OCRed pages (from 1) with their lines' confidences; the pages (from 0) that may hold a
    ruled table. Raises `InputError` when text is missing and cannot be read."""
    min_chars = settings["min_chars_per_page"]
    pages: list[tuple[list[_PdfLine], float]] = []
    scanned: list[int] = []
    ruled: list[int] = []
    for index in range(len(pdf)):
        page = pdf[index]
        try:
            pages.append(_pdf_page_lines(page))
            if sum(len(line.text) for line in pages[-1][0]) < min_chars and ocr.has_image(page):
                scanned.append(index)
            elif pdf_tables.draws_a_table(page, settings["min_table_paths"]):
                ruled.append(index)
        finally:
            page.close()
    confidences: dict[int, list[float]] = {}
    if scanned:
        command = ocr.tesseract()
        if command is None:
            chars = sum(len(line.text) for i, (lines, _) in enumerate(pages) if i not in scanned for line in lines)
            raise InputError(ocr.missing_message(len(scanned), len(pdf), chars))
        for index in scanned:
            page = pdf[index]
            try:
                found = ocr.read_page(page, command)
            finally:
                page.close()
            pages[index] = ([_ocr_line(line) for line in found], pages[index][1])
            confidences[index + 1] = [line.confidence for line in found]
    chars = sum(len(line.text.strip()) for lines, _ in pages for line in lines)
    if not pages or chars < min_chars * len(pages):
        how = f", and OCR read {chars} characters from its {len(scanned)} scanned page(s)" if scanned else ""
        raise InputError(f"no text layer: {len(pdf)} page(s) with {chars} characters{how}")
    return pages, confidences, ruled


def _with_tables(
    pages: list[tuple[list[_PdfLine], float]], tables: dict[int, list[pdf_tables.PageTable]]
) -> list[tuple[list[_PdfLine], float]]:
    """The pages with the lines inside each ruled table replaced by a line per table row."""
    rows = pdf_tables.table_lines(tables)
    pages = list(pages)
    for index, found in tables.items():
        lines, height = pages[index]
        outside = [ln for ln in lines if not any(t.top - 1 <= ln.top <= t.bottom + 1 for t in found)]
        char = statistics.median(ln.char_width for ln in lines) if lines else 1.0
        size = statistics.median(ln.type_size for ln in lines) if lines else 0.0
        tabled = [_PdfLine(r.text, r.left, r.right, r.top, char, size, whole=True) for r in rows[index] if r.text]
        pages[index] = (sorted(outside + tabled, key=lambda ln: ln.top), height)
    return pages


def _mean_confidence(confidences: dict[int, list[float]]) -> float | None:
    found = [c for page in confidences.values() for c in page]
    return round(statistics.fmean(found), 3) if found else None


def _ocr_line(line: ocr.OcrLine) -> _PdfLine:
    width = (line.right - line.left) / max(ems(line.text), 0.5)
    return _PdfLine(line.text, line.left, line.right, line.top, width, line.height)


def _pdf_page_lines(page: pdfium.PdfPage) -> tuple[list[_PdfLine], float]:
    """The page's text lines in pdfium's reading order, each with its horizontal extent, and the
    page's height, all measured the way the text reads (see `_Frame`)."""
    textpage = page.get_textpage()
    rotation = page.get_rotation()
    turns = _quarter_turns(textpage)
    try:
        if turns is not None and rotation != (4 - turns) % 4 * 90:  # pdfium orders lines as they run on screen
            textpage.close()
            page.set_rotation((4 - turns) % 4 * 90)
            textpage = page.get_textpage()
        frame = _Frame(page.get_bbox(), turns or 0)
        lines = []
        for content, first, last in _line_ranges(textpage):
            left, _, top = frame.box(textpage.get_charbox(first))
            _, right, _ = frame.box(textpage.get_charbox(last))
            width = (right - left) / max(ems(content), 0.5)
            lines.append(_PdfLine(content, left, right, top, width, _type_size(textpage, first)))
    finally:
        textpage.close()
        page.set_rotation(rotation)  # as the file has it, for OCR's rendering of a scanned page
    return lines, frame.height


def _line_ranges(textpage: pdfium.PdfTextPage) -> Iterator[tuple[str, int, int]]:
    """Each line's text and the indexes of its first and last characters."""
    text = textpage.get_text_range()
    count = textpage.count_chars()
    index = 0
    for raw in re.split(r"\r\n|\r|\n", text):
        content = raw.rstrip()
        first = len(raw) - len(raw.lstrip())
        if content.strip() and index + len(content) <= count:
            yield content.strip(), index + first, index + len(content) - 1
        index += len(raw) + 2 if text[index + len(raw) : index + len(raw) + 2] == "\r\n" else len(raw) + 1


ANGLE_SAMPLE = 24  # characters, spread over the page, whose angles tell which way its text runs


def _quarter_turns(textpage: pdfium.PdfTextPage) -> int | None:
    """How many quarter turns clockwise (0-3) the page's text runs from its own left-to-right, by
    most of its characters (pdfium's angle of a character's baseline, clockwise, in radians);
    None for a page without text."""
    count = textpage.count_chars()
    turns: Counter[int] = Counter()
    for index in range(0, count, max(1, count // ANGLE_SAMPLE)):
        if pdfium_c.FPDFText_GetUnicode(textpage.raw, index) > 0x20 and not pdfium_c.FPDFText_IsGenerated(
            textpage.raw, index
        ):
            turns[round(pdfium_c.FPDFText_GetCharAngle(textpage.raw, index) / (math.pi / 2)) % 4] += 1
    return turns.most_common(1)[0][0] if turns else None


@dataclass(frozen=True, slots=True)
class _Frame:
    """The page as its text reads.  A page with /Rotate 90 whose content is drawn turned back (so
    that it is upright on screen) has its lines running up the page's own coordinates, where
    pdfium gives each character's box; this measures every box from the reading's left edge
    and top, as on an unrotated page."""

    bbox: tuple[float, float, float, float]  # the page's left, bottom, right, top (PDF space)
    turns: int  # quarter turns clockwise of the text's baseline: 3 runs up the page, 1 down, 2 upside down

    @property
    def height(self) -> float:
        x0, y0, x1, y1 = self.bbox
        return y1 - y0 if self.turns in (0, 2) else x1 - x0

    def box(self, box: tuple[float, float, float, float]) -> tuple[float, float, float]:
        """A character box (left, bottom, right, top in PDF space) → (left, right, top from the
        page's top edge), as the text reads."""
        left, bottom, right, top = box
        x0, y0, x1, y1 = self.bbox
        if self.turns == 3:
            return bottom - y0, top - y0, left - x0
        if self.turns == 2:
            return x1 - right, x1 - left, bottom - y0
        if self.turns == 1:
            return y1 - top, y1 - bottom, x1 - right
        return left - x0, right - x0, y1 - top


def _page_zones(
    lines: list[_PdfLine], height: float, running: set[str], settings: dict[str, float]
) -> Iterator[tuple[_PdfLine, LineZone]]:
    band = settings["furniture_band"] * height
    for line in lines:
        at_edge = line.top < band or line.top > height - band
        zone: LineZone = "body"
        if at_edge and is_page_number(line.text):
            zone = "page_number"
        elif at_edge and _running_key(line.text) in running:
            zone = "running_header"
        yield line, zone


def _running_key(text: str) -> str:
    return re.sub(r"[0-9０-９\s]+", "#", text)


def _running_lines(pages: list[tuple[list[_PdfLine], float]], settings: dict[str, float]) -> set[str]:
    """Texts (digits masked) printed at a page edge on most pages: running headers and footers."""
    if len(pages) < settings["running_min_pages"]:
        return set()
    seen: Counter[str] = Counter()
    for lines, height in pages:
        band = settings["furniture_band"] * height
        edge = {_running_key(ln.text) for ln in lines if ln.top < band or ln.top > height - band}
        seen.update(edge)
    return {key for key, n in seen.items() if n >= settings["running_share"] * len(pages) and len(key) > 1}


def _type_size(textpage: pdfium.PdfTextPage, index: int) -> float:
    """The printed size of a character: its font size scaled by the text matrix (a PDF may set
    300-point text in a matrix that shrinks it twenty times)."""
    matrix = pdfium_c.FS_MATRIX()
    size = float(pdfium_c.FPDFText_GetFontSize(textpage.raw, index))
    if pdfium_c.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix)):
        size *= math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    return size


def _margins(lines: list[_PdfLine]) -> tuple[float, float, float]:
    """The page's text margins (left, right) and its median character width."""
    body = [ln for ln in lines if not is_page_number(ln.text)] or lines
    char = statistics.median(ln.char_width for ln in body)
    return min(ln.left for ln in body), max(ln.right for ln in body), char
