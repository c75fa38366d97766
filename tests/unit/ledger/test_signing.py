"""Ed25519 record signatures (SPEC §1 ``sig``; RFC 8032 §7.1 vectors)."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import SignatureError
from ledger.keys import key_id, private_key_from_seed
from ledger.signing import Signer, verify_raw, verify_signature

from .vectors import load_vector

RFC8032 = load_vector("rfc8032-ed25519.json")["vectors"]
IDS = [v["name"] for v in RFC8032]
# The order of the Ed25519 group, RFC 8032 §5.1.
L = 2**252 + 27742317777372353535851937790883648493


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize("vector", RFC8032, ids=IDS)
def test_signs_the_rfc8032_vectors_exactly(vector: dict[str, str]) -> None:
    signer = Signer(bytes.fromhex(vector["secret_key"]))

    assert signer.public_raw.hex() == vector["public_key"]
    assert signer.sign(bytes.fromhex(vector["message"])) == _b64(bytes.fromhex(vector["signature"]))


@pytest.mark.parametrize("vector", RFC8032, ids=IDS)
def test_verifies_the_rfc8032_vectors(vector: dict[str, str]) -> None:
    verify_signature(
        bytes.fromhex(vector["public_key"]),
        bytes.fromhex(vector["message"]),
        _b64(bytes.fromhex(vector["signature"])),
    )


def test_signer_carries_the_record_key_id() -> None:
    signer = Signer(bytes.fromhex(RFC8032[0]["secret_key"]))

    assert signer.key_id == key_id(signer.public_raw) == "21fe31dfa154a261"
    assert "21fe31dfa154a261" in repr(signer)


def test_a_signer_from_a_cryptography_key_signs_like_one_from_its_seed() -> None:
    seed = bytes.fromhex(RFC8032[2]["secret_key"])

    from_key = Signer.from_private_key(private_key_from_seed(seed))

    assert from_key.sign(b"body") == Signer(seed).sign(b"body")


@settings(max_examples=60, deadline=None)
@given(seed=st.binary(min_size=32, max_size=32), body=st.binary(max_size=2048))
def test_pynacl_and_cryptography_make_identical_signatures(seed: bytes, body: bytes) -> None:
    via_openssl = private_key_from_seed(seed).sign(body)

    assert Signer(seed).sign_raw(body) == via_openssl
    verify_raw(Signer(seed).public_raw, body, via_openssl)


def _flip(data: bytes, bit: int) -> bytes:
    flipped = bytearray(data)
    flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


@pytest.mark.parametrize("bit", [0, 7, 100, 1023])
def test_refuses_a_body_with_one_bit_flipped(bit: int) -> None:
    vector = RFC8032[3]  # TEST 1024: 1023-byte message
    public, body = bytes.fromhex(vector["public_key"]), bytes.fromhex(vector["message"])
    signature = _b64(bytes.fromhex(vector["signature"]))
    with pytest.raises(SignatureError, match="does not verify"):
        verify_signature(public, _flip(body, bit), signature)


@pytest.mark.parametrize("bit", [0, 255, 256, 511])
def test_refuses_a_signature_with_one_bit_flipped(bit: int) -> None:
    vector = RFC8032[2]
    public, body = bytes.fromhex(vector["public_key"]), bytes.fromhex(vector["message"])
    signature = _flip(bytes.fromhex(vector["signature"]), bit)
    with pytest.raises(SignatureError, match="does not verify"):
        verify_signature(public, body, _b64(signature))


def test_refuses_a_signature_under_another_key() -> None:
    with pytest.raises(SignatureError):
        verify_signature(
            bytes.fromhex(RFC8032[1]["public_key"]),
            bytes.fromhex(RFC8032[0]["message"]),
            _b64(bytes.fromhex(RFC8032[0]["signature"])),
        )


def test_refuses_a_malleated_signature_whose_s_exceeds_the_group_order() -> None:
    vector = RFC8032[0]
    signature = bytes.fromhex(vector["signature"])
    s = int.from_bytes(signature[32:], "little") + L
    malleated = signature[:32] + s.to_bytes(32, "little")
    with pytest.raises(SignatureError):
        verify_raw(bytes.fromhex(vector["public_key"]), b"", malleated)


@pytest.mark.parametrize(
    ("sig_b64", "message"),
    [
        ("not base64!", "not standard base64"),
        (_b64(bytes(64)).rstrip("="), "not standard base64"),
        (_b64(bytes(63)), "63 bytes, not 64"),
        (_b64(bytes(65)), "65 bytes, not 64"),
        ("", "0 bytes, not 64"),
    ],
    ids=["garbage", "unpadded", "short", "long", "empty"],
)
def test_refuses_malformed_signatures(sig_b64: str, message: str) -> None:
    with pytest.raises(SignatureError, match=message):
        verify_signature(bytes.fromhex(RFC8032[0]["public_key"]), b"", sig_b64)


def test_refuses_a_public_key_that_is_not_32_bytes() -> None:
    with pytest.raises(SignatureError, match="public key is 31 bytes"):
        verify_signature(bytes(31), b"", _b64(bytes.fromhex(RFC8032[0]["signature"])))
