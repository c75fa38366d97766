"""perfect-survey: exactly 100 % recognition on a large sample."""

from __future__ import annotations

import pytest

from tests.unit.flags.make import case, clean_steps, edit, run


@pytest.mark.parametrize(("recognition", "sample", "flagged"), [
    ("100", 200, True), ("100.0", 1500, True), ("100", 199, False), ("99.9", 1500, False),
])
def test_perfect_recognition_on_two_hundred_households_or_more_is_a_watch(recognition: str, sample: int,
                                                                           flagged: bool) -> None:
    steps = edit(clean_steps(), "ThirdPartyEvaluationCompleted", mass_recognition=recognition,
                 sample_households=sample)
    flags = run("perfect-survey", case(steps))
    assert [f.severity for f in flags] == (["watch"] if flagged else [])
