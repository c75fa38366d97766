"""The one way the Merkle tests read their vectors: data files under ``tests/vectors/merkle/``.

Probe files copied from transparency-dev/merkle ``testdata/`` are JSON written by Go: hashes in
standard base64, a missing proof as ``null``. Tables transcribed from Go sources use hex. The
README next to the files names every source.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from ..ledger.vectors import VECTORS_DIR, load_vector

MERKLE_DIR = VECTORS_DIR / "merkle"


def merkle_vector(name: str) -> Any:
    """The parsed JSON of ``tests/vectors/merkle/<name>``."""
    return load_vector(f"merkle/{name}")


def hexes(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


@dataclass(frozen=True)
class InclusionProbe:
    name: str
    index: int
    size: int
    root: bytes
    leaf_hash: bytes
    proof: list[bytes]
    want_error: bool


@dataclass(frozen=True)
class ConsistencyProbe:
    name: str
    size1: int
    size2: int
    root1: bytes
    root2: bytes
    proof: list[bytes]
    want_error: bool


def inclusion_probes() -> list[InclusionProbe]:
    """Every upstream inclusion probe, named by its path under ``tests/vectors/merkle/``."""
    probes = []
    for name in _names("inclusion"):
        v = merkle_vector(name)
        probes.append(
            InclusionProbe(
                name,
                v["leafIdx"],
                v["treeSize"],
                _b64(v["root"]),
                _b64(v["leafHash"]),
                [_b64(p) for p in v["proof"] or []],
                v["wantErr"],
            )
        )
    return probes


def consistency_probes() -> list[ConsistencyProbe]:
    """Every upstream consistency probe, named by its path under ``tests/vectors/merkle/``."""
    probes = []
    for name in _names("consistency"):
        v = merkle_vector(name)
        probes.append(
            ConsistencyProbe(
                name,
                v["size1"],
                v["size2"],
                _b64(v["root1"]),
                _b64(v["root2"]),
                [_b64(p) for p in v["proof"] or []],
                v["wantErr"],
            )
        )
    return probes


def _names(kind: str) -> list[str]:
    return sorted(p.relative_to(MERKLE_DIR).as_posix() for p in (MERKLE_DIR / kind).rglob("*.json"))


def _b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)
