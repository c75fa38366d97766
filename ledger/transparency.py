"""The ledger as a transparency log: tree heads, proofs, checkpoints and witness cosignatures.

Proofs are built from the stored perfect subtrees (``ledger.tree``): the shape of a proof does
not depend on hash values, so the nodes it needs are first collected with a dry run and then
read in one go — O(log n) stored nodes, never the leaves.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ledger import rfc9162
from ledger.checkpoint import Checkpoint, cosign, open_checkpoint, parse_checkpoint_text, sign_checkpoint, verify_cosignature
from ledger.errors import InputError, LedgerError, ProofError, RefusedError, SignatureError, StoreError
from ledger.keys import is_valid_key_name
from ledger.record import format_time
from ledger.signing import Signer
from ledger.tree import perfect_range

_DUMMY = b"\x00" * 32


class _Nodes:
    """Answers ``perfect(lo, hi)`` from a prefetched set of stored nodes."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.wanted: set[tuple[int, int]] = set()
        self.known: dict[tuple[int, int], bytes] = {}

    def dry(self, lo: int, hi: int) -> bytes:
        self.wanted.add(perfect_range(lo, hi))
        return _DUMMY

    def fetch(self) -> None:
        self.known = self.app.recorder.tree_nodes(sorted(self.wanted))
        missing = self.wanted - set(self.known)
        if missing:
            raise StoreError(f"the stored Merkle tree lacks {len(missing)} node(s); run `exitledger verify`")

    def perfect(self, lo: int, hi: int) -> bytes:
        return self.known[perfect_range(lo, hi)]

    def node(self, lo: int, hi: int) -> bytes:
        return rfc9162.range_hash(lo, hi, self.perfect)

    def dry_node(self, lo: int, hi: int) -> bytes:
        return rfc9162.range_hash(lo, hi, self.dry)


def _run(app: Any, build: Any) -> Any:
    nodes = _Nodes(app)
    build(nodes.dry_node)
    nodes.fetch()
    return build(nodes.node)


def _size(app: Any, size: int | None, what: str) -> int:
    current = app.size()
    if size is None:
        return current
    if size < 1 or size > current:
        raise InputError(f"{what} {size}: the log holds {current} events")
    return size


def root_at(app: Any, size: int) -> bytes:
    if size == 0:
        return rfc9162.EMPTY_ROOT
    return _run(app, lambda node: rfc9162.root_from(size, node))


def inclusion(app: Any, seq: int, size: int | None = None) -> dict[str, Any]:
    """Inclusion proof of event ``seq`` in the tree of ``size`` leaves (the current size)."""
    size = _size(app, size, "--size")
    if not 1 <= seq <= size:
        raise InputError(f"seq {seq}: must be between 1 and the tree size {size}")
    index = seq - 1
    proof = _run(app, lambda node: rfc9162.inclusion_proof_from(index, size, node))
    root = root_at(app, size)
    leaf = _run(app, lambda node: node(index, index + 1))
    rfc9162.verify_inclusion(index, size, leaf, proof, root)
    return {"seq": seq, "size": size, "leaf_hash": leaf.hex(), "root": root.hex(), "proof": [p.hex() for p in proof]}


def consistency(app: Any, size1: int, size2: int) -> dict[str, Any]:
    """Consistency proof between the trees of ``size1`` and ``size2`` leaves."""
    size2 = _size(app, size2, "NEW")
    if not 1 <= size1 <= size2:
        raise InputError(f"OLD {size1}: must be between 1 and NEW ({size2})")
    proof = _run(app, lambda node: rfc9162.consistency_proof_from(size1, size2, node))
    root1, root2 = root_at(app, size1), root_at(app, size2)
    rfc9162.verify_consistency(size1, size2, root1, root2, proof)
    return {"size1": size1, "size2": size2, "root1": root1.hex(), "root2": root2.hex(),
            "proof": [p.hex() for p in proof]}


def latest_checkpoint(app: Any) -> Checkpoint | None:
    notes = app.recorder.checkpoints()
    if not notes:
        return None
    size, note = notes[-1]
    return open_checkpoint(note, app.origin, app.authority_public_key())


def _check_consistent(app: Any, old: Checkpoint, size: int, root: bytes, who: str) -> None:
    if size < old.size:
        raise RefusedError(f"the log holds {size} events but {who} signed a checkpoint of {old.size}")
    if size == old.size:
        if root != old.root:
            raise RefusedError(f"the tree of {size} events no longer has the root {who} signed")
        return
    proof = _run(app, lambda node: rfc9162.consistency_proof_from(old.size, size, node))
    try:
        rfc9162.verify_consistency(old.size, size, old.root, root, proof)
    except ProofError:
        raise RefusedError(
            f"the current tree is not consistent with the checkpoint {who} signed at size {old.size}; refusing to sign"
        ) from None


