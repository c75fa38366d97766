"""C2SP ``tlog-checkpoint`` notes and ``tlog-cosignature`` (``cosignature/v1``) lines (SPEC §3).

A checkpoint is the note text ``<origin>\\n<size>\\n<base64 root>\\n`` (optional extension lines
may follow), signed as a C2SP signed note by the ledger authority under the key name equal to
the origin. A witness cosigns by appending a line ``— <name> base64(key id ‖ 8-byte big-endian
timestamp ‖ signature)`` whose signature covers ``cosignature/v1\\ntime <timestamp>\\n`` followed
by the whole checkpoint text; its key id is the first 4 bytes of SHA-256(name ‖ \\n ‖ 0x04 ‖ key).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

from ledger.errors import InputError, SignatureError
from ledger.keys import b64, is_valid_key_name, vkey
from ledger.signed_note import SIGNATURE_PREFIX, open_note, parse_note, sign_note
from ledger.signing import Signer, verify_raw

COSIGNATURE_ALGORITHM = 0x04
_SIZE = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True)
class Checkpoint:
    """A verified checkpoint: whose log, how many leaves, which root."""

    origin: str
    size: int
    root: bytes
    text: str


def checkpoint_text(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{b64(root)}\n"


def sign_checkpoint(origin: str, size: int, root: bytes, authority: Signer) -> str:
    """The signed note of the tree head (size, root) of the log named ``origin``."""
    return sign_note(checkpoint_text(origin, size, root), origin, authority)


def parse_checkpoint_text(text: str) -> tuple[str, int, bytes]:
    """(origin, size, root) of checkpoint text; SignatureError when it is not one."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise SignatureError("a checkpoint has an origin, a size and a root hash line")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not origin or not _SIZE.fullmatch(size_text):
        raise SignatureError("checkpoint: the size line must be a decimal number without leading zeros")
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError:
        raise SignatureError("checkpoint: the root hash line is not base64") from None
    if len(root) != 32:
        raise SignatureError("checkpoint: the root hash must be 32 bytes")
    return origin, int(size_text), root


def open_checkpoint(note: str, origin: str, authority_public: bytes) -> Checkpoint:
    """Verify ``note`` as a checkpoint of the log ``origin`` signed by the authority key.

    Raises SignatureError when the note is not signed by that key under the origin name, when
    it names another origin, or when its text is not a checkpoint.
    """
    text = open_note(note, [vkey(origin, authority_public)])
    named, size, root = parse_checkpoint_text(text)
    if named != origin:
        raise SignatureError(f"the checkpoint is of log {named}, not {origin}")
    return Checkpoint(origin, size, root, text)


def cosignature_key_id(name: str, public_raw: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([COSIGNATURE_ALGORITHM]) + public_raw).digest()[:4]


def cosignature_vkey(name: str, public_raw: bytes) -> str:
    """The witness's verifier key string (algorithm byte 0x04)."""
    return f"{name}+{cosignature_key_id(name, public_raw).hex()}+{b64(bytes([COSIGNATURE_ALGORITHM]) + public_raw)}"


def _cosigned_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


def cosign(text: str, name: str, witness: Signer, timestamp: int) -> str:
    """The cosignature line a witness appends to a checkpoint note whose text is ``text``."""
    if not is_valid_key_name(name):
        raise InputError(f"witness name {name!r}: a key name is non-empty, without spaces or '+'")
    signature = witness.sign_raw(_cosigned_message(text, timestamp))
    blob = cosignature_key_id(name, witness.public_raw) + timestamp.to_bytes(8, "big") + signature
    return f"{SIGNATURE_PREFIX}{name} {b64(blob)}\n"


def verify_cosignature(note: str, name: str, public_raw: bytes) -> int:
    """The timestamp of the witness ``name``'s cosignature on ``note``; SignatureError if it has
    none or it does not verify."""
    text, signatures = parse_note(note)
    key_id = cosignature_key_id(name, public_raw)
    for signature in signatures:
        if signature.name == name and signature.key_id == key_id:
            if len(signature.signature) != 8 + 64:
                raise SignatureError(f"the cosignature of {name} is malformed")
            timestamp = int.from_bytes(signature.signature[:8], "big")
            verify_raw(public_raw, _cosigned_message(text, timestamp), signature.signature[8:])
            return timestamp
    raise SignatureError(f"the checkpoint carries no cosignature of {name}")
