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
After the walk: (9) no stored event is missing from the log; (10) the Merkle tree recomputed
from the log has, at each signed checkpoint's size, the root the checkpoint signs, and (11)
each checkpoint an ExitAnnounced publishes is one of them (``ledger.verify_seal``).

Steps (2) and (4) — the costly ones, in ``ledger.verify_record`` — run in worker processes on
both cores; the stateful steps run in order in this process. The workers also read the events
themselves (a :class:`Source` hands out chunks: seq ranges of the database, byte ranges of a
bundle), so this process never touches a stored body unless a check needs it again. Memory
holds one head per stream and the actor registry, never the events.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID, uuid5

import domain
from domain import Actor, CaseRef, DomainError
from ledger.collecting import paused_collection
from ledger.errors import LedgerError
from ledger.keys import key_id as key_id_of
from ledger.record import GENESIS_PREV
from ledger.verify_record import Checked, Position, check, check_chunk, key_hints, learn_keys, raw_key
from ledger.verify_seal import Seal

CHUNK = 2000
IN_FLIGHT = 6


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


# -- where the positions come from ---------------------------------------------------------------
class Source(Protocol):
    """Positions in chunks: ``chunks`` runs here and hands out small descriptions of each chunk,
    ``load`` turns one into its positions (and problems found on the way, as (seq, code,
    message)) in whichever process checks it."""

    def chunks(self) -> Iterator[Any]: ...

    def load(self, chunk: Any) -> tuple[list[Position], list[tuple[int | None, str, str]]]: ...


class Positions:
    """A source of positions already read (tests, small inputs): the chunks are the positions."""

    def __init__(self, positions: Iterable[Position]) -> None:
        self.positions = positions

    def chunks(self) -> Iterator[list[Position]]:
        return _chunks(self.positions, CHUNK)

    def load(self, chunk: list[Position]) -> tuple[list[Position], list[tuple[int | None, str, str]]]:
        return chunk, []


@dataclass(frozen=True)
class LogSource:
    """The log of a database as it stands when verification starts, read by the workers
    through their own connections, ``CHUNK`` seqs at a time."""

    url: str
    size: int

    def chunks(self) -> Iterator[tuple[int, int]]:
        for low in range(0, self.size, CHUNK):
            yield low, min(low + CHUNK, self.size)

    def load(self, chunk: tuple[int, int]) -> tuple[list[Position], list[tuple[int | None, str, str]]]:
        low, high = chunk
        rows = _reader(self.url).log_rows(low, high - low)  # the first high-low after low: all of (low, high]
        return [Position(r.seq, r.hash, r.state, r.originator_id, r.version) for r in rows if r.seq <= high], []


_READERS: dict[tuple[int, str], Any] = {}


def _reader(url: str) -> Any:
    """This process's own recorder for ``url``: a forked worker never uses its parent's
    connection, so readers are kept per process id."""
    app = _READERS.get((os.getpid(), url))
    if app is None:
        from ledger.app import ExitLedger

        app = _READERS[(os.getpid(), url)] = ExitLedger(url, create=False, tables=False)  # kept: closing it closes its recorder
    return app.recorder


