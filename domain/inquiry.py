"""A discipline inquiry, stream ``inquiry:<id>`` (SPEC §1, DOMAIN.md "What the ledger must let an
inspector see").

An inquiry concerns one case and is run by a discipline inspector whose jurisdiction covers
that case. Its findings cite signed events of this ledger by hash and name registered actors;
nothing follows a closed inquiry.
"""

from __future__ import annotations

from typing import Any

from domain.base import Act, CaseRef, OutOfOrder, PayloadError, Stream, event_type
from domain.fields import CASE_STREAM
from domain.rights import authorize


class Inquiry(Stream):
    """State of one inquiry: the case it concerns and whether it is closed."""

    class Event(Stream.Event):
        pass

    @event_type("InquiryOpened")
    class InquiryOpened(Event, Stream.Created):
        pass

    @event_type("FindingRecorded")
    class FindingRecorded(Event):
        pass

    @event_type("AccountabilityDecided")
    class AccountabilityDecided(Event):
        pass

    @event_type("InquiryClosed")
    class InquiryClosed(Event):
        pass

    def __init__(self) -> None:
        super().__init__()
        self.case_stream = ""
        self.county_code = ""
        self.subject = ""
        self.findings = 0
        self.decisions = 0
        self.closed = False

    def when(self, event: Stream.Event) -> None:
        p = event.payload
        if event.TYPE == "InquiryOpened":
            self.case_stream = str(p.get("case", ""))
            named = CASE_STREAM.fullmatch(self.case_stream)
            self.county_code = named.group(1) if named else ""
            self.subject = str(p.get("subject", ""))
        elif event.TYPE == "FindingRecorded":
            self.findings += 1
        elif event.TYPE == "AccountabilityDecided":
            self.decisions += 1
        elif event.TYPE == "InquiryClosed":
            self.closed = True


def decide(
    *, stream: str, aggregate: Stream | None, type: str, act: Act, payload: dict[str, Any]
) -> dict[str, Any]:
    """Check an inquiry event beyond its schema and return its final payload."""
    if type == "InquiryOpened":
        case = act.find_case(payload["case"])
        if case is None:
            raise PayloadError("case", "no such case in this ledger")
        _known_events(act, payload, "basis")
        _authorize(stream, type, act, case)
        return payload
    assert isinstance(aggregate, Inquiry)
    if type == "FindingRecorded":
        _known_actors(act, payload, "responsible")
        _known_events(act, payload, "evidence")
    elif type == "AccountabilityDecided":
        _known_actors(act, payload, "against")
    _authorize(stream, type, act, act.find_case(aggregate.case_stream))
    if aggregate.closed:
        raise OutOfOrder(f"{stream} is closed; nothing follows InquiryClosed ({type} refused)")
    return payload


def _authorize(stream: str, type: str, act: Act, case: CaseRef | None) -> None:
    authorize(type=type, stream=stream, actor=act.actor, province_code=act.province_code, case=case)


def _known_events(act: Act, payload: dict[str, Any], field: str) -> None:
    for index, ref in enumerate(payload.get(field, [])):
        if not act.known_event(ref):
            raise PayloadError(field, f"item {index}: no record {ref} in this ledger")


def _known_actors(act: Act, payload: dict[str, Any], field: str) -> None:
    for index, actor_id in enumerate(payload[field]):
        if act.find_actor(actor_id) is None:
            raise PayloadError(field, f"item {index}: no actor {actor_id} in this ledger")
