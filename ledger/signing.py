"""Ed25519 signatures of record bodies (SPEC §1 ``sig``; RFC 8032).

``sig`` is the Ed25519 signature of ``body`` with the actor's key, standard base64 with padding.
Signing and verifying go through libsodium (PyNaCl), which is faster than OpenSSL here. Ed25519
is deterministic, so the signature is the same whichever library makes it (the tests check this
against ``cryptography``). libsodium's verification is strict: it also refuses non-canonical
encodings and small-order keys and ``R`` points, which only a forger or a broken signer produces.
"""

from __future__ import annotations

import nacl.bindings
import nacl.exceptions
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import InputError, SignatureError
from ledger.keys import PUBLIC_KEY_SIZE, SEED_SIZE, b64decode, key_id
from ledger.sodium_sign import SIGNATURE_SIZE, sign_b64, sign_raw


class Signer:
    """An Ed25519 signing key ready to sign many bodies.

    ``public_raw`` is the raw 32-byte public key and ``key_id`` its record ``key`` (SPEC §1).
    """

    def __init__(self, seed: bytes) -> None:
        """Build a signer from the 32-byte RFC 8032 private key (the seed)."""
        if len(seed) != SEED_SIZE:
            raise InputError(f"an Ed25519 seed is {SEED_SIZE} bytes, not {len(seed)}")
        public, self._secret = nacl.bindings.crypto_sign_seed_keypair(seed)  # libsodium's 64-byte secret key
        self.public_raw: bytes = public
        self.key_id: str = key_id(self.public_raw)

    @classmethod
    def from_private_key(cls, key: Ed25519PrivateKey) -> Signer:
        """Build a signer from a ``cryptography`` Ed25519 private key."""
        return cls(key.private_bytes_raw())

    def sign(self, body: bytes) -> str:
        """Return the record ``sig`` of ``body``: standard base64 with padding of 64 bytes."""
        return sign_b64(self._secret, body).decode("ascii")

    def sign_raw(self, message: bytes) -> bytes:
        """Return the raw 64-byte Ed25519 signature of ``message``."""
        return sign_raw(self._secret, message)

    @property
    def secret(self) -> bytes:
        """libsodium's 64-byte secret key (seed ‖ public key), for ``ledger.sodium_sign``."""
        return self._secret

    def __repr__(self) -> str:
        return f"Signer(key_id={self.key_id!r})"


def verify_signature(public_raw: bytes, body: bytes, sig_b64: str) -> None:
    """Check that ``sig_b64`` is a valid record ``sig`` of ``body`` under ``public_raw``.

    Returns ``None`` when it is; raises :class:`SignatureError` when the base64 is malformed, the
    signature is not 64 bytes, or it does not verify.
    """
    try:
        signature = b64decode(sig_b64)
    except InputError:
        raise SignatureError("signature is not standard base64 with padding") from None
    verify_raw(public_raw, body, signature)


def verify_raw(public_raw: bytes, message: bytes, signature: bytes) -> None:
    """Check a raw 64-byte Ed25519 signature of ``message``; :class:`SignatureError` if bad."""
    if len(public_raw) != PUBLIC_KEY_SIZE:
        raise SignatureError(f"public key is {len(public_raw)} bytes, not {PUBLIC_KEY_SIZE}")
    if len(signature) != SIGNATURE_SIZE:
        raise SignatureError(f"signature is {len(signature)} bytes, not {SIGNATURE_SIZE}")
    try:
        nacl.bindings.crypto_sign_open(signature + message, public_raw)  # no key object per call
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError):
        raise SignatureError("signature does not verify") from None
