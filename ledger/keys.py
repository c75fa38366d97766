"""Ed25519 keys: key ids, key files, public-key strings (SPEC §1 ``key``, SPEC §4 "Keys").

- ``key`` of a record: the first 16 lowercase hex digits of SHA-256 of the raw 32-byte public key.
- Private key files: PKCS#8 PEM, encrypted with a passphrase unless created without one.
- Public keys on the command line: a PEM public key file, or a C2SP signed-note verifier key
  ``<name>+<8 hex key hash>+<base64(0x01 ‖ 32-byte key)>`` (c2sp.org/signed-note, "Verifier keys").

Every failure a user can cause surfaces as one line in :class:`KeyFileError` (key files) or
:class:`InputError` (public keys); exceptions of ``cryptography`` never escape.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from pathlib import Path
from typing import Union

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.errors import InputError, KeyFileError

StrPath = Union[str, "os.PathLike[str]"]

PUBLIC_KEY_SIZE = 32
SEED_SIZE = 32
KEY_ID_HEX_DIGITS = 16
ALG_ED25519 = 0x01
"""Signature type byte of an Ed25519 signed-note verifier key (c2sp.org/signed-note)."""

_BARE_KEY_B64 = re.compile(r"[A-Za-z0-9+/]{43}=")  # base64 of exactly 32 bytes
_KEY_HASH_HEX = re.compile(r"[0-9a-f]{8}")
_ENCRYPTED_NO_PASSPHRASE = "key file {} is encrypted: give --passphrase-env VAR"
_ENCRYPTED_PEM_MARKERS = (b"-----BEGIN ENCRYPTED PRIVATE KEY-----", b"Proc-Type: 4,ENCRYPTED")


# --- identifiers and encodings ----------------------------------------------------------------


def key_id(public_raw: bytes) -> str:
    """Return the record ``key``: first 16 lowercase hex of SHA-256(raw 32-byte key) (SPEC §1)."""
    _require_public_size(public_raw)
    return hashlib.sha256(public_raw).hexdigest()[:KEY_ID_HEX_DIGITS]


def b64(raw: bytes) -> str:
    """Return standard base64 with padding (RFC 4648 §4): how keys and signatures are written."""
    return base64.b64encode(raw).decode("ascii")


def b64decode(text: str) -> bytes:
    """Decode standard base64 with padding, accepting only the canonical encoding.

    Raises :class:`InputError` for other alphabets, missing padding, whitespace or non-zero
    trailing bits, so that one byte string has exactly one accepted text form.
    """
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise InputError("not standard base64 with padding") from None
    if b64(raw) != text:
        raise InputError("not canonical standard base64")
    return raw


# --- private keys -----------------------------------------------------------------------------


def generate_private_key() -> Ed25519PrivateKey:
    """Return a new random Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def private_key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    """Return the Ed25519 key of a 32-byte seed (RFC 8032 §5.1.5), for deterministic demos."""
    if len(seed) != SEED_SIZE:
        raise InputError(f"an Ed25519 seed is {SEED_SIZE} bytes, not {len(seed)}")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_raw(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """Return the raw 32-byte public key of a private or public Ed25519 key."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise TypeError(f"not an Ed25519 key: {type(key).__name__}")
    return key.public_bytes_raw()


def write_private_key(path: StrPath, key: Ed25519PrivateKey, passphrase: bytes | None) -> None:
    """Write ``key`` to a new file ``path`` as PKCS#8 PEM, mode 0600 (SPEC §4).

    Encrypted with the best available scheme when ``passphrase`` is given, unencrypted when it
    is ``None``. Never overwrites: an existing file (or symlink) is a :class:`KeyFileError`.
    """
    if passphrase is not None and not passphrase:
        raise KeyFileError("empty passphrase: give a non-empty one or create the key without one")
    encryption: serialization.KeySerializationEncryption = (
        serialization.NoEncryption()
        if passphrase is None
        else serialization.BestAvailableEncryption(passphrase)
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    try:
        # O_EXCL: refuse to overwrite, and refuse to follow a planted symlink.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"key file already exists: {os.fspath(path)}") from None
    except OSError as exc:
        raise KeyFileError(f"cannot create key file {os.fspath(path)}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    except OSError as exc:
        Path(path).unlink(missing_ok=True)
        raise KeyFileError(f"cannot write key file {os.fspath(path)}: {exc.strerror}") from None


def load_private_key(path: StrPath, passphrase: bytes | None) -> Ed25519PrivateKey:
    """Load an Ed25519 private key from a PEM file (SPEC §4).

    A passphrase given for an unencrypted key is ignored. Raises :class:`KeyFileError` with a
    one-line message when the file is missing or unreadable, is not a PEM private key, holds
    another key type, is encrypted and no passphrase was given, or the passphrase is wrong.
    """
    where = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"key file not found: {where}") from None
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {where}: {exc.strerror}") from None
    if b"-----BEGIN" not in data:
        raise KeyFileError(f"key file {where} is not a PEM file")
    if b"PRIVATE KEY-----" not in data and b"PUBLIC KEY-----" in data:
        raise KeyFileError(f"key file {where} holds a public key, not a private key")
    encrypted = any(marker in data for marker in _ENCRYPTED_PEM_MARKERS)
    if encrypted and passphrase is None:
        raise KeyFileError(_ENCRYPTED_NO_PASSPHRASE.format(where))
    try:
        key = serialization.load_pem_private_key(data, passphrase if encrypted else None)
    except TypeError:
        # cryptography saw encryption where the PEM markers did not (or the reverse).
        if passphrase is None:
            raise KeyFileError(_ENCRYPTED_NO_PASSPHRASE.format(where)) from None
        raise KeyFileError(f"key file {where} is not a readable PEM private key") from None
    except ValueError:
        if encrypted:
            raise KeyFileError(f"wrong passphrase for key file {where}") from None
        raise KeyFileError(f"key file {where} is not a readable PEM private key") from None
    except UnsupportedAlgorithm:
        raise KeyFileError(f"key file {where} uses an unsupported key type or cipher") from None
    if not isinstance(key, Ed25519PrivateKey):
        kind = type(key).__name__.removesuffix("PrivateKey") or type(key).__name__
        raise KeyFileError(f"key file {where} is not an Ed25519 key ({kind} key)")
    return key


# --- signed-note verifier keys (c2sp.org/signed-note) -----------------------------------------


def is_valid_key_name(name: str) -> bool:
    """Return whether ``name`` may name a signed-note key: non-empty, no space, no ``+``."""
    if not name or "+" in name:
        return False
    if any(ch.isspace() or ord(ch) < 0x20 for ch in name):
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def note_key_id(name: str, public_raw: bytes) -> bytes:
    """Return the 4-byte signed-note key id: SHA-256(name ‖ "\\n" ‖ 0x01 ‖ key)[:4]."""
    _require_name(name)
    _require_public_size(public_raw)
    material = name.encode("utf-8") + b"\n" + bytes([ALG_ED25519]) + public_raw
    return hashlib.sha256(material).digest()[:4]


def vkey(name: str, public_raw: bytes) -> str:
    """Return the verifier key string ``<name>+<8 hex>+<base64(0x01 ‖ key)>`` (SPEC §4)."""
    key_hash = note_key_id(name, public_raw).hex()
    return f"{name}+{key_hash}+{b64(bytes([ALG_ED25519]) + public_raw)}"


def parse_vkey(text: str) -> tuple[str, bytes]:
    """Parse an Ed25519 verifier key string into ``(name, raw 32-byte key)``.

    Splits at the first two ``+`` only (the base64 may contain ``+``), and checks the name rules,
    the key type, the key length and that the key hash matches. Raises :class:`InputError`.
    """
    parts = text.split("+", 2)
    if len(parts) != 3:
        raise InputError("not a verifier key: want <name>+<8 hex key hash>+<base64 key>")
    name, key_hash, material_b64 = parts
    if not is_valid_key_name(name):
        raise InputError(f"bad verifier key name {name!r}: it must be non-empty without spaces")
    if not _KEY_HASH_HEX.fullmatch(key_hash):
        raise InputError(f"bad verifier key {name}: key hash must be 8 lowercase hex digits")
    try:
        material = b64decode(material_b64)
    except InputError:
        raise InputError(f"bad verifier key {name}: key is not standard base64") from None
    if not material or material[0] != ALG_ED25519:
        kind = f"0x{material[0]:02x}" if material else "missing"
        raise InputError(f"verifier key {name} is not an Ed25519 key (type {kind})")
    raw = material[1:]
    if len(raw) != PUBLIC_KEY_SIZE:
        raise InputError(f"bad verifier key {name}: an Ed25519 key is 32 bytes, not {len(raw)}")
    if note_key_id(name, raw).hex() != key_hash:
        raise InputError(f"bad verifier key {name}: key hash {key_hash} does not match the key")
    return name, raw


# --- public keys on the command line ----------------------------------------------------------


def parse_public_key(text_or_path: str) -> bytes:
    """Return the raw 32-byte Ed25519 public key named by a command-line argument (SPEC §4).

    Accepts, in this order: a path to a PEM public key file (SubjectPublicKeyInfo) or to a file
    holding a verifier key string; a verifier key string; bare base64 of the 32 raw bytes.
    Raises :class:`InputError` with a one-line message otherwise.
    """
    text = text_or_path.strip()
    if not text:
        raise InputError("empty public key")
    if _is_file(text):
        return _public_key_from_file(Path(text))
    if _BARE_KEY_B64.fullmatch(text):
        return b64decode(text)
    if "+" in text:
        return parse_vkey(text)[1]
    if os.sep in text or text.endswith((".pem", ".pub", ".vkey")):
        raise InputError(f"public key file not found: {text}")
    raise InputError(
        "not a public key: give a PEM public key file, a verifier key "
        "<name>+<8 hex>+<base64> or base64 of the 32 raw bytes"
    )


def _public_key_from_file(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read public key file {path}: {exc.strerror}") from None
    if b"-----BEGIN" in data:
        return _public_key_from_pem(path, data)
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise InputError(f"{path} is neither a PEM public key nor a verifier key") from None
    if _BARE_KEY_B64.fullmatch(text):
        return b64decode(text)
    try:
        return parse_vkey(text)[1]
    except InputError as exc:
        raise InputError(f"{path}: {exc.message}") from None


def _public_key_from_pem(path: Path, data: bytes) -> bytes:
    if b"PRIVATE KEY-----" in data:
        raise InputError(f"{path} holds a private key: give its public key or verifier key")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise InputError(f"{path} is not a readable PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        kind = type(key).__name__.removesuffix("PublicKey") or type(key).__name__
        raise InputError(f"{path} is not an Ed25519 public key ({kind} key)")
    return key.public_bytes_raw()


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # name too long, embedded NUL: not a path we can open
        return False


def _require_public_size(raw: bytes) -> None:
    if len(raw) != PUBLIC_KEY_SIZE:
        raise InputError(f"an Ed25519 public key is {PUBLIC_KEY_SIZE} bytes, not {len(raw)}")


def _require_name(name: str) -> None:
    if not is_valid_key_name(name):
        raise InputError(f"bad key name {name!r}: it must be non-empty, without spaces or '+'")
