"""Full verification of a ledger, read top to bottom as numbered steps (STYLE habit 6).

For every position of the log, in seq order:
  (1) the global sequence: seq runs 1, 2, 3, … with no gap, and every position has its event;
  (2) the record: the stored envelope frames a JSON object of exactly the nine SPEC members,
      its bytes are canonical (RFC 8785), their SHA-256 is the stored hash and the log's hash;
  (3) the ledger and position: the record names this ledger, and its stream and version are
      the aggregate and version it is stored under;
  (4) the signature: Ed25519 over the stored body with the key the record names;
  (5) the authority: seq 1 is LedgerInitialised, signed by the authority key it declares,
      which is the trusted key when one is given;
  (6) the key's validity: the key was the actor's current key at that seq, not rotated away
      and the actor not revoked at a lower seq;
  (7) role and jurisdiction: the actor may sign that event type on that stream;
  (8) the stream chain: versions continue by one and ``prev`` is the hash of the version before.
Beside the walk: (9) no stored event is missing from the log (asked while the workers check
the first chunks, when this process would otherwise wait). After it: (10) the Merkle tree recomputed
from the log has, at each signed checkpoint's size, the root the checkpoint signs, and (11)
each checkpoint an ExitAnnounced publishes is one of them (``ledger.verify_seal``).

Steps (2) and (4) — the costly ones, in ``ledger.verify_record`` — run in worker processes on
both cores; the stateful steps run in order in this process. The workers also read the events
themselves (``ledger.verify_source``: seq ranges of the database, byte ranges of a bundle) and
hash each chunk's Merkle leaves, so this process never touches a stored body unless a check
needs it again. Memory holds one head per stream and the actor registry, never the events.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import domain
from domain import Actor, CaseRef, DomainError
from ledger.collecting import paused_collection
from ledger.errors import LedgerError
from ledger.keys import key_id as key_id_of
from ledger.record import GENESIS_PREV
from ledger.verify_record import SIG, Checked, Position, check, key_hints, learn_keys, raw_key
from ledger.verify_seal import Seal
from ledger.verify_source import READERS, Batch, LogSource, Positions, Source, check_batch, leaf_input

__all__ = ["Position", "Problem", "Report", "Verifier", "key_hints", "verify_store"]

IN_FLIGHT = 6
_LEARNED_FROM = frozenset({"LedgerInitialised", "ActorRegistered", "KeyRotated", "ActorRevoked", "CaseOpened",
                           "InquiryOpened"})
"""The types whose correctly signed events change who may sign what (``Verifier._learn``)."""


@dataclass(frozen=True)
class Problem:
    """One finding: where (seq, stream, version), a stable ``code``, and what is wrong."""

    seq: int | None
    stream: str | None
    version: int | None
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "stream": self.stream, "version": self.version, "code": self.code,
                "message": self.message}


@dataclass
class Report:
    """What verification found. ``ok`` is True only with no problem at all."""

    ledger: str | None = None
    events: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.events > 0


# -- the walk --------------------------------------------------------------------------------
@dataclass
class _State:
    """What the ordered steps remember: heads of streams, actors, keys, cases."""

    ledger: str | None = None
    origin: str | None = None
    province_code: str = ""
    authority_key: bytes | None = None
    keys: dict[str, bytes] = field(default_factory=dict)  # key id → raw key (any ever declared)
    actors: dict[str, Actor] = field(default_factory=dict)
    current_keys: dict[str, str] = field(default_factory=dict)  # actor id → key id of its current key
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    cases: dict[str, CaseRef] = field(default_factory=dict)


class Verifier:
    """Walks positions in seq order and collects problems; never raises on bad data."""

    def __init__(self, *, trusted_authority: bytes | None = None,
                 checkpoints: list[tuple[int | None, str | None, str | None]] | None = None,
                 key_hints: dict[str, bytes] | None = None) -> None:
        self.trusted_authority = trusted_authority
        self.key_hints = key_hints or {}
        self.state = _State()
        self.report = Report()
        self.expected_seq = 1
        self.seal = Seal(checkpoints or [])
        self.source_problems: list[Problem] = []  # what a source found unreadable (bundle lines)
        self._rights: dict[tuple[Any, ...], str | None] = {}  # step (7)'s verdicts while actors and cases stay

    def problem(self, seq: int | None, stream: Any, version: Any, code: str, message: str) -> None:
        self.report.problems.append(Problem(seq, stream if isinstance(stream, str) else None,
                                            version if type(version) is int else None, code, message))

    def run(self, source: Source | Iterable[Position], *, workers: int | None = None,
            progress: Callable[[int], None] | None = None, meanwhile: Callable[[], None] | None = None) -> Report:
        """Walk every position of ``source`` (or of an iterable of positions) in order.

        ``meanwhile`` is called once, while the workers check the first chunks: this process
        has nothing else to do until the first of them comes back."""
        if not hasattr(source, "load"):
            source = Positions(source)  # type: ignore[arg-type]
        with paused_collection():
            for batch in self._checked(source, workers, meanwhile or (lambda: None)):  # type: ignore[arg-type]
                for seq, code, message in batch.problems:
                    self.source_problems.append(Problem(seq, None, None, code, message))
                # (10) the tree: the chunk's subtrees at once where they fit, else leaf by leaf
                hashed = self.seal.add_range(batch.first, batch.subtrees)
                for row in batch.rows:
                    if not hashed:
                        self.seal.add(leaf_input(row[1], row[-1]))
                    self._step(row)
                if progress is not None and batch.rows:
                    progress(len(batch.rows))
        if self.report.events == 0:
            self.problem(None, None, None, "ledger.empty", "there are no events to verify")
        # (10) checkpoints against the recomputed tree
        authority = self.trusted_authority or self.state.authority_key
        problems, warnings = self.seal.finish(self.state.origin, authority, self.report.events)
        for size, code, message in problems:
            self.report.problems.append(Problem(size, None, None, code, message))
        self.report.warnings.extend(warnings)
        return self.report

    def _checked(self, source: Source, workers: int | None, meanwhile: Callable[[], None]) -> Iterator[Batch]:
        chunks = source.chunks()
        workers = workers if workers is not None else (os.cpu_count() or 1)
        ahead = list(itertools.islice(chunks, 2))
        if workers <= 1 or len(ahead) < 2:  # a single chunk is not worth a process
            meanwhile()
            for chunk in itertools.chain(ahead, chunks):
                yield check_batch(source, chunk, {**self.key_hints, **self.state.keys})
            return
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            pending: deque[Any] = deque()

            def send(chunk: Any) -> None:  # with every key the walk has learned so far
                pending.append(pool.apply_async(check_batch, (source, chunk, {**self.key_hints, **self.state.keys})))

            chunks = itertools.chain(ahead, chunks)
            for chunk in itertools.islice(chunks, IN_FLIGHT):
                send(chunk)
            meanwhile()
            for chunk in chunks:
                yield pending.popleft().get()
                send(chunk)
            while pending:
                yield pending.popleft().get()

    def _step(self, row: tuple[Any, ...]) -> None:
        """The ordered steps for one position, given what a worker found there (a plain
        :class:`Checked` tuple: this runs once per event in the one process that cannot be
        parallel, so it unpacks rather than builds objects)."""
        seq, h, ledger, stream, version, rtype, actor_id, key, prev, payload, typed, problems, sig, placed, again = row
        self.report.events += 1
        # (1) the global sequence
        if seq != self.expected_seq:
            if seq > self.expected_seq:
                missing = f"{self.expected_seq}" if seq == self.expected_seq + 1 else f"{self.expected_seq}–{seq - 1}"
                self.problem(seq, stream, version, "seq.gap", f"seq {missing} missing from the log before this event")
            else:
                self.problem(seq, stream, version, "seq.order", f"seq {seq} comes after seq {self.expected_seq - 1}")
        if seq >= self.expected_seq:
            self.expected_seq = seq + 1
        # (2) the record
        for code, message in problems:
            self.problem(seq, stream, version, code, message)
        if h is None:
            return
        if not typed:
            self.problem(seq, stream, version, "record.malformed", "a member of the record has the wrong JSON type")
            return
        state = self.state
        # (5) the authority, from the genesis record
        if seq == 1:
            self._genesis(Checked(*row))
        # (3) the ledger and position
        if state.ledger is not None:
            if ledger != state.ledger:
                self.problem(seq, stream, version, "record.foreign_ledger",
                             f"the record belongs to ledger {ledger}, not {state.ledger}")
            elif not placed:
                self.problem(seq, stream, version, "record.position_mismatch",
                             f"the record says {stream} v{version} but is stored as another stream or version")
        # (4) the signature
        if sig == "unknown" and key in state.keys:
            sig = check(again, {key: state.keys[key]})[SIG]
        if sig == "unknown":
            self.problem(seq, stream, version, "key.unknown", f"key {key} was never registered in this ledger")
        elif sig == "bad":
            self.problem(seq, stream, version, "signature.invalid", f"the signature does not verify under key {key}")
        # (6) the key's validity and (7) role and jurisdiction
        actor = state.actors.get(actor_id)
        if actor is None:
            if rtype != "LedgerInitialised":
                self.problem(seq, stream, version, "actor.unknown", f"actor {actor_id} was not registered before this event")
        elif seq != 1:
            current = state.current_keys[actor.id]
            if actor.revoked:
                self.problem(seq, stream, version, "key.revoked", f"actor {actor.id} was revoked before this event")
            elif key != current:
                self.problem(seq, stream, version, "key.not_current",
                             f"key {key} is not actor {actor.id}'s key at this seq (that is {current})")
            forbidden = self._forbidden(rtype, stream, actor, payload)
            if forbidden is not None:
                self.problem(seq, stream, version, "role.forbidden", forbidden)
        # (8) the stream chain
        head_version, head_hash = state.heads.get(stream, (0, GENESIS_PREV))
        if version != head_version + 1:
            self.problem(seq, stream, version, "chain.version_gap", f"{stream} goes from v{head_version} to v{version}")
        if prev != head_hash:
            self.problem(seq, stream, version, "chain.prev_mismatch", f"prev is not the hash of {stream} v{head_version}")
        state.heads[stream] = (version, h)
        # (11) a checkpoint published with an announcement
        if rtype == "ExitAnnounced" and "checkpoint" in payload and state.origin is not None:
            why = self.seal.check_announced(payload["checkpoint"], seq, state.origin,
                                            self.trusted_authority or state.authority_key or b"")
            if why is not None:
                self.problem(seq, stream, version, "announcement.checkpoint", why)
        if sig == "ok" and (stream == "actors" or rtype in _LEARNED_FROM):
            self._learn(Checked(*row))

    def _forbidden(self, rtype: str, stream: str, actor: Actor, payload: dict[str, Any]) -> str | None:
        """Why step (7) refuses ``actor`` signing ``rtype`` on ``stream``, if it does. The
        verdict depends on the type, the stream's case, the actor and, for FiguresReported,
        the payload's source; it is remembered until an event changes actors or cases."""
        source = payload.get("source") if rtype == "FiguresReported" else None
        asked = (rtype, stream, actor.id, source) if source is None or type(source) is str else None
        if asked is not None and asked in self._rights:
            return self._rights[asked]
        state = self.state
        try:
            domain.authorize(type=rtype, stream=stream, actor=actor, province_code=state.province_code,
                             case=state.cases.get(stream), payload=payload)
            verdict = None
        except DomainError as e:
            verdict = e.message
        except ValueError as e:
            verdict = str(e)
        if asked is not None:
            self._rights[asked] = verdict
        return verdict

    def _genesis(self, record: Checked) -> None:
        payload, at = record.payload, (1, record.stream, record.version)
        if record.type != "LedgerInitialised" or record.stream != "actors":
            self.problem(*at, "authority.genesis", "seq 1 must be LedgerInitialised on the actors stream")
            return
        self.state.ledger = record.ledger
        self.report.ledger = self.state.ledger
        origin = payload.get("origin")
        if origin != f"exitledger/{self.state.ledger}":
            self.problem(*at, "authority.genesis", f"the origin must be exitledger/{self.state.ledger}")
        self.state.origin = origin if isinstance(origin, str) else None
        self.state.province_code = str(payload.get("province_code", ""))
        raw = raw_key(payload.get("authority_public_key"))
        self.state.authority_key = raw
        if raw is None:
            self.problem(*at, "authority.genesis", "the genesis declares no valid authority key")
            return
        if self.trusted_authority is not None and raw != self.trusted_authority:
            self.problem(*at, "authority.untrusted",
                         "the genesis authority key is not the trusted authority key given")
        if record.key != key_id_of(raw):
            self.problem(*at, "authority.genesis", "the genesis is not signed by the authority key it declares")
        self.state.keys[key_id_of(raw)] = raw

    def _set_actor(self, actor: Actor) -> None:
        raw = raw_key(actor.public_key)
        self.state.actors[actor.id] = actor
        self.state.current_keys[actor.id] = key_id_of(raw) if raw is not None else ""

    def _learn(self, record: Checked) -> None:
        """Apply a correctly signed event to the verifier's registry of actors and cases."""
        state, payload, rtype = self.state, record.payload, record.type
        self._rights.clear()
        learn_keys(record, state.keys)
        if rtype == "LedgerInitialised":
            self._set_actor(Actor(
                id=str(payload.get("authority_actor")), name="ledger authority", role="ledger_authority",
                jurisdiction=state.province_code, public_key=str(payload.get("authority_public_key"))))
        elif rtype == "ActorRegistered":
            self._set_actor(Actor(
                id=str(payload.get("actor")), name=str(payload.get("name")), role=str(payload.get("role")),
                jurisdiction=str(payload.get("jurisdiction")), public_key=str(payload.get("public_key")),
                person=payload.get("person")))
        elif rtype in ("KeyRotated", "ActorRevoked"):
            old = state.actors.get(str(payload.get("actor")))
            if old is not None:
                changes = {"public_key": str(payload.get("public_key"))} if rtype == "KeyRotated" else {"revoked": True}
                self._set_actor(Actor(**{**old.__dict__, **changes}))
        elif rtype == "CaseOpened":
            state.cases[record.stream] = CaseRef(record.stream, str(payload.get("county_code")),
                                                    str(payload.get("city_code")))
        elif rtype == "InquiryOpened":
            case = state.cases.get(str(payload.get("case")))
            if case is not None:
                state.cases[record.stream] = case


