"""Writing a workbook an analyst reads: the project's cell styles, widths that fit Chinese
text, row heights that show wrapped text, an A4 landscape print setup.  Used by the task
matrix of one notice (`task_workbook`) and the batch's summary (`summary`).

xlsxwriter writes; openpyxl only reads an analyst's review back (`task_workbook.read_reviews`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import IO, Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from pipeline.textwidth import excel_width

LINE_HEIGHT = 13.5  # points per line of 10-point text
CELL_LIMIT = 32_767  # characters a cell holds (xlsxwriter cuts a longer text)
PRINT_SCALE = 95  # per cent: 10-point text prints at 9.5 points

FONT = "Microsoft YaHei"
BASE = {"font_name": FONT, "font_size": 10, "border": 1, "border_color": "#BFBFBF", "valign": "top"}
STYLES: dict[str, dict[str, Any]] = {
    "body": {"text_wrap": True},
    "inferred": {"text_wrap": True, "italic": True, "font_color": "#7F7F7F"},  # an implicit lead
    "label": {"text_wrap": True, "bold": True},
    "date": {"num_format": "yyyy-mm-dd"},
    "mark": {"align": "center", "valign": "vcenter"},
    "line": {},  # one line, not wrapped: the grid sheets
    "header": {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "align": "center", "valign": "vcenter",
               "text_wrap": True},
}  # fmt: skip
WRAPPED = frozenset(name for name, style in STYLES.items() if style.get("text_wrap"))
FILLS = {"due": "#F4B183", "span": "#DDEBF7", "recur": "#E2EFDA", "lead": "#F8CBAD", "co": "#BDD7EE",
         "other": "#E2EFDA", "doubt": "#FFEB9C"}  # fmt: skip

RUNS: dict[str, dict[str, Any]] = {  # fonts of passages inside a cell's text (rich text)
    "deleted": {"font_color": "#C00000", "font_strikeout": True},
    "inserted": {"font_color": "#0B5394", "bold": True, "underline": 1},
}

CellValue = str | int | float | dt.date | None


class Book:
    """A workbook being written to `output` (a path or a binary stream).

    `streaming` is for sheets of any length (the batch's summary): each row goes out as soon
    as the next one starts, so memory stays flat, rows come in order, and the sheet is plain
    data: no borders, no empty cells written, no widths or heights measured.

    `large` is for a workbook of a whole store's tasks (the 督办台账): xlsxwriter assembles each
    sheet's XML in a temporary file instead of memory (23 MB less at 250,000 cells, as fast);
    a notice's workbook is built in memory, where temporary files would cost it 40 %."""

    def __init__(self, output: str | IO[bytes], streaming: bool = False, large: bool = False) -> None:
        options = {"strings_to_formulas": False, "strings_to_urls": False}
        options |= {"constant_memory": True} if streaming else {"in_memory": not large}
        self.workbook = xlsxwriter.Workbook(output, options)
        self.styles = Styles(self.workbook, {**BASE, "border": 0} if streaming else BASE)
        self.streaming = streaming

    def sheet(self, title: str) -> Sheet:
        return Sheet(self.workbook.add_worksheet(title), self.styles, measured=not self.streaming)

    def close(self) -> None:
        try:
            self.workbook.close()
        except FileCreateError as error:  # xlsxwriter's wrapping of the OSError of writing the file
            raise error.args[0] from error


def _lines(text: str, width: float) -> int:
    """The lines a wrapped text takes in a column `width` wide."""
    return _lines_of([excel_width(part) for part in text.split("\n")], width)


def _lines_of(widths: Sequence[int], width: float) -> int:
    """The lines a wrapped text of lines `widths` wide takes in a column `width` wide."""
    room = max(width - 1, 1)
    return sum(math.ceil(part / room) or 1 for part in widths)


def _height(lines: int) -> float:
    return min(LINE_HEIGHT * lines + 4, 300)


_ILLEGAL_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe(text: str) -> str:
    """Text fit for a cell: control characters XML cannot hold removed (not fatal)."""
    return text if text.isprintable() else _ILLEGAL_IN_XML.sub("", text)  # the test alone takes a third of the time


class Styles:
    """The workbook's formats, each made once: a style, with a fill where a mark needs one."""

    def __init__(self, book: xlsxwriter.Workbook, base: dict[str, Any]) -> None:
        self.book, self.base = book, base
        self.cache: dict[tuple[str, str | None], Format] = {}

    def get(self, style: str, fill: str | None = None) -> Format:
        made = self.cache.get((style, fill))
        if made is None:
            properties = {**self.base, **STYLES[style], **({"bg_color": FILLS[fill]} if fill else {})}
            made = self.cache[style, fill] = self.book.add_format(properties)
        return made

    def run(self, name: str) -> Format:
        key = ("run", name)
        if key not in self.cache:
            self.cache[key] = self.book.add_format({"font_name": FONT, "font_size": 10, **RUNS[name]})
        return self.cache[key]

    def highlight(self, colour: str) -> Format:
        key = ("highlight", colour)
        if key not in self.cache:
            self.cache[key] = self.book.add_format({"bg_color": colour})
        return self.cache[key]


class Sheet:
    """A worksheet being written; rows and columns count from 1.  A `measured` sheet writes its
    empty cells too (for their borders) and remembers the widest text of each column and each
    wrapped text, from which `fitted` and `finish` set the widths and row heights."""

    def __init__(self, worksheet: Worksheet, styles: Styles, measured: bool = True) -> None:
        self.ws = worksheet
        self.styles = styles
        self.measured = measured
        self.wrapped: list[tuple[int, int, Sequence[int]]] = []  # row, column, the width of each line
        self.longest: dict[int, int] = {}

    def put(self, row: int, column: int, value: CellValue, style: str = "body", fill: str | None = None) -> None:
        """Write a value as data: text that starts with = + - @ stays text, never a formula."""
        r, c = row - 1, column - 1
        if isinstance(value, str) and value:
            text = safe(value)
            self.ws.write_string(r, c, text, self.styles.get(style, fill))
            if row > 1 and self.measured:
                self._measure(row, column, text, style)
        elif value is None or value == "":
            if self.measured:
                self.ws.write_blank(r, c, None, self.styles.get(style, fill))
        elif isinstance(value, dt.date):
            self.ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), self.styles.get("date", fill))
        else:
            self.ws.write_number(r, c, value, self.styles.get(style, fill))
            if self.measured:
                self.longest[column] = max(self.longest.get(column, 0), len(str(value)))

    def fit_row(self, row: int, wrapped: dict[int, str], widths: dict[int, float]) -> None:
        """A streamed row's height, set before its cells are written: tall enough for its
        `wrapped` texts (by column) at their column's width."""
        count = max((_lines(text, widths.get(column, 10)) for column, text in wrapped.items()), default=1)
        if count > 1:
            self.ws.set_row(row - 1, _height(count))

    def put_marked(self, row: int, column: int, text: str, marks: Sequence[tuple[int, int]], run: str) -> None:
        """Text whose `marks` (character ranges) are set in the `run` font: rich text in one cell."""
        if not marks or safe(text) != text or len(text) < 2:  # nothing marked, or offsets would shift
            self.put(row, column, text)
            return
        fragments: list[str | Format] = []
        at = 0
        for start, end in marks:
            fragments += [text[at:start]] if start > at else []
            fragments += [self.styles.run(run), text[start:end]]
            at = end
        fragments += [text[at:]] if at < len(text) else []
        if len(fragments) == 2:  # xlsxwriter wants two fragments at least: a wholly marked text in two halves
            fragments = [fragments[0], text[:1], fragments[0], text[1:]]
        self.ws.write_rich_string(row - 1, column - 1, *fragments, self.styles.get("body"))
        if row > 1 and self.measured:
            self._measure(row, column, text, "body")

    def _measure(self, row: int, column: int, text: str, style: str) -> None:
        width = excel_width(text)
        if width > self.longest.get(column, 0):
            self.longest[column] = width
        if style in WRAPPED:
            lines = [excel_width(part) for part in text.split("\n")] if "\n" in text else (width,)
            self.wrapped.append((row, column, lines))

    def header(self, headers: Sequence[str], freeze_columns: int = 1) -> None:
        for column, name in enumerate(headers, start=1):
            self.put(1, column, name, "header")
        self.ws.freeze_panes(1, freeze_columns)
        self.ws.set_row(0, 30)

    def fitted(self, headers: Sequence[str], fixed: dict[str, float], most: int = 40) -> dict[int, float]:
        """Widths that fit each column's text (CJK counted double), fixed ones as given."""
        return {
            column: fixed.get(name, min(max(self.longest.get(column, 4), excel_width(name)) + 2, most))
            for column, name in enumerate(headers, start=1)
        }

    def finish(
        self,
        widths: dict[int, float],
        filter_rows: int | None = None,
        grid: bool = False,
        printed: int | None = None,
        labels: int = 0,
    ) -> None:
        """Column widths, row heights that show wrapped text, the filter, an A4 landscape print
        setup with the header row on every page: the first `printed` columns fitted to the width
        (the caller keeps them narrow enough to print at 9 points or more), as many pages down as
        the rows take; with `labels`, a grid printed in parts across and down,
        its first `labels` columns on every page; else the whole width fitted to the page."""
        ws = self.ws
        for column, width in widths.items():
            ws.set_column(column - 1, column - 1, width)
        lines: dict[int, int] = {}
        for row, column, line_widths in self.wrapped:
            lines[row] = max(lines.get(row, 1), _lines_of(line_widths, widths.get(column, 10)))
        for row, count in lines.items():
            ws.set_row(row - 1, _height(count))
        if filter_rows:
            ws.autofilter(0, 0, filter_rows, len(widths) - 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.repeat_rows(0)
        if printed:  # widths chosen so that fitting them to the page keeps 10-point text above 9 points
            ws.print_area(0, 0, max(filter_rows or 0, 1), printed - 1)
            ws.fit_to_pages(1, 0)
        elif labels:
            ws.repeat_columns(0, labels - 1)
            ws.set_print_scale(PRINT_SCALE)
        else:
            ws.fit_to_pages(1, 0)
        ws.hide_gridlines(0 if grid else 1)
