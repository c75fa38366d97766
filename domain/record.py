"""The single entry point of the domain: may this event happen on this stream, and what does it say?

:func:`record` runs every check once, before the event exists (STYLE habit 2): the stream
name, the record type, the stream's existence, the payload's schema, the actor's rights, the
order of the process, then the fields the ledger derives. Only then is the event triggered,
so replaying the stream later never raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from domain import actors, inquiry, process
from domain.actors import ActorRegistry
from domain.base import EVENT_TYPES, Act, Forbidden, OutOfOrder, PayloadError, Stream
from domain.case import Case
from domain.catalogue import KIND_OF_TYPE, STREAM_KINDS, validate
from domain.fields import CASE_STREAM, INQUIRY_STREAM
from domain.inquiry import Inquiry

Decide = Callable[..., dict[str, Any]]

_AGGREGATES: dict[str, tuple[type[Stream], Decide]] = {
    "actors": (ActorRegistry, actors.decide),
    "case": (Case, process.decide),
    "inquiry": (Inquiry, inquiry.decide),
}


def kind_of(stream: str) -> str:
    """``actors``, ``case`` or ``inquiry``; :class:`PayloadError` on the field ``stream`` otherwise."""
    if stream == "actors":
        return "actors"
    if isinstance(stream, str) and CASE_STREAM.fullmatch(stream):
        return "case"
    if isinstance(stream, str) and INQUIRY_STREAM.fullmatch(stream):
        return "inquiry"
    raise PayloadError(
        "stream",
        'must be "actors", "case:<6-digit county code>-<year>" such as "case:341122-2019", '
        f'or "inquiry:<id>" with an id of up to 64 of A-Z a-z 0-9 . _ - (got {stream!r})',
    )


def aggregate_for(stream: str) -> type[Stream]:
    """The aggregate class of ``stream``: ActorRegistry, Case or Inquiry."""
    return _AGGREGATES[kind_of(stream)][0]


def record(
    *,
    stream: str,
    aggregate: Stream | None,
    type: str,
    act: Act,
    payload: Mapping[str, Any],
    id: UUID,
) -> tuple[Stream, Stream.Event]:
    """Decide one event and trigger it; return the aggregate and the new event.

    ``aggregate`` is the stream's current state, ``None`` if the stream does not exist yet;
    ``id`` is the aggregate id to create it with. The event's ``payload`` is the final payload,
    derived fields included: exactly what the ledger signs. Raises :class:`PayloadError`,
    :class:`Forbidden` or :class:`OutOfOrder` and then changes nothing.
    """
    kind = kind_of(stream)
    cls, decide = _AGGREGATES[kind]
    if type not in EVENT_TYPES:
        raise PayloadError("type", f"unknown record type {type!r}; known: {', '.join(EVENT_TYPES)}")
    if KIND_OF_TYPE[type] != kind:
        raise PayloadError(
            "type", f"{type} is not a record of {kind} streams; they take {', '.join(STREAM_KINDS[kind])}"
        )
    if aggregate is not None and not isinstance(aggregate, cls):
        raise TypeError(f"the state of {stream} must be a {cls.__name__}, not {aggregate!r}")
    creating = STREAM_KINDS[kind][0]
    if aggregate is None and type != creating:
        raise OutOfOrder(f"{stream} has no {creating} yet; {type} cannot come first")
    if aggregate is not None and type == creating:
        raise OutOfOrder(f"{stream} already has its {creating}; a stream begins once")
    if act.actor.revoked:
        raise Forbidden(f"actor {act.actor.id} is revoked and may not sign anything")
    final = decide(stream=stream, aggregate=aggregate, type=type, act=act, payload=validate(type, payload))
    event_class = EVENT_TYPES[type]
    if aggregate is None:
        aggregate = cls._create(
            event_class, id=id, timestamp=act.recorded_at, actor=act.actor.id, payload=final  # type: ignore[arg-type]
        )
    else:
        aggregate.trigger_event(event_class, timestamp=act.recorded_at, actor=act.actor.id, payload=final)
    event = aggregate.pending_events[-1]
    assert isinstance(event, Stream.Event)
    return aggregate, event
