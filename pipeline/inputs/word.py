"""Word documents → `SourceText`: .docx through python-docx; old .doc and WPS files converted
to .docx by LibreOffice headless first.  A paragraph's page is known from the page breaks Word
recorded when it last laid the document out.

A paragraph's text is read from its XML, not python-docx's `Paragraph.text`, which reads only
the runs and hyperlinks directly in the paragraph: so no wrapper hides text (smart tags,
inline and block content controls (w:sdt), fields, custom XML), tracked changes read as
accepted (insertions in, deletions out), a text box's paragraphs (w:txbxContent, where
red-head templates put the 发文字号) are lines of their own where the box is anchored, and a
list paragraph starts with the number Word draws for it (`word_numbers`).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table, _Row
from lxml import etree
from lxml.etree import _Element

from pipeline.errors import InputError
from pipeline.inputs.budget import check_package
from pipeline.inputs.markup import Block, one_line, source_of, table_lines
from pipeline.inputs.word_numbers import ListNumbers
from schemas.source import SourceFormat, SourceText

CONVERSION_SECONDS = 90
MARKUP_COMPATIBILITY = "http://schemas.openxmlformats.org/markup-compatibility/2006"  # mc:, not in python-docx's nsmap


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
    check_package(package)
    try:
        document = docx.Document(io.BytesIO(package))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as error:
        # XMLSyntaxError: also what libxml2 raises at its own limits (entities that expand a
        # thousandfold, a text node over 10 MB), which python-docx's parser keeps
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
    reader = _Reader(document)
    page = 1
    for element in _block_elements(document.element.body):
        if element.tag == _P:
            page += _page_breaks(element)
            for line in reader.paragraph_lines(element):
                yield line, page
        else:
            _lift_table_wrappers(element)
            for line in table_lines(reader.rows(Table(element, document))):  # type: ignore[arg-type]
                yield line, page
            page += sum(_page_breaks(p) for p in element.iter(_P))


_P, _TBL, _TR, _T, _TXBX = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:t"), qn("w:txbxContent")
_TABS = {qn("w:tab"), qn("w:ptab")}
_HYPHEN = qn("w:noBreakHyphen")
# what holds block content (paragraphs, tables) around it: a content control, custom XML
_BLOCK_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}
# what holds no text that is shown: properties, deleted or moved-away text, field codes, the
# fallback copy of a drawing (its mc:Choice is read)
_HIDDEN = {qn(tag) for tag in ("w:pPr", "w:rPr", "w:sdtPr", "w:del", "w:moveFrom", "w:instrText", "w:delText",
                               "w:delInstrText")} | {f"{{{MARKUP_COMPATIBILITY}}}Fallback"}  # fmt: skip


def _lift_table_wrappers(table: _Element) -> None:
    """Rows and cells inside content controls or custom XML take the wrapper's place: python-docx
    reads only a table's own w:tr and a row's own w:tc."""
    while True:
        found = ((e, e.getparent()) for e in table.iter(*_BLOCK_WRAPPERS))
        wrapper, parent = next(((e, p) for e, p in found if p is not None and p.tag in (_TBL, _TR)), (None, None))
        if wrapper is None or parent is None:
            return
        content = wrapper.find(qn("w:sdtContent")) if wrapper.tag == qn("w:sdt") else wrapper
        for child in list(content if content is not None else ()):
            if child.tag not in _HIDDEN and child.tag != qn("w:customXmlPr"):
                wrapper.addprevious(child)
        parent.remove(wrapper)


def _block_elements(container: _Element) -> Iterator[_Element]:
    """The paragraphs and tables of a body, cell or text box in document order, content controls opened."""
    for child in container.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _block_elements(child)


class _Reader:
    """A document's paragraphs as lines, its list numbers counted in document order."""

    def __init__(self, document: WordDocument) -> None:
        self.numbers = ListNumbers(document)
        self.carried = ""  # the text of a paragraph whose mark was deleted: it joins the next
        self.cells: dict[_Element, str] = {}  # a merged cell is met once per grid place it covers

    def paragraph_lines(self, paragraph: _Element) -> Iterator[str]:
        """The paragraph as a line, with its list number; its text boxes' lines before it when
        the box is anchored ahead of the paragraph's text, after it otherwise."""
        parts: list[str] = []
        boxes: list[tuple[_Element, bool]] = []
        _inline_text(paragraph, parts, boxes)
        before = [line for box, ahead in boxes if ahead for line in self._box_lines(box)]
        after = [line for box, ahead in boxes if not ahead for line in self._box_lines(box)]
        yield from before
        text = self.carried + self.numbers.label(paragraph) + "".join(parts)
        self.carried = ""
        if _mark_deleted(paragraph):
            self.carried = text
        elif one_line(text):
            yield one_line(text)
        yield from after

    def _box_lines(self, box: _Element) -> Iterator[str]:
        for element in _block_elements(box):
            if element.tag == _P:
                yield from self.paragraph_lines(element)

    def rows(self, table: Table) -> list[list[str]]:
        """The table's text by rows; a merged cell's text in every row and column it covers; a
        row deleted by a tracked change left out."""
        return [[self._cell_text(cell._tc) for cell in row.cells] for row in table.rows if not _row_deleted(row)]

    def _cell_text(self, cell: _Element) -> str:
        if cell not in self.cells:
            lines = [line for p in _block_elements(cell) if p.tag == _P for line in self.paragraph_lines(p)]
            self.cells[cell] = "\n".join(lines)
        return self.cells[cell]


def _inline_text(element: _Element, parts: list[str], boxes: list[tuple[_Element, bool]]) -> None:
    """The text shown in a paragraph, whatever wraps its runs (hyperlinks, smart tags, fields,
    content controls, insertions), into `parts`; its text boxes into `boxes`, each with whether
    it is anchored before any of the paragraph's text."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag in _TABS:
            parts.append("\t")
        elif tag == _HYPHEN:
            parts.append("-")
        elif tag == _TXBX:
            boxes.append((child, not "".join(parts).strip()))
        elif tag not in _HIDDEN:
            _inline_text(child, parts, boxes)


def _mark_deleted(paragraph: _Element) -> bool:
    """The paragraph mark is a tracked deletion: accepted, the paragraph runs on into the next."""
    return paragraph.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}") is not None


def _row_deleted(row: _Row) -> bool:
    return row._tr.find(f"{qn('w:trPr')}/{qn('w:del')}") is not None


def _page_breaks(paragraph: _Element) -> int:
    """Page breaks before this paragraph's text: the ones Word recorded at its last layout, or
    typed ones where it recorded none."""
    rendered = len(paragraph.findall(f".//{qn('w:lastRenderedPageBreak')}"))
    typed = sum(1 for br in paragraph.iter(qn("w:br")) if br.get(qn("w:type")) == "page")
    return rendered or typed
