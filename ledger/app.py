"""The exitledger application: append signed events, replay streams (eventsourcing ``Application``).

Speaks primitives to its callers (STYLE habit 8): stream names, type names, payload dicts,
signers, and returns plain dicts and receipts. Every append, single or batch, goes through one
path (``ledger.append``): each entry is decided by the domain against the ledger as the entries
before it left it, sealed (canonical body, hash, Ed25519 signature), and then all are saved in
one transaction.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any
from uuid import UUID, uuid4, uuid5

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, PersistenceError

import domain
from domain import Actor, ActorRegistry, DomainError, Stream
from ledger.append import ACTORS, Batch, Entry, Receipt
from ledger.collecting import paused_collection
from ledger.errors import ConflictError, InputError, LedgerError, StoreError
from ledger.keys import b64, key_id, vkey
from ledger.mapper import RecordMapper
from ledger.record import open_envelope, parse_time
from ledger.signing import Signer
from ledger.store import LedgerRecorder, StaleState, iter_log, persistence_env, prepare_database

CACHE_STREAMS = 2000
"""Aggregates (and stream ids) kept between appends; the least recently used go first."""
ATTEMPTS = 3
"""Decisions made again when another writer appended first (ConflictError after the last)."""
DEFAULT_AUTHORITY = "ledger-authority"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class ExitLedger(Application):
    """One ledger in one database."""

    name = "exitledger"
    is_snapshotting_enabled = False
    recorder: LedgerRecorder  # ledger.store_sqlite's or ledger.store_postgres's, by the URL
    mapper: RecordMapper

    def __init__(self, url: str, *, clock: Callable[[], datetime] = utc_now, create: bool = True,
                 tables: bool = True) -> None:
        """Open the ledger at ``url``. ``create=False`` refuses a missing SQLite file;
        ``tables=False`` (verification workers) neither creates a schema nor tables."""
        env = persistence_env(url, create=create)
        if not tables:
            env["CREATE_TABLE"] = "no"
        try:
            if tables:
                prepare_database(env)
            super().__init__(env=env)
        except LedgerError:
            raise
        except Exception as e:  # the driver's own errors: unreachable server, bad file, …
            raise StoreError(f"cannot open database {_redact(url)}: {_one_line(e)}") from None
        self.url = url
        self.clock = clock
        self._ledger_id: str | None = None
        self._genesis: dict[str, Any] | None = None
        self._aggregates: dict[str, Stream] = {}
        self._ids: dict[str, UUID] = {}
        self._synced: int | None = None  # the log size every cached aggregate is current at

    def construct_mapper(self) -> RecordMapper:
        return RecordMapper(self.construct_transcoder())

    # -- identity --------------------------------------------------------------------------
    @property
    def genesis(self) -> dict[str, Any]:
        """The genesis record (seq 1); StoreError on an empty database."""
        if self._genesis is None:
            rows = self.recorder.log_rows(0, 1)
            if not rows or rows[0].seq != 1 or rows[0].state is None:
                raise StoreError("no ledger in this database yet: run `exitledger init` first")
            try:
                record = json.loads(open_envelope(rows[0].state).body)
                str(UUID(record["ledger"])), str(record["payload"]["origin"])
            except (ValueError, KeyError, TypeError, RecursionError):
                raise StoreError("the genesis event cannot be read; run `exitledger verify`") from None
            self._genesis = record
        return self._genesis

    @property
    def ledger_id(self) -> str:
        if self._ledger_id is None:
            self._ledger_id = str(self.genesis["ledger"])
        return self._ledger_id

    @property
    def origin(self) -> str:
        """The log's origin line, ``exitledger/<ledger id>`` (SPEC §3)."""
        return str(self.genesis["payload"]["origin"])

    def authority_public_key(self) -> bytes:
        return base64.b64decode(self.genesis["payload"]["authority_public_key"])

    def authority_vkey(self) -> str:
        return vkey(self.origin, self.authority_public_key())

    def checkpoint_notes(self) -> list[tuple[int, str]]:
        """Every stored checkpoint note by size, with the witnesses' cosignature lines appended."""
        lines: dict[int, str] = {}
        for size, _witness, line in self.recorder.cosignatures():
            lines[size] = lines.get(size, "") + line
        return [(size, note + lines.get(size, "")) for size, note in self.recorder.checkpoints()]

    def is_empty(self) -> bool:
        return self.recorder.log_size() == 0

    def stream_id(self, stream: str) -> UUID:
        known = self._ids.get(stream)
        if known is None:
            if len(self._ids) >= CACHE_STREAMS:
                self._ids.clear()
            known = self._ids[stream] = uuid5(UUID(self.ledger_id), stream)
        return known

    def size(self) -> int:
        return int(self.recorder.log_size())

    # -- reading aggregates -----------------------------------------------------------------
    def load(self, stream: str, *, trust_cache: bool = False) -> Stream | None:
        """The stream's aggregate as stored now, or None if it has no events.

        Aggregates are kept between calls and brought up to date with the events stored since
        (one query), so a long case is replayed once per process, not once per append. Callers
        that change one must :meth:`forget` it unless it was saved.

        ``trust_cache`` (the append path) takes a kept aggregate as it is, with no query: the
        append transaction then checks that the log has not grown since the cache was current
        (:class:`ledger.store.LogAppender`), and a stale decision is made again.
        """
        if trust_cache and self._synced is None:
            self._aggregates.clear()  # nothing kept is known current: start from the log as it is
            self._synced = self.size()
        aggregate = self._aggregates.pop(stream, None)
        if not (trust_cache and aggregate is not None):
            try:
                stored = self.recorder.select_events(
                    self.stream_id(stream), gt=aggregate.version if aggregate is not None else None
                )
            except PersistenceError as e:
                raise StoreError(f"cannot read {stream}: {_one_line(e)}") from None
            for stored_event in stored:
                aggregate = self.mapper.to_domain_event(stored_event).mutate(aggregate)
        if aggregate is not None:
            if len(self._aggregates) >= CACHE_STREAMS:
                self._aggregates.pop(next(iter(self._aggregates)))
            self._aggregates[stream] = aggregate  # most recently used last
        return aggregate

    def forget(self, streams: Iterable[str]) -> None:
        for stream in streams:
            self._aggregates.pop(stream, None)

    def registry(self) -> ActorRegistry:
        registry = self.load(ACTORS)
        if registry is None:
            raise StoreError("no ledger in this database yet: run `exitledger init` first")
        return registry  # type: ignore[return-value]

    # -- writing ----------------------------------------------------------------------------
    def init(
        self,
        *,
        province_code: str,
        province_name: str,
        signer: Signer,
        actor: str = DEFAULT_AUTHORITY,
        incidence_limit: str | None = None,
        ledger_id: str | None = None,
    ) -> Receipt:
        """Append the genesis event ``LedgerInitialised``; the database must hold no ledger."""
        if not self.is_empty():
            raise InputError(f"this database already holds ledger {self.ledger_id}; nothing written")
        self._ledger_id = str(UUID(ledger_id)) if ledger_id else str(uuid4())
        payload: dict[str, Any] = {
            "province_code": province_code,
            "province_name": province_name,
            "origin": f"exitledger/{self._ledger_id}",
            "authority_actor": actor,
            "authority_public_key": b64(signer.public_raw),
        }
        if incidence_limit is not None:
            payload["incidence_limit"] = incidence_limit
        try:
            return self.append([Entry(ACTORS, "LedgerInitialised", actor, payload, signer)])[0]
        except ConflictError:
            self._ledger_id = None
            raise InputError("this database already holds a ledger (another init got there first); nothing written") from None
        except LedgerError:
            self._ledger_id = None
            raise

    def append(self, entries: Iterable[Entry]) -> list[Receipt]:
        """Decide, seal and store ``entries`` in one transaction: all or nothing.

        Each entry is checked against the ledger as the entries before it left it. Raises
        InputError (the entry's payload), RefusedError (process, rights or key) with the entry's
        index in ``.index``, or ConflictError when another writer got there first.

        The decision is made on the aggregates this process keeps; if the log grew meanwhile
        (another process appended), the transaction refuses it and the entries are decided
        again on the stored state — up to :data:`ATTEMPTS` times.
        """
        entries = list(entries)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with paused_collection():
                    return self._append_once(entries)
            except (StaleState, IntegrityError):
                self._aggregates.clear()
                self._synced = None
                if attempt == ATTEMPTS:
                    break
        raise ConflictError(
            "another writer appended to the same stream first; nothing was stored — run the command again"
        )

    def _append_once(self, entries: list[Entry]) -> list[Receipt]:
        batch = Batch(self)
        added: list[tuple[str, int]] = []  # (hash, version) of each entry
        saved = False
        try:
            for index, entry in enumerate(entries):
                try:
                    added.append(batch.add(entry))
                except LedgerError as e:
                    e.index = index  # type: ignore[attr-defined]
                    raise
            if not added:
                return []
            for stream_id, version, envelope in batch.signing.envelopes():
                self.mapper.expect(stream_id, version, envelope)
            # The events in entry order, straight to the recorder (what EventStore.put does, less
            # a Recording and a Notification per event we never read): seq order is entry order.
            stored = list(map(self.mapper.to_stored_event, batch.events))
            self.recorder.expected_size = self._synced
            try:
                seqs = self.recorder.insert_events(stored)
            finally:
                self.recorder.expected_size = None
            saved = True
        except IntegrityError:
            raise  # append() decides again
        except PersistenceError as e:
            raise StoreError(f"the database refused the append: {_one_line(e)}; nothing was stored") from None
        finally:
            batch.signing.close()
            if not saved:  # the aggregates hold events that were never stored
                self.mapper.forget()
                self.forget(batch.aggregates)
        assert seqs, "the ledger's recorders return the seqs they assigned"
        self._synced = seqs[-1]  # our events are in the kept aggregates
        return [Receipt(seq, digest, entry.stream, version, entry.type)
                for seq, (digest, version), entry in zip(seqs, added, entries, strict=True)]

    # -- replay -------------------------------------------------------------------------------
    def history(self, stream: str, as_of: datetime | None = None) -> list[dict[str, Any]]:
        """The events of ``stream`` as the ledger stood at ``as_of`` (all when None), in order."""
        try:
            domain.aggregate_for(stream)
        except DomainError as e:
            raise InputError(f"stream {stream}: {getattr(e, 'rule', e.message)}", code=e.code) from None
        registry = self.registry()
        out: list[dict[str, Any]] = []
        for row in iter_log(self.recorder, originator_id=self.stream_id(stream)):
            if row.state is None:
                raise StoreError(f"seq {row.seq} of {stream} is missing its event; run `exitledger verify`")
            sealed = open_envelope(row.state)
            record = json.loads(sealed.body)
            if as_of is not None and parse_time(record["recorded_at"]) > as_of:
                continue
            actor = registry.actor(record["actor"])
            date_field = domain.DECISION_DATE_FIELD.get(record["type"])
            cited = [h for name in ("basis", "evidence") for h in record["payload"].get(name, ())]
            extra = {"cites": [self.event_summary(h) for h in cited]} if cited else {}
            out.append(
                {
                    "seq": row.seq,
                    "version": record["version"],
                    "type": record["type"],
                    "hash": sealed.hash,
                    "actor": record["actor"],
                    "person": actor.person if actor else None,
                    "key": record["key"],
                    "recorded_at": record["recorded_at"],
                    "decided_on": record["payload"].get(date_field) if date_field else None,
                    "payload": record["payload"],
                    **extra,
                }
            )
        return out

    def event_summary(self, hash: str) -> dict[str, Any]:
        """Where the event with record hash ``hash`` stands in this ledger: seq, stream, type, who."""
        seq = self.recorder.seq_of_hash(hash)
        rows = self.recorder.log_rows(seq - 1, 1) if seq is not None else []
        if not rows or rows[0].state is None:
            return {"hash": hash, "seq": None}
        record = json.loads(open_envelope(rows[0].state).body)
        return {"hash": hash, "seq": seq, "stream": record["stream"], "version": record["version"],
                "type": record["type"], "actor": record["actor"], "recorded_at": record["recorded_at"]}

    def actors(self) -> list[dict[str, Any]]:
        registry = self.registry()
        return [
            {
                "actor": a.id,
                "name": a.name,
                "role": a.role,
                "jurisdiction": a.jurisdiction,
                "person": a.person,
                "key": key_id(base64.b64decode(a.public_key)),
                "revoked": a.revoked,
            }
            for a in sorted(registry.actors.values(), key=lambda a: a.id)
        ]

    def find_actor(self, actor_id: str) -> Actor | None:
        return self.registry().actor(actor_id)


def _one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return url
