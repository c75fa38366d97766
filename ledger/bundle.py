"""The export bundle of SPEC §2 (format version 1): write it, and read it back for verification.

Writing streams the log in seq order and hashes each file as it is written, so memory stays
flat at any ledger size. ``events.jsonl`` lines are built by concatenation around the stored
body bytes (``ledger.record.export_line``), so the exported record is byte for byte what was
signed. Reading takes that exact framing on the fast path and falls back to parsing the line and
canonicalising its record when another tool wrote it with other spacing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

from ledger.canonical import canonical_bytes
from ledger.errors import InputError, LedgerError, StoreError
from ledger.keys import parse_vkey
from ledger.record import Sealed, envelope, export_line, format_time, open_envelope, split_envelope
from ledger.store import iter_states
from ledger.verify import Position, Problem, Report, Verifier, key_hints
from ledger.verify_source import TAIL_SPLIT

FORMAT = "exitledger-bundle"
VERSION = 1
EVENTS, CHECKPOINTS, AUTHORITY, MANIFEST, CSV = (
    "events.jsonl", "checkpoints.jsonl", "authority.vkey", "manifest.json", "events.csv")
_LINE_HEAD = b'{"seq": '
_SEQ_AT = len(_LINE_HEAD)
_AFTER_SEQ, _AFTER_HASH, _AFTER_SIG = b', "hash": "', b'", "sig": "', b'", "record": '
_HEX = b"0123456789abcdef"
_BASE64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


class _HashingWriter:
    """A file that hashes what is written to it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file: BinaryIO = open(path, "wb")
        self.sha = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        self.file.write(data)

    def close(self) -> str:
        self.file.close()
        return self.sha.hexdigest()

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class ExportSummary:
    directory: str
    events: int
    checkpoints: int
    files: dict[str, str]


