"""The dates of DOMAIN.md "The stages" for a county applying in year Y, as data.

| steps | window | deadline |
| --- | --- | --- |
| ExitApplicationApproved, ExitApplicationSubmitted | — | 15 Dec Y |
| CityReviewCompleted, CityReportApproved, CityReportSubmitted | — | 31 Dec Y |
| ProvincialVerificationCompleted, DepartmentInspectionCompleted, ThirdPartyEvaluationCompleted, ExitReportFormed, PublicityOpened, PublicityClosed, AuditOpinionSubmitted | from 1 Jan Y+1 | 30 Apr Y+1 |
| NationalSpotCheckCompleted, ExitApproved, ExitAnnounced | from 1 May Y+1 | 31 Jul Y+1 |

A step is ``late`` when its decision date is after the deadline, ``early`` when it is before
its window opens, else ``on_time``; ``recorded_late`` when it was *recorded* after the deadline
(whatever date it claims). Other steps have no deadline. Nothing here refuses anything: the
ledger records dates as they happened and these only make lateness visible.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class Due(NamedTuple):
    """Where a step's dates must fall: ``(year offset, month, day)`` from the case year."""

    window_from: tuple[int, int, int] | None
    deadline: tuple[int, int, int]


_APPLICATION = Due(None, (0, 12, 15))
_CITY = Due(None, (0, 12, 31))
_VERIFICATION = Due((1, 1, 1), (1, 4, 30))
_ANNOUNCEMENT = Due((1, 5, 1), (1, 7, 31))

DUE: dict[str, Due] = {
    "ExitApplicationApproved": _APPLICATION,
    "ExitApplicationSubmitted": _APPLICATION,
    "CityReviewCompleted": _CITY,
    "CityReportApproved": _CITY,
    "CityReportSubmitted": _CITY,
    "ProvincialVerificationCompleted": _VERIFICATION,
    "DepartmentInspectionCompleted": _VERIFICATION,
    "ThirdPartyEvaluationCompleted": _VERIFICATION,
    "ExitReportFormed": _VERIFICATION,
    "PublicityOpened": _VERIFICATION,
    "PublicityClosed": _VERIFICATION,
    "AuditOpinionSubmitted": _VERIFICATION,
    "NationalSpotCheckCompleted": _ANNOUNCEMENT,
    "ExitApproved": _ANNOUNCEMENT,
    "ExitAnnounced": _ANNOUNCEMENT,
}


class Timing(NamedTuple):
    window_from: str | None
    deadline: str | None
    status: str | None  # None (no deadline or no decision date), "on_time", "late", "early"
    recorded_late: bool
    lag_days: int | None  # recording date − decision date


def _day(year: int, at: tuple[int, int, int]) -> str:
    return f"{year + at[0]:04d}-{at[1]:02d}-{at[2]:02d}"


def lag_days(decided_on: str | None, recorded_at: str) -> int | None:
    """Days from the decision date to the recording date; None without a valid decision date."""
    if not isinstance(decided_on, str) or len(decided_on) != 10:
        return None
    try:
        return (date.fromisoformat(recorded_at[:10]) - date.fromisoformat(decided_on)).days
    except ValueError:
        return None


_NONE = Timing(None, None, None, False, None)


def timing(type: str, year: int | None, decided_on: str | None, recorded_at: str) -> Timing:
    """The window, deadline and lateness of one step of a case of ``year``; never raises."""
    lag = lag_days(decided_on, recorded_at)
    due = DUE.get(type)
    if due is None or year is None:
        return _NONE if lag is None else Timing(None, None, None, False, lag)
    start = _day(year, due.window_from) if due.window_from else None
    deadline = _day(year, due.deadline)
    status = None
    if lag is not None:
        assert decided_on is not None
        status = "late" if decided_on > deadline else "early" if start and decided_on < start else "on_time"
    return Timing(start, deadline, status, recorded_at[:10] > deadline, lag)