def _check(source: Source, chunk: Any, keys: dict[str, bytes]) -> tuple[list[Position], list[Checked], list[Any]]:
    """One chunk, in a worker: load it, check it, and send back only what the ordered steps
    read — a stored body only where the key is not known yet (step 4 is then retried in order)."""
    with paused_collection():
        positions, problems = source.load(chunk)
        checked = check_chunk(positions, keys)
        ids: dict[str | None, str | None] = {}
        slim = [p if c.sig == "unknown" else
                Position(p.seq, None if c.hash is not None else p.log_hash, None,
                         ids.setdefault(p.originator_id, p.originator_id), p.version)
                for p, c in zip(positions, checked)]
    return slim, checked, problems


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
        self._ids: dict[str, str] = {}

    def problem(self, seq: int | None, record: Checked | None, code: str, message: str) -> None:
        stream = record.stream if record is not None else None
        version = record.version if record is not None else None
        self.report.problems.append(Problem(seq, stream if isinstance(stream, str) else None,
                                            version if type(version) is int else None, code, message))

    def run(self, source: Source | Iterable[Position], *, workers: int | None = None,
            progress: Callable[[int], None] | None = None) -> Report:
        """Walk every position of ``source`` (or of an iterable of positions) in order."""
        if not hasattr(source, "load"):
            source = Positions(source)  # type: ignore[arg-type]
        with paused_collection():
            for positions, results, problems in self._checked(source, workers):  # type: ignore[arg-type]
                for seq, code, message in problems:
                    self.source_problems.append(Problem(seq, None, None, code, message))
                for position, checked in zip(positions, results):
                    self._step(position, checked)
                if progress is not None and positions:
                    progress(len(positions))
        if self.report.events == 0:
            self.problem(None, None, "ledger.empty", "there are no events to verify")
        # (10) checkpoints against the recomputed tree
        authority = self.trusted_authority or self.state.authority_key
        problems, warnings = self.seal.finish(self.state.origin, authority, self.report.events)
        for size, code, message in problems:
            self.report.problems.append(Problem(size, None, None, code, message))
        self.report.warnings.extend(warnings)
        return self.report

    def _checked(self, source: Source, workers: int | None) -> Iterator[tuple[list[Position], list[Checked], list[Any]]]:
        chunks = source.chunks()
        workers = workers if workers is not None else (os.cpu_count() or 1)
        ahead = list(itertools.islice(chunks, 2))
        if workers <= 1 or len(ahead) < 2:  # a single chunk is not worth a process
            for chunk in itertools.chain(ahead, chunks):
                yield _check(source, chunk, {**self.key_hints, **self.state.keys})
            return
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            pending: deque[Any] = deque()
            for chunk in itertools.chain(ahead, chunks):
                keys = {**self.key_hints, **self.state.keys}
                pending.append(pool.apply_async(_check, (source, chunk, keys)))
                if len(pending) >= IN_FLIGHT:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()

    def _step(self, position: Position, record: Checked) -> None:
        seq = position.seq
        self.report.events += 1
        # (1) the global sequence
        if seq != self.expected_seq:
            if seq > self.expected_seq:
                missing = f"{self.expected_seq}" if seq == self.expected_seq + 1 else f"{self.expected_seq}–{seq - 1}"
                self.problem(seq, record, "seq.gap", f"seq {missing} missing from the log before this event")
            else:
                self.problem(seq, record, "seq.order", f"seq {seq} comes after seq {self.expected_seq - 1}")
        self.expected_seq = max(self.expected_seq, seq + 1)
        # (2) the record
        for code, message in record.problems:
            self.problem(seq, record, code, message)
        self.seal.add(_leaf(record, position))
        if record.hash is None:
            return
        if not record.typed:
            self.problem(seq, record, "record.malformed", "a member of the record has the wrong JSON type")
            return
        stream, version, rtype, key, payload = record.stream, record.version, record.type, record.key, record.payload
        state = self.state
        # (5) the authority, from the genesis record
        if seq == 1:
            self._genesis(record)
        # (3) the ledger and position
        if state.ledger is not None and record.ledger != state.ledger:
            self.problem(seq, record, "record.foreign_ledger",
                         f"the record belongs to ledger {record.ledger}, not {state.ledger}")
        elif position.originator_id is not None and state.ledger is not None:
            if self._stream_id(stream) != position.originator_id or version != position.version:
                self.problem(seq, record, "record.position_mismatch",
                             f"the record says {stream} v{version} but is stored as another stream or version")
        # (4) the signature
        sig = record.sig
        if sig == "unknown" and key in state.keys:
            sig = check(position, {key: state.keys[key]}).sig
        if sig == "unknown":
            self.problem(seq, record, "key.unknown", f"key {key} was never registered in this ledger")
        elif sig == "bad":
            self.problem(seq, record, "signature.invalid", f"the signature does not verify under key {key}")
        # (6) the key's validity and (7) role and jurisdiction
        actor = state.actors.get(record.actor)
        if actor is None:
            if rtype != "LedgerInitialised":
                self.problem(seq, record, "actor.unknown", f"actor {record.actor} was not registered before this event")
        elif seq != 1:
            current = state.current_keys[actor.id]
            if actor.revoked:
                self.problem(seq, record, "key.revoked", f"actor {actor.id} was revoked before this event")
            elif key != current:
                self.problem(seq, record, "key.not_current",
                             f"key {key} is not actor {actor.id}'s key at this seq (that is {current})")
            try:
                domain.authorize(type=rtype, stream=stream, actor=actor, province_code=state.province_code,
                                 case=state.cases.get(stream), payload=payload)
            except DomainError as e:
                self.problem(seq, record, "role.forbidden", e.message)
            except ValueError as e:
                self.problem(seq, record, "role.forbidden", str(e))
        # (8) the stream chain
        head_version, head_hash = state.heads.get(stream, (0, GENESIS_PREV))
        if version != head_version + 1:
            self.problem(seq, record, "chain.version_gap",
                         f"{stream} goes from v{head_version} to v{version}")
        if record.prev != head_hash:
            self.problem(seq, record, "chain.prev_mismatch",
                         f"prev is not the hash of {stream} v{head_version}")
        state.heads[stream] = (version, record.hash)
        # (11) a checkpoint published with an announcement
        if rtype == "ExitAnnounced" and "checkpoint" in payload and state.origin is not None:
            why = self.seal.check_announced(payload["checkpoint"], seq, state.origin,
                                            self.trusted_authority or state.authority_key or b"")
            if why is not None:
                self.problem(seq, record, "announcement.checkpoint", why)
        if sig == "ok":
            self._learn(record)

    def _genesis(self, record: Checked) -> None:
        payload = record.payload
        if record.type != "LedgerInitialised" or record.stream != "actors":
            self.problem(1, record, "authority.genesis", "seq 1 must be LedgerInitialised on the actors stream")
            return
        self.state.ledger = record.ledger
        self.report.ledger = self.state.ledger
        origin = payload.get("origin")
        if origin != f"exitledger/{self.state.ledger}":
            self.problem(1, record, "authority.genesis", f"the origin must be exitledger/{self.state.ledger}")
        self.state.origin = origin if isinstance(origin, str) else None
        self.state.province_code = str(payload.get("province_code", ""))
        raw = raw_key(payload.get("authority_public_key"))
        self.state.authority_key = raw
        if raw is None:
            self.problem(1, record, "authority.genesis", "the genesis declares no valid authority key")
            return
        if self.trusted_authority is not None and raw != self.trusted_authority:
            self.problem(1, record, "authority.untrusted",
                         "the genesis authority key is not the trusted authority key given")
        if record.key != key_id_of(raw):
            self.problem(1, record, "authority.genesis", "the genesis is not signed by the authority key it declares")
        self.state.keys[key_id_of(raw)] = raw

    def _stream_id(self, stream: str) -> str | None:
        """The aggregate id (hex) the database stores ``stream`` under, remembered per stream."""
        known = self._ids.get(stream)
        if known is None:
            try:
                known = uuid5(UUID(self.state.ledger or ""), stream).hex
            except ValueError:
                return None
            if len(self._ids) < 100_000:
                self._ids[stream] = known
        return known

    def _set_actor(self, actor: Actor) -> None:
        raw = raw_key(actor.public_key)
        self.state.actors[actor.id] = actor
        self.state.current_keys[actor.id] = key_id_of(raw) if raw is not None else ""

    def _learn(self, record: Checked) -> None:
        """Apply a correctly signed event to the verifier's registry of actors and cases."""
        state, payload, rtype = self.state, record.payload, record.type
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


