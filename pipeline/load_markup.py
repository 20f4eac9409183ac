"""Stage 1 for documents that mark their own paragraphs: Word (.docx, python-docx; old .doc
and WPS files converted to .docx by LibreOffice) and web pages (.html, lxml) → `SourceText`.

Each paragraph becomes one line, marked as ending its paragraph, so the normaliser never
joins it to the next; a table becomes one line per row, its cells joined by tabs (the form
the structure stage reads table rows in), a cell merged over several rows repeated in each
of them and a row that is one cell across the table (a heading inside the table) a line of
its own.  A Word paragraph's page is known from the page breaks Word recorded when it last
laid the document out; a web page is one page.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, cast

import docx
import lxml.html
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import ParserError
from lxml.html import HtmlElement

from extractors.vocab import table
from pipeline.errors import InputError
from schemas.source import SourceFormat, SourceLine, SourceText

CONVERSION_SECONDS = 90
Block = tuple[str, int]  # a line of text and its page
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def source_of(path: Path, data: bytes, source_format: SourceFormat, blocks: Sequence[Block]) -> SourceText:
    """The lines of a document whose paragraphs were marked: one line per block."""
    lines, parts, offset = [], [], 0
    for text, page in blocks:
        lines.append(SourceLine(start=offset, end=offset + len(text), page=page, ends_paragraph=True))
        parts.append(text + "\n")
        offset += len(text) + 1
    if not lines:
        raise InputError(f"no text: the {source_format} file holds no paragraphs")
    return SourceText(
        path=path,
        format=source_format,
        text="".join(parts),
        lines=tuple(lines),
        page_count=lines[-1].page,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def table_lines(rows: Sequence[Sequence[str]]) -> Iterator[str]:
    """A table's rows as lines: cells joined by tabs, a row of one value across the table alone."""
    for row in rows:
        cells = [_one_line(cell) for cell in row]
        if not any(cells):
            continue
        if len(set(cells)) == 1 or (sum(1 for c in cells if c) == 1 and len(cells) > 2 and cells[0]):
            yield cells[0]
        else:
            yield "\t".join(cells)


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\n", "").replace("\r", "")).strip()


# ---------------------------------------------------------------- Word


def load_docx(path: Path, data: bytes) -> SourceText:
    return _word_source(path, data, data, "docx")


def load_legacy_word(path: Path, data: bytes) -> SourceText:
    """An old Word (.doc) or WPS file, converted to .docx by LibreOffice when it is installed."""
    source_format: SourceFormat = "wps" if path.suffix.lower() == ".wps" else "doc"
    source = _word_source(path, data, _converted(data, source_format), source_format)
    unreadable = source.text.count("\ufffd")
    if unreadable > 0.02 * len(source.text):  # LibreOffice imports what it cannot parse as plain text
        raise InputError(f"LibreOffice could not read it as a {source_format.upper()} file (corrupt?)")
    return source


def _word_source(path: Path, data: bytes, package: bytes, source_format: SourceFormat) -> SourceText:
    try:
        document = docx.Document(io.BytesIO(package))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(f"corrupt Word file: {error}") from error
    return source_of(path, data, source_format, list(_word_blocks(document)))


def _converted(data: bytes, source_format: str) -> bytes:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise InputError(
            f"old {source_format.upper()} format: gongwen reads it through LibreOffice, which is not installed "
            "(apt-get install libreoffice-writer-nogui); or save it as .docx"
        )
    with tempfile.TemporaryDirectory(prefix="gongwen-") as folder:
        source = Path(folder) / f"notice.{source_format}"
        source.write_bytes(data)
        profile = Path(folder, "profile").as_uri()  # its own profile: parallel workers do not share a lock
        command = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
                   "--outdir", folder, str(source)]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERSION_SECONDS, check=False)
        except subprocess.TimeoutExpired as error:
            raise InputError(f"LibreOffice took longer than {CONVERSION_SECONDS} s to convert it") from error
        target = source.with_suffix(".docx")
        if not target.exists():
            raise InputError(f"LibreOffice could not read it as a {source_format.upper()} file (corrupt?)")
        return target.read_bytes()


def _word_blocks(document: WordDocument) -> Iterator[Block]:
    page = 1
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            page += _page_breaks(item)
            text = _one_line(item.text)
            if text:
                yield text, page
        elif isinstance(item, Table):
            for line in table_lines(_word_rows(item)):
                yield line, page
            page += sum(_page_breaks(p) for row in item.rows for cell in row.cells for p in cell.paragraphs)


def _page_breaks(paragraph: Paragraph) -> int:
    """Page breaks before this paragraph's text: the ones Word recorded at its last layout, or
    typed ones where it recorded none."""
    element = paragraph._p
    rendered = len(element.findall(f".//{qn('w:lastRenderedPageBreak')}"))
    typed = sum(1 for br in element.iter(qn("w:br")) if br.get(qn("w:type")) == "page")
    return rendered or typed


def _word_rows(table: Table) -> list[list[str]]:
    """The table's text by rows; a merged cell's text in every row and column it covers."""
    return [[cell.text for cell in row.cells] for row in table.rows]


# ---------------------------------------------------------------- web pages


def load_html(path: Path, data: bytes, text: str) -> SourceText:
    """A web page: its bytes, and their text decoded as a text file's are."""
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str that declares its encoding
    try:
        page = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as error:
        raise InputError(f"not a web page: {error}") from error
    for junk in list(page.iter(*_rules()["not_content"])):
        cast(HtmlElement, junk).drop_tree()  # its tail is the parent's text and stays
    body = article(page)
    blocks = list(_html_lines(body))
    title = _page_title(page)
    if title and not any(title in line for line in blocks[:3]):
        blocks.insert(0, title)
    return source_of(path, data, "html", [(line, 1) for line in blocks])


@cache
def _rules() -> dict[str, Any]:
    return table("html.toml")


def article(page: HtmlElement) -> HtmlElement:
    """The element holding the notice: where most of the page's Chinese text outside links is
    (each block's text counts for its parent and half for its grandparent, as in Readability)."""
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
    while best.tag in ("tr", "thead", "tbody", "table"):  # the notice's own table: the content is around it
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


def _html_lines(element: HtmlElement) -> Iterator[str]:
    """The element's text, a line per block and per <br>, tables a line per row."""
    buffer: list[str] = []

    def flush() -> Iterator[str]:
        line = _one_line("".join(buffer))
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
                yield from table_lines(html_rows(child))
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

    yield from walk(element)
    yield from flush()


def html_rows(table: HtmlElement) -> list[list[str]]:
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
            text = "\n".join(_html_lines(cell))
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
        return _one_line(heading.text_content())
    for title in page.iter("title"):
        return re.split(r"\s*[_|｜-]\s*[^_|｜-]*(?:网|政府|门户)[^_|｜-]*$", _one_line(title.text_content()))[0]
    return ""
