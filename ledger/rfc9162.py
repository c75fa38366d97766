"""The Merkle tree of a transparency log: RFC 9162 §2.1, with SHA-256.

* Tree hash (§2.1.1): ``MTH({}) = SHA-256()``, ``MTH({d}) = SHA-256(0x00 ‖ d)`` and, for n > 1
  with k the largest power of two smaller than n,
  ``MTH(D[n]) = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]))``.
* Inclusion proofs: PATH (§2.1.3.1), verified by §2.1.3.2.
* Consistency proofs: PROOF (§2.1.4.1), verified by §2.1.4.2.

Leaf indices are 0-based. Every hash is 32 bytes. Verifiers compute, then compare, and raise
:class:`~ledger.errors.ProofError`; they never return a bool. Bad arguments to the proof builders
raise :class:`~ledger.errors.InputError`.

Two families of builders produce identical proofs. The list-based ones (:func:`root_hash`,
:func:`inclusion_proof`, :func:`consistency_proof`) take every leaf hash. The ``*_from`` ones
follow the §2.1 recursive split and ask a callable ``node(lo, hi)`` for ``MTH(D[lo:hi])``, so a
store can answer in O(log n) without rehashing leaves. Every range they ask for is a subtree of
the §2.1 split: either *perfect* (``hi - lo`` a power of two and ``lo`` a multiple of it) or
ending at the tree's right edge (``hi`` equals the tree size). A non-perfect range only ever
occurs on that right edge, and at most once per proof. :func:`range_hash` computes any such range
from perfect subtrees alone, so a proof costs at most len(proof) + log2(n) perfect-subtree reads.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence

from ledger.errors import InputError, ProofError

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"  # domain separation, §2.1.1: leaves...
NODE_PREFIX = b"\x01"  # ...can never be mistaken for interior nodes
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeHash = Callable[[int, int], bytes]
"""``node(lo, hi)`` returns ``MTH(D[lo:hi])`` for a range of the §2.1 split."""


def leaf_hash(data: bytes) -> bytes:
    """``MTH({d}) = SHA-256(0x00 ‖ d)``."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 ‖ left ‖ right)``, the hash of an interior node."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def is_perfect(lo: int, hi: int) -> bool:
    """Whether ``[lo, hi)`` is a perfect subtree: ``hi - lo = 2^j`` and ``lo`` a multiple of it."""
    width = hi - lo
    return lo >= 0 and width > 0 and width & (width - 1) == 0 and lo % width == 0


# --- tree hash and proofs from all leaf hashes ------------------------------------------------


def root_hash(leaf_hashes: Sequence[bytes]) -> bytes:
    """``MTH(D[n])`` from the n leaf hashes, in O(n) time and O(log n) memory."""
    _require_leaf_hashes(leaf_hashes)
    # The roots of the perfect subtrees seen so far, largest first; leaf i completes one more
    # perfect subtree for each trailing zero bit of i + 1.
    stack: list[bytes] = []
    for count, h in enumerate(leaf_hashes, start=1):
        stack.append(h)
        while count & 1 == 0:
            right = stack.pop()
            stack.append(node_hash(stack.pop(), right))
            count >>= 1
    return _fold_right(stack) if stack else EMPTY_ROOT


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """``PATH(index, D[n])`` (§2.1.3.1): the sibling hashes from the leaf up to the root.

    Requires ``0 <= index < len(leaf_hashes)``. O(n) time.
    """
    _require_leaf_hashes(leaf_hashes)
    _require_index(index, len(leaf_hashes))
    return _path(_levels(leaf_hashes), 0, index)


