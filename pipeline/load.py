"""Stage 1: a file on disk → `SourceText`, its text with every line tied to a page.

The format is read from the file's first bytes, not its name, and the encoding of a text
file from its bytes: UTF-8 (with or without BOM), UTF-16 (with or without BOM), GB18030
(which covers GBK and GB2312).  PDFs are read with pypdfium2, which gives the same
characters as pdfplumber about forty times faster and keeps each character's box, from
which we learn where a line starts and ends on the page.
"""

from __future__ import annotations

import codecs
import ctypes
import hashlib
import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.vocab import table
from pipeline import ocr, pdf_tables
from pipeline.errors import InputError
from pipeline.load_markup import load_docx, load_html, load_legacy_word
from pipeline.textwidth import ems
from schemas.source import LineZone, SourceLine, SourceText

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office and WPS files


def load(path: Path) -> SourceText:
    """Read a notice file into text with a page map; raises `InputError` for what cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror or error}") from error
    return load_bytes(path, data)


def load_bytes(path: Path, data: bytes) -> SourceText:
    """`load` for a file already read: a batch worker gets the bytes, not the disk."""
    if not data.strip():
        raise InputError("empty file")
    suffix = path.suffix.lower()
    if data[:1024].lstrip().startswith(PDF_MAGIC) or PDF_MAGIC in data[:1024]:
        return load_pdf(path, data)
    if suffix == ".pdf":
        raise InputError("not a PDF: the file does not start with %PDF (corrupt or mislabelled)")
    if data.startswith(OLE_MAGIC) or suffix in (".doc", ".wps"):
        return load_legacy_word(path, data)
    if data.startswith(ZIP_MAGIC):
        if b"word/document.xml" not in data[:65536] and suffix != ".docx":
            raise InputError("a zip archive, not a Word document")
        return load_docx(path, data)
    if suffix == ".docx":
        raise InputError("not a Word .docx file: it is not a zip package (an old .doc renamed?)")
    if suffix in (".html", ".htm") or re.match(rb"\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html)", data[:512].lower()):
        return load_html(path, data, decode(data)[0])
    return load_text(path, data)


# ---------------------------------------------------------------- text files


def load_text(path: Path, data: bytes) -> SourceText:
    text, encoding = decode(data)
    if not text.strip():
        raise InputError("empty file")
    lines = list(_text_lines(text))
    return SourceText(
        path=path,
        format="txt",
        text=text,
        lines=tuple(lines),
        page_count=lines[-1].page if lines else 1,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
    )


def decode(data: bytes) -> tuple[str, str]:
    """Decode text bytes, detecting the encoding; raises `InputError` for binary data."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace"), encoding), encoding
    if b"\x00" in data:  # UTF-16 without a BOM: every line break (and ASCII) holds a NUL byte
        candidates = []
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                candidates.append((_plausibility(data.decode(encoding)), encoding))
            except UnicodeDecodeError:
                continue
        score, encoding = max(candidates, default=(0.0, ""))
        if score < 0.9:
            raise InputError("binary file, not text")
        return data.decode(encoding), encoding
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(encoding), encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError("not text: the bytes are neither UTF-8, UTF-16 nor GB18030/GBK")


def _plausibility(text: str) -> float:
    """Share of characters a Chinese notice is made of: CJK, ASCII, CJK punctuation, line breaks."""
    sample = text[:20000]
    plausible = sum(
        1
        for ch in sample
        if ch in "\n\r\t\f“”‘’—…·" or " " <= ch <= "~" or 0x3000 <= ord(ch) <= 0x9FFF or 0xFF00 <= ord(ch) <= 0xFFEF
    )
    return plausible / len(sample) if sample else 0.0


def _checked(text: str, encoding: str) -> str:
    """Reject decoded text that is mostly control or unassigned characters: binary data."""
    sample = text[:20000]
    odd = sum(
        1
        for ch in sample
        if (ch not in "\n\r\t\f" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")) or ch == "\ufffd"
    )
    if sample and odd / len(sample) > 0.02:
        raise InputError(f"binary file, not text (decoded as {encoding}, {odd} unreadable characters)")
    return text


@cache
def _furniture_patterns() -> tuple[list[re.Pattern[str]], re.Pattern[str], re.Pattern[str]]:
    rules = table("layout.toml")["page_number"]
    return (
        [re.compile(p) for p in rules["patterns"]],
        re.compile(rules["dash_only"]),
        re.compile(rules["bare_number"]),
    )


def is_page_number(line: str) -> bool:
    patterns, _, _ = _furniture_patterns()
    stripped = line.strip()
    return any(p.match(stripped) for p in patterns)


def _text_lines(text: str) -> Iterator[SourceLine]:
    """Lines of a text file; a form feed or a page number (however many lines it takes) ends a page."""
    spans = _line_spans(text)
    furniture = _page_number_lines(text, spans)
    nonblank = [i for i, (s, e) in enumerate(spans) if text[s:e].strip()]
    next_nonblank = dict(zip(nonblank, [*nonblank[1:], None], strict=True))
    page = 1
    for index, (start, end) in enumerate(spans):
        if start > 0 and text[start - 1] == "\f":
            page += 1
        zone: LineZone = "page_number" if index in furniture else "body"
        yield SourceLine(start=start, end=end, page=page, zone=zone)
        following = next_nonblank.get(index)
        if zone == "page_number" and following is not None and following not in furniture:
            page += 1


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, whatever the line break (\n, \r\n, \r, \f)."""
    spans = []
    start = 0
    for match in re.finditer(r"\r\n|[\n\r\f]", text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _page_number_lines(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Indexes of lines that are page numbers, including the three-line "—", "81", "—" form."""
    _, dash_only, bare_number = _furniture_patterns()
    found = {i for i, (s, e) in enumerate(spans) if is_page_number(text[s:e])}
    nonblank = [i for i, (s, e) in enumerate(spans) if text[s:e].strip()]
    for a, b, c in zip(nonblank, nonblank[1:], nonblank[2:], strict=False):
        line = [text[spans[k][0] : spans[k][1]].strip() for k in (a, b, c)]
        if dash_only.match(line[0]) and bare_number.match(line[1]) and dash_only.match(line[2]):
            found.update((a, b, c))
    return found


# ---------------------------------------------------------------- PDF files


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
    """The page's text lines in pdfium's reading order, each with its horizontal extent."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        count = textpage.count_chars()
        lines = []
        index = 0
        for raw in re.split(r"\r\n|\r|\n", text):
            content = raw.rstrip()
            first = len(raw) - len(raw.lstrip())
            if content.strip() and index + len(content) <= count:
                left, _, _, top = textpage.get_charbox(index + first)
                _, _, right, _ = textpage.get_charbox(index + len(content) - 1)
                width = (right - left) / max(ems(content.strip()), 0.5)
                size = _type_size(textpage, index + first)
                lines.append(_PdfLine(content.strip(), left, right, height - top, width, size))
            index += len(raw) + 2 if text[index + len(raw) : index + len(raw) + 2] == "\r\n" else len(raw) + 1
    finally:
        textpage.close()
    return lines, height


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
