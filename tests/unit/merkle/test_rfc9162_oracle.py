"""RFC 9162 §2.1 against a naive recursive oracle (``reference.py``) on random trees."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ledger.rfc9162 import (
    NodeHash,
    consistency_proof,
    consistency_proof_from,
    inclusion_proof,
    inclusion_proof_from,
    leaf_hash,
    range_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

from . import reference

TREES = st.lists(st.binary(max_size=12), max_size=140)
NONEMPTY_TREES = st.lists(st.binary(max_size=12), min_size=1, max_size=140)


def _hashes(data: list[bytes]) -> list[bytes]:
    return [leaf_hash(d) for d in data]


def _oracle_node(data: list[bytes]) -> NodeHash:
    return lambda lo, hi: reference.mth(data[lo:hi])


@given(TREES)
def test_root_hash_matches_the_oracle(data: list[bytes]) -> None:
    assert root_hash(_hashes(data)) == reference.mth(data)


@given(NONEMPTY_TREES, st.data())
def test_inclusion_proof_matches_the_oracle_and_verifies(
    data: list[bytes], draw: st.DataObject
) -> None:
    index = draw.draw(st.integers(0, len(data) - 1), label="index")
    expected = reference.path(index, data)

    assert inclusion_proof(index, _hashes(data)) == expected
    assert inclusion_proof_from(index, len(data), _oracle_node(data)) == expected
    verify_inclusion(index, len(data), leaf_hash(data[index]), expected, reference.mth(data))


@given(NONEMPTY_TREES, st.data())
def test_consistency_proof_matches_the_oracle_and_verifies(
    data: list[bytes], draw: st.DataObject
) -> None:
    size1 = draw.draw(st.integers(1, len(data)), label="size1")
    expected = reference.proof(size1, data)

    assert consistency_proof(size1, _hashes(data)) == expected
    assert consistency_proof_from(size1, len(data), _oracle_node(data)) == expected
    verify_consistency(size1, len(data), reference.mth(data[:size1]), reference.mth(data), expected)


@given(NONEMPTY_TREES, st.data())
def test_range_hash_of_a_split_range_matches_the_oracle(
    data: list[bytes], draw: st.DataObject
) -> None:
    lo, hi = draw.draw(st.sampled_from(sorted(reference.split_ranges(len(data)))), label="range")
    assert range_hash(lo, hi, _oracle_node(data)) == reference.mth(data[lo:hi])


def test_root_hash_is_iterative_for_large_trees() -> None:
    data = [i.to_bytes(4, "big") for i in range(70_001)]
    assert root_hash(_hashes(data)) == reference.mth(data)
