"""The planner's change kinds, one scenario each, on hand-built calendars and states."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from loomta_sync.calendar.model import Calendar, Mode
from loomta_sync.planner.model import ChangeKind
from loomta_sync.planner.planner import make_plan
from loomta_sync.state.model import State, TargetStatus
from tests.planner.builders import (
    BRAND,
    DEV,
    LEAD,
    NOW,
    WHEN,
    kinds,
    payload,
    post,
    record,
    state_with,
)


def test_planner_create_when_not_in_state() -> None:
    calendar = Calendar(posts=(post("a", (BRAND, payload())),))
    plan = make_plan(calendar, State(), NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.CREATE, "a", BRAND)]


def test_planner_unchanged_when_identical() -> None:
    body = payload()
    calendar = Calendar(posts=(post("a", (BRAND, body)),))
    plan = make_plan(calendar, state_with({"a": {BRAND: record(body)}}), NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.UNCHANGED, "a", BRAND)]
    assert not plan.has_changes()


def test_planner_retry_after_definitive_failure() -> None:
    body = payload()
    calendar = Calendar(posts=(post("a", (BRAND, body), (DEV, body)),))
    state = state_with({"a": {BRAND: record(body), DEV: record(body, TargetStatus.FAILED)}})
    plan = make_plan(calendar, state, NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.RETRY, "a", DEV), (ChangeKind.UNCHANGED, "a", BRAND)]
    assert "invalid_request" in plan.changes[0].reason


def test_planner_reschedule_when_only_time_changed() -> None:
    created = payload()
    moved_time = payload(when=WHEN + timedelta(hours=3))
    calendar = Calendar(posts=(post("a", (BRAND, moved_time)),))
    plan = make_plan(calendar, state_with({"a": {BRAND: record(created)}}), NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.RESCHEDULE, "a", BRAND)]


def test_planner_conflict_names_changed_field() -> None:
    created = payload()
    edited = payload(content="Hello, world")
    calendar = Calendar(posts=(post("a", (BRAND, edited)),))
    plan = make_plan(calendar, state_with({"a": {BRAND: record(created)}}), NOW, LEAD)
    change = plan.changes[0]
    assert change.kind is ChangeKind.CONFLICT
    assert change.changed_fields == ("content",)
    assert "state accept a" in change.reason


def test_planner_conflict_when_published_post_moves() -> None:
    created = payload()
    later = payload(when=WHEN + timedelta(days=1))
    calendar = Calendar(posts=(post("a", (BRAND, later)),))
    state = state_with({"a": {BRAND: record(created, remote_state="PUBLISHED")}})
    plan = make_plan(calendar, state, NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.CONFLICT, "a", BRAND)]
    assert plan.changes[0].changed_fields == ("scheduledFor",)


@pytest.mark.parametrize("status", [TargetStatus.UNKNOWN, TargetStatus.IN_FLIGHT])
def test_planner_unknown_is_never_recreated(status: TargetStatus) -> None:
    body = payload()
    calendar = Calendar(posts=(post("a", (BRAND, body)),))
    plan = make_plan(calendar, state_with({"a": {BRAND: record(body, status)}}), NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.UNKNOWN, "a", BRAND)]
    assert "state resolve a" in plan.changes[0].reason


def test_planner_moved_when_key_renamed() -> None:
    body = payload()
    calendar = Calendar(posts=(post("new-name", (BRAND, body)),))
    plan = make_plan(calendar, state_with({"old-name": {BRAND: record(body)}}), NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.MOVED, "new-name", BRAND)]
    assert plan.changes[0].previous_key == "old-name"


def test_planner_rename_with_edit_is_create_and_orphan() -> None:
    calendar = Calendar(posts=(post("new-name", (BRAND, payload(content="Edited"))),))
    plan = make_plan(calendar, state_with({"old-name": {BRAND: record(payload())}}), NOW, LEAD)
    assert kinds(plan) == [
        (ChangeKind.CREATE, "new-name", BRAND),
        (ChangeKind.ORPHAN, "old-name", BRAND),
    ]


def test_planner_orphan_warns_pending_post() -> None:
    plan = make_plan(Calendar(), state_with({"gone": {BRAND: record(payload())}}), NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.ORPHAN, "gone", BRAND)]
    assert "will publish unless deleted" in plan.changes[0].reason
    assert "state forget gone" in plan.changes[0].reason


@pytest.mark.parametrize("when", [NOW - timedelta(hours=1), NOW + timedelta(minutes=4), NOW + LEAD])
def test_planner_expired_when_past_or_too_close(when: datetime) -> None:
    calendar = Calendar(posts=(post("a", (BRAND, payload(when=when))),))
    plan = make_plan(calendar, State(), NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.EXPIRED, "a", BRAND)]


def test_planner_draft_never_expires() -> None:
    calendar = Calendar(posts=(post("a", (BRAND, payload(when=None, mode=Mode.DRAFT))),))
    plan = make_plan(calendar, State(), NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.CREATE, "a", BRAND)]


def test_planner_order_is_kind_then_key() -> None:
    body = payload()
    calendar = Calendar(
        posts=(
            post("b", (BRAND, body)),
            post("a", (BRAND, body)),
            post("c", (BRAND, payload(content="edited"))),
        )
    )
    state = state_with({"a": {BRAND: record(body)}, "c": {BRAND: record(body)}})
    plan = make_plan(calendar, state, NOW, LEAD)
    assert kinds(plan) == [
        (ChangeKind.CREATE, "b", BRAND),
        (ChangeKind.CONFLICT, "c", BRAND),
        (ChangeKind.UNCHANGED, "a", BRAND),
    ]


def test_planner_is_deterministic() -> None:
    body = payload()
    calendar = Calendar(posts=(post("a", (BRAND, body), (DEV, payload(content="dev"))),))
    state = state_with({"gone": {BRAND: record(payload(content="old"))}})
    first = make_plan(calendar, state, NOW, LEAD)
    second = make_plan(calendar, state, NOW + timedelta(seconds=1), LEAD)
    assert first.checksum == second.checksum
    assert first.state.serial == 7
    assert first.state.lineage == "lineage-1"


def test_planner_rename_with_new_time_moves_and_reschedules() -> None:
    created = payload()
    later = payload(when=WHEN + timedelta(days=1))
    calendar = Calendar(posts=(post("new-name", (BRAND, later)),))
    plan = make_plan(calendar, state_with({"old-name": {BRAND: record(created)}}), NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.MOVED, "new-name", BRAND)]
    change = plan.changes[0]
    assert change.previous_key == "old-name"
    assert change.changed_fields == ("scheduledFor",)
    assert change.record is not None
    assert change.record.root_post_id == "post-1"
    assert "reschedules" in change.reason


def test_planner_rename_of_published_post_only_moves() -> None:
    created = payload()
    later = payload(when=WHEN + timedelta(days=1))
    calendar = Calendar(posts=(post("new-name", (BRAND, later)),))
    state = state_with({"old-name": {BRAND: record(created, remote_state="PUBLISHED")}})
    plan = make_plan(calendar, state, NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.MOVED, "new-name", BRAND)]
    assert plan.changes[0].changed_fields == ()
    assert "next plan" in plan.changes[0].reason


def test_planner_two_orphans_same_payload() -> None:
    body = payload()
    state = state_with({"first": {BRAND: record(body)}, "second": {BRAND: record(body)}})
    plan = make_plan(Calendar(), state, NOW, LEAD)
    assert kinds(plan) == [
        (ChangeKind.ORPHAN, "first", BRAND),
        (ChangeKind.ORPHAN, "second", BRAND),
    ]
    assert all(change.still_scheduled for change in plan.changes)


def test_planner_orphan_published_not_still_scheduled() -> None:
    state = state_with({"gone": {BRAND: record(payload(), remote_state="PUBLISHED")}})
    plan = make_plan(Calendar(), state, NOW, LEAD)
    assert plan.changes[0].still_scheduled is False
    assert "will publish" not in plan.changes[0].reason


def test_planner_created_post_moved_into_past() -> None:
    created = payload()
    past = payload(when=NOW - timedelta(hours=1))
    calendar = Calendar(posts=(post("a", (BRAND, past)),))
    plan = make_plan(calendar, state_with({"a": {BRAND: record(created)}}), NOW, LEAD)
    assert kinds(plan) == [(ChangeKind.EXPIRED, "a", BRAND)]
    assert "the post exists" in plan.changes[0].reason
    assert "never created" not in plan.changes[0].reason
