"""Negative probes derived from valid proofs: every mutation must raise ProofError.

Each mutation is applied to the proof of every leaf (inclusion) or every earlier size
(consistency) of every tree up to ``MAX_SIZE`` leaves. Sizes are mutated by doubling and halving,
as transparency-dev/merkle does: a proof for size n ± 1 can verify against the same root (see the
last tests), which is why a root is only meaningful together with the size it was signed with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

from ledger.errors import InputError, ProofError
from ledger.rfc9162 import (
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

MAX_SIZE = 33
LEAVES = [leaf_hash(b"probe leaf %d" % i) for i in range(2 * MAX_SIZE + 2)]
ROOTS = [root_hash(LEAVES[:n]) for n in range(len(LEAVES) + 1)]
OUTSIDER = leaf_hash(b"a leaf in no tree")

InclusionArgs = tuple[int, int, bytes, list[bytes], bytes]
ConsistencyArgs = tuple[int, int, bytes, bytes, list[bytes]]


def _flip(h: bytes) -> bytes:
    return bytes([h[0] ^ 0x10]) + h[1:]


def _flip_middle(proof: list[bytes]) -> list[bytes] | None:
    if not proof:
        return None
    i = len(proof) // 2
    return proof[:i] + [_flip(proof[i])] + proof[i + 1 :]


def _valid_inclusions() -> Iterator[InclusionArgs]:
    for size in range(1, MAX_SIZE + 1):
        for index in range(size):
            yield index, size, LEAVES[index], inclusion_proof(index, LEAVES[:size]), ROOTS[size]


def _valid_consistencies() -> Iterator[ConsistencyArgs]:
    for size2 in range(1, MAX_SIZE + 1):
        for size1 in range(1, size2 + 1):
            yield size1, size2, ROOTS[size1], ROOTS[size2], consistency_proof(size1, LEAVES[:size2])


# Each mutation returns the mutated arguments, or None where it does not apply.
INCLUSION_MUTATIONS: dict[str, Callable[[int, int, bytes, list[bytes], bytes], Any]] = {
    "wrong-leaf": lambda i, n, leaf, p, r: (i, n, OUTSIDER, p, r),
    "neighbour-leaf": lambda i, n, leaf, p, r: (i, n, LEAVES[i + 1], p, r),
    "index-plus-1": lambda i, n, leaf, p, r: (i + 1, n, leaf, p, r),
    "index-minus-1": lambda i, n, leaf, p, r: (i - 1, n, leaf, p, r),
    "index-xor-2": lambda i, n, leaf, p, r: (i ^ 2, n, leaf, p, r),
    "index-at-size": lambda i, n, leaf, p, r: (n, n, leaf, p, r),
    "size-doubled": lambda i, n, leaf, p, r: (i, 2 * n, leaf, p, r),
    "size-halved": lambda i, n, leaf, p, r: (i, n // 2, leaf, p, r),
    "size-zero": lambda i, n, leaf, p, r: (i, 0, leaf, p, r),
    "truncated-proof": lambda i, n, leaf, p, r: (i, n, leaf, p[:-1], r) if p else None,
    "extra-element-appended": lambda i, n, leaf, p, r: (i, n, leaf, [*p, r], r),
    "extra-element-prepended": lambda i, n, leaf, p, r: (i, n, leaf, [leaf, *p], r),
    "extra-zero-hash": lambda i, n, leaf, p, r: (i, n, leaf, [*p, bytes(32)], r),
    "modified-proof-element": lambda i, n, leaf, p, r: (
        (i, n, leaf, _flip_middle(p), r) if p else None
    ),
    "wrong-root": lambda i, n, leaf, p, r: (i, n, leaf, p, _flip(r)),
    "other-size-root": lambda i, n, leaf, p, r: (i, n, leaf, p, ROOTS[n + 1]),
    "31-byte-leaf-hash": lambda i, n, leaf, p, r: (i, n, leaf[:31], p, r),
    "33-byte-leaf-hash": lambda i, n, leaf, p, r: (i, n, leaf + b"\x00", p, r),
    "31-byte-root": lambda i, n, leaf, p, r: (i, n, leaf, p, r[:31]),
    "31-byte-proof-element": lambda i, n, leaf, p, r: (
        (i, n, leaf, [p[0][:31], *p[1:]], r) if p else None
    ),
}

CONSISTENCY_MUTATIONS: dict[str, Callable[[int, int, bytes, bytes, list[bytes]], Any]] = {
    "size1-plus-1": lambda m, n, r1, r2, p: (m + 1, n, r1, r2, p),
    "size1-minus-1": lambda m, n, r1, r2, p: (m - 1, n, r1, r2, p),
    "size1-xor-2": lambda m, n, r1, r2, p: (m ^ 2, n, r1, r2, p),
    "size1-zero": lambda m, n, r1, r2, p: (0, n, r1, r2, p),
    "size2-doubled": lambda m, n, r1, r2, p: (m, 2 * n, r1, r2, p),
    "size2-halved": lambda m, n, r1, r2, p: (m, n // 2, r1, r2, p),
    "size2-below-size1": lambda m, n, r1, r2, p: (m, m - 1, r1, r2, p),
    "wrong-root1": lambda m, n, r1, r2, p: (m, n, _flip(r1), r2, p),
    "wrong-root2": lambda m, n, r1, r2, p: (m, n, r1, _flip(r2), p),
    "swapped-roots": lambda m, n, r1, r2, p: (m, n, r2, r1, p) if m != n else None,
    "empty-proof": lambda m, n, r1, r2, p: (m, n, r1, r2, []) if p else None,
    "truncated-proof": lambda m, n, r1, r2, p: (m, n, r1, r2, p[:-1]) if p else None,
    "extra-element-appended": lambda m, n, r1, r2, p: (m, n, r1, r2, [*p, r2]),
    "extra-element-prepended": lambda m, n, r1, r2, p: (m, n, r1, r2, [r1, *p]),
    "extra-zero-hash": lambda m, n, r1, r2, p: (m, n, r1, r2, [*p, bytes(32)]),
    "modified-proof-element": lambda m, n, r1, r2, p: (
        (m, n, r1, r2, _flip_middle(p)) if p else None
    ),
    "31-byte-root1": lambda m, n, r1, r2, p: (m, n, r1[:31], r2, p),
    "31-byte-root2": lambda m, n, r1, r2, p: (m, n, r1, r2[:31], p),
    "31-byte-proof-element": lambda m, n, r1, r2, p: (
        (m, n, r1, r2, [p[0][:31], *p[1:]]) if p else None
    ),
}


def _assert_all_rejected(verify: Callable[..., None], cases: Sequence[Any]) -> int:
    accepted = []
    for args in cases:
        if args is None:
            continue
        try:
            verify(*args)
        except ProofError:
            continue
        accepted.append(args[:2])
    assert not accepted, f"accepted at (index or size1, size): {accepted[:5]}"
    return sum(args is not None for args in cases)


def test_every_valid_proof_verifies() -> None:
    for args in _valid_inclusions():
        verify_inclusion(*args)
    for cargs in _valid_consistencies():
        verify_consistency(*cargs)


@pytest.mark.parametrize("mutation", sorted(INCLUSION_MUTATIONS))
def test_rejects_mutated_inclusion_proof(mutation: str) -> None:
    mutate = INCLUSION_MUTATIONS[mutation]
    tried = _assert_all_rejected(verify_inclusion, [mutate(*a) for a in _valid_inclusions()])
    assert tried > 0


@pytest.mark.parametrize("mutation", sorted(CONSISTENCY_MUTATIONS))
def test_rejects_mutated_consistency_proof(mutation: str) -> None:
    mutate = CONSISTENCY_MUTATIONS[mutation]
    tried = _assert_all_rejected(verify_consistency, [mutate(*a) for a in _valid_consistencies()])
    assert tried > 0


@pytest.mark.parametrize(
    "args",
    [
        (True, 1, LEAVES[0], [], ROOTS[1]),
        (0.0, 1, LEAVES[0], [], ROOTS[1]),
        (0, "1", LEAVES[0], [], ROOTS[1]),
        (0, 1, LEAVES[0].hex(), [], ROOTS[1]),
        (0, 1, bytearray(LEAVES[0]), [], ROOTS[1]),
        (0, 2, LEAVES[0], [LEAVES[1].hex()], ROOTS[2]),
    ],
    ids=["bool-index", "float-index", "str-size", "hex-leaf", "bytearray-leaf", "hex-element"],
)
def test_rejects_inclusion_arguments_of_the_wrong_type(args: tuple[Any, ...]) -> None:
    with pytest.raises(ProofError):
        verify_inclusion(*args)


def test_rejects_consistency_sizes_of_the_wrong_type() -> None:
    with pytest.raises(ProofError):
        verify_consistency(True, 1, ROOTS[1], ROOTS[1], [])
    with pytest.raises(ProofError):
        verify_consistency(-1, 1, ROOTS[1], ROOTS[1], [])


def test_rejects_equal_sizes_with_a_proof_or_different_roots() -> None:
    with pytest.raises(ProofError):
        verify_consistency(5, 5, ROOTS[5], ROOTS[5], [ROOTS[5]])
    with pytest.raises(ProofError):
        verify_consistency(5, 5, ROOTS[5], ROOTS[4], [])


def test_rejects_a_consistency_proof_from_the_empty_tree() -> None:
    with pytest.raises(ProofError):
        verify_consistency(0, 0, ROOTS[0], ROOTS[0], [])
    with pytest.raises(ProofError):
        verify_consistency(0, 3, ROOTS[0], ROOTS[3], [])


@pytest.mark.parametrize(
    "build",
    [
        lambda: inclusion_proof(3, LEAVES[:3]),
        lambda: inclusion_proof(-1, LEAVES[:3]),
        lambda: inclusion_proof(0, []),
        lambda: consistency_proof(0, LEAVES[:3]),
        lambda: consistency_proof(4, LEAVES[:3]),
        lambda: root_hash([LEAVES[0], LEAVES[1][:31]]),
    ],
    ids=["index-at-size", "negative-index", "empty-tree", "size1-zero", "size1-above", "short-leaf"],
)
def test_proof_builders_refuse_bad_arguments_as_input_errors(build: Callable[[], object]) -> None:
    with pytest.raises(InputError):
        build()


def test_an_inclusion_proof_does_not_bind_the_tree_size_on_its_own() -> None:
    # Leaf 0 of 3 and leaf 0 of 4 have proofs of the same shape, so the size-3 proof also
    # "verifies" as size 4 against the size-3 root: the verifier can only check size and root
    # as a pair, which is why the ledger signs them together in one checkpoint.
    proof = inclusion_proof(0, LEAVES[:3])
    verify_inclusion(0, 3, LEAVES[0], proof, ROOTS[3])
    verify_inclusion(0, 4, LEAVES[0], proof, ROOTS[3])


def test_a_consistency_proof_does_not_bind_the_second_size_on_its_own() -> None:
    proof = consistency_proof(2, LEAVES[:4])
    verify_consistency(2, 4, ROOTS[2], ROOTS[4], proof)
    verify_consistency(2, 3, ROOTS[2], ROOTS[4], proof)
