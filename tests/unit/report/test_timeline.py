"""A case's timeline rows with signer and lateness, the deadline bands, and the payload summary."""

from __future__ import annotations

from projections.report.timeline import date_span, deadline_bands, lane_of, lanes_used, summary, timeline_rows

ROW = {"stream": "case:341322-2019", "seq": 7, "version": 3, "type": "ExitApplicationSubmitted", "actor": "341322-lg",
       "decided_on": "2019-12-18", "recorded_at": "2019-12-20T08:00:00.000000Z", "lag_days": 2, "window_from": None,
       "deadline": "2019-12-15", "status": "late", "recorded_late": True, "hash": "b" * 64}


def test_the_bands_are_the_deadlines_of_the_application_year_in_date_order() -> None:
    bands = deadline_bands(2019)
    assert [(b["label"], b["from"], b["to"]) for b in bands] == [
        ("application", None, "2019-12-15"), ("city review", None, "2019-12-31"),
        ("verification & publicity", "2020-01-01", "2020-04-30"),
        ("approval & announcement", "2020-05-01", "2020-07-31")]
    assert "ExitAnnounced" in bands[-1]["steps"] and "ExitApplicationSubmitted" in bands[0]["steps"]


def test_each_row_gains_its_signer_its_lane_a_summary_and_whether_it_was_late() -> None:
    signers = {7: {"person": "萧县扶贫办甲71", "role": "county_leading_group", "key": "222a4c7dc5bc95af"}}
    [row] = timeline_rows([ROW], signers, {7: {"submitted_on": "2019-12-18", "document": "萧扶组〔2019〕59号"}})
    assert (row["person"], row["key"], row["role"]) == ("萧县扶贫办甲71", "222a4c7dc5bc95af", "county_leading_group")
    assert row["lane"] == "application & city" and row["late"] is True
    assert row["summary"] == "submitted_on: 2019-12-18, document: 萧扶组〔2019〕59号"
    assert row["seq"] == 7 and row["hash"] == "b" * 64  # the query's columns are kept


def test_a_step_recorded_after_its_deadline_is_late_even_when_dated_on_time() -> None:
    [row] = timeline_rows([{**ROW, "status": "on_time", "recorded_late": True}], {}, {})
    assert row["late"] is True and row["person"] is None
    [row] = timeline_rows([{**ROW, "status": "on_time", "recorded_late": False}], {}, {})
    assert row["late"] is False


def test_the_summary_cuts_hashes_names_a_checkpoint_and_stays_short() -> None:
    text = summary({"figures": "c" * 64, "checkpoint": "exitledger/…\n— sig\n", "findings": ["甲", "乙"],
                    "passed": True})
    assert text == f"figures: {'c' * 12}…, checkpoint: (signed note), findings: 甲; 乙, passed: true"
    assert len(summary({"description": "长" * 500})) == 140


def test_lanes_follow_the_process_and_unknown_types_go_last() -> None:
    assert lane_of("VillageFiguresReported") == "figures" and lane_of("Mystery") == "other"
    rows = [{"lane": "approval"}, {"lane": "other"}, {"lane": "case"}]
    assert lanes_used(rows) == ["case", "approval", "other"]


def test_the_span_reaches_the_close_of_the_window_the_case_is_in() -> None:
    rows = [{"decided_on": "2019-08-08", "recorded_at": "2019-08-08T08:00:00.000000Z"},
            {"decided_on": "2020-01-14", "recorded_at": "2020-01-15T08:00:00.000000Z"}]
    assert date_span(rows, deadline_bands(2019)) == ("2019-08-08", "2020-04-30")
    assert date_span(rows[:1], deadline_bands(2019)) == ("2019-08-08", "2019-08-08")
    assert date_span([], []) is None
