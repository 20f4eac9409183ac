"""Imported once by the batch's fork server (`LocalPool`), never by hand: every worker is
forked from a process that has the pipeline imported and jieba's dictionary read, so a
worker starts at once and shares that memory with the others (and so does the process that
writes the 督办台账 at the end of a batch).

`gc.freeze()` moves what is loaded out of the collector's sight: otherwise a worker's first
full collection writes to every object's header and so copies every shared page.  The
collector is paused while the pipeline is imported: the full collections the import would set
off walk every object spaCy made and free nothing."""

import gc
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: no traceback from a half-loaded server

from pipeline.collector import paused  # noqa: E402

with paused(freeze=True):
    from pipeline.batch.worker import warm_up  # the import takes seconds
    from pipeline.inputs import pdf, web, word  # noqa: F401 - every format's reader, which `load` imports on first use
    from pipeline.outputs import tracker  # noqa: F401 - for the helper that writes the 督办台账, forked from here too

warm_up()
gc.freeze()
