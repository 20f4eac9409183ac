"""The text records the early stages pass along: a loaded file, then its normalised text.

These are internal and large (one entry per character), so they are plain frozen
dataclasses rather than validated pydantic models; `schemas.notice` holds the records
users see.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

SourceFormat = Literal["txt", "pdf", "docx", "doc", "wps", "html"]
LineZone = Literal["body", "page_number", "running_header"]


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One line of the loaded text, with what the layout says about it (PDF), or that it is a
    whole paragraph (Word, web pages)."""

    start: int
    end: int
    page: int
    indented: bool | None = None  # begins right of the page's text margin: a paragraph's first line
    reaches_margin: bool | None = None  # ends at the right margin: the line was wrapped
    size: float | None = None  # character width relative to the page's usual one (a title is larger)
    zone: LineZone = "body"
    ends_paragraph: bool = False  # the file marks where its paragraphs end, and this line ends one


@dataclass(frozen=True)
class SourceText:
    """A file's text as extracted, each line tied to its page."""

    path: Path
    format: SourceFormat
    text: str
    lines: tuple[SourceLine, ...]
    page_count: int
    sha256: str
    encoding: str | None = None
    ocr_pages: tuple[int, ...] = ()  # pages read by OCR, from 1
    ocr_confidence: float | None = None  # Tesseract's mean confidence over their lines, 0–1
    warnings: tuple[str, ...] = ()  # what was wrong with the file but did not stop its reading, a line each
    _line_starts: list[int] = field(init=False, repr=False, compare=False)
    _line_numbers: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Number the lines of each page as a reader would: a text file's lines as an editor
        shows them, a PDF page's lines of text without its page number or running header."""
        numbers = []
        page, count = 0, 0
        for line in self.lines:
            if line.page != page:
                page, count = line.page, 0
            if self.format == "txt" or line.zone == "body":
                count += 1
            numbers.append(max(count, 1))
        object.__setattr__(self, "_line_starts", [line.start for line in self.lines])
        object.__setattr__(self, "_line_numbers", numbers)

    def locate(self, offset: int) -> tuple[int, int]:
        """The (page, line on that page) of a character offset, both 1-based."""
        if not self.lines:
            return 1, 1
        index = max(0, bisect_right(self._line_starts, offset) - 1)
        return self.lines[index].page, self._line_numbers[index]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the normalised text: wrapped lines joined, page furniture gone."""

    start: int
    end: int


@dataclass(frozen=True)
class NormText:
    """Normalised text with, for every character, its offset in the source text."""

    source: SourceText
    text: str
    to_source: array[int]  # len(text) + 1 entries; the last one closes the final span
    paragraphs: tuple[Paragraph, ...]

    def source_offset(self, offset: int) -> int:
        return self.to_source[min(max(offset, 0), len(self.to_source) - 1)]

    def locate(self, offset: int) -> tuple[int, int]:
        """The (page, line) in the source where the normalised character at `offset` came from."""
        return self.source.locate(self.source_offset(offset))

    def excerpt(self, ranges: Sequence[tuple[int, int]]) -> tuple[NormText, list[int]]:
        """The text of these ordered, disjoint ranges, a line break between each two, still mapped
        to the source; and for each range the shift that takes its offsets into the excerpt."""
        pieces: list[str] = []
        to_source: array[int] = array(self.to_source.typecode)
        shifts: list[int] = []
        for start, end in ranges:
            if pieces:
                pieces.append("\n")
                to_source.append(self.to_source[start])
            shifts.append(len(to_source) - start)
            pieces.append(self.text[start:end])
            to_source.extend(self.to_source[start:end])
        to_source.append(self.to_source[ranges[-1][1]] if ranges else 0)
        paragraphs = tuple(
            Paragraph(p.start + shift, p.end + shift)
            for p in self.paragraphs
            for (start, end), shift in zip(ranges, shifts, strict=True)
            if start <= p.start and p.end <= end
        )
        return NormText(self.source, "".join(pieces), to_source, paragraphs), shifts
