"""C2SP signed notes, Ed25519 (c2sp.org/signed-note; Go's sumdb/note vectors)."""

from __future__ import annotations

import pytest

from ledger.errors import InputError, SignatureError
from ledger.keys import generate_private_key, private_key_from_seed, public_raw
from ledger.signed_note import note_key_id, open_note, parse_note, sign_note, vkey
from ledger.signing import Signer

from .vectors import load_vector

GO = load_vector("signed-note-go-sumdb.json")
C2SP = load_vector("signed-note-c2sp.json")
TEXT: str = GO["text"]
PETER = GO["keys"]["PeterNeumann"]
ENOCH = GO["keys"]["EnochRoot"]
PETER_SIG: str = PETER["signature_line"]
ENOCH_SIG: str = ENOCH["signature_line"]


def _key(entry: dict[str, str]) -> Signer:
    return Signer(bytes.fromhex(entry["seed"]))


def _corrupt(line: str) -> str:
    # Go's TestOpen corruption: four base64 characters inserted mid-signature.
    return line[:60] + "ABCD" + line[60:]


# --- the published vectors --------------------------------------------------------------------


def test_opens_the_go_example_note_with_its_verifier_key() -> None:
    assert open_note(GO["note"], [PETER["vkey"]]) == TEXT


def test_signs_the_go_example_note_byte_for_byte() -> None:
    key = private_key_from_seed(bytes.fromhex(PETER["seed"]))

    assert sign_note(TEXT, "PeterNeumann", key) == GO["note"]
    assert sign_note(TEXT, "EnochRoot", _key(ENOCH)) == TEXT + "\n" + ENOCH_SIG


def test_derives_the_go_verifier_keys_and_key_ids() -> None:
    assert vkey("PeterNeumann", _key(PETER).public_raw) == PETER["vkey"]
    assert vkey("EnochRoot", _key(ENOCH).public_raw) == ENOCH["vkey"]
    assert note_key_id("PeterNeumann", _key(PETER).public_raw) == bytes.fromhex("c74f20a3")


def test_opens_the_c2sp_example_note() -> None:
    example = C2SP["example"]

    assert open_note(example["note"], [example["vkey"]]) == example["text"]


def test_opens_a_note_given_as_utf8_bytes() -> None:
    assert open_note(GO["note"].encode("utf-8"), [PETER["vkey"]]) == TEXT


# --- which signatures count -------------------------------------------------------------------


def test_ignores_a_signature_by_an_unknown_key() -> None:
    note = TEXT + "\n" + PETER_SIG + ENOCH_SIG

    assert open_note(note, [PETER["vkey"]]) == TEXT


def test_ignores_a_malformed_signature_by_an_unknown_key() -> None:
    note = TEXT + "\n" + PETER_SIG + _corrupt(ENOCH_SIG)

    assert open_note(note, [PETER["vkey"]]) == TEXT


def test_opens_a_note_with_every_known_signature_valid() -> None:
    note = TEXT + "\n" + PETER_SIG + ENOCH_SIG

    assert open_note(note, [PETER["vkey"], ENOCH["vkey"]]) == TEXT


def test_rejects_a_note_signed_only_by_unknown_keys() -> None:
    with pytest.raises(SignatureError, match="no valid signature by a known key"):
        open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])


def test_rejects_a_note_when_given_the_wrong_key() -> None:
    with pytest.raises(SignatureError, match="no valid signature by a known key"):
        open_note(GO["note"], [ENOCH["vkey"]])


def test_rejects_a_known_key_whose_signature_fails() -> None:
    with pytest.raises(SignatureError, match=r"invalid note signature for key PeterNeumann\+c74f"):
        open_note(TEXT + "\n" + _corrupt(PETER_SIG), [PETER["vkey"]])


def test_rejects_a_bad_known_signature_even_beside_a_good_one() -> None:
    note = TEXT + "\n" + PETER_SIG + _corrupt(ENOCH_SIG)
    with pytest.raises(SignatureError, match=r"EnochRoot\+af0cfe78"):
        open_note(note, [PETER["vkey"], ENOCH["vkey"]])


def test_rejects_tampered_text() -> None:
    tampered = GO["note"].replace("cryptography", "cryptographY")
    with pytest.raises(SignatureError, match="invalid note signature"):
        open_note(tampered, [PETER["vkey"]])


