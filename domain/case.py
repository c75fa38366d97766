"""A county's exit case, stream ``case:<county code>-<year>`` (DOMAIN.md "The stages").

The aggregate only remembers what the next decision needs: which steps happened, what the
latest verification decided, and which figures were reported by which source at which
version. :meth:`Case.when` is a pure function of the event; the checks and derivations live in
:mod:`domain.process` and run before an event exists.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from domain.base import CaseRef, Stream, event_type


class Figures(NamedTuple):
    """One FiguresReported, as later events cite it."""

    version: int
    as_of: str
    poverty_incidence: str


class Case(Stream):
    """State of one county's exit case."""

    class Event(Stream.Event):
        pass

    @event_type("CaseOpened")
    class CaseOpened(Event, Stream.Created):
        pass

    @event_type("FiguresReported")
    class FiguresReported(Event):
        pass

    @event_type("VillageFiguresReported")
    class VillageFiguresReported(Event):
        pass

    @event_type("RectificationOpened")
    class RectificationOpened(Event):
        pass

    @event_type("RectificationCompleted")
    class RectificationCompleted(Event):
        pass

    @event_type("ExitApplicationApproved")
    class ExitApplicationApproved(Event):
        pass

    @event_type("ExitApplicationSubmitted")
    class ExitApplicationSubmitted(Event):
        pass

    @event_type("CityReviewCompleted")
    class CityReviewCompleted(Event):
        pass

    @event_type("CityReportApproved")
    class CityReportApproved(Event):
        pass

    @event_type("CityReportSubmitted")
    class CityReportSubmitted(Event):
        pass

    @event_type("ProvincialVerificationCompleted")
    class ProvincialVerificationCompleted(Event):
        pass

    @event_type("DepartmentInspectionCompleted")
    class DepartmentInspectionCompleted(Event):
        pass

    @event_type("ThirdPartyEvaluationCompleted")
    class ThirdPartyEvaluationCompleted(Event):
        pass

    @event_type("SpecialRectificationReported")
    class SpecialRectificationReported(Event):
        pass

    @event_type("ExitReportFormed")
    class ExitReportFormed(Event):
        pass

    @event_type("PublicityOpened")
    class PublicityOpened(Event):
        pass

    @event_type("ObjectionReceived")
    class ObjectionReceived(Event):
        pass

    @event_type("PublicityClosed")
    class PublicityClosed(Event):
        pass

    @event_type("AuditOpinionSubmitted")
    class AuditOpinionSubmitted(Event):
        pass

    @event_type("NationalSpotCheckCompleted")
    class NationalSpotCheckCompleted(Event):
        pass

    @event_type("ExitApproved")
    class ExitApproved(Event):
        pass

    @event_type("ExitAnnounced")
    class ExitAnnounced(Event):
        pass

    @event_type("FollowUpPlanFiled")
    class FollowUpPlanFiled(Event):
        pass

    def __init__(self) -> None:
        super().__init__()
        self.stream = ""
        self.county_code = ""
        self.county_name = ""
        self.city_code = ""
        self.city_name = ""
        self.tier = ""
        self.year = 0
        self.ended = False
        self.outcome: str | None = None  # None, "rejected" or "announced"
        self.last_decision: str | None = None
        self.figures: dict[str, list[Figures]] = {}  # source → its reports, oldest first
        self.figures_as_of: dict[tuple[str, str], Figures] = {}  # (source, as_of) → its latest report
        self.application_submitted = False
        self.city_opinion: str | None = None  # the latest CityReviewCompleted's opinion
        self.city_report_submitted = False
        self.inspected = False  # since the latest verification
        self.evaluated = False  # since the latest verification
        self.special_rectification_required = False  # by the latest evaluation
        self.special_rectification_reported = False
        self.report_meets_standard: bool | None = None  # the latest ExitReportFormed
        self.publicity_closed = False
        self.audit_submitted = False
        self.spot_checked = False
        self.exit_approved = False

    def as_case_ref(self) -> CaseRef:
        return CaseRef(stream=self.stream, county_code=self.county_code, city_code=self.city_code)

    def latest_figures(self, source: str) -> Figures | None:
        reports = self.figures.get(source)
        return reports[-1] if reports else None

    def when(self, event: Stream.Event) -> None:
        handler = getattr(self, f"_on_{event.TYPE}", None)
        if handler is not None:
            handler(event.payload, event.originator_version)

    def _on_CaseOpened(self, p: dict[str, Any], version: int) -> None:
        self.county_code = str(p.get("county_code", ""))
        self.county_name = str(p.get("county_name", ""))
        self.city_code = str(p.get("city_code", ""))
        self.city_name = str(p.get("city_name", ""))
        self.tier = str(p.get("tier", ""))
        year = p.get("year")
        self.year = year if isinstance(year, int) else 0
        self.stream = f"case:{self.county_code}-{self.year:04d}"

    def _on_FiguresReported(self, p: dict[str, Any], version: int) -> None:
        report = Figures(version, str(p.get("as_of", "")), str(p.get("poverty_incidence", "")))
        source = str(p.get("source", ""))
        self.figures.setdefault(source, []).append(report)
        self.figures_as_of[(source, report.as_of)] = report

    def _on_ExitApplicationSubmitted(self, p: dict[str, Any], version: int) -> None:
        self.application_submitted = True

    def _on_CityReviewCompleted(self, p: dict[str, Any], version: int) -> None:
        self.city_opinion = p.get("opinion")

    def _on_CityReportSubmitted(self, p: dict[str, Any], version: int) -> None:
        self.city_report_submitted = True

    def _on_ProvincialVerificationCompleted(self, p: dict[str, Any], version: int) -> None:
        self.last_decision = p.get("decision")
        self.inspected = self.evaluated = False
        if self.last_decision == "reject":
            self.ended, self.outcome = True, "rejected"

    def _on_DepartmentInspectionCompleted(self, p: dict[str, Any], version: int) -> None:
        self.inspected = True

    def _on_ThirdPartyEvaluationCompleted(self, p: dict[str, Any], version: int) -> None:
        self.evaluated = True
        self.special_rectification_required = p.get("special_rectification") is True
        self.special_rectification_reported = False

    def _on_SpecialRectificationReported(self, p: dict[str, Any], version: int) -> None:
        self.special_rectification_reported = True

    def _on_ExitReportFormed(self, p: dict[str, Any], version: int) -> None:
        self.report_meets_standard = p.get("meets_standard") is True

    def _on_PublicityClosed(self, p: dict[str, Any], version: int) -> None:
        self.publicity_closed = True

    def _on_AuditOpinionSubmitted(self, p: dict[str, Any], version: int) -> None:
        self.audit_submitted = True

    def _on_NationalSpotCheckCompleted(self, p: dict[str, Any], version: int) -> None:
        self.spot_checked = True

    def _on_ExitApproved(self, p: dict[str, Any], version: int) -> None:
        self.exit_approved = True

    def _on_ExitAnnounced(self, p: dict[str, Any], version: int) -> None:
        self.ended, self.outcome = True, "announced"
