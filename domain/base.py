"""What every stream of the ledger shares: actors, the acting context, errors, event plumbing.

The domain decides whether an event may happen and what it says; it never signs, hashes or
stores. The ledger hands it an :class:`Act` (who acts, when the event is recorded, and
look-ups into the rest of the ledger) and receives the triggered event, whose ``payload``
already holds every field the ledger derives, so the signer signs them too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple

from eventsourcing.domain import Aggregate


class DomainError(Exception):
    """An event the exit process does not allow; nothing is recorded.

    ``code`` is stable (``payload``, ``forbidden``, ``out_of_order``), ``field`` names the
    payload field at fault when there is one.
    """

    code: ClassVar[str] = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PayloadError(DomainError):
    """A payload field is missing, unknown, of the wrong type or out of range."""

    code = "payload"

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"payload.{field}: {rule}", field=field)
        self.rule = rule


class Forbidden(DomainError):
    """The actor's role or jurisdiction does not allow this event on this stream."""

    code = "forbidden"


class OutOfOrder(DomainError):
    """The step's input does not exist yet (or the case has ended)."""

    code = "out_of_order"


@dataclass(frozen=True)
class Actor:
    """A registered actor as the ``actors`` stream currently knows it."""

    id: str
    name: str
    role: str
    jurisdiction: str
    public_key: str  # base64 of the raw 32-byte Ed25519 key
    person: str | None = None
    revoked: bool = False


class CaseRef(NamedTuple):
    """What an inquiry needs to know of a case stream."""

    stream: str
    county_code: str
    city_code: str


class Act(NamedTuple):
    """Everything the domain needs to decide one event, supplied by the ledger.

    ``recorded_at`` is the UTC time the ledger stamps on the record. The look-ups let the
    domain check references without knowing how the ledger stores anything. (A named tuple,
    like :class:`CaseRef`: the ledger builds one per event it appends.)
    """

    actor: Actor
    recorded_at: datetime
    incidence_limit: Decimal = Decimal("2")
    province_code: str = ""
    known_event: Callable[[str], bool] = lambda _h: False
    find_actor: Callable[[str], Actor | None] = lambda _a: None
    find_case: Callable[[str], CaseRef | None] = lambda _s: None


class Stream(Aggregate):
    """Base of the ``actors``, ``case:`` and ``inquiry:`` aggregates.

    Each event carries the acting actor's id and the payload exactly as it is signed.
    ``refs`` maps each version to the opaque reference the ledger gave that event (its record
    hash), so later events can cite earlier ones (``revises``, ``figures``).
    """

    class Event(Aggregate.Event):
        actor: str
        payload: dict[str, Any]

        TYPE: ClassVar[str] = ""

        def apply(self, aggregate: Any) -> None:
            ref = self.__dict__.get("ref")
            if ref is not None:
                aggregate.refs[self.originator_version] = ref
            aggregate.when(self)

    class Created(Event, Aggregate.Created):
        pass

    def __init__(self) -> None:
        self.refs: dict[int, str] = {}

    def acknowledge(self, version: int, ref: str) -> None:
        """Remember the reference the ledger gave the event at ``version`` once it was sealed."""
        self.refs[version] = ref

    def when(self, event: Stream.Event) -> None:
        """Evolve state from ``event``; never raises (replay must always succeed)."""
        raise NotImplementedError


EVENT_TYPES: dict[str, type[Stream.Event]] = {}
"""Every record type name of SPEC §1 → its event class. The names are permanent."""


def event_type(name: str) -> Callable[[type[Stream.Event]], type[Stream.Event]]:
    """Register an event class under its permanent record type name."""

    def register(cls: type[Stream.Event]) -> type[Stream.Event]:
        if name in EVENT_TYPES:
            raise ValueError(f"event type {name} registered twice")
        cls.TYPE = name
        EVENT_TYPES[name] = cls
        return cls

    return register


def payload_view(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A shallow copy callers may change without touching a stored event."""
    return dict(payload)