def test_a_key_with_the_right_name_but_another_key_id_is_unknown() -> None:
    impostor = vkey("PeterNeumann", public_raw(generate_private_key()))
    with pytest.raises(SignatureError, match="no valid signature by a known key"):
        open_note(GO["note"], [impostor])


# --- syntax -----------------------------------------------------------------------------------

MALFORMED = {
    # Go's TestOpen badMsgs.
    "no-signatures": TEXT,
    "blank-line-only": TEXT + "\n",
    "unterminated-signature": TEXT + "\n" + PETER_SIG[:-1],
    "control-character": "\x01" + TEXT + "\n" + PETER_SIG,
    "space-in-name": TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Bad Name"),
    "trailing-text-line": TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
    # More mutations.
    "no-em-dash": TEXT + "\n" + PETER_SIG.replace("\u2014", "-"),
    "carriage-return": TEXT.replace("\n", "\r\n") + "\n" + PETER_SIG,
    "unpadded-base64": TEXT + "\n" + PETER_SIG.replace("=\n", "\n"),
    "too-short-signature": TEXT + "\n\u2014 PeterNeumann AAAA\n",
    "empty-signature": TEXT + "\n\u2014 PeterNeumann \n",
    "blank-line-after-signatures": TEXT + "\n" + PETER_SIG + "\n",
    "lone-surrogate": "\ud800" + TEXT + "\n" + PETER_SIG,
}


@pytest.mark.parametrize("note", list(MALFORMED.values()), ids=list(MALFORMED))
def test_rejects_malformed_notes(note: str) -> None:
    with pytest.raises(SignatureError, match="malformed note"):
        open_note(note, [PETER["vkey"]])


def test_rejects_a_note_that_is_not_utf8() -> None:
    with pytest.raises(SignatureError, match="malformed note: not UTF-8"):
        open_note(b"\xff" + GO["note"].encode("utf-8"), [PETER["vkey"]])


def test_splits_text_from_signatures_at_the_last_blank_line() -> None:
    text = "first paragraph\n\nsecond paragraph\n"
    signer = Signer(bytes(32))
    note = sign_note(text, "EnochRoot", signer)

    assert parse_note(note)[0] == text
    assert open_note(note, [vkey("EnochRoot", signer.public_raw)]) == text


@pytest.mark.parametrize("count", [16, 100])
def test_accepts_up_to_100_signature_lines(count: int) -> None:
    note = TEXT + "\n" + ENOCH_SIG * (count - 1) + PETER_SIG

    assert open_note(note, [PETER["vkey"]]) == TEXT
    assert len(parse_note(note)[1]) == count


def test_rejects_more_than_100_signature_lines() -> None:
    with pytest.raises(SignatureError, match="more than 100 signatures"):
        open_note(TEXT + "\n" + PETER_SIG * 101, [PETER["vkey"]])


def test_parse_note_returns_the_key_id_and_signature_of_each_line() -> None:
    text, signatures = parse_note(GO["note"])

    assert text == TEXT
    assert [(s.name, s.key_id.hex(), len(s.signature)) for s in signatures] == [
        ("PeterNeumann", "c74f20a3", 64)
    ]


# --- signing and keys -------------------------------------------------------------------------


def test_round_trips_a_checkpoint_signed_under_an_origin_name() -> None:
    key = generate_private_key()
    origin = "exitledger/6f1c2a3e-8b4d-4c5e-9f60-1a2b3c4d5e6f"
    checkpoint = f"{origin}\n3\n{'A' * 43}=\n"

    note = sign_note(checkpoint, origin, key)

    assert open_note(note, [vkey(origin, public_raw(key))]) == checkpoint


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("no newline", "n"),
        ("tab\there\n", "n"),
        ("fine\n", "two words"),
        ("fine\n", "a+b"),
        ("fine\n", ""),
    ],
    ids=["no-final-newline", "control-character", "space-in-name", "plus-in-name", "empty-name"],
)
def test_sign_note_refuses_bad_text_or_names(text: str, name: str) -> None:
    with pytest.raises(InputError):
        sign_note(text, name, Signer(bytes(32)))


def test_open_note_refuses_a_bad_verifier_key() -> None:
    with pytest.raises(InputError):
        open_note(GO["note"], [PETER["vkey"].replace("c74f20a3", "c74f20a4")])


def test_open_note_accepts_a_verifier_key_given_twice() -> None:
    assert open_note(GO["note"], [PETER["vkey"], PETER["vkey"]]) == TEXT
