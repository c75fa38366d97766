"""Verification steps (10)–(12): the Merkle tree recomputed from the log, checked against every
signed checkpoint and every checkpoint published with an announcement.

Roots are recomputed with an O(log n) accumulator while the verifier walks the log; a
checkpoint's root must equal the recomputed root at its size. Two checkpoints whose roots both
equal the roots of one recomputed log are consistent with each other by construction, which is
a stronger check than a consistency proof handed over by the log itself.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ledger.checkpoint import open_checkpoint, parse_checkpoint_text
from ledger.errors import LedgerError
from ledger.signed_note import parse_note
from ledger.tree import Accumulator


@dataclass
class Seal:
    """Checkpoints to check: (size or None, note or None, problem or None) as stored or exported."""

    checkpoints: list[tuple[int | None, str | None, str | None]]
    accumulator: Accumulator = field(default_factory=Accumulator)
    roots: dict[int, bytes] = field(default_factory=dict)
    wanted: set[int] = field(default_factory=set)
    wanted_in_order: list[int] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        for size, note, _problem in self.checkpoints:
            claimed = _claimed_size(note) if note is not None else None
            for candidate in (size, claimed):
                if isinstance(candidate, int):
                    self.wanted.add(candidate)
        self.wanted_in_order = sorted(self.wanted)

    def add(self, leaf: bytes) -> None:
        self.accumulator.add(leaf)
        if self.accumulator.size in self.wanted:
            self.roots[self.accumulator.size] = self.accumulator.root()

    def add_range(self, first: int, subtrees: list[tuple[int, bytes]]) -> bool:
        """Add a chunk's leaves by their compact range (``ledger.tree.compact_range`` of leaves
        ``first``… as a worker hashed them), if the tree is at size ``first`` and no
        checkpoint size falls inside one of the subtrees; otherwise add nothing and say so
        (the leaves are then added one by one)."""
        if first != self.accumulator.size:
            return False
        ends, end = set(), first
        for width, _ in subtrees:
            end += width
            ends.add(end)
        wanted = self.wanted_in_order
        for size in wanted[bisect.bisect_right(wanted, first):bisect.bisect_left(wanted, end)]:
            if size not in ends:
                return False
        for width, h in subtrees:
            self.accumulator.add_perfect(width, h)
            if self.accumulator.size in self.wanted:
                self.roots[self.accumulator.size] = self.accumulator.root()
        return True

    def check_announced(self, note: object, seq: int, origin: str, authority: bytes) -> str | None:
        """Why the checkpoint an ExitAnnounced carries is not a stored checkpoint of this log, if so."""
        if not isinstance(note, str):
            return "the announced checkpoint is not a note"
        try:
            checkpoint = open_checkpoint(note, origin, authority)
        except LedgerError as e:
            return f"the announced checkpoint does not verify: {e}"
        if checkpoint.size >= seq:
            return f"the announced checkpoint (size {checkpoint.size}) covers events recorded after the announcement"
        if checkpoint.size not in self.roots:
            return f"the announced checkpoint (size {checkpoint.size}) is not among the stored checkpoints"
        if checkpoint.root != self.roots[checkpoint.size]:
            return f"the announced checkpoint's root is not the root of the first {checkpoint.size} events"
        return None

    def finish(self, origin: str | None, authority: bytes | None, events: int) -> tuple[list[tuple[int | None, str, str]], list[str]]:
        """Problems (size, code, message) and warnings once the walk is over."""
        problems: list[tuple[int | None, str, str]] = []
        last = 0
        valid = 0
        for size, note, problem in self.checkpoints:
            if problem is not None or note is None or size is None:
                problems.append((size, "checkpoint.malformed", problem or "a checkpoint line is malformed"))
                continue
            if origin is None or authority is None:
                problems.append((size, "checkpoint.signature", "no authority key to check the checkpoint against"))
                continue
            try:
                checkpoint = open_checkpoint(note, origin, authority)
            except LedgerError as e:
                problems.append((size, "checkpoint.signature", f"the checkpoint is not signed by the authority of {origin}: {e}"))
                continue
            if checkpoint.size != size:
                problems.append((size, "checkpoint.size_mismatch", f"listed as size {size} but the note says {checkpoint.size}"))
            if checkpoint.size <= last:
                problems.append((size, "checkpoint.order", "checkpoints must have increasing sizes"))
            last = max(last, checkpoint.size)
            if checkpoint.size > events:
                problems.append((size, "checkpoint.beyond_log",
                                 f"the checkpoint seals {checkpoint.size} events but the log holds {events}: events were removed"))
            elif checkpoint.root != self.roots.get(checkpoint.size):
                problems.append((size, "checkpoint.root_mismatch",
                                 f"the root signed at size {checkpoint.size} is not the root of the first {checkpoint.size} "
                                 "events: events were changed, removed or reordered"))
            else:
                valid += 1
        warnings = []
        if not self.checkpoints:
            warnings.append("no checkpoint has been signed yet: nothing is sealed (run `exitledger checkpoint`)")
        elif not valid:
            warnings.append("no valid checkpoint: nothing is sealed")
        elif events > last:
            warnings.append(f"{events - last} event(s) after the last checkpoint (size {last}) are not sealed yet")
        return problems, warnings


def _claimed_size(note: str) -> int | None:
    try:
        text, _ = parse_note(note)
        return parse_checkpoint_text(text)[1]
    except LedgerError:
        return None
