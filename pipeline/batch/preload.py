"""Imported once by the batch's fork server (`LocalPool`), never by hand: every worker is
forked from a process that has the pipeline imported and jieba's dictionary read, so a
worker starts at once and shares that memory with the others.

`gc.freeze()` moves what is loaded out of the collector's sight: otherwise a worker's first
full collection writes to every object's header and so copies every shared page."""

import gc
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: no traceback from a half-loaded server

from pipeline.batch.worker import warm_up  # noqa: E402 - after the signal: the import takes seconds

warm_up()
gc.freeze()
