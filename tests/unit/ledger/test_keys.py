"""Key ids, key files and public-key strings (SPEC §1 ``key``, SPEC §4)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import InputError, KeyFileError
from ledger.keys import (
    b64,
    b64decode,
    generate_private_key,
    key_id,
    load_private_key,
    parse_public_key,
    parse_vkey,
    private_key_from_seed,
    public_raw,
    vkey,
    write_private_key,
)

from .vectors import load_vector

RFC8032 = load_vector("rfc8032-ed25519.json")["vectors"]
GO = load_vector("signed-note-go-sumdb.json")
C2SP = load_vector("signed-note-c2sp.json")
PETER_VKEY = GO["keys"]["PeterNeumann"]["vkey"]
PETER_SEED = bytes.fromhex(GO["keys"]["PeterNeumann"]["seed"])


def _pem(
    key: Ed25519PrivateKey | ec.EllipticCurvePrivateKey,
    encryption: serialization.KeySerializationEncryption,
) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def _public_pem(key: Ed25519PrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


_EC_KEY = ec.generate_private_key(ec.SECP256R1())
_EC_PRIVATE_PEM = _pem(_EC_KEY, serialization.NoEncryption())
_EC_PUBLIC_PEM = _public_pem(_EC_KEY)
_BAD_PRIVATE_PEM = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
_BAD_PUBLIC_PEM = b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"


# --- key id and base64 ------------------------------------------------------------------------


def test_key_id_is_the_first_16_hex_digits_of_sha256_of_the_raw_key() -> None:
    # sha256(d75a98…511a) = 21fe31dfa154a261626bf854046fd227…
    assert key_id(bytes.fromhex(RFC8032[0]["public_key"])) == "21fe31dfa154a261"


def test_key_id_refuses_a_key_that_is_not_32_bytes() -> None:
    with pytest.raises(InputError, match="32 bytes"):
        key_id(bytes(31))


def test_b64_is_standard_base64_with_padding() -> None:
    assert b64(b"\xfb\xff") == "+/8="
    assert b64decode("+/8=") == b"\xfb\xff"


@pytest.mark.parametrize(
    "text",
    ["+/8", "-_8=", "+/9=", " +/8=", "+/8=\n", "é==="],
    ids=["unpadded", "urlsafe", "nonzero-trailing-bits", "leading-space", "newline", "non-ascii"],
)
def test_b64decode_accepts_only_canonical_standard_base64(text: str) -> None:
    with pytest.raises(InputError):
        b64decode(text)


# --- private keys -----------------------------------------------------------------------------


@pytest.mark.parametrize("vector", RFC8032, ids=[v["name"] for v in RFC8032])
def test_a_seed_gives_the_rfc8032_public_key(vector: dict[str, str]) -> None:
    key = private_key_from_seed(bytes.fromhex(vector["secret_key"]))

    assert public_raw(key).hex() == vector["public_key"]
    assert public_raw(key.public_key()).hex() == vector["public_key"]


def test_a_seed_must_be_32_bytes() -> None:
    with pytest.raises(InputError, match="32 bytes"):
        private_key_from_seed(bytes(31))


def test_generated_keys_differ() -> None:
    assert public_raw(generate_private_key()) != public_raw(generate_private_key())


def test_writes_and_loads_an_unencrypted_key(tmp_path: Path) -> None:
    path = tmp_path / "authority.pem"
    key = private_key_from_seed(PETER_SEED)

    write_private_key(path, key, None)

    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert public_raw(load_private_key(path, None)) == public_raw(key)


def test_writes_and_loads_an_encrypted_key(tmp_path: Path) -> None:
    path = tmp_path / "authority.pem"
    key = private_key_from_seed(PETER_SEED)

    write_private_key(str(path), key, b"correct horse")

    assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    assert public_raw(load_private_key(str(path), b"correct horse")) == public_raw(key)


def test_creates_key_files_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    write_private_key(path, generate_private_key(), None)

    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_refuses_to_overwrite_an_existing_key_file(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    path.write_bytes(b"precious")

    with pytest.raises(KeyFileError, match=f"key file already exists: {path}"):
        write_private_key(path, generate_private_key(), None)
    assert path.read_bytes() == b"precious"


def test_refuses_an_empty_passphrase(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="empty passphrase"):
        write_private_key(tmp_path / "k.pem", generate_private_key(), b"")
    assert not (tmp_path / "k.pem").exists()


def test_reports_a_key_file_that_cannot_be_created(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="cannot create key file"):
        write_private_key(tmp_path / "missing-dir" / "k.pem", generate_private_key(), None)


def test_ignores_a_passphrase_given_for_an_unencrypted_key(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    key = generate_private_key()
    write_private_key(path, key, None)

    assert public_raw(load_private_key(path, b"not needed")) == public_raw(key)


def _encrypted_pem(passphrase: bytes) -> bytes:
    return _pem(generate_private_key(), serialization.BestAvailableEncryption(passphrase))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_says_when_the_key_file_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "nope.pem"
    with pytest.raises(KeyFileError) as caught:
        load_private_key(path, None)
    assert str(caught.value) == f"key file not found: {path}"


def test_says_when_the_key_file_is_encrypted_and_no_passphrase_was_given(tmp_path: Path) -> None:
    path = _write(tmp_path / "k.pem", _encrypted_pem(b"pw"))
    with pytest.raises(KeyFileError) as caught:
        load_private_key(path, None)
    assert str(caught.value) == f"key file {path} is encrypted: give --passphrase-env VAR"


def test_says_when_the_passphrase_is_wrong(tmp_path: Path) -> None:
    path = _write(tmp_path / "k.pem", _encrypted_pem(b"pw"))
    with pytest.raises(KeyFileError) as caught:
        load_private_key(path, b"wrong")
    assert str(caught.value) == f"wrong passphrase for key file {path}"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text\n", "is not a PEM file"),
        (b"\x00\xff\x10binary", "is not a PEM file"),
        (_BAD_PRIVATE_PEM, "is not a readable PEM private key"),
        (_public_pem(Ed25519PrivateKey.generate()), "holds a public key, not a private key"),
        (_EC_PRIVATE_PEM, r"is not an Ed25519 key \(EC key\)"),
    ],
    ids=["text", "binary", "bad-pem-body", "public-key", "ec-key"],
)
def test_says_what_is_wrong_with_a_file_that_holds_no_ed25519_private_key(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = _write(tmp_path / "k.pem", content)
    with pytest.raises(KeyFileError, match=message) as caught:
        load_private_key(path, None)
    assert "\n" not in str(caught.value)
    assert caught.value.__context__ is None or caught.value.__suppress_context__
    assert caught.value.exit_code == 2


def test_says_when_the_key_path_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="cannot read key file"):
        load_private_key(tmp_path, None)


# --- verifier keys ----------------------------------------------------------------------------


def test_vkey_reproduces_the_go_verifier_keys() -> None:
    for key in GO["keys"].values():
        raw = public_raw(private_key_from_seed(bytes.fromhex(key["seed"])))
        name = key["vkey"].split("+", 1)[0]
        assert vkey(name, raw) == key["vkey"]
        assert parse_vkey(key["vkey"]) == (name, raw)


def test_parses_a_verifier_key_whose_base64_contains_a_plus() -> None:
    case = C2SP["plus_in_base64"]
    assert parse_vkey(case["vkey"]) == ("TEST", bytes.fromhex(case["public_key"]))


def test_refuses_a_cosignature_key_as_a_signed_note_key() -> None:
    with pytest.raises(InputError, match=r"not an Ed25519 key \(type 0x04\)"):
        parse_vkey(C2SP["cosignature_key"])


@pytest.mark.parametrize("bad", list(GO["bad_vkeys"].values()), ids=list(GO["bad_vkeys"]))
def test_refuses_the_go_bad_verifier_keys(bad: str) -> None:
    with pytest.raises(InputError):
        parse_vkey(bad)


def test_refuses_every_truncation_and_every_single_byte_change_of_a_verifier_key() -> None:
    # The manglings of Go's TestNewVerifier.
    raw = PETER_VKEY.encode()
    manglings = {raw[i:j] for i in range(len(raw) + 1) for j in range(i + 1, len(raw) + 1)}
    manglings |= {raw[:i] + bytes([raw[i] + 1]) + raw[i + 1 :] for i in range(len(raw))}
    manglings.discard(raw)
    for mangled in manglings:
        with pytest.raises(InputError):
            parse_vkey(mangled.decode())


@pytest.mark.parametrize(
    "bad",
    [
        PETER_VKEY.replace("c74f20a3", "C74F20A3"),
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        PETER_VKEY + "\n",
    ],
    ids=["uppercase-hash", "space-in-name", "empty-name", "trailing-newline"],
)
def test_refuses_verifier_keys_that_break_the_syntax(bad: str) -> None:
    with pytest.raises(InputError):
        parse_vkey(bad)


def test_vkey_refuses_a_bad_name() -> None:
    with pytest.raises(InputError, match="bad key name"):
        vkey("has space", bytes(32))


# --- public keys on the command line ----------------------------------------------------------


def test_parse_public_key_reads_a_pem_public_key_file(tmp_path: Path) -> None:
    key = private_key_from_seed(PETER_SEED)
    path = _write(tmp_path / "peter.pub", _public_pem(key))

    assert parse_public_key(str(path)) == public_raw(key)


def test_parse_public_key_reads_a_file_holding_a_verifier_key(tmp_path: Path) -> None:
    path = _write(tmp_path / "peter.vkey", (PETER_VKEY + "\n").encode())

    assert parse_public_key(str(path)) == public_raw(private_key_from_seed(PETER_SEED))


def test_parse_public_key_takes_a_verifier_key_string() -> None:
    assert parse_public_key(PETER_VKEY) == public_raw(private_key_from_seed(PETER_SEED))


def test_parse_public_key_takes_bare_base64_of_the_raw_key() -> None:
    raw = bytes.fromhex(RFC8032[1]["public_key"])

    assert parse_public_key(b64(raw)) == raw


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_pem(Ed25519PrivateKey.generate(), serialization.NoEncryption()), "holds a private key"),
        (_EC_PUBLIC_PEM, r"is not an Ed25519 public key \(EC key\)"),
        (_BAD_PUBLIC_PEM, "is not a readable PEM public key"),
        (PETER_VKEY.replace("c74f20a3", "c74f20a4").encode(), "does not match the key"),
        (b"\xff\xfe", "neither a PEM public key nor a verifier key"),
    ],
    ids=["private-key", "ec-public-key", "bad-pem", "bad-vkey", "binary"],
)
def test_parse_public_key_says_what_is_wrong_with_a_key_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = _write(tmp_path / "key.pub", content)
    with pytest.raises(InputError, match=message) as caught:
        parse_public_key(str(path))
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty public key"),
        ("keys/missing.pem", "public key file not found: keys/missing.pem"),
        ("hello", "not a public key"),
        (b64(bytes(31)), "not a public key"),
        ("x" * 5000, "not a public key"),
    ],
    ids=["empty", "missing-file", "word", "short-base64", "very-long"],
)
def test_parse_public_key_refuses_what_is_no_public_key(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_public_key(text)
