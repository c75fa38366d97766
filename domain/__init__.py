"""The exit process of a poverty county as aggregates, events and guards (DOMAIN.md, SPEC §1).

Pure: imports only the standard library and ``eventsourcing.domain``. The ledger calls
:func:`record` to decide and trigger an event, and :func:`authorize` again when it verifies.
"""

from __future__ import annotations

from domain.actors import ActorRegistry
from domain.base import (
    EVENT_TYPES,
    Act,
    Actor,
    CaseRef,
    DomainError,
    Forbidden,
    OutOfOrder,
    PayloadError,
    Stream,
)
from domain.case import Case
from domain.catalogue import DECISION_DATE_FIELD, ROLES, export_columns
from domain.inquiry import Inquiry
from domain.record import aggregate_for, record
from domain.rights import authorize

__all__ = [
    "DECISION_DATE_FIELD",
    "EVENT_TYPES",
    "ROLES",
    "Act",
    "Actor",
    "ActorRegistry",
    "Case",
    "CaseRef",
    "DomainError",
    "Forbidden",
    "Inquiry",
    "OutOfOrder",
    "PayloadError",
    "Stream",
    "aggregate_for",
    "authorize",
    "export_columns",
    "record",
]
