"""Where a case stands: the stages of DOMAIN.md "The stages", as a pure function of the events.

A case's stage is the stage set by its **latest** event that sets one (below); events that set
none (figures of other sources, village figures, rectification items, objections, special
rectification reports, follow-up plans) leave it as it was. Steps recorded out of order are
therefore shown as recorded — the red flags point them out; the ledger records what officials
did, including what they did wrong.

| event | stage |
| --- | --- |
| CaseOpened | opened |
| ExitApplicationSubmitted | applied |
| CityReviewCompleted (pass or fail) | city_reviewed |
| CityReportSubmitted | submitted_to_province |
| FiguresReported, source national_information_system, while submitted_to_province or rectification | under_verification |
| ProvincialVerificationCompleted: decision rectify or supplement / proceed / reject | rectification / evaluation / rejected |
| DepartmentInspectionCompleted, ThirdPartyEvaluationCompleted | evaluation |
| ExitReportFormed | reported |
| PublicityOpened, PublicityClosed | publicity |
| AuditOpinionSubmitted | awaiting_approval (provincial-level); spot_check (national-level: the spot check is pending) |
| NationalSpotCheckCompleted | spot_check |
| ExitApproved | approved |
| ExitAnnounced | announced |

``rejected`` and ``announced`` are terminal (the domain refuses anything after them but a
follow-up plan). ``outcome`` is ``None`` until then, ``"rejected"`` or ``"announced"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

STAGES: tuple[str, ...] = (
    "opened", "applied", "city_reviewed", "submitted_to_province", "under_verification", "rectification",
    "evaluation", "reported", "publicity", "awaiting_approval", "spot_check", "approved", "announced",
)
"""The stages in process order."""

REJECTED = "rejected"
ALL_STAGES: tuple[str, ...] = (*STAGES, REJECTED)
TERMINAL: frozenset[str] = frozenset({REJECTED, "announced"})

_FIXED: dict[str, str] = {
    "CaseOpened": "opened",
    "ExitApplicationSubmitted": "applied",
    "CityReviewCompleted": "city_reviewed",
    "CityReportSubmitted": "submitted_to_province",
    "DepartmentInspectionCompleted": "evaluation",
    "ThirdPartyEvaluationCompleted": "evaluation",
    "ExitReportFormed": "reported",
    "PublicityOpened": "publicity",
    "PublicityClosed": "publicity",
    "NationalSpotCheckCompleted": "spot_check",
    "ExitApproved": "approved",
    "ExitAnnounced": "announced",
}
_DECISIONS: dict[str, str] = {
    "rectify": "rectification", "supplement": "rectification", "proceed": "evaluation", "reject": REJECTED,
}
_VERIFYING_FROM = frozenset({"submitted_to_province", "rectification"})

STAGE_SETTING_TYPES: frozenset[str] = frozenset(
    {*_FIXED, "FiguresReported", "ProvincialVerificationCompleted", "AuditOpinionSubmitted"})
"""Record types that may set the stage (others never do)."""


def next_stage(current: str | None, type: str, payload: Mapping[str, Any], tier: str) -> str | None:
    """The stage after an event of ``type`` on a case at ``current`` (``None`` before CaseOpened).

    Never raises, whatever the payload holds (an odd payload sets no stage).
    """
    if current in TERMINAL:
        return current
    fixed = _FIXED.get(type)
    if fixed is not None:
        return fixed
    if type == "ProvincialVerificationCompleted":
        return _DECISIONS.get(str(payload.get("decision")), current)
    if type == "AuditOpinionSubmitted":
        return "spot_check" if tier == "national" else "awaiting_approval"
    if (type == "FiguresReported" and payload.get("source") == "national_information_system"
            and current in _VERIFYING_FROM):
        return "under_verification"
    return current


def outcome_of(stage: str | None) -> str | None:
    """``"rejected"`` or ``"announced"`` for a terminal stage, else None."""
    return stage if stage in TERMINAL else None
