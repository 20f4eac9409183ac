"""`pipeline.collector.paused`: no collection inside the block, the collector as it was after,
and with `freeze` what the block made set aside."""

from __future__ import annotations

import gc

import pytest

from pipeline.collector import paused


def test_the_collector_is_paused_in_the_block_and_as_it_was_after() -> None:
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # paused by someone else: left so
    finally:
        gc.enable()


def test_an_error_in_the_block_leaves_the_collector_running() -> None:
    with pytest.raises(ValueError), paused():
        raise ValueError("a workbook that could not be built")
    assert gc.isenabled()


def test_freeze_sets_aside_what_the_block_made() -> None:
    frozen = gc.get_freeze_count()
    try:
        with paused(freeze=True):
            made = [[index] for index in range(1000)]
        assert gc.get_freeze_count() >= frozen + len(made)
    finally:
        gc.unfreeze()
