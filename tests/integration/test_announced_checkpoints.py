"""Checkpoints published with an ExitAnnounced (SPEC §3): only a stored checkpoint of this
ledger is accepted, and verification reports one that no longer stands (``ledger.verify_seal``
step 11), on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from domain import scenario
from ledger import transparency
from ledger.checkpoint import sign_checkpoint
from ledger.errors import InputError
from ledger.store import CHECKPOINT_TABLE
from tests.builders import Province, province, signer_for
from tests.integration.checkpoints import (
    AUTHORITY,
    FIRST,
    SETUP,
    WITNESS,
    YUEXI,
    add,
    authority,
    forged_note,
    other_ledgers_note,
    swap_seqs,
)
from tests.integration.reports import found, verify

from .rawdb import RawDB, counts


ANNOUNCED = scenario.yuexi_case()[-2]  # ExitAnnounced
assert ANNOUNCED.type == "ExitAnnounced"


@pytest.fixture
def approved(db_url: str) -> Iterator[Province]:
    """岳西县 approved for exit (ExitApproved), signed at that size (36); not announced yet."""
    p = province(db_url, cases=False)
    add(p, scenario.yuexi_case()[:-2])
    transparency.sign(p.app, p.signers[AUTHORITY])
    yield p
    p.app.close()


def announce(p: Province, checkpoint: Any) -> Any:
    return p.append(ANNOUNCED.stream, ANNOUNCED.type, ANNOUNCED.actor, {**ANNOUNCED.payload, "checkpoint": checkpoint})


@pytest.mark.parametrize("cosigned", [False, True], ids=["as-signed", "with-a-witness-cosignature"])
def test_an_announcement_publishing_a_stored_checkpoint_is_accepted_and_verifies(
    approved: Province, db_url: str, cosigned: bool
) -> None:
    if cosigned:
        note = transparency.witness_cosign(approved.app, signer_for(WITNESS), WITNESS)["note"]
    else:
        note = approved.app.checkpoint_notes()[-1][1]

    receipt = announce(approved, note)

    assert (receipt.seq, receipt.type) == (FIRST - 1, "ExitAnnounced")
    assert approved.app.history(YUEXI)[-1]["payload"]["checkpoint"] == note
    transparency.sign(approved.app, authority(approved))
    report = verify(db_url, trusted_authority=authority(approved).public_raw)
    assert report.ok and report.problems == [] and report.warnings == []


def unstored_note(p: Province, tmp_path: Path) -> str:
    """A correctly signed checkpoint of this ledger that was never stored (size 35)."""
    return sign_checkpoint(p.app.origin, FIRST - 3, transparency.root_at(p.app, FIRST - 3), authority(p))


def stored_note_with_another_root(p: Province, tmp_path: Path) -> str:
    """Signed by the authority at the stored size, over a root that is not the log's."""
    return sign_checkpoint(p.app.origin, FIRST - 2, hashlib.sha256(b"x").digest(), authority(p))


NOT_PUBLISHABLE: dict[str, Any] = {
    "not-stored": unstored_note,
    "stored-size-other-root": stored_note_with_another_root,
    "forged": lambda p, tmp: forged_note(p, FIRST - 2),
    "another-ledgers": lambda p, tmp: other_ledgers_note(tmp, FIRST - 2),
    "garbage": lambda p, tmp: "this is not a checkpoint\n\n— nobody AAAAAAAAAAAA\n",
    "empty": lambda p, tmp: "",
    "not-a-string": lambda p, tmp: FIRST - 2,
    "a-json-object": lambda p, tmp: {"size": FIRST - 2},
}


@pytest.mark.parametrize("make", NOT_PUBLISHABLE.values(), ids=NOT_PUBLISHABLE.keys())
def test_an_announcement_publishing_anything_but_a_stored_checkpoint_is_refused_and_appends_nothing(
    approved: Province, db_url: str, tmp_path: Path, make: Any
) -> None:
    note = make(approved, tmp_path)
    before = counts(db_url)

    with pytest.raises(InputError, match="payload.checkpoint"):
        announce(approved, note)

    assert counts(db_url) == before and approved.app.size() == FIRST - 2


def test_deleting_a_checkpoint_an_announcement_published_is_reported_at_the_announcement(
    approved: Province, db: RawDB, db_url: str
) -> None:
    announce(approved, approved.app.checkpoint_notes()[-1][1])
    db.run(f"DELETE FROM {CHECKPOINT_TABLE}")

    assert found(verify(db_url)) == {(FIRST - 1, YUEXI, len(scenario.yuexi_case()) - 1, "announcement.checkpoint")}


def test_an_announcement_whose_published_checkpoint_no_longer_matches_the_log_is_reported(
    approved: Province, db: RawDB, db_url: str
) -> None:
    announce(approved, approved.app.checkpoint_notes()[-1][1])
    swap_seqs(db, SETUP + 1, SETUP + 2)  # 岳西县 v1 and v2 change places: v2 now comes first

    problems = found(verify(db_url))

    assert (FIRST - 2, None, None, "checkpoint.root_mismatch") in problems
    assert (FIRST - 1, YUEXI, len(scenario.yuexi_case()) - 1, "announcement.checkpoint") in problems
