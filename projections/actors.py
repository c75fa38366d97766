"""Who signed what: the directory of actors, and each actor's trail (``actor_activity``).

The directory is the ``actors`` stream folded into one row per actor (role, jurisdiction, the
natural person holding the key). An actor's role and person never change after registration
(an actor id is registered once; rotation changes only the key), so the other models may look
a signer up in the directory whatever position they are at.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Connection, update

from projections import tables as t
from projections.base import ReadModel
from projections.db import bulk_insert
from projections.records import Record


class Signer(NamedTuple):
    role: str | None
    person: str | None


_UNKNOWN = Signer(None, None)


class ActorDirectory(ReadModel):
    """``actor_directory``: one row per registered actor."""

    name = "actor_directory"
    tables = (t.actor_directory,)
    COLUMNS = ("actor", "name", "role", "jurisdiction", "person", "registered_seq", "valid_from", "rotations",
               "revoked_seq")

    def reset(self) -> None:
        super().reset()
        self._signers: dict[str, Signer] = {}
        self._new: list[tuple[Any, ...]] = []
        self._rotated: list[str] = []
        self._revoked: list[tuple[int, str]] = []

    def signer(self, actor: str) -> Signer:
        """Role and person of ``actor`` (both None for an actor never registered)."""
        known = self._signers.get(actor)
        if known is None:
            row = None
            if not self.fresh:
                row = self.lookup("SELECT role, person FROM actor_directory WHERE actor = ?", (actor,))
            known = Signer(row.role, row.person) if row is not None else _UNKNOWN
            if row is not None:
                self._signers[actor] = known
        return known

    def _on_LedgerInitialised(self, r: Record) -> None:
        p = r.payload
        actor = str(p.get("authority_actor", r.actor))
        self._add(r, (actor, f"{p.get('province_name', '')} ledger authority", "ledger_authority",
                      p.get("province_code"), None, r.seq, r.recorded_at[:10], 0, None))

    def _on_ActorRegistered(self, r: Record) -> None:
        p = r.payload
        self._add(r, (str(p.get("actor", "")), p.get("name"), p.get("role"), p.get("jurisdiction"),
                      p.get("person"), r.seq, p.get("valid_from"), 0, None))

    def _add(self, r: Record, row: tuple[Any, ...]) -> None:
        if self.signer(row[0]) is not _UNKNOWN:
            return  # the domain registers an id once; a second registration changes nothing here
        self._signers[row[0]] = Signer(row[2], row[4])
        self._new.append(row)

    def _on_KeyRotated(self, r: Record) -> None:
        self._rotated.append(str(r.payload.get("actor", "")))

    def _on_ActorRevoked(self, r: Record) -> None:
        self._revoked.append((r.seq, str(r.payload.get("actor", ""))))

    def flush(self, conn: Connection) -> None:
        bulk_insert(conn, t.actor_directory, self.COLUMNS, self._new)
        c = t.actor_directory.c
        for actor in self._rotated:
            conn.execute(update(t.actor_directory).where(c.actor == actor).values(rotations=c.rotations + 1))
        for seq, actor in self._revoked:
            conn.execute(update(t.actor_directory).where(c.actor == actor, c.revoked_seq.is_(None))
                         .values(revoked_seq=seq))
        self._new, self._rotated, self._revoked = [], [], []


class ActorActivity(ReadModel):
    """``actor_activity``: one row per event, under the actor who signed it."""

    name = "actor_activity"
    tables = (t.actor_activity,)
    COLUMNS = ("seq", "actor", "person", "role", "type", "stream", "version", "recorded_at", "decided_on", "key",
               "hash")

    def __init__(self, view: Any, directory: ActorDirectory) -> None:
        self.directory = directory
        super().__init__(view)

    def reset(self) -> None:
        super().reset()
        self._rows: list[tuple[Any, ...]] = []

    def process_event(self, domain_event: Record, tracking: Any) -> None:  # type: ignore[override]
        r = domain_event
        who = self.directory.signer(r.actor)
        self._rows.append((r.seq, r.actor, who.person, who.role, r.type, r.stream, r.version, r.recorded_at,
                           r.decided_on, r.key, r.hash))

    def flush(self, conn: Connection) -> None:
        bulk_insert(conn, t.actor_activity, self.COLUMNS, self._rows)
        self._rows = []
