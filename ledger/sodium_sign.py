"""Ed25519 signing through libsodium's own cffi module, and the batch signer process built on it.

This module imports nothing but the standard library and PyNaCl, so it also runs as a process
of its own (``python -I sodium_sign.py``, see ``ledger.batch_signing``) that starts in about
30 ms: it reads framed chunks of record bodies on stdin and writes their signatures, standard
base64, to stdout in the same order. ``ledger.signing`` signs with the same two functions, so a
body gets the same bytes whichever process signs it (Ed25519 is deterministic, RFC 8032 §5.1.6).
"""

from __future__ import annotations

import binascii
import os
import pickle
import struct
import sys

from nacl._sodium import ffi, lib  # what nacl.bindings wraps, without a length cell and a copy per call

SIGNATURE_SIZE = 64
SECRET_SIZE = 64
FRAME = struct.Struct("<I")
"""Each chunk on the helper's stdin: its length, then ``pickle((new secrets, key indexes, bodies))``."""

if lib.sodium_init() < 0:  # nacl.bindings does this on import; the helper process has no nacl.bindings
    raise ImportError("libsodium could not be initialised")


def sign_raw(secret: bytes, message: bytes) -> bytes:
    """The raw 64-byte Ed25519 signature of ``message`` under libsodium's 64-byte ``secret``."""
    if len(secret) != SECRET_SIZE:  # libsodium would read past a shorter one
        raise ValueError(f"a libsodium Ed25519 secret key is {SECRET_SIZE} bytes, not {len(secret)}")
    signed = ffi.new("unsigned char[]", len(message) + SIGNATURE_SIZE)  # signature ‖ message
    if lib.crypto_sign(signed, ffi.NULL, message, len(message), secret) != 0:
        raise RuntimeError("libsodium crypto_sign failed")
    return ffi.buffer(signed, SIGNATURE_SIZE)[:]


def sign_b64(secret: bytes, message: bytes) -> bytes:
    """:func:`sign_raw` as a record ``sig``: standard base64 with padding, as ASCII bytes."""
    return binascii.b2a_base64(sign_raw(secret, message), newline=False)


def serve(bodies: int, sigs: int) -> None:
    """Sign every framed chunk read from ``bodies``, answering on ``sigs``; return at end of input."""
    secrets: list[bytes] = []
    while True:
        head = _read_exactly(bodies, FRAME.size)
        if not head:
            return
        new, indexes, chunk = pickle.loads(_read_exactly(bodies, FRAME.unpack(head)[0]))
        secrets += new
        answer = memoryview(b"".join([sign_b64(secrets[i], body) for i, body in zip(indexes, chunk, strict=True)]))
        while answer:
            answer = answer[os.write(sigs, answer) :]


def _read_exactly(fd: int, size: int) -> bytes:
    parts: list[bytes] = []
    while size:
        data = os.read(fd, min(size, 1 << 20))
        if not data:
            if parts:
                raise EOFError("a chunk was cut short")
            return b""
        parts.append(data)
        size -= len(data)
    return b"".join(parts)


if __name__ == "__main__":
    serve(sys.stdin.fileno(), sys.stdout.fileno())
