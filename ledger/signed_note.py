"""C2SP signed notes, Ed25519 signatures only (c2sp.org/signed-note; SPEC §3 checkpoints, §4 keys).

A note is UTF-8 text ending in ``\\n`` (no control characters but ``\\n``), one blank line, then
one or more signature lines ``— <key name> <base64(4-byte key id ‖ signature)>\\n``. The signed
bytes are the text including its final newline. Verifier keys (``vkey``, ``note_key_id``) are
defined with the other key encodings in :mod:`ledger.keys` and re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import InputError, SignatureError
from ledger.keys import b64, b64decode, is_valid_key_name, note_key_id, parse_vkey, vkey
from ledger.signing import Signer, verify_raw

__all__ = ["NoteSignature", "note_key_id", "open_note", "parse_note", "sign_note", "vkey"]

SIGNATURE_PREFIX = "\u2014 "  # EM DASH, space
MAX_SIGNATURES = 100
"""More signature lines than this make a note malformed (as in Go's sumdb/note)."""


class NoteSignature(NamedTuple):
    """One signature line: key name, 4-byte key id, and the bytes after the key id."""

    name: str
    key_id: bytes
    signature: bytes


def sign_note(text: str, name: str, private_key: Ed25519PrivateKey | Signer) -> str:
    """Return ``text`` signed by ``private_key`` under the key name ``name``.

    ``text`` must be non-empty valid text ending in ``\\n``; ``name`` must be a valid key name
    (non-empty, no spaces, no ``+``). Raises :class:`InputError` otherwise.
    """
    problem = _text_problem(text)
    if problem is not None or not text.endswith("\n"):
        raise InputError(f"cannot sign note: {problem or 'text must end with a newline'}")
    signer = (
        private_key if isinstance(private_key, Signer) else Signer.from_private_key(private_key)
    )
    key_id = note_key_id(name, signer.public_raw)
    signature = signer.sign_raw(text.encode("utf-8"))
    return f"{text}\n{SIGNATURE_PREFIX}{name} {b64(key_id + signature)}\n"


def open_note(note: str | bytes, vkeys: Sequence[str]) -> str:
    """Return the text of ``note`` once a signature by one of ``vkeys`` verifies.

    Signatures whose (name, key id) matches none of ``vkeys`` are ignored. Raises
    :class:`SignatureError` when the note is malformed, when a signature by a known key does not
    verify, or when no known key signed it; :class:`InputError` when a verifier key is bad.
    """
    known = _known_keys(vkeys)
    text, signatures = parse_note(note)
    message = text.encode("utf-8")
    verified = False
    for sig in signatures:
        public_raw = known.get((sig.name, sig.key_id))
        if public_raw is None:
            continue
        try:
            verify_raw(public_raw, message, sig.signature)
        except SignatureError:
            raise SignatureError(
                f"invalid note signature for key {sig.name}+{sig.key_id.hex()}"
            ) from None
        verified = True
    if not verified:
        raise SignatureError("note has no valid signature by a known key")
    return text


def parse_note(note: str | bytes) -> tuple[str, list[NoteSignature]]:
    """Split ``note`` into its text and signature lines, checking only syntax.

    The text ends at the last blank line and keeps its final ``\\n``. Nothing is verified.
    Raises :class:`SignatureError` for a malformed note or more than 100 signature lines.
    """
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError:
            raise SignatureError("malformed note: not UTF-8") from None
    problem = _text_problem(note)
    if problem is not None:
        raise SignatureError(f"malformed note: {problem}")
    split = note.rfind("\n\n")
    if split < 0:
        raise SignatureError("malformed note: no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n"):
        raise SignatureError("malformed note: signature lines must end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise SignatureError(f"malformed note: more than {MAX_SIGNATURES} signatures")
    return text, [_parse_signature_line(line) for line in lines]


def _parse_signature_line(line: str) -> NoteSignature:
    if not line.startswith(SIGNATURE_PREFIX):
        raise SignatureError("malformed note: signature line does not start with '— '")
    name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    if not is_valid_key_name(name):
        raise SignatureError(f"malformed note: bad key name {name!r} in signature line")
    try:
        blob = b64decode(encoded)
    except InputError:
        raise SignatureError(f"malformed note: signature of {name} is not base64") from None
    if len(blob) < 5:
        raise SignatureError(f"malformed note: signature of {name} is too short")
    return NoteSignature(name, blob[:4], blob[4:])


def _known_keys(vkeys: Sequence[str]) -> dict[tuple[str, bytes], bytes]:
    known: dict[tuple[str, bytes], bytes] = {}
    for text in vkeys:
        name, public_raw = parse_vkey(text)
        slot = (name, note_key_id(name, public_raw))
        if known.setdefault(slot, public_raw) != public_raw:
            raise InputError(f"ambiguous verifier keys for {name}+{slot[1].hex()}")
    return known


def _text_problem(text: str) -> str | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "not valid UTF-8"
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        return "control character other than newline"
    return None
