"""The one point where domain events become stored bytes and back (eventsourcing ``Mapper``).

Writing: the application seals each new event (canonical body, hash, signature) before saving
and hands the envelope to :meth:`RecordMapper.expect`; ``to_stored_event`` refuses any event that
was not sealed, so nothing unsigned can ever be stored. Reading: the stored body is parsed into
the domain event, and its stored hash becomes the event's ``ref``. The topic column holds the
permanent record type name, so moving a Python class never moves stored data.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from eventsourcing.domain import CanInitAggregate
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from domain import EVENT_TYPES, aggregate_for
from ledger.errors import StoreError
from ledger.record import EnvelopeError, open_envelope, parse_time


class RecordMapper(Mapper):
    """Maps sealed envelopes to stored events and stored events to domain events."""

    def __init__(self, transcoder: Any) -> None:
        super().__init__(transcoder)
        self._sealed: dict[tuple[UUID, int], bytes] = {}

    def expect(self, originator_id: UUID, version: int, envelope: bytes) -> None:
        """Register the envelope to store for the event at (originator_id, version)."""
        self._sealed[(originator_id, version)] = envelope

    def forget(self) -> None:
        """Drop envelopes of a batch that will not be saved."""
        self._sealed.clear()

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        position = (domain_event.originator_id, domain_event.originator_version)
        try:
            envelope = self._sealed.pop(position)
        except KeyError:
            raise StoreError(f"refusing to store an unsigned event at {position}") from None
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=type(domain_event).TYPE,
            state=envelope,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        try:
            sealed = open_envelope(stored_event.state)
            record = json.loads(sealed.body)
            cls = EVENT_TYPES[record["type"]]
            state: dict[str, Any] = {
                "originator_id": stored_event.originator_id,
                "originator_version": stored_event.originator_version,
                "timestamp": parse_time(record["recorded_at"]),
                "actor": record["actor"],
                "payload": record["payload"],
                "ref": sealed.hash,
            }
            if issubclass(cls, CanInitAggregate):
                state["originator_topic"] = get_topic(aggregate_for(record["stream"]))
        except (EnvelopeError, ValueError, KeyError, TypeError, RecursionError) as e:
            raise StoreError(
                f"stored event {stored_event.originator_id} v{stored_event.originator_version} "
                f"cannot be read ({e}); run `exitledger verify`"
            ) from None
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event
