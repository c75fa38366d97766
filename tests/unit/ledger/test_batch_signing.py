"""A batch's envelopes are the same bytes whether the helper process signs them or this one does."""

from __future__ import annotations

import hashlib
import os
import signal
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import batch_signing
from ledger.batch_signing import Signing
from ledger.record import Sealed, open_envelope
from ledger.signing import Signer, verify_signature

SIGNERS = [Signer(hashlib.sha256(f"batch:{n}".encode()).digest()) for n in range(3)]
STREAM = uuid.UUID(int=7)


def _inline(items: list[tuple[bytes, Signer]]) -> list[bytes]:
    """The reference: every envelope built from Signer.sign, one at a time."""
    return [Sealed(body, hashlib.sha256(body).hexdigest(), signer.sign(body)).envelope for body, signer in items]


def _signed(items: list[tuple[bytes, Signer]], *, chunk: int = Signing.CHUNK) -> list[bytes]:
    signing = Signing()
    signing.CHUNK = chunk
    try:
        for version, (body, signer) in enumerate(items, start=1):
            signing.add(STREAM, version, body, hashlib.sha256(body).hexdigest(), signer)
        out = list(signing.envelopes())
    finally:
        signing.close()
    assert [v for _, v, _ in out] == list(range(1, len(items) + 1))
    return [envelope for _, _, envelope in out]


def _items(count: int) -> list[tuple[bytes, Signer]]:
    return [(b'{"n":%d,"pad":"%s"}' % (n, b"x" * (n % 700)), SIGNERS[n % 3 if n % 5 else 0]) for n in range(count)]


@settings(max_examples=12, deadline=None)
@given(bodies=st.lists(st.binary(max_size=300), min_size=1, max_size=40), chunk=st.integers(1, 9),
       keys=st.lists(st.integers(0, 2), min_size=1, max_size=40))
def test_the_helper_signs_any_bodies_as_signer_sign_does(bodies: list[bytes], chunk: int, keys: list[int]) -> None:
    items = [(body, SIGNERS[keys[n % len(keys)]]) for n, body in enumerate(bodies)]

    assert _signed(items, chunk=chunk) == _inline(items)


def test_a_batch_of_many_chunks_and_keys_gets_the_envelopes_signed_one_by_one() -> None:
    items = _items(3 * Signing.CHUNK + 17)

    envelopes = _signed(items)

    assert envelopes == _inline(items)
    for envelope, (_, signer) in zip(envelopes, items, strict=True):
        sealed = open_envelope(envelope)
        verify_signature(signer.public_raw, sealed.body, sealed.sig)


@pytest.fixture
def helpers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[batch_signing._Helper]]:
    """Every helper the test starts, to look at its process afterwards."""
    started: list[batch_signing._Helper] = []
    start = batch_signing._Helper.start.__func__  # type: ignore[attr-defined]

    def recording(cls: type[batch_signing._Helper]) -> batch_signing._Helper | None:
        helper = start(cls)
        if helper is not None:
            started.append(helper)
        return helper

    monkeypatch.setattr(batch_signing._Helper, "start", classmethod(recording))
    yield started


def test_a_large_batch_is_signed_by_a_helper_that_is_reaped_afterwards(helpers: list[batch_signing._Helper]) -> None:
    _signed(_items(2 * Signing.CHUNK))

    assert len(helpers) == 1
    assert helpers[0]._process.returncode == 0  # it finished on its own, and was waited for


def test_a_small_batch_starts_no_helper(helpers: list[batch_signing._Helper]) -> None:
    _signed(_items(Signing.CHUNK - 1))

    assert helpers == []


def test_a_helper_killed_midway_leaves_the_rest_to_this_process(helpers: list[batch_signing._Helper]) -> None:
    items = _items(4 * Signing.CHUNK)
    signing = Signing()
    try:
        for version, (body, signer) in enumerate(items, start=1):
            signing.add(STREAM, version, body, hashlib.sha256(body).hexdigest(), signer)
            if version == 2 * Signing.CHUNK:
                os.kill(helpers[0]._process.pid, signal.SIGKILL)
        envelopes = [envelope for _, _, envelope in signing.envelopes()]
    finally:
        signing.close()

    assert envelopes == _inline(items)
    assert helpers[0]._process.returncode == -signal.SIGKILL


def test_a_helper_that_cannot_start_leaves_the_batch_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_signing.sys, "executable", "/nonexistent/python")
    items = _items(2 * Signing.CHUNK + 1)

    assert _signed(items) == _inline(items)


def test_an_abandoned_batch_stops_its_helper(helpers: list[batch_signing._Helper]) -> None:
    signing = Signing()
    for version, (body, signer) in enumerate(_items(3 * Signing.CHUNK), start=1):
        signing.add(STREAM, version, body, hashlib.sha256(body).hexdigest(), signer)

    signing.close()  # a later entry was refused: nothing is collected

    assert helpers[0]._process.returncode is not None
