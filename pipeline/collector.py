"""The garbage collector paused while work makes many objects that live until it ends.

CPython's collector runs whenever enough new objects have been made, and now and then walks
every object the process holds.  Loading the pipeline (spaCy's and the vocabularies' objects)
and building a workbook (a tuple for each cell, held until the workbook is written) make
hundreds of thousands of objects that all live on, so those collections free nothing: they
took a tenth of a small notice's run, 15 % of a notice's workbook and 30 % of the 督办台账.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """No collection inside the block; with `freeze`, what the block made is then set aside
    for good (`gc.freeze`: what is loaded once and kept for the process's life)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
