"""Web pages (.html as saved from a government site, lxml) → `SourceText`: the notice's body
— the block holding most of the page's Chinese text outside links — without the site's
navigation, related links and footer; one page.  A table, whether a <table> or one laid out
with CSS (`css_tables`), is a line per row."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, cast

import lxml.html
from lxml.etree import ParserError
from lxml.html import HtmlElement

from extractors.vocab import table
from pipeline.errors import InputError
from pipeline.inputs.css_tables import CssTables, css_tables
from pipeline.inputs.markup import one_line, source_of, table_lines
from schemas.source import SourceText

_CJK = re.compile(r"[\u4e00-\u9fff]")


def load_html(path: Path, data: bytes, text: str) -> SourceText:
    """A web page: its bytes, and their text decoded as a text file's are."""
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str that declares its encoding
    try:
        page = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as error:
        raise InputError(f"not a web page: {error}") from error
    tables = css_tables(page)  # before the <style> sheets go
    for junk in list(page.iter(*_rules()["not_content"])):
        cast(HtmlElement, junk).drop_tree()  # its tail is the parent's text and stays
    body = article(page, tables.parts)
    blocks = list(_html_lines(body, tables))
    title = _page_title(page)
    if title and not any(title in line for line in blocks[:3]):
        blocks.insert(0, title)
    return source_of(path, data, "html", [(line, 1) for line in blocks])


@cache
def _rules() -> dict[str, Any]:
    return table("html.toml")


def article(page: HtmlElement, css_table_parts: frozenset[HtmlElement]) -> HtmlElement:
    """The element holding the notice: where most of the page's Chinese text outside links is
    (each block's text counts for its parent and half for its grandparent, as in Readability);
    never a table or one of its rows, where the notice is around the table."""
    scores: dict[HtmlElement, float] = {}
    for block in page.iter("p", "td", "div", "li", "h1", "h2", "h3", "section", "span", "font"):
        own = (block.text or "") + "".join(child.tail or "" for child in block)
        chars = len(_CJK.findall(own))
        if chars < _rules()["min_block_chars"]:
            continue
        parent = block.getparent()
        for ancestor, weight in ((parent, 1.0), (parent.getparent() if parent is not None else None, 0.5)):
            if ancestor is not None:
                scores[ancestor] = scores.get(ancestor, 0.0) + weight * chars
    if not scores:
        body = page.find("body")
        return body if body is not None else page
    best = max(scores, key=lambda element: scores[element] * (1 - _link_share(element)))
    while best.tag in ("tr", "thead", "tbody", "table") or best in css_table_parts:
        parent = best.getparent()
        if parent is None:
            break
        best = parent
    return best


def _link_share(element: HtmlElement) -> float:
    text = len(_CJK.findall(element.text_content()))
    links = sum(len(_CJK.findall(a.text_content())) for a in element.iter("a"))
    return links / text if text else 1.0


_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote", "center", "pre"}


def _html_lines(element: HtmlElement, tables: CssTables) -> Iterator[str]:
    """The element's text, a line per block and per <br>, tables a line per row."""
    buffer: list[str] = []

    def flush() -> Iterator[str]:
        line = one_line("".join(buffer))
        buffer.clear()
        if line:
            yield line

    def walk(node: HtmlElement) -> Iterator[str]:
        if node.text:
            buffer.append(node.text)
        for child in node:
            if not isinstance(child.tag, str):  # a comment
                pass
            elif child.tag == "table":
                yield from flush()
                yield from table_lines(html_rows(child, tables))
            elif child in tables.cells:
                yield from flush()
                yield from _css_table_lines(child, tables)
            elif child.tag == "br":
                yield from flush()
            elif child.tag in _BLOCKS:
                yield from flush()
                yield from walk(child)
                yield from flush()
            else:
                yield from walk(child)
            if child.tail:
                buffer.append(child.tail)

    if element in tables.cells:  # a cell that is a table itself
        yield from _css_table_lines(element, tables)
        return
    yield from walk(element)
    yield from flush()


def _css_table_lines(container: HtmlElement, tables: CssTables) -> Iterator[str]:
    yield from table_lines([[_cell_text(cell, tables) for cell in row] for row in tables.cells[container]])


def _cell_text(cell: HtmlElement, tables: CssTables) -> str:
    return "\n".join(_html_lines(cell, tables))


def html_rows(table: HtmlElement, tables: CssTables | None = None) -> list[list[str]]:
    """The table as a grid: a cell spanning rows or columns repeated in each place it covers."""
    grid: dict[tuple[int, int], str] = {}
    rows = [row for row in table.iter("tr") if _own_table(row) is table]
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = _cell_text(cell, tables or CssTables({}, frozenset()))
            for dr in range(_span(cell, "rowspan")):
                for dc in range(_span(cell, "colspan")):
                    grid[(r + dr, c + dc)] = text
            c += _span(cell, "colspan")
    width = 1 + max((c for _, c in grid), default=0)
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _own_table(row: HtmlElement) -> HtmlElement | None:
    parent = row.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(cell: HtmlElement, attribute: str) -> int:
    try:
        return max(1, min(int(cell.get(attribute, "1")), 100))
    except ValueError:
        return 1


def _page_title(page: HtmlElement) -> str:
    """The page's <h1>, else its <title> without the site's name (…_中国政府网)."""
    for heading in page.iter("h1"):
        return one_line(heading.text_content())
    for title in page.iter("title"):
        return re.split(r"\s*[_|｜-]\s*[^_|｜-]*(?:网|政府|门户)[^_|｜-]*$", one_line(title.text_content()))[0]
    return ""
