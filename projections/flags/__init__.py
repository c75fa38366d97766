"""Red flags of numbers-only exit (数字脱贫), each citing the signed events it rests on (issue 5).

The rules are pure functions over plain facts (:mod:`projections.flags.facts`): a per-case rule
is ``(CaseFacts, Policy) -> list[Flag]``, a province-wide one ``(list[CaseFacts], Policy) ->
list[Flag]``. :func:`evaluate` runs them; :class:`Policy` holds the thresholds
(:mod:`projections.flags.policy` lists the keys and defaults); :func:`load_policy` reads a TOML
or JSON policy file. Statistics in :mod:`projections.flags.stats`, in plain Python.

Severities (critical: an exit standard or threshold is passed on paper only; high: evidence of
falsification or of a broken procedure that an inspector should follow up; watch: a pattern
worth a look, common enough in honest data not to accuse anyone):

| rule | module | severity |
| --- | --- | --- |
| figure-mismatch | mismatch | high; critical when the county passes a threshold the verified figure fails |
| arithmetic | arithmetic | high; critical when the stated incidence passes and the computed one fails |
| threshold-hugging | hugging | watch |
| threshold-bunching | bunching | high (stream ``province:<year>``) |
| sudden-drop | drop | high for > 50 % within 90 days; watch for a modified z-score outlier only |
| denominator-drift | drift | high when the rural population grew (incidence falls), watch when it shrank |
| late-revision | revisions | high for an improving revision after the application with no rectification in between; watch otherwise, for later village figures and for last-minute reports |
| unevidenced-revision | revisions | high |
| one-way-revisions | oneway | high (per case, and ``province:<year>``) |
| same-person | people | high |
| deadline | timing | watch; high for publicity closed before its ``closes_on`` |
| date-order | timing | high |
| missing-step | steps | high |
| threshold-overridden | steps | critical |
| perfect-survey | survey | watch |
| last-digit | digits | high at p < 0.001, watch at p < 0.01 |
| benford | digits | high for nonconformity that is also significant (p < 0.001); watch for marginal, or nonconformity at a sample too small to tell |
| duplicate-village-records | villages | high |
"""

from __future__ import annotations

from projections.flags.facts import CaseFacts, Event, Ref, Report, Village
from projections.flags.flag import SEVERITIES, Flag
from projections.flags.policy import Policy, load_policy
from projections.flags.registry import RULES, Rule, evaluate

__all__ = ["RULES", "SEVERITIES", "CaseFacts", "Event", "Flag", "Policy", "Ref", "Report", "Rule", "Village",
           "evaluate", "load_policy"]
