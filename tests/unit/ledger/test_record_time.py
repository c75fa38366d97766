"""Record times (SPEC §1): UTC with microseconds and ``Z``, whatever zone the clock reads in."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from ledger.record import format_time, parse_time

zones = st.sampled_from([timezone.utc, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))])
moments = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=zones)


@given(moments)
def test_writes_what_isoformat_writes_of_the_moment_in_utc(moment: datetime) -> None:
    expected = moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"

    assert format_time(moment) == expected
    assert parse_time(format_time(moment)) == moment


def test_reads_a_naive_moment_as_local_time_as_astimezone_does() -> None:
    naive = datetime(2019, 12, 10, 8, 0, 0, 5)

    assert format_time(naive) == format_time(naive.astimezone(timezone.utc))


def test_keeps_microseconds_and_four_digit_years() -> None:
    assert format_time(datetime(7, 1, 2, 3, 4, 5, 60, tzinfo=timezone.utc)) == "0007-01-02T03:04:05.000060Z"