def verify_store(app: Any, *, trusted_authority: bytes | None = None, workers: int | None = None,
                 progress: Callable[[int], None] | None = None) -> Report:
    """Verify the ledger in ``app``'s database; step (9) checks for events the log lacks."""
    from ledger.store import iter_log

    checkpoints: list[tuple[int | None, str | None, str | None]] = [
        (size, note, None) for size, note in app.checkpoint_notes()]
    try:
        hints = key_hints(r.state for r in iter_log(app.recorder, originator_id=app.stream_id("actors")))
    except LedgerError:  # no readable genesis: the walk will say why
        hints = {}
    if ":memory:" in app.url:  # another process cannot open it: read here
        source: Source | Iterable[Position] = (
            Position(r.seq, r.hash, r.state, r.originator_id, r.version) for r in iter_log(app.recorder))
    else:
        READERS[(os.getpid(), app.url)] = app  # chunks checked here read through `app`
        source = LogSource(app.url, app.size())
    verifier = Verifier(trusted_authority=trusted_authority, checkpoints=checkpoints, key_hints=hints)
    unlogged: list[tuple[Any, int]] = []
    try:
        # (9) every stored event is in the log: asked while the workers check the first chunks
        report = verifier.run(source, workers=workers, progress=progress,
                              meanwhile=lambda: unlogged.extend(app.recorder.unlogged_events()))
    finally:
        READERS.pop((os.getpid(), app.url), None)
    for originator_id, version in unlogged:
        report.problems.append(Problem(None, None, version, "event.unlogged",
                                       f"stored event {originator_id} v{version} has no seq in the log"))
    return report
