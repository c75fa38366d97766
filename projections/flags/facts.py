"""The plain facts the red-flag rules read: one case's events as the log recorded them.

Rules never touch the store or the read models; an adapter fills these from them, so a rule is
a pure function of values that a test can write by hand. A :class:`CaseFacts` holds the events
of one ``case:`` stream in ``seq`` order; everything else (figures per source and their
revisions, village figures, approvals, publicity, …) is derived from those events by the
accessors below, which never raise on a payload the ledger would not have accepted: a malformed
figure is simply left out.

Field names are those of SPEC §1 "Event catalogue" (:mod:`domain.catalogue`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, NamedTuple

COUNTY_SOURCE = "county_self_report"
VERIFIED_SOURCE = "national_information_system"
SOURCES = (COUNTY_SOURCE, VERIFIED_SOURCE, "third_party", "department_inspection")


class Ref(NamedTuple):
    """An event as evidence cites it."""

    seq: int
    hash: str


def as_date(value: Any) -> date | None:
    """A ``YYYY-MM-DD`` payload value as a date, else ``None``."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def as_decimal(value: Any) -> Decimal | None:
    """A decimal-string payload value (SPEC §1: decimals are strings) as a Decimal, else ``None``."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value)) if isinstance(value, (str, int)) else None
    except InvalidOperation:
        return None
    return number if number is not None and number.is_finite() else None


def as_count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Event:
    """One signed event of a case, with who signed it.

    ``person`` is the natural person the signing actor's ActorRegistered named (``None`` when it
    named none); ``registration`` is that ActorRegistered's ref, cited as evidence by rules that
    rest on the person. ``decided_on`` is the official date of the decision
    (``domain.catalogue.DECISION_DATE_FIELD``), ``recorded_at`` the ledger's UTC timestamp.
    """

    seq: int
    hash: str
    stream: str
    type: str
    actor: str
    person: str | None
    role: str
    recorded_at: str
    decided_on: date | None
    payload: dict[str, Any] = field(hash=False)
    registration: Ref | None = None

    @property
    def ref(self) -> Ref:
        return Ref(self.seq, self.hash)

    @property
    def who(self) -> str:
        """The signer as a message names them: ``actor (person)``."""
        return f"{self.actor} ({self.person})" if self.person else self.actor

    def get(self, name: str, default: Any = None) -> Any:
        return self.payload.get(name, default)

    def date(self, name: str) -> date | None:
        return as_date(self.payload.get(name))

    def decimal(self, name: str) -> Decimal | None:
        return as_decimal(self.payload.get(name))

    def count(self, name: str) -> int | None:
        return as_count(self.payload.get(name))


@dataclass(frozen=True)
class Report:
    """One FiguresReported, its figures parsed (decimals as Decimal, dates as date)."""

    event: Event
    source: str
    reported_on: date | None
    as_of: date | None
    rural_population: int
    poor_population: int
    poverty_incidence: Decimal
    poor_villages_total: int
    poor_villages_remaining: int
    income_growth: Decimal | None
    provincial_income_growth: Decimal | None
    public_service_indicators_met: int | None
    revises: str | None

    @classmethod
    def of(cls, event: Event) -> Report | None:
        """The report an event carries, or ``None`` when a required figure is missing or malformed."""
        e = event
        counts = [e.count(n) for n in ("rural_population", "poor_population", "poor_villages_total",
                                       "poor_villages_remaining")]
        incidence = e.decimal("poverty_incidence")
        if e.type != "FiguresReported" or incidence is None or any(c is None for c in counts):
            return None
        rural, poor, total, remaining = (int(c) for c in counts if c is not None)
        revises = e.get("revises")
        return cls(e, str(e.get("source", "")), e.date("reported_on"), e.date("as_of"), rural, poor, incidence,
                   total, remaining, e.decimal("income_growth"), e.decimal("provincial_income_growth"),
                   e.count("public_service_indicators_met"), revises if isinstance(revises, str) else None)

    @property
    def when(self) -> date | None:
        """The date the figures describe, else the date they were reported."""
        return self.as_of or self.reported_on

    @property
    def income_margin(self) -> Decimal | None:
        """Income growth above the provincial figure, in pp, when both are given."""
        if self.income_growth is None or self.provincial_income_growth is None:
            return None
        return self.income_growth - self.provincial_income_growth


@dataclass(frozen=True)
class Village:
    """One VillageFiguresReported, parsed."""

    event: Event
    code: str
    name: str
    as_of: date | None
    households: int
    poor_households: int
    poor_population: int
    per_capita_income: Decimal | None
    exited: bool

    @classmethod
    def of(cls, event: Event) -> Village | None:
        e = event
        counts = [e.count(n) for n in ("households", "poor_households", "poor_population")]
        if e.type != "VillageFiguresReported" or any(c is None for c in counts):
            return None
        households, poor_households, poor_population = (int(c) for c in counts if c is not None)
        return cls(e, str(e.get("village_code", "")), str(e.get("village_name", "")), e.date("as_of"), households,
                   poor_households, poor_population, e.decimal("per_capita_income"), e.get("exited") is True)

    @property
    def counts(self) -> tuple[int, int, int]:
        return (self.households, self.poor_households, self.poor_population)


@dataclass(frozen=True)
class CaseFacts:
    """One county's exit case: its identity (from CaseOpened) and its events in ``seq`` order."""

    stream: str
    county_code: str
    city_code: str
    tier: str
    year: int
    events: Sequence[Event]
    county_name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "events", tuple(sorted(self.events, key=lambda e: e.seq)))

    @property
    def label(self) -> str:
        """How a message names the case: ``岳西县 (case:340828-2017)`` or the stream alone."""
        return f"{self.county_name} ({self.stream})" if self.county_name else self.stream

    # -- events -------------------------------------------------------------------------------
    def all(self, *types: str) -> list[Event]:
        return [e for e in self.events if e.type in types]

    def first(self, *types: str) -> Event | None:
        return next((e for e in self.events if e.type in types), None)

    def last(self, *types: str) -> Event | None:
        return next((e for e in reversed(self.events) if e.type in types), None)

    def latest_before(self, event: Event, *types: str) -> Event | None:
        """The last event of ``types`` recorded before ``event``."""
        return next((e for e in reversed(self.events) if e.seq < event.seq and e.type in types), None)

    def first_after(self, event: Event, *types: str) -> Event | None:
        return next((e for e in self.events if e.seq > event.seq and e.type in types), None)

    def between(self, start: Event, end: Event, *types: str) -> list[Event]:
        """Events of ``types`` recorded strictly between ``start`` and ``end``."""
        return [e for e in self.events if start.seq < e.seq < end.seq and e.type in types]

    def by_hash(self, hash: str) -> Event | None:
        return self._by_hash.get(hash)

    @cached_property
    def _by_hash(self) -> dict[str, Event]:
        return {e.hash: e for e in self.events}

    # -- county figures -----------------------------------------------------------------------
    @cached_property
    def _reports(self) -> tuple[Report, ...]:
        return tuple(r for r in (Report.of(e) for e in self.events if e.type == "FiguresReported") if r)

    def figures(self, source: str | None = None) -> list[Report]:
        """Every parsed FiguresReported (of ``source``), oldest first."""
        return [r for r in self._reports if source is None or r.source == source]

    def latest(self, source: str) -> Report | None:
        reports = self.figures(source)
        return reports[-1] if reports else None

    def report(self, hash: str) -> Report | None:
        return next((r for r in self._reports if r.event.hash == hash), None)

    def cited(self, event: Event, source: str) -> Report | None:
        """The report of ``source`` that ``event`` relies on: the one its ``figures`` field names
        (the ledger fills it in), else the latest of ``source`` recorded before it."""
        named = event.get("figures")
        if isinstance(named, str):
            report = self.report(named)
            if report is not None and report.source == source:
                return report
        before = [r for r in self.figures(source) if r.event.seq < event.seq]
        return before[-1] if before else None

    def application_figures(self) -> Report | None:
        """The county's figures the latest application relied on; without an application, the
        county's latest report."""
        application = self.last("ExitApplicationSubmitted")
        if application is not None:
            cited = self.cited(application, COUNTY_SOURCE)
            if cited is not None:
                return cited
        return self.latest(COUNTY_SOURCE)

    def county_claims(self) -> list[Report]:
        """The county figures a check compares: the application's and the latest, once each."""
        claims = [r for r in (self.application_figures(), self.latest(COUNTY_SOURCE)) if r is not None]
        return list({r.event.seq: r for r in claims}.values())

    def revisions(self) -> list[tuple[Report, Report]]:
        """``(revised, revision)`` pairs: each report whose ``revises`` names an earlier report
        of the same source in this case."""
        pairs = []
        for report in self._reports:
            if report.revises is None:
                continue
            old = self.report(report.revises)
            if old is not None and old.source == report.source and old.event.seq < report.event.seq:
                pairs.append((old, report))
        return pairs

    # -- village figures ----------------------------------------------------------------------
    @cached_property
    def _villages(self) -> tuple[Village, ...]:
        return tuple(v for v in (Village.of(e) for e in self.events if e.type == "VillageFiguresReported") if v)

    def village_reports(self) -> list[Village]:
        return list(self._villages)

    def villages(self, as_of: date | None = None) -> list[Village]:
        """The latest report of each village (among those ``as_of`` that date, if given), in the
        order of those reports."""
        latest: dict[str, Village] = {}
        for village in self._villages:
            if as_of is None or village.as_of == as_of:
                latest.pop(village.code, None)
                latest[village.code] = village
        return sorted(latest.values(), key=lambda v: v.event.seq)


def refs(items: Iterable[Event | Report | Village | Ref]) -> list[Ref]:
    """The refs of events, reports and villages, once each, in ``seq`` order."""
    out: dict[int, Ref] = {}
    for item in items:
        ref = item if isinstance(item, Ref) else item.ref if isinstance(item, Event) else item.event.ref
        out[ref.seq] = ref
    return [out[seq] for seq in sorted(out)]
