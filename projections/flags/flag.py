"""A red flag as `flags --json` prints it (SPEC §5), and the wording helpers messages share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from projections.flags.facts import Event, Ref, Report, Village, refs

SEVERITIES: tuple[str, ...] = ("critical", "high", "watch")
"""Most serious first; :func:`projections.flags.evaluate` sorts in this order."""


@dataclass(frozen=True)
class Flag:
    """One red flag: which rule, on which stream, how serious, why, and every event it rests on.

    ``evidence`` holds each cited event once, in ``seq`` order.
    """

    rule: str
    stream: str
    severity: str
    message: str
    evidence: tuple[Ref, ...]

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)} (got {self.severity!r})")
        object.__setattr__(self, "evidence", tuple(refs(Ref(*r) for r in self.evidence)))

    def as_dict(self) -> dict[str, Any]:
        """The SPEC §5 object: ``{"rule", "stream", "severity", "message", "evidence": [{"seq", "hash"}]}``."""
        return {"rule": self.rule, "stream": self.stream, "severity": self.severity, "message": self.message,
                "evidence": [{"seq": r.seq, "hash": r.hash} for r in self.evidence]}

    @property
    def sort_key(self) -> tuple[int, str, int, str, str]:
        first = self.evidence[0].seq if self.evidence else 0
        return (SEVERITIES.index(self.severity), self.stream, first, self.rule, self.message)


def flag(rule: str, stream: str, severity: str, message: str,
         evidence: Iterable[Event | Report | Village | Ref]) -> Flag:
    return Flag(rule, stream, severity, message, tuple(refs(evidence)))


def pct(value: Decimal | int | float) -> str:
    """A percentage as messages write it: ``1.95%`` (the decimal exactly as given)."""
    return f"{value}%"


def pp(value: Decimal | float) -> str:
    """A difference in percentage points, two decimals: ``0.55 pp``."""
    return f"{float(value):.2f} pp"


def p_value(p: float) -> str:
    return f"p = {p:.2g}" if p >= 1e-4 else "p < 0.0001"


def sentence(text: str) -> str:
    """``text`` with its first letter capitalised (and nothing else touched)."""
    return text[:1].upper() + text[1:]


def source_name(source: str) -> str:
    return {
        "county_self_report": "county self-report",
        "national_information_system": "national information system",
        "third_party": "third-party survey",
        "department_inspection": "department inspection",
    }.get(source, source)


def described(report: Report) -> str:
    """``the county self-report by 341221-lg (临泉寅) reported 2019-12-09 [seq 12]``."""
    what = source_name(report.source)
    what = what if report.source == "county_self_report" else f"{what} report"
    when = f" reported {report.reported_on.isoformat()}" if report.reported_on else ""
    return f"the {what} by {report.event.who}{when} [seq {report.event.seq}]"


def signed(event: Event) -> str:
    """``ExitApproved of 2018-07-20 by ah-gov (省府丁) [seq 31]``."""
    when = f" of {event.decided_on.isoformat()}" if event.decided_on else ""
    return f"{event.type}{when} by {event.who} [seq {event.seq}]"
