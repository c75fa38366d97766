"""The stored Merkle tree of the log (SPEC §3; ``ledger.tree``, ``ledger.transparency``) on SQLite
and PostgreSQL.

The ledger builds its RFC 9162 tree incrementally in each append's transaction and answers proofs
from stored perfect subtrees. The oracles here know nothing of that: the list-based builders of
``ledger.rfc9162`` over every leaf hash, and the naive recursive reference of
``tests/unit/merkle/reference.py`` over the leaf inputs (the raw 32 bytes of each event's hash,
seq 1..n). Appends come in batches of varied sizes so the tree grows across every kind of
batch boundary.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from domain import scenario
from ledger import rfc9162, transparency
from ledger.app import ExitLedger
from ledger.errors import InputError, StoreError
from ledger.store import TREE_TABLE
from tests.builders import Province, province
from tests.unit.merkle import reference

from .rawdb import RawDB, snapshot

# province() appends the genesis (a batch of 1) and the actors (a batch of 14); then the demo
# steps follow in these batch sizes: 15 → 16 → 19 → 36 → 38 → 39 → 47 events.
BATCHES = (1, 3, 17, 2, 1, 8)
SETUP = 1 + len(scenario.ACTORS)
SIZE = SETUP + len(scenario.demo_steps())
assert sum(BATCHES) == len(scenario.demo_steps())


@dataclass
class Grown:
    """A ledger grown batch by batch, the leaf inputs of its log and the tree head after each batch."""

    p: Province
    leaves: list[bytes]
    heads: dict[int, bytes]

    @property
    def app(self) -> ExitLedger:
        return self.p.app

    def leaf_hashes(self, size: int) -> list[bytes]:
        return [rfc9162.leaf_hash(d) for d in self.leaves[:size]]


@pytest.fixture
def grown(db_url: str) -> Iterator[Grown]:
    p = province(db_url, cases=False)
    heads = {SETUP: transparency.root_at(p.app, SETUP)}
    steps = scenario.demo_steps()
    start = 0
    for n in BATCHES:
        p.app.append([p.entry(s.stream, s.type, s.actor, s.payload) for s in steps[start:start + n]])
        start += n
        heads[p.app.size()] = transparency.root_at(p.app, p.app.size())
    leaves = [bytes.fromhex(row.hash) for row in snapshot(db_url)]
    assert [len(leaf) for leaf in leaves] == [32] * SIZE
    yield Grown(p, leaves, heads)
    p.app.close()


# -- the tree head ---------------------------------------------------------------------------------
def test_the_stored_root_at_every_size_is_the_rfc9162_root_of_that_prefix_of_the_log(grown: Grown) -> None:
    for n in range(SIZE + 1):
        expected = rfc9162.root_hash(grown.leaf_hashes(n))

        assert transparency.root_at(grown.app, n) == expected == reference.mth(grown.leaves[:n]), n


def test_the_tree_head_read_after_each_batch_is_unchanged_by_later_batches(grown: Grown) -> None:
    assert sorted(grown.heads) == [15, 16, 19, 36, 38, 39, 47]
    for size, head in grown.heads.items():
        assert transparency.root_at(grown.app, size) == head == reference.mth(grown.leaves[:size])


def test_the_tree_table_holds_exactly_the_perfect_subtrees_of_two_or_more_leaves(grown: Grown, db_url: str) -> None:
    with RawDB(db_url) as db:
        rows = db.run(f"SELECT level, idx, hash FROM {TREE_TABLE}")
    stored = {(int(level), int(idx)): bytes(h) for level, idx, h in rows}

    expected = {
        (level, idx): reference.mth(grown.leaves[idx << level:(idx + 1) << level])
        for level in range(1, SIZE.bit_length())
        for idx in range(SIZE >> level)
    }
    assert stored == expected  # leaves are the log's hashes, not stored twice


def test_the_leaves_of_a_proof_come_from_the_log(grown: Grown) -> None:
    nodes = grown.app.recorder.tree_nodes([(0, 0), (0, SIZE - 1), (0, SIZE), (1, 0)])
    assert nodes == {(0, 0): rfc9162.leaf_hash(grown.leaves[0]),
                     (0, SIZE - 1): rfc9162.leaf_hash(grown.leaves[SIZE - 1]),
                     (1, 0): reference.mth(grown.leaves[:2])}  # no leaf past the log


def test_an_empty_tree_has_the_hash_of_the_empty_string_as_root(grown: Grown) -> None:
    assert transparency.root_at(grown.app, 0) == rfc9162.EMPTY_ROOT == reference.mth([])


# -- inclusion -------------------------------------------------------------------------------------
def test_inclusion_proofs_from_the_store_equal_the_list_based_proofs_for_every_seq_and_size(grown: Grown) -> None:
    for size in range(1, SIZE + 1):
        hashes = grown.leaf_hashes(size)
        root = rfc9162.root_hash(hashes)
        for seq in range(1, size + 1):
            proof = transparency.inclusion(grown.app, seq, size)

            expected = rfc9162.inclusion_proof(seq - 1, hashes)
            assert proof == {"seq": seq, "size": size, "leaf_hash": hashes[seq - 1].hex(), "root": root.hex(),
                             "proof": [h.hex() for h in expected]}, (seq, size)
            assert expected == reference.path(seq - 1, grown.leaves[:size])
            rfc9162.verify_inclusion(seq - 1, size, hashes[seq - 1], [bytes.fromhex(h) for h in proof["proof"]], root)


def test_an_inclusion_proof_without_a_size_is_at_the_current_tree_size(grown: Grown) -> None:
    for seq in (1, 16, SIZE):
        assert transparency.inclusion(grown.app, seq) == transparency.inclusion(grown.app, seq, SIZE)


# -- consistency -----------------------------------------------------------------------------------
def test_consistency_proofs_from_the_store_equal_the_list_based_proofs_for_every_pair_of_sizes(grown: Grown) -> None:
    for size2 in range(1, SIZE + 1):
        hashes = grown.leaf_hashes(size2)
        root2 = rfc9162.root_hash(hashes)
        for size1 in range(1, size2 + 1):
            proof = transparency.consistency(grown.app, size1, size2)

            root1 = rfc9162.root_hash(hashes[:size1])
            expected = rfc9162.consistency_proof(size1, hashes)
            assert proof == {"size1": size1, "size2": size2, "root1": root1.hex(), "root2": root2.hex(),
                             "proof": [h.hex() for h in expected]}, (size1, size2)
            assert expected == reference.proof(size1, grown.leaves[:size2])
            rfc9162.verify_consistency(size1, size2, root1, root2, [bytes.fromhex(h) for h in proof["proof"]])


# -- bad arguments ---------------------------------------------------------------------------------
BAD_REQUESTS: dict[str, Any] = {
    "inclusion-of-seq-0": lambda app: transparency.inclusion(app, 0),
    "inclusion-of-a-negative-seq": lambda app: transparency.inclusion(app, -1),
    "inclusion-of-a-seq-beyond-the-log": lambda app: transparency.inclusion(app, SIZE + 1),
    "inclusion-of-a-seq-beyond-the-size": lambda app: transparency.inclusion(app, 20, 19),
    "inclusion-at-a-size-beyond-the-log": lambda app: transparency.inclusion(app, 1, SIZE + 1),
    "inclusion-at-size-0": lambda app: transparency.inclusion(app, 1, 0),
    "consistency-from-old-0": lambda app: transparency.consistency(app, 0, 5),
    "consistency-with-old-above-new": lambda app: transparency.consistency(app, 5, 3),
    "consistency-with-new-beyond-the-log": lambda app: transparency.consistency(app, 3, SIZE + 1),
    "consistency-with-new-0": lambda app: transparency.consistency(app, 0, 0),
}


@pytest.mark.parametrize("request_", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_a_proof_request_outside_the_log_is_bad_input(grown: Grown, request_: Any) -> None:
    with pytest.raises(InputError):
        request_(grown.app)


def test_on_a_database_without_a_ledger_every_proof_request_is_bad_input(db_url: str) -> None:
    app = ExitLedger(db_url)
    try:
        with pytest.raises(InputError):
            transparency.inclusion(app, 1)
        with pytest.raises(InputError):
            transparency.consistency(app, 1, 1)
    finally:
        app.close()


def test_a_proof_that_needs_a_missing_tree_node_is_a_store_error_not_a_wrong_proof(grown: Grown, db_url: str) -> None:
    with RawDB(db_url) as db:
        db.run(f"DELETE FROM {TREE_TABLE} WHERE level = 1 AND idx = 0")

    with pytest.raises(StoreError, match="lacks 1 node"):
        transparency.inclusion(grown.app, 3, 4)  # its proof is leaf 2 and the node over leaves 0-1
    assert transparency.inclusion(grown.app, 5, 8)["proof"][0] == rfc9162.leaf_hash(grown.leaves[5]).hex()


@pytest.mark.parametrize("damage", ["DELETE FROM {log} WHERE seq = 2", "UPDATE {log} SET hash = 'not hex' WHERE seq = 2",
                                    "UPDATE {log} SET hash = 'abcd' WHERE seq = 2"])
def test_a_proof_whose_leaf_the_log_no_longer_holds_is_a_store_error(grown: Grown, db_url: str, damage: str) -> None:
    with RawDB(db_url) as db:
        db.run(damage)

    with pytest.raises(StoreError, match="lacks 1 node"):
        transparency.inclusion(grown.app, 1, 2)  # its proof is leaf 1, i.e. seq 2
    assert transparency.inclusion(grown.app, 3, 4)["proof"][0] == rfc9162.leaf_hash(grown.leaves[3]).hex()
