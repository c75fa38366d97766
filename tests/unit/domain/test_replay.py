"""Replaying stored events rebuilds the same state and never raises (STYLE habit 2)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from uuid import uuid4

import pytest

from domain import EVENT_TYPES, ActorRegistry, Case, Inquiry, Stream
from tests.unit.domain.kit import (
    CASE, REJECTED, Book, key, national_case, province, rejected_case, replay, state,
)


def everything() -> Book:
    book = province().walk(national_case()).walk(rejected_case())
    book.record("actors", "KeyRotated", "ledger-authority",
                {"actor": "ah-office", "public_key": key(99), "reason": "annual"})
    book.record("actors", "ActorRevoked", "ledger-authority", {"actor": "341221-lg", "reason": "left"})
    book.record("inquiry:1", "InquiryOpened", "ah-cdi",
                {"case": REJECTED, "subject": "临泉县", "opened_on": "2021-01-01", "basis": [book.ref(REJECTED, 2)]})
    book.record("inquiry:1", "FindingRecorded", "ah-cdi", {
        "kind": "falsification", "responsible": ["341221-lg"], "evidence": [book.ref(REJECTED, 2)],
        "summary": "自报数据不实", "recorded_on": "2021-02-01"})
    book.record("inquiry:1", "InquiryClosed", "ah-cdi", {"closed_on": "2021-03-01"})
    return book


@pytest.mark.parametrize("stream", ["actors", CASE, REJECTED, "inquiry:1"])
def test_replays_each_stream_to_the_state_it_was_recorded_in(stream: str) -> None:
    book = everything()
    rebuilt = replay(book.events[stream])
    assert rebuilt is not None and type(rebuilt) is type(book.streams[stream])
    assert state(rebuilt) == state(book.streams[stream])
    assert rebuilt.refs == {e.originator_version: e.__dict__["ref"] for e in book.events[stream]}


def test_replays_the_same_state_twice() -> None:
    events = everything().events[CASE]
    assert state(replay(events)) == state(replay(events))


@pytest.mark.parametrize("type", sorted(EVENT_TYPES))
def test_never_raises_on_replay_even_of_an_empty_or_odd_payload(type: str) -> None:
    cls = EVENT_TYPES[type]
    owner = next(a for a in (ActorRegistry, Case, Inquiry) if getattr(a, type, None) is cls)
    first = next(t for t in EVENT_TYPES if issubclass(EVENT_TYPES[t], Stream.Created)
                 and getattr(owner, t, None) is EVENT_TYPES[t])
    now = datetime(2020, 1, 1, tzinfo=timezone.utc)
    created: Any = EVENT_TYPES[first]  # a Stream.Created subclass (eventsourcing types it as CanInitAggregate)
    aggregate = owner._create(created, id=uuid4(), timestamp=now, actor="x", payload={})
    for payload in ({}, {"year": "odd", "incidence_limit": "x", "actor": 3, "source": None, "decision": 7}):
        if cls is EVENT_TYPES[first]:
            owner._create(created, id=uuid4(), timestamp=now, actor="x", payload=payload)
        else:
            aggregate.trigger_event(cls, timestamp=now, actor="x", payload=payload)
