"""What the benchmarks write: valid case payloads, ledgers built through ``ExitLedger.append``,
and the raw eventsourcing application that serves as baseline.

Payloads follow the domain's rules (domain/catalogue.py, domain/process.py): a
VillageFiguresReported's ``village_code`` is 12 digits starting with the case's county code and
``per_capita_income`` a decimal string; a county_self_report FiguresReported is signed by the
county's leading group. Cases are opened on the two counties the demo scenario registers
(岳西县 340828, 临泉县 341221), one case per county and year (2000–2100), so up to 202 cases.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from ledger.app import Entry, ExitLedger
from tests.builders import LEDGER_ID, Province, province, signer_for  # noqa: F401  (re-exported)

COUNTIES: tuple[tuple[str, str, str, str], ...] = (
    ("340828", "340800", "岳西县", "安庆市"),
    ("341221", "341200", "临泉县", "阜阳市"),
)
YEARS = range(2000, 2101)
MAX_CASES = len(COUNTIES) * len(YEARS)


class Case:
    """One case stream the benchmark writes to."""

    def __init__(self, county: str, city: str, county_name: str, city_name: str, year: int) -> None:
        self.county, self.city, self.county_name, self.city_name, self.year = (
            county, city, county_name, city_name, year)
        self.stream = f"case:{county}-{year}"
        self.actor = f"{county}-lg"

    def opening(self) -> dict[str, Any]:
        return {"county_code": self.county, "county_name": self.county_name, "city_code": self.city,
                "city_name": self.city_name, "tier": "national", "year": self.year,
                "opened_on": f"{self.year}-08-01"}


def cases(count: int, *, first: int = 0) -> list[Case]:
    """``count`` distinct cases, alternating the two counties, years from 2000 on."""
    if first + count > MAX_CASES:
        raise ValueError(f"at most {MAX_CASES} cases (two counties × years 2000–2100)")
    out = []
    for n in range(first, first + count):
        county = COUNTIES[n % len(COUNTIES)]
        out.append(Case(*county, YEARS[n // len(COUNTIES)]))
    return out


def village_payload(case: Case, i: int) -> dict[str, Any]:
    households = 300 + i % 700
    poor = i % 40
    return {
        "as_of": "2017-10-31",
        "village_code": f"{case.county}{i % 1_000_000:06d}",
        "village_name": f"示例{i}村",
        "households": households,
        "poor_households": poor,
        "poor_population": 2 * poor + i % 3,
        "per_capita_income": f"{8000 + i % 4000}.{i % 100:02d}",
        "exited": i % 3 != 0,
    }


_DAY0 = date(2016, 1, 1)


def figures_payload(case: Case, i: int) -> dict[str, Any]:
    """A county_self_report; a distinct ``as_of`` each time, so no ``revises`` is derived."""
    as_of = (_DAY0 + timedelta(days=i)).isoformat()
    poor = 4000 + i % 900
    return {
        "source": "county_self_report", "reported_on": as_of, "as_of": as_of,
        "rural_population": 337000, "poor_population": poor,
        "poverty_incidence": f"{poor * 100 / 337000:.2f}", "poor_villages_total": 65,
        "poor_villages_remaining": i % 5, "income_growth": "11.2", "provincial_income_growth": "8.9",
        "public_service_indicators_met": 19,
    }


def new_province(path: str) -> Province:
    """The demo actors registered (15 events), no case yet; deterministic keys and clock."""
    return province(f"sqlite:///{path}", cases=False)


def open_cases(p: Province, which: list[Case]) -> None:
    p.app.append([p.entry(c.stream, "CaseOpened", "ah-office", c.opening()) for c in which])


def village_entries(p: Province, which: list[Case], count: int, *, start: int = 0) -> list[Entry]:
    """``count`` VillageFiguresReported spread round-robin over ``which``."""
    return [
        p.entry(c.stream, "VillageFiguresReported", c.actor, village_payload(c, i))
        for i in range(start, start + count)
        for c in (which[i % len(which)],)
    ]


def mixed_payload(c: Case, i: int) -> tuple[str, dict[str, Any]]:
    """Alternately FiguresReported and VillageFiguresReported (the single-append workload)."""
    if i % 2:
        return "FiguresReported", figures_payload(c, i)
    return "VillageFiguresReported", village_payload(c, i)


def build_ledger(path: str, events: int, *, batch: int = 5000, progress: Any = None) -> tuple[Province, int]:
    """A ledger of exactly ``events`` events (at least 16), each batch of ``batch`` entries on
    a fresh case (CaseOpened + VillageFiguresReported), so no append replays a long stream."""
    p = new_province(path)
    size = p.app.size()
    per_case = max(batch, -(-(events - size) // MAX_CASES))
    n = 0
    while size < events:
        c = cases(1, first=n)[0]
        take = min(per_case, events - size)
        entries = [p.entry(c.stream, "CaseOpened", "ah-office", c.opening())]
        entries += village_entries(p, [c], take - 1, start=n * per_case)
        p.app.append(entries)
        size += take
        n += 1
        if progress is not None:
            progress(size)
    return p, size


# -- the raw eventsourcing baseline ---------------------------------------------------------
class Bucket(Aggregate):
    """A trivial aggregate: each event carries one payload dict."""

    @event("Opened")
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    @event("Reported")
    def report(self, payload: dict[str, Any]) -> None:
        self.count += 1


class RawApp(Application[UUID]):
    name = "rawbench"
    is_snapshotting_enabled = False


def sqlite_env(path: str) -> dict[str, str]:
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path, "SQLITE_LOCK_TIMEOUT": "10"}


def raw_app(env: dict[str, str]) -> RawApp:
    return RawApp(env=env)


def raw_buckets(app: RawApp, count: int) -> list[Bucket]:
    buckets = [Bucket(name=f"bucket-{n}") for n in range(count)]
    app.save(*buckets)
    return buckets


def ledger_db_path(directory: str, name: str = "ledger.db") -> str:
    return os.path.join(directory, name)


def close(app: Any) -> None:
    try:
        app.close()
    except Exception:  # noqa: BLE001 — closing is best effort
        pass


__all__ = ["ExitLedger", "LEDGER_ID", "signer_for"]
