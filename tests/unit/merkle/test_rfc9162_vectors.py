"""RFC 9162 §2.1 against published vectors: transparency-dev/merkle constants, tables and probes.

Every file under ``tests/vectors/merkle/`` is read through ``vectors.py``; its README names the
upstream repository, path and commit of each.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from ledger.errors import ProofError
from ledger.rfc9162 import (
    EMPTY_ROOT,
    consistency_proof,
    consistency_proof_from,
    inclusion_proof,
    inclusion_proof_from,
    leaf_hash,
    node_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

from .vectors import (
    ConsistencyProbe,
    InclusionProbe,
    consistency_probes,
    hexes,
    inclusion_probes,
    merkle_vector,
)

CONSTANTS = merkle_vector("testonly/constants.json")
LEAVES = hexes(CONSTANTS["leaves"])
LEAF_HASHES = [leaf_hash(d) for d in LEAVES]
NODE_HASHES = [hexes(level) for level in CONSTANTS["node_hashes"]]
ROOTS = hexes(CONSTANTS["root_hashes"])  # ROOTS[n] is the root of the first n leaves
TABLES = [merkle_vector("testonly/reference_test.json"), merkle_vector("proof/verify_test.json")]
PUBLISHED_INCLUSION = [row for table in TABLES for row in table["inclusion"]]
PUBLISHED_CONSISTENCY = [row for table in TABLES for row in table["consistency"]]

INCLUSION_PROBES = inclusion_probes()
CONSISTENCY_PROBES = consistency_probes()

# Stored upstream probes whose verdict we deliberately do not share: name -> (we raise?, why).
DEVIATIONS: dict[str, tuple[bool, str]] = {
    "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json": (
        True,
        "its roots are 12-byte placeholders ('don't care 2'); we require 32-byte hashes",
    ),
    "consistency/additional/sizes-are-equal-zero-and-proof-is-empty.json": (
        True,
        "the stored copy predates upstream's rule that size1 == 0 always fails; the current "
        "cmd/proofgen and proof/verify.go expect an error here, as we do",
    ),
}


def _node(lo: int, hi: int) -> bytes:
    return root_hash(LEAF_HASHES[lo:hi])


# --- constants ---------------------------------------------------------------------------------


def test_empty_root_is_the_sha256_of_nothing() -> None:
    assert EMPTY_ROOT == hashlib.sha256(b"").digest() == ROOTS[0]
    assert root_hash([]) == EMPTY_ROOT


def test_root_of_the_eight_leaves_is_the_published_one() -> None:
    expected = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    assert root_hash(LEAF_HASHES).hex() == expected


def test_hashes_each_leaf_with_the_leaf_prefix_as_published() -> None:
    assert LEAF_HASHES == NODE_HASHES[0]


def test_hashes_every_perfect_subtree_as_published() -> None:
    for level, row in enumerate(NODE_HASHES[1:], start=1):
        for j, expected in enumerate(row):
            below = NODE_HASHES[level - 1]
            assert node_hash(below[2 * j], below[2 * j + 1]) == expected
            assert root_hash(LEAF_HASHES[j << level : (j + 1) << level]) == expected


@pytest.mark.parametrize("size", range(9))
def test_root_of_every_prefix_matches_the_published_root(size: int) -> None:
    assert root_hash(LEAF_HASHES[:size]) == ROOTS[size]


# --- published proof tables --------------------------------------------------------------------


@pytest.mark.parametrize("row", PUBLISHED_INCLUSION, ids=lambda r: f"{r['index']}-of-{r['size']}")
def test_builds_and_verifies_the_published_inclusion_proof(row: dict[str, Any]) -> None:
    index, size, expected = row["index"], row["size"], hexes(row["proof"])
    assert inclusion_proof(index, LEAF_HASHES[:size]) == expected
    assert inclusion_proof_from(index, size, _node) == expected
    verify_inclusion(index, size, LEAF_HASHES[index], expected, ROOTS[size])


@pytest.mark.parametrize("row", PUBLISHED_CONSISTENCY, ids=lambda r: f"{r['size1']}-to-{r['size2']}")
def test_builds_and_verifies_the_published_consistency_proof(row: dict[str, Any]) -> None:
    size1, size2, expected = row["size1"], row["size2"], hexes(row["proof"])
    assert consistency_proof(size1, LEAF_HASHES[:size2]) == expected
    assert consistency_proof_from(size1, size2, _node) == expected
    verify_consistency(size1, size2, ROOTS[size1], ROOTS[size2], expected)


# --- upstream probe files ----------------------------------------------------------------------


def test_loads_every_upstream_probe_file() -> None:
    assert len(INCLUSION_PROBES) == 98
    assert len(CONSISTENCY_PROBES) == 98
    assert sum(not p.want_error for p in INCLUSION_PROBES) == 6
    assert {p.name for p in CONSISTENCY_PROBES} >= set(DEVIATIONS)


def _want_error(probe: InclusionProbe | ConsistencyProbe) -> bool:
    if probe.name in DEVIATIONS:
        ours, _why = DEVIATIONS[probe.name]
        assert ours != probe.want_error, f"{probe.name} no longer deviates; drop it from DEVIATIONS"
        return ours
    return probe.want_error


@pytest.mark.parametrize("probe", INCLUSION_PROBES, ids=lambda p: p.name)
def test_gives_the_upstream_verdict_on_inclusion_probe(probe: InclusionProbe) -> None:
    args = (probe.index, probe.size, probe.leaf_hash, probe.proof, probe.root)
    if _want_error(probe):
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)  # returns nothing; raises ProofError when the proof fails


@pytest.mark.parametrize("probe", CONSISTENCY_PROBES, ids=lambda p: p.name)
def test_gives_the_upstream_verdict_on_consistency_probe(probe: ConsistencyProbe) -> None:
    args = (probe.size1, probe.size2, probe.root1, probe.root2, probe.proof)
    if _want_error(probe):
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)  # returns nothing; raises ProofError when the proof fails


@pytest.mark.parametrize(
    "probe",
    [p for p in INCLUSION_PROBES if p.name.endswith("/happy-path.json")],
    ids=lambda p: p.name,
)
def test_builds_the_proof_of_each_upstream_inclusion_happy_path(probe: InclusionProbe) -> None:
    assert LEAF_HASHES[probe.index] == probe.leaf_hash
    assert ROOTS[probe.size] == probe.root
    assert inclusion_proof(probe.index, LEAF_HASHES[: probe.size]) == probe.proof


@pytest.mark.parametrize(
    "probe",
    [p for p in CONSISTENCY_PROBES if p.name.endswith("/happy-path.json")],
    ids=lambda p: p.name,
)
def test_builds_the_proof_of_each_upstream_consistency_happy_path(probe: ConsistencyProbe) -> None:
    assert (ROOTS[probe.size1], ROOTS[probe.size2]) == (probe.root1, probe.root2)
    assert consistency_proof(probe.size1, LEAF_HASHES[: probe.size2]) == probe.proof


def test_verifies_equal_sizes_with_equal_32_byte_roots_and_an_empty_proof() -> None:
    # The well-formed twin of the deviating "sizes-are-equal-one-and-proof-is-empty" probe.
    verify_consistency(1, 1, ROOTS[1], ROOTS[1], [])
    verify_consistency(8, 8, ROOTS[8], ROOTS[8], [])
