"""``paused_collection`` turns the cyclic collector off for its body and restores it after."""

from __future__ import annotations

import gc

import pytest

from ledger.collecting import paused_collection


def test_the_collector_is_off_inside_and_back_on_after_even_on_an_exception() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_collection():
        assert not gc.isenabled()
        raise RuntimeError("the body failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with paused_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
