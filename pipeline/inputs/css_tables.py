"""Tables a web page lays out with CSS instead of <table>: rows and cells of divs styled
display: table-row / table-cell (a display: table around them, or none), or a grid of divs
(display: grid with its columns in grid-template-columns).  The styles come from each
element's style attribute and the page's <style> sheets, parsed by tinycss2, their selectors
matched by cssselect, the later and more specific rule winning as in a browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import cssselect
import tinycss2
from lxml.html import HtmlElement

from extractors.vocab import table

Cells = list[list[HtmlElement]]  # a table's rows, each a list of its cells (a cell spanning columns repeated)
_PROPERTIES = ("display", "grid-template-columns", "grid-column")
_ROW_GROUPS = {"table-row-group", "table-header-group", "table-footer-group"}


@dataclass(frozen=True, slots=True)
class CssTables:
    """The page's CSS tables: each container with its rows of cells, and every element that is
    a container or a row (where a reader looking for the notice's block must not stop)."""

    cells: dict[HtmlElement, Cells]
    parts: frozenset[HtmlElement]


def css_tables(page: HtmlElement) -> CssTables:
    styles = _styles(page)
    display = {element: value["display"] for element, value in styles.items() if "display" in value}
    found = {**_table_rows(page, display), **_grids(page, styles, display)}
    tables = {container: rows for container, rows in found.items() if _is_a_table(rows)}
    parts = {element for container in tables for element in container.iter() if display.get(element) in _CONTAINERS}
    return CssTables(tables, frozenset(parts | set(tables)))


_CONTAINERS = {"table", "inline-table", "table-row", "grid", "inline-grid", "contents"} | _ROW_GROUPS


def _table_rows(page: HtmlElement, display: dict[HtmlElement, str]) -> dict[HtmlElement, Cells]:
    """display: table-row (or a parent of display: table-cell, an anonymous row) → its cells,
    gathered under the nearest display: table, else under the rows' parent."""
    rows: list[HtmlElement] = []
    for element in page.iter():
        value = display.get(element)
        if value == "table-row" or (value == "table-cell" and _anonymous_row(element, display, rows)):
            rows.append(element if value == "table-row" else element.getparent())
    tables: dict[HtmlElement, Cells] = {}
    for row in rows:
        container = row.getparent()
        while container is not None and display.get(container) in _ROW_GROUPS:
            container = container.getparent()
        if container is None:
            continue
        children = [child for child in row if isinstance(child.tag, str)]
        cells = [child for child in children if display.get(child) == "table-cell"] or children
        tables.setdefault(container, []).append(cells)
    return tables


def _anonymous_row(cell: HtmlElement, display: dict[HtmlElement, str], rows: list[HtmlElement]) -> bool:
    parent = cell.getparent()
    return parent is not None and display.get(parent) != "table-row" and (not rows or rows[-1] is not parent)


def _grids(
    page: HtmlElement, styles: dict[HtmlElement, dict[str, str]], display: dict[HtmlElement, str]
) -> dict[HtmlElement, Cells]:
    """display: grid with N column tracks → its items (display: contents opened) in rows of N."""
    grids: dict[HtmlElement, Cells] = {}
    for element, value in display.items():
        columns = _track_count(styles[element].get("grid-template-columns", ""))
        if value not in ("grid", "inline-grid") or columns < 2:
            continue
        rows: Cells = [[]]
        for item in _grid_items(element, display):
            span = _column_span(styles.get(item, {}).get("grid-column", ""), columns)
            if len(rows[-1]) + min(span, columns) > columns:
                rows.append([])
            rows[-1].extend([item] * min(span, columns))
        grids[element] = [row for row in rows if row]
    return grids


def _grid_items(grid: HtmlElement, display: dict[HtmlElement, str]) -> Iterator[HtmlElement]:
    for child in grid:
        if not isinstance(child.tag, str) or display.get(child) == "none":
            continue
        if display.get(child) == "contents":  # a row wrapper the grid looks through
            yield from _grid_items(child, display)
        else:
            yield child


def _track_count(template: str) -> int:
    """How many columns grid-template-columns lays out: 80px 1fr 1fr → 3, repeat(4, 1fr) → 4;
    0 where it depends on the page's width (repeat(auto-fill, …))."""
    count = 0
    for token in tinycss2.parse_component_value_list(template, skip_comments=True):
        if token.type == "function" and token.lower_name == "repeat":
            times, _, tracks = tinycss2.serialize(token.arguments).partition(",")
            if not times.strip().isdigit():
                return 0
            count += int(times) * _track_count(tracks)
        elif token.type in ("dimension", "percentage", "number", "ident", "function"):
            count += 1
    return count


def _column_span(value: str, columns: int) -> int:
    """The columns a grid item covers: span 2, 1 / 3, 1 / -1 (the whole row)."""
    parts = [part.strip() for part in value.split("/")]
    for part in parts:
        if part.startswith("span") and part[4:].strip().isdigit():
            return int(part[4:])
    try:
        start, end = (int(part) for part in parts)
    except ValueError:
        return 1
    return max(1, (columns + 2 + end if end < 0 else end) - start)


def _is_a_table(rows: Cells) -> bool:
    """Two rows or more of two cells or more, none holding more lines than a table's cell does
    (a grid that lays out the page holds the notice, or the site's menu, in one of its cells)."""
    limit = _rules()["max_css_cell_lines"]
    return (
        len(rows) >= 2
        and max(len(row) for row in rows) >= 2
        and all(sum(1 for _ in cell.iter(*_LINES)) <= limit for row in rows for cell in row)
    )


_LINES = ("p", "div", "li", "br", "tr", "h1", "h2", "h3", "h4", "h5", "h6")  # what starts a line of text


# ---------------------------------------------------------------- the cascade


def _styles(page: HtmlElement) -> dict[HtmlElement, dict[str, str]]:
    """The properties that lay out tables, for each element that has any: its <style> sheets'
    rules by specificity then order, its style attribute over them."""
    ranked: dict[HtmlElement, dict[str, tuple[tuple[int, int, int], int, str]]] = {}
    order = 0
    for sheet in page.iter("style"):
        for selector, declarations in _rules_of(sheet.text_content()):
            order += 1
            for element in page.xpath(cssselect.HTMLTranslator().selector_to_xpath(selector)):
                found = ranked.setdefault(element, {})
                for name, value in declarations.items():
                    rank = (selector.specificity(), order, value)
                    if name not in found or rank[:2] > found[name][:2]:
                        found[name] = rank
    styles = {element: {name: rank[2] for name, rank in found.items()} for element, found in ranked.items()}
    for element in page.iter():
        inline = element.get("style") if isinstance(element.tag, str) else None
        if inline:
            declared = _declarations(tinycss2.parse_declaration_list(inline, skip_comments=True, skip_whitespace=True))
            if declared:
                styles.setdefault(element, {}).update(declared)
    return styles


def _rules_of(sheet: str) -> Iterator[tuple[cssselect.Selector, dict[str, str]]]:
    """Each selector of a style sheet with the table properties its rule declares; rules inside
    @media for screens too, none for print alone; selectors cssselect cannot match left out."""
    for rule in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
        yield from _rule_selectors(rule)


def _rule_selectors(rule: Any) -> Iterator[tuple[cssselect.Selector, dict[str, str]]]:
    if rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content is not None:
        media = tinycss2.serialize(rule.prelude).lower()
        if "print" not in media or "screen" in media:
            for inner in tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True):
                yield from _rule_selectors(inner)
    if rule.type != "qualified-rule":
        return
    declared = _declarations(tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True))
    if not declared:
        return
    try:
        selectors = cssselect.parse(tinycss2.serialize(rule.prelude))
    except cssselect.SelectorError:
        return
    for selector in selectors:
        if selector.pseudo_element is None and _translatable(selector):
            yield selector, declared


def _translatable(selector: cssselect.Selector) -> bool:
    try:
        cssselect.HTMLTranslator().selector_to_xpath(selector)
    except cssselect.ExpressionError:  # :hover and the like match nothing on a saved page
        return False
    return True


def _declarations(declarations: list[Any]) -> dict[str, str]:
    return {
        d.lower_name: tinycss2.serialize(d.value).strip().lower()
        for d in declarations
        if d.type == "declaration" and d.lower_name in _PROPERTIES
    }


@cache
def _rules() -> dict[str, Any]:
    return table("html.toml")
