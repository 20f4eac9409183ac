"""What one input may cost (limits in `extractors/lexicon/budget.toml`): the readers call these
checks before the costly step, and a file past a limit is an `InputError` saying which limit,
so a zip bomb, a document of millions of empty paragraphs or a 30 MB line is refused in
milliseconds instead of taking a worker's memory."""

from __future__ import annotations

import io
import zipfile
from functools import cache

from extractors.vocab import table
from pipeline.errors import InputError

_CENTRAL_HEADER = b"PK\x01\x02"  # opens each part's entry in a zip's central directory


@cache
def _limits() -> dict[str, int]:
    return table("budget.toml")


def check_text(length: int) -> None:
    """Refuse a text of more than `max_chars` characters."""
    limit = _limits()["max_chars"]
    if length > limit:
        raise InputError(f"too long: {length:,} characters of text, over the {limit:,} a notice may have")


def check_text_bytes(size: int) -> None:
    """Refuse, before decoding, a text file too large to hold at most `max_chars` characters
    (each takes at most 4 bytes, in UTF-8, UTF-16 or GB18030)."""
    limit = _limits()["max_chars"]
    if size > 4 * limit:
        raise InputError(f"too long: {_mb(size)} of text, more than the {limit:,} characters a notice may have")


def check_markup(size: int, what: str) -> None:
    """Refuse markup of more than `max_markup_bytes` to parse (`what`: a web page, a part's name)."""
    limit = _limits()["max_markup_bytes"]
    if size > limit:
        raise InputError(f"too large: {what} holds {_mb(size)} of markup, over the {_mb(limit)} gongwen parses")


def check_package(data: bytes) -> None:
    """Refuse a zip package (.docx) whose parts would inflate past their limits, judged before
    anything is inflated from the sizes its central directory declares: zipfile never inflates a
    part past its declared size (it stops there and fails the CRC check), so what is declared is
    the most it can cost. The parts are counted first, by their entries' signature, because
    listing them is itself costly."""
    limits = _limits()
    if data.count(_CENTRAL_HEADER) > limits["max_package_parts"]:
        raise InputError(f"too many parts: a Word package of over {limits['max_package_parts']:,} parts")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise InputError(f"corrupt Word file: {error}") from error
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            check_markup(part.file_size, part.filename)
    total = sum(part.file_size for part in parts)
    if total > limits["max_package_bytes"]:
        limit = _mb(limits["max_package_bytes"])
        raise InputError(f"too large: the Word package inflates to {_mb(total)}, over the {limit} gongwen reads")


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"
