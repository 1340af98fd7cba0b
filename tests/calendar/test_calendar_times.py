"""Schedule times: zones, daylight saving gaps and folds, and the minimum lead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from loomta_sync.calendar.report import InputError
from loomta_sync.calendar.times import check_lead_time, load_zone, parse_schedule_time
from tests.calendar.calendar_scenarios import (
    NOW,
    SCENARIOS,
    copy_scenario,
    load_scenario,
    problem_lines,
)


def test_times_scenario_problems() -> None:
    # The scenario's loomta.yaml sets timezone Europe/Berlin and min_lead_minutes 30.
    assert problem_lines(SCENARIOS / "times") == [
        (
            "calendar/bad-date.yaml:5:15: bad-date: invalid time '2030-02-30T09:00': day is out "
            "of range for month; write it as 2030-03-29T09:00 or 2030-03-29T09:00+02:00"
        ),
        (
            "calendar/bad-format.yaml:5:15: bad-format: invalid time 'next monday at nine'; "
            "write it as 2030-03-29T09:00 or 2030-03-29T09:00+02:00"
        ),
        (
            "calendar/bad-zone.yaml:5:11: bad-zone: unknown time zone 'Europe/Berln'; did you "
            "mean 'Europe/Berlin'?"
        ),
        (
            "calendar/berlin-fold.yaml:5:15: berlin-fold: 2030-10-27T02:30 occurs twice in "
            "Europe/Berlin because the clocks fall back from +02:00 to +01:00, so it could mean "
            "2030-10-27T02:30+02:00 (2030-10-27T00:30Z) or 2030-10-27T02:30+01:00 "
            "(2030-10-27T01:30Z); write the one you mean with its offset"
        ),
        (
            "calendar/berlin-gap.yaml:5:15: berlin-gap: 2030-03-31T02:30 does not exist in "
            "Europe/Berlin because the clocks skip ahead from +01:00 to +02:00, so it could "
            "mean 2030-03-31T02:30+01:00 (2030-03-31T01:30Z) or 2030-03-31T02:30+02:00 "
            "(2030-03-31T00:30Z); write the one you mean with its offset"
        ),
        (
            "calendar/created-in-past.yaml:5:15: created-in-past: scheduledFor 2029-06-01T09:00 "
            "(2029-06-01T07:00Z) is in the past (now is 2030-01-01T00:00Z); pick a later time"
        ),
        (
            "calendar/date-only.yaml:5:15: date-only: scheduledFor 2030-03-29 has no time of "
            "day; write it as 2030-03-29T09:00"
        ),
        (
            "calendar/draft-with-time.yaml:6:15: draft-with-time: scheduledFor is set, but mode "
            "is draft; remove scheduledFor, or set `mode: schedule`"
        ),
        (
            "calendar/new-york-gap.yaml:6:15: new-york-gap: 2030-03-10T02:30 does not exist in "
            "America/New_York because the clocks skip ahead from -05:00 to -04:00, so it could "
            "mean 2030-03-10T02:30-05:00 (2030-03-10T07:30Z) or 2030-03-10T02:30-04:00 "
            "(2030-03-10T06:30Z); write the one you mean with its offset"
        ),
        (
            "calendar/now-with-time.yaml:6:15: now-with-time: scheduledFor is set, but mode is "
            "now; remove scheduledFor, or set `mode: schedule`"
        ),
        (
            "calendar/past.yaml:5:15: past: scheduledFor 2029-12-31T23:00Z is in the past (now "
            "is 2030-01-01T00:00Z); pick a later time"
        ),
        (
            "calendar/schedule-without-time.yaml:1:1: schedule-without-time: missing "
            "scheduledFor, which mode schedule needs; add `scheduledFor: 2030-03-29T09:00`, or "
            "set `mode: draft`"
        ),
        (
            "calendar/too-close.yaml:5:15: too-close: scheduledFor 2030-01-01T01:10+01:00 "
            "(2030-01-01T00:10Z) is 10 minutes from now, less than min_lead_minutes (30); pick "
            "a time at least 30 minutes from now"
        ),
    ]


def test_local_time_without_zone_rejected() -> None:
    assert problem_lines(SCENARIOS / "times_no_zone") == [
        (
            "calendar/local.yaml:5:15: local: scheduledFor 2030-03-29T09:00 is a local time, "
            "but no time zone is set; add `timezone: Europe/Berlin` (any IANA zone) to the post "
            "or to loomta.yaml, or write an offset: 2030-03-29T09:00+02:00"
        ),
    ]


@pytest.mark.parametrize(
    ("written", "zone", "expected"),
    [
        ("2030-03-29T09:00", "Europe/Berlin", datetime(2030, 3, 29, 8, 0, tzinfo=UTC)),
        ("2030-07-01T09:00", "Europe/Berlin", datetime(2030, 7, 1, 7, 0, tzinfo=UTC)),
        ("2030-03-29 09:00", "America/New_York", datetime(2030, 3, 29, 13, 0, tzinfo=UTC)),
        ("2030-03-29T09:00:30.25", "UTC", datetime(2030, 3, 29, 9, 0, 30, 250000, tzinfo=UTC)),
        ("2030-03-29T09:00Z", None, datetime(2030, 3, 29, 9, 0, tzinfo=UTC)),
        ("2030-03-29T09:00+05:30", "Europe/Berlin", datetime(2030, 3, 29, 3, 30, tzinfo=UTC)),
        ("2030-03-29T09:00 -5", None, datetime(2030, 3, 29, 14, 0, tzinfo=UTC)),
        ("2030-03-29t09:00-0130", None, datetime(2030, 3, 29, 10, 30, tzinfo=UTC)),
        ("2030-10-27T01:59", "Europe/Berlin", datetime(2030, 10, 26, 23, 59, tzinfo=UTC)),
        ("2030-10-27T03:00", "Europe/Berlin", datetime(2030, 10, 27, 2, 0, tzinfo=UTC)),
    ],
)
def test_parse_schedule_time_instants(written: str, zone: str | None, expected: datetime) -> None:
    assert parse_schedule_time(written, zone) == expected


def test_new_york_fold_shows_both_instants() -> None:
    with pytest.raises(InputError) as caught:
        parse_schedule_time("2030-11-03T01:30", "America/New_York")

    assert caught.value.message == (
        "2030-11-03T01:30 occurs twice in America/New_York because the clocks fall back from "
        "-04:00 to -05:00, so it could mean 2030-11-03T01:30-04:00 (2030-11-03T05:30Z) or "
        "2030-11-03T01:30-05:00 (2030-11-03T06:30Z)"
    )
    assert caught.value.hint == "write the one you mean with its offset"


def test_gap_resolved_by_written_offset() -> None:
    # The two candidates offered for the Berlin gap are both accepted when written out.
    assert parse_schedule_time("2030-03-31T02:30+01:00", "Europe/Berlin") == datetime(
        2030, 3, 31, 1, 30, tzinfo=UTC
    )
    assert parse_schedule_time("2030-03-31T02:30+02:00", "Europe/Berlin") == datetime(
        2030, 3, 31, 0, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/localtime", "Europe", "", "utc "])
def test_load_zone_rejects_non_zones(name: str) -> None:
    with pytest.raises(InputError) as caught:
        load_zone(name)

    assert caught.value.message == f"unknown time zone '{name}'"


def test_lead_time_boundary_is_rejected() -> None:
    # Exactly now + lead is too close, as in the planner's expiry rule.
    with pytest.raises(InputError) as caught:
        check_lead_time(NOW + timedelta(minutes=5), NOW, 5, "2030-01-01T00:05Z")

    assert caught.value.message == (
        "scheduledFor 2030-01-01T00:05Z is 5 minutes from now, less than min_lead_minutes (5)"
    )


def test_lead_time_after_boundary_accepted() -> None:
    check_lead_time(NOW + timedelta(minutes=5, seconds=1), NOW, 5, "2030-01-01T00:05:01Z")


def test_times_valid_posts_resolve(tmp_path: Path) -> None:
    project = copy_scenario(SCENARIOS / "times_no_zone", tmp_path)
    (project / "calendar" / "local.yaml").unlink()

    posts = load_scenario(project).calendar.posts

    assert {post.key: post.scheduled_for for post in posts} == {
        "offset": datetime(2030, 3, 29, 7, 0, tzinfo=UTC),
        "own-zone": datetime(2030, 3, 29, 3, 30, tzinfo=UTC),
    }
