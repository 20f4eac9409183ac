"""The garbage collector paused while work makes many objects that live until it ends.

CPython's collector runs whenever enough new objects have been made, and now and then walks
every object the process holds.  Loading the pipeline (spaCy's and the vocabularies' objects),
building the 督办台账 (a tuple for each of its 150,000 cells, held until the workbook is
written) and reading one back make hundreds of thousands of objects that all live on, so those
collections free nothing: they took a tenth of a small notice's run and 30 % of the 督办台账's
writing.  (A notice's own workbook, some 2,000 cells, measured no difference.)
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
