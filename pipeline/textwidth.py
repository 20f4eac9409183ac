"""How wide Chinese text is set: a CJK character or full-width mark takes a whole em (two of
Excel's character units), an ASCII character half of one.  Used to read a PDF line's layout,
to find where a text file was hard-wrapped, and to fit a workbook's columns."""

from __future__ import annotations

import re

_WIDE = re.compile("[\u2e80-\U0010ffff“”‘’—…·]")
_NARROW = re.compile("[^\u2e80-\U0010ffff“”‘’—…·]")


def is_wide(ch: str) -> bool:
    """A character set a whole em wide: an ideograph or full-width punctuation."""
    return _WIDE.match(ch) is not None


def ems(text: str) -> float:
    """The text's width in ems (CJK characters)."""
    return excel_width(text) / 2


def excel_width(text: str) -> int:
    """The text's width in Excel's character units: a CJK character counts two.  Counted by
    the narrow characters, which are few in Chinese text (a list of every wide one made this
    the workbooks' costliest function)."""
    return len(text) if text.isascii() else 2 * len(text) - len(_NARROW.findall(text))
