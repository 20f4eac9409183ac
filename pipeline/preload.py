"""Imported once by the batch's fork server (`LocalPool`), never by hand: every worker is
forked from a process that has the pipeline imported and jieba's dictionary read, so a
worker starts at once and shares that memory with the others."""

from pipeline.worker import warm_up

warm_up()
