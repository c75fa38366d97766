"""The one append path: each entry decided by the domain against the ledger as the entries
before it left it, hashed in order, signed, and handed to the event store in entry order."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import domain
from domain import Act, Actor, CaseRef, DomainError, Stream
from ledger.batch_signing import Signing
from ledger.checkpoint import open_checkpoint
from ledger.errors import InputError, LedgerError, RefusedError, StoreError
from ledger.keys import b64, key_id
from ledger.record import GENESIS_PREV, build_record, hashed
from ledger.signing import Signer

if TYPE_CHECKING:
    from ledger.app import ExitLedger

ACTORS = "actors"


class Entry(NamedTuple):
    """One event to append: what, where, by whom, signed with which key.

    Entries and receipts are named tuples, not frozen dataclasses: a batch makes one of each per
    event, and a frozen dataclass costs five times as much to build.
    """

    stream: str
    type: str
    actor: str
    payload: Mapping[str, Any]
    signer: Signer


class Receipt(NamedTuple):
    """Where an appended event was stored: its ``seq`` and record hash."""

    seq: int
    hash: str
    stream: str
    version: int
    type: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "stream": self.stream, "version": self.version}


@dataclass
class Batch:
    """Aggregates and hashes of one append, so later entries see earlier ones."""

    app: ExitLedger  # the application appending (a forward reference: ledger.app imports this)
    aggregates: dict[str, Stream | None] = field(default_factory=dict)
    events: list[Any] = field(default_factory=list)
    new_hashes: set[str] = field(default_factory=set)
    keys: dict[str, str] = field(default_factory=dict)
    signing: Signing = field(default_factory=Signing)

    def aggregate(self, stream: str) -> Stream | None:
        if stream not in self.aggregates:
            self.aggregates[stream] = self.app.load(stream, trust_cache=True)
        return self.aggregates[stream]

    def public_key(self, signer: Signer) -> str:
        known = self.keys.get(signer.key_id)
        if known is None:
            known = self.keys[signer.key_id] = b64(signer.public_raw)
        return known

    def known_event(self, hash: str) -> bool:
        return hash in self.new_hashes or self.app.recorder.seq_of_hash(hash) is not None

    def find_case(self, stream: str) -> CaseRef | None:
        if not stream.startswith("case:"):
            return None
        try:
            case = self.aggregate(stream)
        except (LedgerError, ValueError):
            return None
        return case.as_case_ref() if case is not None else None  # type: ignore[attr-defined]

    def check_announced_checkpoint(self, note: Any) -> None:
        """An announcement publishes a checkpoint of this ledger that is already stored."""
        rule = ("ExitAnnounced: payload.checkpoint: must be a signed checkpoint note of this ledger "
                "already stored (run `exitledger checkpoint` and copy its note)")
        if not isinstance(note, str):
            raise InputError(rule, code="payload")
        app = self.app
        try:
            announced = open_checkpoint(note, app.origin, app.authority_public_key())
            stored = dict(app.recorder.checkpoints()).get(announced.size)
            same = stored is not None and open_checkpoint(stored, app.origin, app.authority_public_key()).text == announced.text
        except LedgerError:
            same = False
        if not same:
            raise InputError(rule, code="payload")

    def add(self, entry: Entry) -> tuple[str, int]:
        """Decide, hash and queue for signing one entry; its record hash and stream version."""
        if type(entry.payload) is not dict and not isinstance(entry.payload, Mapping):  # dict: no ABC check
            raise InputError("payload: must be a JSON object")
        registry = self.aggregate(ACTORS) if (entry.stream != ACTORS or entry.type != "LedgerInitialised") else None
        now = self.app.clock()
        public_key = self.public_key(entry.signer)
        if entry.type == "LedgerInitialised":
            actor = Actor(
                id=entry.actor, name="ledger authority", role="ledger_authority",
                jurisdiction=str(entry.payload.get("province_code", "")), public_key=public_key,
            )
            act = Act(actor=actor, recorded_at=now)
        else:
            if registry is None:
                raise StoreError("no ledger in this database yet: run `exitledger init` first")
            actor = registry.actor(entry.actor)  # type: ignore[attr-defined]
            if actor is None:
                raise RefusedError(f"actor {entry.actor} is not registered in this ledger", code="actor")
            if actor.revoked:
                raise RefusedError(f"actor {entry.actor} was revoked and may sign nothing", code="revoked")
            if actor.public_key != public_key:
                raise RefusedError(
                    f"key {entry.signer.key_id} is not the current key of actor {entry.actor} "
                    f"(that is {key_id(base64.b64decode(actor.public_key))})",
                    code="key",
                )
            act = Act(
                actor=actor,
                recorded_at=now,
                incidence_limit=registry.incidence_limit,  # type: ignore[attr-defined]
                province_code=registry.province_code,  # type: ignore[attr-defined]
                known_event=self.known_event,
                find_actor=registry.actor,  # type: ignore[attr-defined]
                find_case=self.find_case,
            )
        if entry.type == "ExitAnnounced" and "checkpoint" in entry.payload:
            self.check_announced_checkpoint(entry.payload["checkpoint"])
        try:
            stream_id = self.app.stream_id(entry.stream)
            aggregate, event = domain.record(
                stream=entry.stream,
                aggregate=self.aggregate(entry.stream),
                type=entry.type,
                act=act,
                payload=entry.payload,
                id=stream_id,
            )
        except DomainError as e:
            if e.field in ("stream", "type"):  # the command's arguments, not payload fields
                given = entry.stream if e.field == "stream" else entry.type
                raise InputError(f"{e.field} {given}: {getattr(e, 'rule', e.message)}", code=e.code) from None
            cls = InputError if e.code == "payload" else RefusedError
            raise cls(f"{entry.type} on {entry.stream}: {e.message}", code=e.code) from None
        version = event.originator_version
        record = build_record(
            ledger=self.app.ledger_id,
            stream=entry.stream,
            version=version,
            type=entry.type,
            recorded_at=event.timestamp,
            actor=entry.actor,
            key=entry.signer.key_id,
            payload=event.payload,
            prev=GENESIS_PREV if version == 1 else aggregate.refs[version - 1],
        )
        body, digest = hashed(record)
        aggregate.acknowledge(version, digest)
        self.aggregates[entry.stream] = aggregate
        self.events.extend(aggregate.collect_events())
        self.signing.add(stream_id, version, body, digest, entry.signer)
        self.new_hashes.add(digest)
        return digest, version