def export(app: Any, out: str | os.PathLike[str], *, csv_columns: Sequence[str] | None = None) -> ExportSummary:
    """Write the bundle of ``app``'s ledger into directory ``out`` (created; must hold no bundle).

    With ``csv_columns`` (payload field names) also write ``events.csv``: one row per event,
    payload flattened into those columns, UTF-8 with BOM so spreadsheet programs show Chinese.
    All or nothing: when the export fails, the files it began are removed.
    """
    directory = Path(out)
    if (directory / MANIFEST).exists():
        raise InputError(f"--out {out}: already holds a bundle; choose an empty directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"--out {out}: cannot create the directory ({e.strerror})") from None
    writers: list[_HashingWriter] = []
    try:
        return _export(app, directory, csv_columns, writers)
    except BaseException:
        for writer in writers:
            writer.discard()
        raise


def _export(app: Any, directory: Path, csv_columns: Sequence[str] | None,
            writers: list[_HashingWriter]) -> ExportSummary:
    ledger_id, origin = app.ledger_id, app.origin

    def open_file(name: str) -> _HashingWriter:
        writers.append(_HashingWriter(directory / name))
        return writers[-1]

    files: dict[str, str] = {}
    events = open_file(EVENTS)
    table = _CsvWriter(open_file(CSV), csv_columns) if csv_columns is not None else None
    count = 0
    lines: list[bytes] = []
    for seq, state in iter_states(app.recorder):
        if state is None or seq != count + 1:
            raise StoreError(f"seq {count + 1} is missing from the database; run `exitledger verify`")
        lines.append(export_line(seq, *split_envelope(state)))
        if table is not None:
            table.add(seq, open_envelope(state))
        count += 1
        if len(lines) >= 2000:  # one write (and one hash update) per page of lines
            events.write(b"".join(lines))
            lines.clear()
    events.write(b"".join(lines))
    files[EVENTS] = events.close()
    if table is not None:
        files[CSV] = table.close()
    checkpoints = open_file(CHECKPOINTS)
    notes = app.checkpoint_notes()
    for size, note in notes:
        checkpoints.write((json.dumps({"size": size, "note": note}, ensure_ascii=False) + "\n").encode())
    files[CHECKPOINTS] = checkpoints.close()
    authority = open_file(AUTHORITY)
    authority.write((app.authority_vkey() + "\n").encode())
    files[AUTHORITY] = authority.close()
    manifest = {
        "format": FORMAT, "version": VERSION, "ledger": ledger_id, "origin": origin, "events": count,
        "exported_at": format_time(datetime.now(timezone.utc)), "files": dict(sorted(files.items())),
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return ExportSummary(str(directory), count, len(notes), files)


class _CsvWriter:
    BASE = ("seq", "hash", "stream", "version", "type", "recorded_at", "actor", "key", "prev")

    def __init__(self, out: _HashingWriter, columns: Sequence[str]) -> None:
        self.out = out
        self.columns = list(columns)
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")
        self.out.write("\ufeff".encode())
        self._emit([*self.BASE, *(f"payload.{c}" for c in self.columns)])

    def _emit(self, row: Sequence[Any]) -> None:
        self.writer.writerow(row)
        self.out.write(self.buffer.getvalue().encode("utf-8"))
        self.buffer.seek(0)
        self.buffer.truncate()

    def add(self, seq: int, sealed: Sealed) -> None:
        record = json.loads(sealed.body)
        payload = record.get("payload", {})
        cells = [seq, sealed.hash, *(record.get(k) for k in self.BASE[2:])]
        for column in self.columns:
            value = payload.get(column)
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, (list, dict)):
                value = json.dumps(value, ensure_ascii=False)
            cells.append("" if value is None else value)
        self._emit(cells)

    def close(self) -> str:
        return self.out.close()


# -- reading ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class BundleLine:
    seq: int | None
    position: Position | None
    problem: str | None


def read_manifest(directory: str | os.PathLike[str]) -> dict[str, Any]:
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"--bundle {directory}: no {MANIFEST} there; not an exitledger bundle") from None
    except (OSError, ValueError, UnicodeDecodeError, RecursionError) as e:
        raise InputError(f"--bundle {directory}: {MANIFEST} cannot be read ({type(e).__name__})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"--bundle {directory}: {MANIFEST} is not an {FORMAT} manifest")
    if manifest.get("version") != VERSION:
        raise InputError(f"--bundle {directory}: format version {manifest.get('version')} is not supported (1 is)")
    return manifest


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


BLOCK = 1 << 20
"""Bytes of ``events.jsonl`` per chunk handed to a verifying worker (whole lines, ~1,500 events;
the last four blocks' worth go out in eighths, as ``ledger.verify_source`` does)."""


@dataclass(frozen=True)
class BundleSource:
    """``events.jsonl`` as a verifier source: this process only finds line-aligned byte
    ranges; the workers read and parse the lines of each."""

    path: str

    def chunks(self) -> Iterator[tuple[int, int, int]]:
        """(offset, length, number of the first line) of each range."""
        with open(self.path, "rb") as f:
            offset, number, size = 0, 1, os.fstat(f.fileno()).st_size
            while data := f.read(BLOCK if size - offset > 4 * BLOCK else max(BLOCK // TAIL_SPLIT, 1)):
                if not data.endswith(b"\n"):
                    data += f.readline()  # the rest of the line (or of a truncated file)
                yield offset, len(data), number
                offset += len(data)
                number += data.count(b"\n")

    def load(self, chunk: tuple[int, int, int]) -> tuple[list[Position], list[tuple[int | None, str, str]]]:
        offset, length, number = chunk
        with open(self.path, "rb") as f:
            f.seek(offset)
            data = f.read(length)
        positions: list[Position] = []
        problems: list[tuple[int | None, str, str]] = []
        for number, line in enumerate(data.splitlines(keepends=True), start=number):
            exported = _exported(line)
            if exported is not None:
                positions.append(exported)
                continue
            parsed = _parse_line(number, line)
            if parsed.problem is not None:
                problems.append((parsed.seq, "bundle.line_malformed", parsed.problem))
            else:
                assert parsed.position is not None
                positions.append(parsed.position)
        return positions, problems


def _exported(line: bytes) -> Position | None:
    """The position of a line exactly as export writes it, or None for any other line, which
    :func:`_parse_line` then reads as JSON.

    The line must be ``{"seq": <digits>, "hash": "<64 of 0-9a-f>", "sig": "<88 of base64's
    alphabet>", "record": <body>}`` and a newline, checked at fixed offsets after the seq
    (a regular expression took 1.5 µs a line on the two character classes alone); the
    position holds the body, hash and signature already split, so that no envelope is built
    here to be taken apart again by the check."""
    comma = line.find(b",", _SEQ_AT)
    hash_at = comma + len(_AFTER_SEQ)
    sig_at = hash_at + 64 + len(_AFTER_HASH)
    body_at = sig_at + 88 + len(_AFTER_SIG)
    if not (line.startswith(_LINE_HEAD) and line.endswith(b"}}\n") and comma > _SEQ_AT
            and line.startswith(_AFTER_SEQ, comma) and line.startswith(_AFTER_HASH, hash_at + 64)
            and line.startswith(_AFTER_SIG, sig_at + 88)):
        return None
    seq, hash_, sig = line[_SEQ_AT:comma], line[hash_at:hash_at + 64], line[sig_at:sig_at + 88]
    if not seq.isdigit() or hash_.translate(None, _HEX) or sig.translate(None, _BASE64):
        return None
    return Position(int(seq), hash_.decode(), (line[body_at:-2], hash_, sig))


def _parse_line(number: int, line: bytes) -> BundleLine:
    if not line.endswith(b"\n"):
        return BundleLine(None, None, f"{EVENTS} line {number} does not end with a newline (truncated?)")
    exported = _exported(line)
    if exported is not None:
        return BundleLine(exported.seq, exported, None)
    try:
        item = json.loads(line)
        seq, hash_, sig, record = item["seq"], item["hash"], item["sig"], item["record"]
        if not (type(seq) is int and isinstance(hash_, str) and isinstance(sig, str)):
            raise TypeError("seq, hash or sig has the wrong type")
        body = canonical_bytes(record)
    except (ValueError, KeyError, TypeError, LedgerError, RecursionError) as e:
        return BundleLine(None, None, f"{EVENTS} line {number} is not an event line ({e})")
    return BundleLine(seq, Position(seq, hash_, Sealed(body, hash_, sig).envelope), None)


def _authority_file_problem(path: Path, verifier: Verifier) -> str | None:
    """Why ``authority.vkey`` is not the genesis authority's key named with the origin, if so."""
    state = verifier.state
    if state.authority_key is None or state.origin is None:
        return None  # the genesis problem is reported already
    try:
        text = path.read_text(encoding="utf-8").strip()
        name, raw = parse_vkey(text)
    except (OSError, UnicodeDecodeError, LedgerError):
        return f"{AUTHORITY} is not a verifier key string"
    if name != state.origin or raw != state.authority_key:
        return f"{AUTHORITY} is not the genesis authority key named {state.origin}"
    return None


_ACTORS = b'"stream":"actors"'


def _actors_states(directory: str | os.PathLike[str]) -> Iterator[bytes | None]:
    """Envelopes of the lines that look like events of the actors stream (a cheap byte scan)."""
    try:
        f = open(Path(directory) / EVENTS, "rb")
    except OSError:
        return
    with f:
        carry = b""  # the start of a line that an earlier block cut
        while block := f.read(BLOCK):
            first, last = block.find(b"\n") + 1, block.rfind(b"\n") + 1
            if not first:
                carry += block
                continue
            head = carry + block[:first]
            lines = [head] if _ACTORS in head else []
            at = block.find(_ACTORS, first, last)  # whole lines, searched in place: actors lines are few
            while at != -1:
                stop = block.find(b"\n", at) + 1
                lines.append(block[block.rfind(b"\n", 0, at) + 1:stop])
                at = block.find(_ACTORS, stop, last)
            carry = block[last:]
            for line in lines:
                parsed = _parse_line(0, line)  # the line number only names problems, unused here
                state = parsed.position.state if parsed.position is not None else None
                yield envelope(state[0], state[1].decode(), state[2]) if isinstance(state, tuple) else state


def bundle_checkpoints(directory: str | os.PathLike[str]) -> Iterator[tuple[int | None, str | None, str | None]]:
    """Each line of ``checkpoints.jsonl`` as (size, note, problem)."""
    path = Path(directory) / CHECKPOINTS
    try:
        text = path.read_bytes()
    except OSError as e:
        yield None, None, f"{CHECKPOINTS} cannot be read: {e.strerror}"
        return
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        try:
            if not line.endswith(b"\n"):
                raise ValueError("no final newline")
            item = json.loads(line)
            size, note = item["size"], item["note"]
            if not isinstance(size, int) or not isinstance(note, str) or isinstance(size, bool):
                raise TypeError("size must be an integer and note a string")
        except (ValueError, KeyError, TypeError, RecursionError) as e:
            yield None, None, f"{CHECKPOINTS} line {number} is malformed ({e})"
            continue
        yield size, note, None


def verify_bundle(directory: str | os.PathLike[str], *, trusted_authority: bytes | None = None,
                  workers: int | None = None, progress: Any = None) -> Report:
    """Verify an exported bundle offline: the manifest's file hashes, then every step the
    database verification takes, from the files alone.

    Without ``trusted_authority`` the genesis's own key is used and a warning says so: only a
    key obtained out of band makes the result mean anything.
    """
    manifest = read_manifest(directory)
    root = Path(directory)
    problems: list[Problem] = []
    files = manifest.get("files")
    if not isinstance(files, dict):
        files = {}
        problems.append(Problem(None, None, None, "bundle.manifest", "the manifest lists no files"))
    for name in (EVENTS, CHECKPOINTS, AUTHORITY):
        if name not in files:
            problems.append(Problem(None, None, None, "bundle.manifest", f"the manifest does not list {name}"))
    for name, expected in sorted(files.items()):
        path = root / str(name)
        if os.sep in str(name) or str(name).startswith(".") or not path.is_file():
            problems.append(Problem(None, None, None, "bundle.file_missing", f"{name} is listed but not in the bundle"))
        elif file_sha256(path) != expected:
            problems.append(Problem(None, None, None, "bundle.file_hash",
                                    f"{name} does not have the SHA-256 the manifest lists"))
    events = root / EVENTS
    try:
        events.open("rb").close()
        source: BundleSource | list[Position] = BundleSource(str(events))
    except OSError as e:
        problems.append(Problem(None, None, None, "bundle.line_malformed", f"{EVENTS} cannot be read: {e.strerror}"))
        source = []
    verifier = Verifier(trusted_authority=trusted_authority, checkpoints=list(bundle_checkpoints(directory)),
                        key_hints=key_hints(_actors_states(directory)))
    report = verifier.run(source, workers=workers, progress=progress)
    report.problems[:0] = problems + verifier.source_problems
    if report.ledger is not None and manifest.get("ledger") != report.ledger:
        report.problems.append(Problem(None, None, None, "bundle.manifest",
                                       f"the manifest names ledger {manifest.get('ledger')}, the events {report.ledger}"))
    if report.ledger is not None and manifest.get("origin") != f"exitledger/{report.ledger}":
        report.problems.append(Problem(None, None, None, "bundle.manifest",
                                       f"the manifest names origin {manifest.get('origin')}, not exitledger/{report.ledger}"))
    authority_problem = _authority_file_problem(root / AUTHORITY, verifier)
    if authority_problem is not None:
        report.problems.append(Problem(None, None, None, "bundle.authority_vkey", authority_problem))
    if manifest.get("events") != report.events:
        report.problems.append(Problem(None, None, None, "bundle.manifest",
                                       f"the manifest counts {manifest.get('events')} events, the file holds {report.events}"))
    if trusted_authority is None:
        report.warnings.append("no --authority-key given: the bundle was checked against its own genesis key only")
    return report
