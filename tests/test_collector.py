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
    with paused(freeze=True):
        made = [[index] for index in range(10)]
    later = [[index] for index in range(10)]
    collected = {id(thing) for thing in gc.get_objects()}  # frozen objects are out of the collector's sight
    assert id(made[0]) not in collected and id(later[0]) in collected
