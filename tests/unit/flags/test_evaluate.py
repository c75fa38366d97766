"""evaluate(), the rule registry, the Flag shape of SPEC §5, the facts' accessors, and purity."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import projections.flags as flags_package
from projections.flags import RULES, CaseFacts, Flag, Policy, Ref, evaluate
from tests.unit.flags.make import Seqs, case, clean_steps, edit, without

ISSUE_RULES = ["figure-mismatch", "arithmetic", "threshold-hugging", "threshold-bunching", "sudden-drop",
               "denominator-drift", "late-revision", "unevidenced-revision", "one-way-revisions", "same-person",
               "deadline", "date-order", "missing-step", "threshold-overridden", "perfect-survey", "last-digit",
               "benford", "duplicate-village-records"]


def test_the_rule_ids_are_exactly_the_issues() -> None:
    assert list(RULES) == ISSUE_RULES


def messy() -> list[CaseFacts]:
    seq = Seqs()
    a = edit(clean_steps("341122"), "FiguresReported", 0, poor_population=9_360, poverty_incidence="1.95")
    a = edit(a, "FiguresReported", 1, poor_population=12_000, poverty_incidence="2.50")
    b = edit(without(clean_steps("341123"), "ExitApplicationApproved"), "ThirdPartyEvaluationCompleted",
             mass_recognition="100", wrongful_exit_rate="2.5")
    return [seq.build(a), seq.build(b)]


def test_flags_are_sorted_by_severity_then_stream_then_first_evidence() -> None:
    found = evaluate(messy(), Policy())
    keys = [(["critical", "high", "watch"].index(f.severity), f.stream, f.evidence[0].seq) for f in found]
    assert keys == sorted(keys)
    assert {f.severity for f in found} == {"critical", "high", "watch"}
    assert {f.rule for f in found} >= {"figure-mismatch", "threshold-overridden", "missing-step", "perfect-survey",
                                       "threshold-hugging"}


def test_selected_rules_only() -> None:
    assert {f.rule for f in evaluate(messy(), rules=["perfect-survey"])} == {"perfect-survey"}
    with pytest.raises(ValueError, match="'no-such-rule'"):
        evaluate(messy(), rules=["no-such-rule"])


def test_a_flag_prints_as_spec_section_5() -> None:
    f = Flag("arithmetic", "case:341122-2019", "high", "m", (Ref(9, "b" * 64), Ref(3, "a" * 64), Ref(9, "b" * 64)))
    assert f.as_dict() == {"rule": "arithmetic", "stream": "case:341122-2019", "severity": "high", "message": "m",
                           "evidence": [{"seq": 3, "hash": "a" * 64}, {"seq": 9, "hash": "b" * 64}]}
    with pytest.raises(ValueError):
        Flag("arithmetic", "s", "medium", "m", ())


def test_every_evidence_ref_is_an_event_of_the_case() -> None:
    cases = messy()
    known = {e.ref for c in cases for e in c.events}
    for f in evaluate(cases):
        assert f.evidence and set(f.evidence) <= known, f


def test_every_rule_is_quiet_on_an_empty_province_and_a_case_just_opened() -> None:
    opened = case(clean_steps()[:1])
    assert evaluate([]) == [] and evaluate([opened]) == []


def test_malformed_figures_are_left_out_rather_than_raising() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, poverty_incidence="n/a")
    c = case(steps)
    assert len(c.figures()) == 1
    evaluate([c])


def test_case_facts_accessors() -> None:
    c = case()
    application = c.first("ExitApplicationSubmitted")
    assert application is not None
    assert c.application_figures() == c.figures("county_self_report")[0]
    assert c.latest("national_information_system") == c.figures()[1]
    assert c.latest_before(application, "FiguresReported") == c.figures()[0].event
    assert c.first_after(application, "FiguresReported") == c.figures()[1].event
    assert c.by_hash(application.hash) == application
    assert c.label == "示例县 (case:341122-2019)"
    assert [e.seq for e in c.events] == sorted(e.seq for e in c.events)


def test_the_package_imports_only_the_standard_library_and_itself() -> None:
    root = Path(flags_package.__file__).parent
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] in sys.stdlib_module_names or name.startswith("projections.flags"), (
                    f"{path.name} imports {name}")