def consistency_proof(size1: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """``PROOF(size1, D[size2])`` (§2.1.4.1) with ``size2 = len(leaf_hashes)``.

    Requires ``0 < size1 <= size2``; equal sizes give ``[]``. O(n) time.
    """
    _require_leaf_hashes(leaf_hashes)
    _require_sizes(size1, len(leaf_hashes))
    if size1 == len(leaf_hashes):
        return []
    # The old tree's rightmost perfect subtree [size1 - 2^level, size1) is node (level, index);
    # the proof is that node (unless it is the old root itself) and then its path to the root.
    level = (size1 & -size1).bit_length() - 1  # trailing zero bits of size1
    index = (size1 - 1) >> level
    levels = _levels(leaf_hashes)
    seed = [levels[level][index]] if index else []
    return seed + _path(levels, level, index)


def _levels(leaf_hashes: Sequence[bytes]) -> list[list[bytes]]:
    """Every level of the tree, leaves first, carrying an unpaired last node up unchanged.

    Carrying the odd node up builds exactly the §2.1.1 tree: node ``j`` of level ``L`` is
    ``MTH(D[j·2^L : min((j+1)·2^L, n)])``.
    """
    levels = [list(leaf_hashes)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        above = [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
        if len(below) % 2:
            above.append(below[-1])
        levels.append(above)
    return levels


def _path(levels: list[list[bytes]], level: int, index: int) -> list[bytes]:
    """The siblings of node ``(level, index)`` on the way up, skipping levels without one."""
    path = []
    for row in levels[level:-1]:
        sibling = index ^ 1
        if sibling < len(row):
            path.append(row[sibling])
        index >>= 1
    return path


# --- proofs from subtree hashes (for the ledger's store) ----------------------------------------


def root_from(size: int, node: NodeHash) -> bytes:
    """``MTH(D[size])``: ``EMPTY_ROOT`` for 0, else ``node(0, size)`` (a right-edge range)."""
    _require_count(size, "tree size", InputError)
    return node(0, size) if size else EMPTY_ROOT


def inclusion_proof_from(index: int, size: int, node: NodeHash) -> list[bytes]:
    """``PATH(index, D[size])`` (§2.1.3.1), built top-down along the §2.1 split.

    Calls ``node`` once per proof element (O(log size) calls) and only for ranges of the split:
    perfect subtrees, and ``[lo, size)`` ranges on the right edge. Requires ``0 <= index < size``.
    """
    _require_index(index, size)
    path = []
    lo, hi = 0, size
    while hi - lo > 1:
        mid = lo + _split(hi - lo)
        if index < mid:
            path.append(node(mid, hi))
            hi = mid
        else:
            path.append(node(lo, mid))
            lo = mid
    path.reverse()  # PATH lists the deepest sibling first
    return path


def consistency_proof_from(size1: int, size2: int, node: NodeHash) -> list[bytes]:
    """``PROOF(size1, D[size2])`` (§2.1.4.1), built top-down along the §2.1 split.

    Calls ``node`` once per proof element and only for ranges of the split of the size2 tree:
    perfect subtrees, and ``[lo, size2)`` ranges on the right edge. Requires
    ``0 < size1 <= size2``; equal sizes give ``[]``.
    """
    _require_sizes(size1, size2)
    proof = []
    lo, hi = 0, size2
    whole = True  # SUBPROOF's b: is D[lo:size1] still the whole old tree?
    while size1 < hi:
        mid = lo + _split(hi - lo)
        if size1 <= mid:
            proof.append(node(mid, hi))
            hi = mid
        else:
            proof.append(node(lo, mid))
            lo = mid
            whole = False
    if not whole:
        proof.append(node(lo, hi))  # SUBPROOF(m, D[m], false) = {MTH(D[m])}, a perfect subtree
    proof.reverse()
    return proof


def range_hash(lo: int, hi: int, perfect: NodeHash) -> bytes:
    """``MTH(D[lo:hi])`` for a subtree range of the §2.1 split, from perfect subtrees only.

    Such a range has ``lo`` a multiple of the smallest power of two ``>= hi - lo``; the node
    ranges the ``*_from`` builders request all do. It is the perfect subtrees given by the
    binary digits of ``hi - lo``, largest first, folded from the right: ``perfect`` is called
    popcount(hi - lo) times, at most log2(hi - lo) + 1. Raises InputError for other ranges.
    """
    width = hi - lo
    if lo < 0 or width <= 0 or lo % _bit_ceil(width):
        raise InputError(f"[{lo}, {hi}) is not a subtree range of an RFC 9162 tree")
    pieces = []
    for bit in reversed(range(width.bit_length())):
        if width >> bit & 1:
            pieces.append(perfect(lo, lo + (1 << bit)))
            lo += 1 << bit
    return _fold_right(pieces)


# --- verification -------------------------------------------------------------------------------


def root_from_inclusion_proof(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]
) -> bytes:
    """The root that ``proof`` leads to from ``leaf_hash`` at ``index`` (§2.1.3.2 steps 1-4).

    Raises ProofError if the hashes are not 32 bytes, ``index >= size``, or the proof has more
    or fewer elements than the path of ``index`` in a tree of ``size`` (step 4a, step 5's sn).
    """
    _require_count(index, "leaf index")
    _require_count(size, "tree size")
    _require_hash(leaf_hash, "leaf hash")
    _require_proof(proof)
    # 1. leaf_index must be below tree_size.
    if index >= size:
        raise ProofError(f"leaf index {index} is not below tree size {size}")
    # 2. fn is the leaf's index, sn the last leaf's index.
    fn, sn = index, size - 1
    # 3. r starts as the leaf hash.
    r = leaf_hash
    # 4. Fold in each proof element.
    for p in proof:
        # 4a. Reaching the root with elements left over fails.
        if sn == 0:
            raise ProofError("inclusion proof is longer than the path")
        # 4b. p is a left sibling if fn is a right child or the last node of its level.
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                # Skip the levels where the last node has no sibling and is carried up.
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        # 4c.
        fn >>= 1
        sn >>= 1
    # 5. (first half) sn must have reached 0: the proof reached the root.
    if sn != 0:
        raise ProofError("inclusion proof is shorter than the path")
    return r


def verify_inclusion(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` leaves with ``root``.

    RFC 9162 §2.1.3.2: computes the root from the proof (:func:`root_from_inclusion_proof`), then
    compares it with ``root``. Preconditions, checked first: 32-byte hashes,
    ``0 <= index < size``. Raises ProofError on any failure; returns None on success.
    """
    _require_hash(root, "root hash")
    computed = root_from_inclusion_proof(index, size, leaf_hash, proof)
    # 5. (second half) r must equal the root hash.
    if not hmac.compare_digest(computed, root):
        raise ProofError("inclusion proof does not lead to the root hash")


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of ``size2`` leaves with ``root2`` extends the one of ``size1``/``root1``.

    RFC 9162 §2.1.4.2. Preconditions, checked first, settled as transparency-dev/merkle does
    where the RFC leaves them to callers: 32-byte hashes; ``size2 < size1`` fails; ``size1 == 0``
    fails (nothing to be consistent with); ``size1 == size2`` needs an empty proof and equal roots.
    Otherwise computes both roots from the proof, then compares them. Raises ProofError on any
    failure; returns None on success.
    """
    _require_count(size1, "size1")
    _require_count(size2, "size2")
    _require_hash(root1, "first root hash")
    _require_hash(root2, "second root hash")
    _require_proof(proof)
    if size2 < size1:
        raise ProofError(f"second tree size {size2} is below first tree size {size1}")
    if size1 == 0:
        raise ProofError("a consistency proof from the empty tree is meaningless")
    if size1 == size2:
        if proof:
            raise ProofError("trees of equal size need an empty consistency proof")
        if not hmac.compare_digest(root1, root2):
            raise ProofError("trees of equal size have different roots")
        return
    first, second = _roots_from_consistency_proof(size1, size2, root1, proof)
    # 7. fr must equal first_hash and sr second_hash (sn == 0 was checked while computing).
    if not hmac.compare_digest(first, root1):
        raise ProofError("consistency proof does not lead to the first root hash")
    if not hmac.compare_digest(second, root2):
        raise ProofError("consistency proof does not lead to the second root hash")


def _roots_from_consistency_proof(
    size1: int, size2: int, root1: bytes, proof: Sequence[bytes]
) -> tuple[bytes, bytes]:
    """(fr, sr) of §2.1.4.2 steps 1-6 for ``0 < size1 < size2``; raises on a malformed proof."""
    # 1. An empty consistency_path fails.
    if not proof:
        raise ProofError("consistency proof is empty")
    path = list(proof)
    # 2. If first is an exact power of 2, prepend first_hash.
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    # 3.
    fn, sn = size1 - 1, size2 - 1
    # 4. Climb past the levels where fn is a right child.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5.
    fr = sr = path[0]
    # 6. Fold in each subsequent element.
    for c in path[1:]:
        # 6a.
        if sn == 0:
            raise ProofError("consistency proof is longer than the path")
        # 6b. c is a left sibling in both trees, or a right sibling in the second tree only.
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        # 6c.
        fn >>= 1
        sn >>= 1
    # 7. (first part) sn must be 0.
    if sn != 0:
        raise ProofError("consistency proof is shorter than the path")
    return fr, sr


# --- helpers ------------------------------------------------------------------------------------


def _split(n: int) -> int:
    """k, the largest power of two smaller than n (n >= 2): where §2.1.1 splits D[n]."""
    return 1 << ((n - 1).bit_length() - 1)


def _bit_ceil(n: int) -> int:
    """The smallest power of two >= n (n >= 1)."""
    return 1 << (n - 1).bit_length()


def _fold_right(hashes: list[bytes]) -> bytes:
    """``node_hash(h0, node_hash(h1, ... node_hash(h[-2], h[-1])))`` for a non-empty list."""
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


def _require_count(value: object, what: str, error: type[Exception] = ProofError) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise error(f"{what} must be a non-negative integer, not {value!r}")


def _require_hash(value: object, what: str, error: type[Exception] = ProofError) -> None:
    if not isinstance(value, bytes) or len(value) != HASH_SIZE:
        size = len(value) if isinstance(value, bytes) else type(value).__name__
        raise error(f"{what} must be {HASH_SIZE} bytes, got {size}")


def _require_proof(proof: Sequence[bytes]) -> None:
    for position, element in enumerate(proof):
        _require_hash(element, f"proof element {position}")


def _require_index(index: int, size: int) -> None:
    _require_count(size, "tree size", InputError)
    _require_count(index, "leaf index", InputError)
    if index >= size:
        raise InputError(f"leaf index {index} is not in a tree of {size} leaves")


def _require_sizes(size1: int, size2: int) -> None:
    _require_count(size1, "size1", InputError)
    _require_count(size2, "size2", InputError)
    if not 0 < size1 <= size2:
        raise InputError(f"a consistency proof needs 0 < size1 <= size2, not {size1} and {size2}")


def _require_leaf_hashes(leaf_hashes: Sequence[bytes]) -> None:
    for index, h in enumerate(leaf_hashes):
        _require_hash(h, f"leaf hash {index}", InputError)
