"""Stage 1: a file on disk → `SourceText`, its text with every line tied to a page.

The format is read from the file's first bytes, not its name; each format has its reader in
this package: `text` (with its encoding read from the bytes), `pdf`, `word`, `web`.  A reader
is imported when its format is first met (pdfplumber, python-docx and lxml take a third of a
second that a text notice does not need); the batch's fork server imports them all up front.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import InputError
from pipeline.files import readable
from pipeline.inputs import budget
from pipeline.inputs.text import decode, load_text
from schemas.source import SourceText

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office and WPS files


def load(path: Path) -> SourceText:
    """Read a notice file into text with a page map, the file named by its readable path (a GBK
    name decoded: `files.readable`); raises `InputError` for what cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror or error}") from error
    return load_bytes(Path(readable(path)), data)


def load_bytes(path: Path, data: bytes) -> SourceText:
    """`load` for a file already read: a batch worker gets the bytes, not the disk; a file past
    the input budget (`budget`) is refused."""
    source = _read(path, data)
    budget.check_text(len(source.text))
    return source


def _read(path: Path, data: bytes) -> SourceText:
    if not data.strip():
        raise InputError("empty file")
    suffix = path.suffix.lower()
    if data[:1024].lstrip().startswith(PDF_MAGIC) or PDF_MAGIC in data[:1024]:
        from pipeline.inputs.pdf import load_pdf

        return load_pdf(path, data)
    if suffix == ".pdf":
        raise InputError("not a PDF: the file does not start with %PDF (corrupt or mislabelled)")
    if data.startswith(OLE_MAGIC) or suffix in (".doc", ".wps"):
        from pipeline.inputs.word import load_legacy_word

        return load_legacy_word(path, data)
    if data.startswith(ZIP_MAGIC):
        if b"word/document.xml" not in data[:65536] and suffix != ".docx":
            raise InputError("a zip archive, not a Word document")
        from pipeline.inputs.word import load_docx

        return load_docx(path, data)
    if suffix == ".docx":
        raise InputError("not a Word .docx file: it is not a zip package (an old .doc renamed?)")
    if suffix in (".html", ".htm") or re.match(rb"\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html)", data[:512].lower()):
        budget.check_markup(len(data), "the web page")
        from pipeline.inputs.web import load_html

        return load_html(path, data, decode(data)[0])
    budget.check_text_bytes(len(data))
    return load_text(path, data)
