"""Stage 3b: a `Document` that bundles several plans → one `Document` per plan.

A compilation (国务院安委会办公室 sends 31 sectors' 子方案 under one notice) is one file but
many plans, each with its own title, sections, tasks and, often, its own addressees: an
analyst files each apart.  Each plan's document is the covering notice, the plan, and the
file's 版记, cut out of the normalised text (spans still lead back to the source file's
pages); a part without headings (a cover page and its table of contents) is no plan.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby

from schemas.document import Block, BlockKind, Document

FILE_WIDE: frozenset[BlockKind] = frozenset({"openness", "cc", "printed", "contact"})  # the 版记 closes the file


def split_plans(doc: Document) -> list[Document]:
    """One document per plan where the file bundles two or more; else the document as it is."""
    plans = sorted({b.part for b in doc.blocks if b.kind == "heading" and b.part > 0})
    if len(plans) < 2:
        return [doc]
    return [
        replace(
            _excerpt(doc, [i for i, b in enumerate(doc.blocks) if b.part in (0, part) or b.kind in FILE_WIDE]),
            plan=number,
            plans=len(plans),
        )
        for number, part in enumerate(plans, 1)
    ]


def _excerpt(doc: Document, kept: list[int]) -> Document:
    """The document of the blocks at these indices; a run of neighbouring blocks is one range of
    the text, so the breaks between their paragraphs stay as they were."""
    runs = [[index for _, index in run] for _, run in groupby(enumerate(kept), lambda pair: pair[1] - pair[0])]
    ranges = [(doc.blocks[run[0]].start, doc.blocks[run[-1]].end) for run in runs]
    text, shifts = doc.text.excerpt(ranges)
    blocks = [_moved(doc.blocks[index], shift) for run, shift in zip(runs, shifts, strict=True) for index in run]
    return Document(text=text, blocks=tuple(blocks))


def _moved(block: Block, shift: int) -> Block:
    return replace(block, start=block.start + shift, end=block.end + shift)