def _leaf(record: Checked, position: Position) -> bytes:
    """The leaf input of a position: the record's actual hash, else what the log claims."""
    if record.hash is not None:
        return bytes.fromhex(record.hash)
    try:
        leaf = bytes.fromhex(position.log_hash or "")
    except ValueError:
        leaf = b""
    return leaf if len(leaf) == 32 else b"\x00" * 32


def _chunks(positions: Iterable[Position], size: int) -> Iterator[list[Position]]:
    chunk: list[Position] = []
    for position in positions:
        chunk.append(position)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def verify_store(app: Any, *, trusted_authority: bytes | None = None, workers: int | None = None,
                 progress: Callable[[int], None] | None = None) -> Report:
    """Verify the ledger in ``app``'s database; step (9) checks for events the log lacks."""
    from ledger.store import iter_log

    checkpoints = [(size, note, None) for size, note in app.checkpoint_notes()]
    try:
        hints = key_hints(r.state for r in iter_log(app.recorder, originator_id=app.stream_id("actors")))
    except LedgerError:  # no readable genesis: the walk will say why
        hints = {}
    if ":memory:" in app.url:  # another process cannot open it: read here
        source: Source | Iterable[Position] = (
            Position(r.seq, r.hash, r.state, r.originator_id, r.version) for r in iter_log(app.recorder))
    else:
        _READERS[(os.getpid(), app.url)] = app  # chunks checked here read through `app`
        source = LogSource(app.url, app.size())
    verifier = Verifier(trusted_authority=trusted_authority, checkpoints=checkpoints, key_hints=hints)
    try:
        report = verifier.run(source, workers=workers, progress=progress)
    finally:
        _READERS.pop((os.getpid(), app.url), None)
    # (9) every stored event is in the log
    for originator_id, version in app.recorder.unlogged_events():
        report.problems.append(Problem(None, None, version, "event.unlogged",
                                       f"stored event {originator_id} v{version} has no seq in the log"))
    return report
