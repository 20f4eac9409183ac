"""Which files are notices gongwen reads, by their name, and why another file is not one; which
are gongwen's own outputs, which a batch passes over."""

from __future__ import annotations

import stat
from pathlib import Path

SUPPORTED = (".pdf", ".txt", ".docx", ".doc", ".wps", ".html", ".htm")
UNSUPPORTED = {
    ".ofd": "OFD format, not supported: export it as PDF",
    ".xls": "a spreadsheet, not a notice",
    ".xlsx": "a spreadsheet, not a notice",
    ".et": "a spreadsheet, not a notice",
    ".jpg": "an image: save the scan as a PDF, which gongwen reads by OCR",
    ".jpeg": "an image: save the scan as a PDF, which gongwen reads by OCR",
    ".png": "an image: save the scan as a PDF, which gongwen reads by OCR",
    ".tif": "an image: save the scan as a PDF, which gongwen reads by OCR",
    ".tiff": "an image: save the scan as a PDF, which gongwen reads by OCR",
    ".json": "a record or data, not a notice (gongwen review and diff read gongwen's records)",
    ".zip": "an archive: unpack it first",
    ".rar": "an archive: unpack it first",
    ".7z": "an archive: unpack it first",
}
OWN_OUTPUTS = (".review.html", ".diff.xlsx", ".bak.xlsx")
GENERATOR_MARK = b'<meta name="generator" content="gongwen">'


def is_own_output(path: Path) -> bool:
    """A page or workbook gongwen wrote beside a notice (`gongwen review`, `gongwen diff`), by its
    name or, for a page renamed since, by the generator mark in its head."""
    if path.name.lower().endswith(OWN_OUTPUTS):
        return True
    if path.suffix.lower() not in (".html", ".htm") or not is_regular(path):
        return False
    try:
        with path.open("rb") as page:
            return GENERATOR_MARK in page.read(512)
    except OSError:
        return False


def is_regular(path: Path) -> bool:
    """A file to read: a pipe or device below INPUT would block the reader forever.  A broken
    link counts, so that reading it fails and says why."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True


def why_skipped(path: Path) -> str:
    """Why a file is no notice gongwen reads, in a few words."""
    if not is_regular(path):
        return "not a regular file (a pipe, socket or device)"
    suffix = path.suffix.lower()
    return UNSUPPORTED.get(suffix, f"not a notice format ({suffix or 'no file extension'})")
