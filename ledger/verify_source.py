"""Where the verifier's positions come from, and the work its processes do on each chunk.

A :class:`Source` hands out small descriptions of chunks (seq ranges of a database, byte ranges
of a bundle); :func:`check_batch` runs in a worker process: it loads a chunk through the
worker's own connection or file, runs steps (2) and (4) on it (``ledger.verify_record``) and
hashes the chunk's leaves into the perfect subtrees of the Merkle tree they form, so that the
ordered walk in the main process joins a few subtrees per chunk instead of hashing every leaf.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from ledger.collecting import paused_collection
from ledger.tree import compact_range
from ledger.verify_record import Position, check_chunk

CHUNK = 2048
"""Positions per chunk of a database: a power of two, so that a chunk of a complete log is one
perfect subtree of the Merkle tree."""

TAIL_SPLIT = 8
"""The last four chunks' worth of a source goes out in chunks this many times smaller: a whole
chunk is ~0.15 s of one core, which one worker would otherwise spend alone at the end."""

SourceProblem = tuple[int | None, str, str]  # (seq, code, message)


class Source(Protocol):
    """Positions in chunks: ``chunks`` runs here and hands out small descriptions of each chunk,
    ``load`` turns one into its positions (and problems found on the way) in whichever process
    checks it."""

    def chunks(self) -> Iterator[Any]: ...

    def load(self, chunk: Any) -> tuple[list[Position], list[SourceProblem]]: ...


class Positions:
    """A source of positions already read (tests, small inputs): the chunks are the positions."""

    def __init__(self, positions: Iterable[Position]) -> None:
        self.positions = positions

    def chunks(self) -> Iterator[list[Position]]:
        chunk: list[Position] = []
        for position in self.positions:
            chunk.append(position)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def load(self, chunk: list[Position]) -> tuple[list[Position], list[SourceProblem]]:
        return chunk, []

    def __reduce__(self) -> tuple[Any, ...]:
        """A worker gets each chunk with its task and needs none of the positions (which may be
        a generator, and cannot be pickled)."""
        return Positions, ((),)


@dataclass(frozen=True)
class LogSource:
    """The log of a database as it stands when verification starts, read by the workers
    through their own connections, ``CHUNK`` seqs at a time."""

    url: str
    size: int

    def chunks(self) -> Iterator[tuple[int, int]]:
        low = 0
        while low < self.size:
            step = CHUNK if self.size - low > 4 * CHUNK else max(CHUNK // TAIL_SPLIT, 1)
            yield low, min(low + step, self.size)
            low += step

    def load(self, chunk: tuple[int, int]) -> tuple[list[Position], list[SourceProblem]]:
        low, high = chunk
        rows = reader(self.url).log_positions(low, high - low)  # the first high-low after low: all of (low, high]
        make = Position._make
        return [make(row) for row in rows if row[0] <= high], []


READERS: dict[tuple[int, str], Any] = {}
"""Open ledgers by (process id, url): a forked worker never uses its parent's connection."""


def reader(url: str) -> Any:
    """This process's own recorder for ``url``."""
    app = READERS.get((os.getpid(), url))
    if app is None:
        from ledger.app import ExitLedger

        app = READERS[(os.getpid(), url)] = ExitLedger(url, create=False, tables=False)  # kept: closing it closes its recorder
    return app.recorder


class Batch(NamedTuple):
    """One chunk as a worker sends it to the ordered steps."""

    rows: list[tuple[Any, ...]]  # a plain ``Checked`` tuple per position, in the order loaded
    first: int  # the leaf index ``subtrees`` start at: the first position's seq - 1
    subtrees: list[tuple[int, bytes]]  # ``compact_range`` of the rows' leaves
    problems: list[SourceProblem]


def check_batch(source: Source, chunk: Any, keys: dict[str, bytes]) -> Batch:
    """Load one chunk, check it and hash its leaves."""
    with paused_collection():
        positions, problems = source.load(chunk)
        rows = check_chunk(positions, keys)
        first = positions[0].seq - 1 if positions else 0
        subtrees = compact_range(first, [leaf_input(row[1], row[-1]) for row in rows])
    return Batch(rows, first, subtrees, problems)


def leaf_input(hash_: str | None, position: Position | None) -> bytes:
    """What the tree holds for a position: the record's actual hash, else what the log claims
    (32 zero bytes when that is no hash either)."""
    if hash_ is not None:
        return bytes.fromhex(hash_)
    try:
        leaf = bytes.fromhex(position.log_hash or "") if position is not None else b""
    except ValueError:
        leaf = b""
    return leaf if len(leaf) == 32 else b"\x00" * 32
