"""What the checkpoint suites share: the demo province grown in two steps and signed after
each (岳西县's whole case: 38 events; then 临泉县's: 47), raw-SQL attacks on the log and tree,
and checkpoints the authority never signed. The province's constants are the bundle suites'
(``tests.integration.bundles``), re-exported here."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from domain import scenario
from ledger import transparency
from ledger.checkpoint import sign_checkpoint
from ledger.store import TREE_TABLE
from ledger.tree import grow
from tests.builders import Province, province, signer_for
from tests.integration.bundles import (  # the same two-step province as the bundle suites
    AUTHORITY,
    FIRST,
    OTHER_LEDGER,
    SETUP,
    SIZE,
    WITNESS,
    YUEXI,
    add,
)

from .rawdb import RawDB

START = datetime(2017, 7, 1, 8, tzinfo=timezone.utc).timestamp()  # the builders' StepClock


def authority(p: Province) -> Any:
    return p.signers[AUTHORITY]


def log_leaves(db: RawDB) -> list[bytes]:
    return [bytes.fromhex(h) for (h,) in db.run("SELECT hash FROM {log} ORDER BY seq")]


def rebuild_tree(db: RawDB, leaves: list[bytes]) -> None:
    """Replace every stored tree node with the tree of ``leaves``, as a careful attacker would."""
    db.run(f"DELETE FROM {TREE_TABLE}")
    for level, index, h in grow(0, leaves, lambda level, index: b""):
        if level == 0:
            continue  # leaves are read from the log, which the attacker rewrote already
        db.run(f"INSERT INTO {TREE_TABLE} (level, idx, hash) VALUES (?, ?, ?)", level, index, h)


def swap_seqs(db: RawDB, a: int, b: int) -> None:
    db.run("UPDATE {log} SET seq = -1 WHERE seq = ?", a)
    db.run("UPDATE {log} SET seq = ? WHERE seq = ?", a, b)
    db.run("UPDATE {log} SET seq = ? WHERE seq = -1", b)
    rebuild_tree(db, log_leaves(db))


def forged_note(p: Province, size: int) -> str:
    """The true tree head at ``size`` under the origin name, signed by a key that is not the authority's."""
    impostor = signer_for(AUTHORITY, "impostor")
    return sign_checkpoint(p.app.origin, size, transparency.root_at(p.app, size), impostor)


def other_ledgers_note(tmp_path: Path, size: int) -> str:
    """A checkpoint of another ledger (same authority key, another ledger id) at ``size``."""
    other = province(f"sqlite:///{tmp_path}/other.db", ledger_id=OTHER_LEDGER, cases=False)
    try:
        add(other, scenario.demo_steps()[:size - SETUP])
        return transparency.sign(other.app, other.signers[AUTHORITY]).note
    finally:
        other.app.close()


__all__ = ["AUTHORITY", "FIRST", "OTHER_LEDGER", "SETUP", "SIZE", "START", "WITNESS", "YUEXI", "add", "authority",
           "forged_note", "log_leaves", "other_ledgers_note", "rebuild_tree", "swap_seqs"]
