"""Proofs from stored subtree hashes (the ``*_from`` builders and ``range_hash``), sizes 1..70.

A fake store answers perfect subtrees only, from hashes the oracle computed; ``range_hash``
builds every other range from them. Each proof must equal the list-based one, and every range
asked for must be one the §2.1 split produces: perfect, or ending at the tree's right edge.
"""

from __future__ import annotations

import pytest

from ledger.errors import InputError
from ledger.rfc9162 import (
    EMPTY_ROOT,
    consistency_proof,
    consistency_proof_from,
    inclusion_proof,
    inclusion_proof_from,
    is_perfect,
    leaf_hash,
    range_hash,
    root_from,
    root_hash,
)

from . import reference

MAX_SIZE = 70
DATA = [b"leaf %d" % i for i in range(MAX_SIZE)]
LEAF_HASHES = [leaf_hash(d) for d in DATA]


class SubtreeStore:
    """Answers ``node(lo, hi)`` from perfect subtrees only, recording every range asked for."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.perfect_calls: list[tuple[int, int]] = []
        self.node_calls: list[tuple[int, int]] = []

    def perfect(self, lo: int, hi: int) -> bytes:
        assert is_perfect(lo, hi) and hi <= self.size, (lo, hi)
        self.perfect_calls.append((lo, hi))
        return reference.mth(DATA[lo:hi])

    def node(self, lo: int, hi: int) -> bytes:
        self.node_calls.append((lo, hi))
        return range_hash(lo, hi, self.perfect)


def _assert_only_split_ranges(store: SubtreeStore, size: int) -> None:
    split = reference.split_ranges(size)
    for lo, hi in store.node_calls:
        assert (lo, hi) in split, (lo, hi, size)
        assert is_perfect(lo, hi) or hi == size, (lo, hi, size)
    assert sum(not is_perfect(lo, hi) for lo, hi in store.node_calls) <= 1


@pytest.mark.parametrize("size", range(1, MAX_SIZE + 1))
def test_inclusion_proof_from_subtrees_equals_the_list_based_one(size: int) -> None:
    for index in range(size):
        store = SubtreeStore(size)
        proof = inclusion_proof_from(index, size, store.node)

        assert proof == inclusion_proof(index, LEAF_HASHES[:size])
        assert len(store.node_calls) == len(proof)
        _assert_only_split_ranges(store, size)


@pytest.mark.parametrize("size2", range(1, MAX_SIZE + 1))
def test_consistency_proof_from_subtrees_equals_the_list_based_one(size2: int) -> None:
    for size1 in range(1, size2 + 1):
        store = SubtreeStore(size2)
        proof = consistency_proof_from(size1, size2, store.node)

        assert proof == consistency_proof(size1, LEAF_HASHES[:size2])
        assert len(store.node_calls) == len(proof)
        _assert_only_split_ranges(store, size2)


@pytest.mark.parametrize("size", range(MAX_SIZE + 1))
def test_root_from_subtrees_equals_the_list_based_root(size: int) -> None:
    store = SubtreeStore(size)
    assert root_from(size, store.node) == root_hash(LEAF_HASHES[:size])
    assert store.node_calls == ([(0, size)] if size else [])


def test_root_of_the_empty_tree_asks_the_store_nothing() -> None:
    def refuse(lo: int, hi: int) -> bytes:
        raise AssertionError("not asked")

    assert root_from(0, refuse) == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, MAX_SIZE + 1))
def test_range_hash_asks_one_perfect_subtree_per_binary_digit(size: int) -> None:
    for lo, hi in sorted(reference.split_ranges(size)):
        store = SubtreeStore(size)
        assert range_hash(lo, hi, store.perfect) == reference.mth(DATA[lo:hi])
        assert len(store.perfect_calls) == (hi - lo).bit_count()
        assert len(store.perfect_calls) <= (hi - lo).bit_length()


@pytest.mark.parametrize("lo, hi", [(0, 0), (3, 2), (-1, 1), (1, 3), (2, 5), (4, 9), (6, 10)])
def test_range_hash_refuses_a_range_no_tree_splits_into(lo: int, hi: int) -> None:
    with pytest.raises(InputError):
        range_hash(lo, hi, SubtreeStore(MAX_SIZE).perfect)


@pytest.mark.parametrize(
    "lo, hi, perfect",
    [(0, 1, True), (5, 6, True), (4, 8, True), (8, 16, True), (0, 3, False), (2, 6, False)],
)
def test_tells_perfect_subtrees_apart(lo: int, hi: int, perfect: bool) -> None:
    assert is_perfect(lo, hi) is perfect


def test_a_proof_for_a_large_tree_asks_the_store_logarithmically_often() -> None:
    size = 1_000_003

    def perfect(lo: int, hi: int) -> bytes:
        assert is_perfect(lo, hi)
        calls.append((lo, hi))
        return (lo * 7 + hi).to_bytes(32, "big")  # stand-in hashes: only the count matters

    calls: list[tuple[int, int]] = []
    for index in (0, size // 3, size - 1):
        calls.clear()
        proof = inclusion_proof_from(index, size, lambda lo, hi: range_hash(lo, hi, perfect))
        assert len(calls) <= len(proof) + size.bit_length() <= 2 * size.bit_length()
    for size1 in (1, size // 3, size - 1):
        calls.clear()
        proof = consistency_proof_from(size1, size, lambda lo, hi: range_hash(lo, hi, perfect))
        assert len(calls) <= len(proof) + size.bit_length() <= 3 * size.bit_length()