@dataclass(frozen=True)
class Signed:
    size: int
    root: bytes
    note: str
    new: bool


def sign(app: Any, authority: Signer) -> Signed:
    """Sign the current tree head as a checkpoint and store it, unless it contradicts the last one."""
    if authority.public_raw != app.authority_public_key():
        raise RefusedError(f"key {authority.key_id} is not the ledger authority's key; only it signs checkpoints")
    size = app.size()
    if size == 0:
        raise InputError("the log is empty: nothing to sign")
    root = root_at(app, size)
    last = latest_checkpoint(app)
    if last is not None:
        _check_consistent(app, last, size, root, "the authority")
        if last.size == size:
            return Signed(size, root, app.recorder.checkpoints()[-1][1], False)
    note = sign_checkpoint(app.origin, size, root, authority)
    try:
        app.recorder.add_checkpoint(size, note, format_time(app.clock()))
    except LedgerError:
        raise
    except Exception:  # a concurrent signer stored the same size first: Ed25519 gives the same note
        stored = dict(app.recorder.checkpoints()).get(size)
        if stored != note:
            raise
        return Signed(size, root, note, False)
    return Signed(size, root, note, True)


def _witness_memory(path: str | None) -> dict[str, Any]:
    if path is None or not os.path.exists(path):
        return {}
    try:
        memory = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as e:
        raise InputError(f"--state {path}: cannot read the witness state ({e})") from None
    if not isinstance(memory, dict):
        raise InputError(f"--state {path}: the witness state must be a JSON object")
    return memory


def _remembered(path: str | None, origin: str) -> tuple[int, bytes] | None:
    """(size, root) this witness last cosigned for ``origin``, from its own state file."""
    entry = _witness_memory(path).get(origin)
    if entry is None:
        return None
    try:
        size, root = entry["size"], bytes.fromhex(entry["root"])
        if not isinstance(size, int) or isinstance(size, bool) or size < 1 or len(root) != 32:
            raise ValueError("size must be a positive integer and root 32 bytes of hex")
    except (TypeError, KeyError, ValueError) as e:
        raise InputError(f"--state {path}: the entry for {origin} is malformed ({e})") from None
    return size, root


def witness_cosign(app: Any, witness: Signer, name: str, *, state: str | None = None) -> dict[str, Any]:
    """Cosign the latest checkpoint as witness ``name`` after checking it is consistent with the
    last checkpoint this witness cosigned (remembered in ``state`` and in the ledger itself)."""
    if not is_valid_key_name(name):
        raise InputError(f"--name {name!r}: a witness key name is non-empty, without spaces or '+'")
    notes = app.recorder.checkpoints()
    if not notes:
        raise InputError("no checkpoint to cosign: run `exitledger checkpoint` first")
    size, note = notes[-1]
    latest = open_checkpoint(note, app.origin, app.authority_public_key())
    previous: list[tuple[int, bytes]] = []
    remembered = _remembered(state, app.origin)
    if remembered is not None:
        previous.append(remembered)
    by_size = dict(notes)
    for cosigned_size, witness_name, line in app.recorder.cosignatures():
        if witness_name != name or cosigned_size not in by_size:
            continue
        try:
            verify_cosignature(by_size[cosigned_size] + line, name, witness.public_raw)
        except SignatureError:
            continue
        _, _, root = parse_checkpoint_text(open_checkpoint(by_size[cosigned_size], app.origin,
                                                             app.authority_public_key()).text)
        previous.append((cosigned_size, root))
    for old_size, old_root in sorted(previous):
        if old_size == latest.size and old_root == latest.root:
            raise InputError(f"witness {name} already cosigned the checkpoint of size {latest.size}")
        old = Checkpoint(app.origin, old_size, old_root, "")
        _check_consistent(app, old, latest.size, latest.root, f"witness {name}")
    line = cosign(latest.text, name, witness, int(app.clock().timestamp()))
    app.recorder.add_cosignature(latest.size, name, line)
    if state is not None:
        memory = _witness_memory(state)
        memory[app.origin] = {"size": latest.size, "root": latest.root.hex()}
        Path(state).write_text(json.dumps(memory, indent=2) + "\n", encoding="utf-8")
    return {"size": latest.size, "root": latest.root.hex(), "witness": name, "note": note + line}
