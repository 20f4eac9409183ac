"""Word documents → `SourceText`: .docx through python-docx; old .doc and WPS files converted
to .docx by LibreOffice headless first.  A paragraph's page is known from the page breaks Word
recorded when it last laid the document out."""

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
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from pipeline.errors import InputError
from pipeline.inputs.budget import check_package
from pipeline.inputs.markup import Block, one_line, source_of, table_lines
from schemas.source import SourceFormat, SourceText

CONVERSION_SECONDS = 90


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
    page = 1
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            page += _page_breaks(item)
            text = one_line(item.text)
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
