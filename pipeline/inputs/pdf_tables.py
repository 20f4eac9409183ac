"""Ruled tables in a PDF (a 任务分解表 or indicator table) → a line per row, cells tab-joined.

pdfium gives a ruled table's text line by line across the page, so the cells of a row are
interleaved with each other's wrapped lines.  On a page that draws enough lines to hold a
table, pdfplumber's table finder (cells from the ruling lines) reads it instead; each row
becomes one line in the form the structure stage reads as a table row (Word and web
tables come the same way): cells joined by tabs, a cell's wrapped lines rejoined, a cell
merged down repeated in the rows it covers, a row merged across the table a heading.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Cell = str | None  # None: covered by a merged cell


@dataclass(frozen=True, slots=True)
class TableRow:
    text: str  # cells joined by tabs; a row merged across the table is its one cell's text
    left: float
    right: float
    top: float  # distance from the page's top edge


@dataclass(frozen=True, slots=True)
class PageTable:
    top: float
    bottom: float
    rows: list[list[Cell]]
    row_tops: list[float]
    left: float
    right: float


def draws_a_table(page: pdfium.PdfPage, min_paths: int) -> bool:
    """Whether the page draws enough lines and boxes to hold a ruled table (a red header's
    rule or a frame round a paragraph does not): its paths and those of the forms it draws."""
    page_objects = (pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject)
    return _paths(page.raw, page_objects, min_paths, depth=2) >= min_paths


def _paths(parent: Any, objects: tuple[Any, Any], enough: int, depth: int) -> int:
    """The path objects of a page or form, and of the forms inside it down to `depth` levels,
    counted up to `enough`.  With pdfium's own calls: `PdfPage.get_objects` would make a Python
    object of each of the hundreds of text objects on a page of text, for 1.5 ms a page."""
    count, get = objects
    found = 0
    for index in range(count(parent)):
        item = get(parent, index)
        if not item:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        kind = pdfium_c.FPDFPageObj_GetType(item)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            found += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth > 1:
            form_objects = (pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject)
            found += _paths(item, form_objects, enough - found, depth - 1)
        if found >= enough:
            break
    return found


def find_tables(data: bytes, pages: list[int]) -> dict[int, list[PageTable]]:
    """The tables of two or more rows and columns on these pages (from 0), top to bottom."""
    found: dict[int, list[PageTable]] = {}
    if not pages:
        return found
    with pdfplumber.open(io.BytesIO(data), pages=[index + 1 for index in pages]) as pdf:
        for index, page in zip(pages, pdf.pages, strict=True):
            tables = [_page_table(table) for table in page.find_tables()]
            found[index] = sorted((t for t in tables if t is not None), key=lambda t: t.top)
    return found


def _page_table(table: pdfplumber.table.Table) -> PageTable | None:
    rows = table.extract()
    if len(rows) < 2 or max(len(row) for row in rows) < 2:
        return None
    x0, top, x1, bottom = table.bbox
    row_tops = [row.bbox[1] for row in table.rows]
    return PageTable(top, bottom, [[_cell_text(cell) for cell in row] for row in rows], row_tops, x0, x1)


def _cell_text(cell: str | None) -> Cell:
    """A cell's lines rejoined: no break in Chinese, a space between two Latin words."""
    if cell is None:
        return None
    return re.sub(r"\s*\n\s*", lambda m: _joiner(cell, m), cell).strip()


def _joiner(cell: str, match: re.Match[str]) -> str:
    before, after = cell[match.start() - 1 : match.start()], cell[match.end() : match.end() + 1]
    return " " if before.isascii() and before.isalnum() and after.isascii() and after.isalnum() else ""


def table_lines(tables: dict[int, list[PageTable]]) -> dict[int, list[TableRow]]:
    """Each page's table rows, top to bottom.  A row the page break cut in two (the next page's
    table opens with an empty first cell, in as many columns) is joined into its first part."""
    lines: dict[int, list[TableRow]] = {}
    last: tuple[int, list[Cell]] | None = None  # the page and cells of the last row so far
    for index in sorted(tables):
        lines[index] = []
        for table in tables[index]:
            above: list[Cell] = []
            for number, cells in enumerate(table.rows):
                if number == 0 and last is not None and last[0] == index - 1 and _continues(cells, last[1]):
                    joined: list[Cell] = [f"{a or ''}{c or ''}" for a, c in zip(last[1], cells, strict=True)]
                    lines[index - 1][-1] = replace(lines[index - 1][-1], text=_row_text(joined))
                    above = joined
                    continue
                above = _carried_down(cells, above)
                lines[index].append(TableRow(_row_text(above), table.left, table.right, table.row_tops[number]))
                last = (index, above)
    return lines


def _continues(cells: list[Cell], previous: list[Cell]) -> bool:
    return len(cells) == len(previous) and cells[0] == "" and any(cells)


def _carried_down(cells: list[Cell], above: list[Cell]) -> list[Cell]:
    """A cell covered by one merged down from the row above takes its text."""
    if sum(1 for cell in cells if cell is not None) <= 1 or len(above) != len(cells):
        return cells
    return [above[i] if cell is None else cell for i, cell in enumerate(cells)]


def _row_text(cells: list[Cell]) -> str:
    present = [cell for cell in cells if cell is not None]
    if len(present) == 1:  # merged across the table: a heading
        return present[0]
    return "\t".join(cell or "" for cell in cells)
