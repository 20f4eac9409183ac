"""What the readers of documents that mark their own paragraphs share (Word in `word`, web
pages in `web`): each paragraph becomes one line, marked as ending its paragraph, so the
normaliser never joins it to the next; a table becomes one line per row, its cells joined by
tabs (the form the structure stage reads table rows in), a cell merged over several rows
repeated in each of them and a row that is one cell across the table (a heading inside the
table) a line of its own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline.errors import InputError
from schemas.source import SourceFormat, SourceLine, SourceText

Block = tuple[str, int]  # a line of text and its page
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


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
        cells = [one_line(cell) for cell in row]
        if not any(cells):
            continue
        if len(set(cells)) == 1 or (sum(1 for c in cells if c) == 1 and len(cells) > 2 and cells[0]):
            yield cells[0]
        else:
            yield "\t".join(cells)


def one_line(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\n", "").replace("\r", "")).strip()
