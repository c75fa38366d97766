"""How the verifier hands out a database's log: seq ranges that cover it once, in order,
aligned so that each full chunk is a perfect subtree, and small at the end."""

from __future__ import annotations

import pytest

from ledger.verify import Position, Verifier
from ledger.verify_source import CHUNK, TAIL_SPLIT, LogSource


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK, 5 * CHUNK + 3, 37 * CHUNK + 1000])
def test_chunks_cover_the_log_once_in_order(size: int) -> None:
    chunks = list(LogSource("sqlite:///unused.db", size).chunks())
    starts, ends = [low for low, _ in chunks], [high for _, high in chunks]
    assert starts == [0] + ends[:-1] if size else chunks == []
    assert ends[-1:] == ([size] if size else [])
    assert all(low < high for low, high in chunks)


def test_full_chunks_are_perfect_subtrees_and_the_last_four_chunks_worth_go_out_smaller() -> None:
    size = 37 * CHUNK + 1000
    chunks = list(LogSource("sqlite:///unused.db", size).chunks())
    small = CHUNK // TAIL_SPLIT
    for low, high in chunks:
        width = high - low
        assert width in (CHUNK, small) or high == size
        assert low % width == 0 or high == size  # aligned: one perfect subtree of the tree
    assert sum(high - low for low, high in chunks if high - low < CHUNK) <= 4 * CHUNK
    assert chunks[-2][1] - chunks[-2][0] == small


def test_positions_given_as_a_generator_are_checked_in_workers_as_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # An in-memory database is verified from an iterator of positions; with more than two
    # chunks the verifier forks workers and sends them the source with every chunk.
    import ledger.verify_source

    monkeypatch.setattr(ledger.verify_source, "CHUNK", 3)
    reports = [Verifier().run((Position(seq, "ab" * 32, None) for seq in range(1, 20)), workers=workers)
               for workers in (1, 2)]
    assert [p.as_dict() for p in reports[0].problems] == [p.as_dict() for p in reports[1].problems]
    assert [p.code for p in reports[1].problems][:19] == ["event.missing"] * 19
