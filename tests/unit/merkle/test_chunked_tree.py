"""The verifier's chunked tree: workers hash a chunk's leaves into its compact range
(``ledger.tree.compact_range``), the ordered walk joins the subtrees (``Accumulator.add_perfect``,
``Seal.add_range``). Any split of the leaves into chunks must give the oracle's roots at every
size the walk is asked for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.tree import Accumulator, compact_range
from ledger.verify_seal import Seal

from . import reference

DATA = [b"leaf %d" % i for i in range(300)]


@given(st.integers(0, 300), st.integers(0, 300))
def test_a_compact_range_joined_onto_the_leaves_before_it_gives_the_oracles_root(first: int, count: int) -> None:
    count = min(count, 300 - first)
    accumulator = Accumulator()
    for data in DATA[:first]:
        accumulator.add(data)
    subtrees = compact_range(first, DATA[first:first + count])
    for width, h in subtrees:
        accumulator.add_perfect(width, h)
    assert accumulator.size == first + count
    assert accumulator.root() == reference.mth(DATA[:first + count])
    assert sum(width for width, _ in subtrees) == count
    assert len(subtrees) <= 2 * max(count, 1).bit_length()


@pytest.mark.parametrize(("size", "width"), [(0, 3), (1, 2), (6, 4), (4, 0)])
def test_a_subtree_that_is_not_one_of_the_trees_is_refused(size: int, width: int) -> None:
    accumulator = Accumulator()
    for data in DATA[:size]:
        accumulator.add(data)
    with pytest.raises(ValueError, match="not a perfect subtree"):
        accumulator.add_perfect(width, b"\x00" * 32)
    assert accumulator.size == size


def _checkpointed(sizes: list[int]) -> Seal:
    return Seal([(size, None, None) for size in sizes])


@given(st.lists(st.integers(1, 40), min_size=1, max_size=12), st.lists(st.integers(1, 200), max_size=6))
def test_chunks_of_any_length_record_the_oracles_root_at_every_checkpoint_size(lengths: list[int], wanted: list[int]) -> None:
    seal, at, joined = _checkpointed(wanted), 0, 0
    for length in lengths:
        chunk = DATA[at:at + length]
        if seal.add_range(at, compact_range(at, chunk)):
            joined += 1
        else:  # a checkpoint size inside a subtree: leaf by leaf, as the walk then does
            for data in chunk:
                seal.add(data)
        at += len(chunk)
    assert seal.accumulator.root() == reference.mth(DATA[:at])
    assert seal.roots == {size: reference.mth(DATA[:size]) for size in set(wanted) if size <= at}


def test_a_range_is_refused_when_a_checkpoint_size_falls_inside_one_of_its_subtrees() -> None:
    seal = _checkpointed([5])
    assert not seal.add_range(0, compact_range(0, DATA[:8]))  # one subtree of 8 leaves
    assert seal.accumulator.size == 0
    assert seal.add_range(0, compact_range(0, DATA[:5]))  # 4 + 1: size 5 is a subtree's end
    assert seal.roots == {5: reference.mth(DATA[:5])}


def test_a_range_is_refused_when_the_tree_is_not_where_it_starts() -> None:
    seal = _checkpointed([])
    seal.add(DATA[0])
    assert not seal.add_range(0, compact_range(0, DATA[:4]))  # a gap or a repeat before the chunk
    assert not seal.add_range(2, compact_range(2, DATA[2:4]))
    assert seal.accumulator.size == 1
