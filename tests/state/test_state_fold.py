"""fold: each journal event's effect on the state, and the events it rejects."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from loomta_sync.errors import StateError
from loomta_sync.state import journal
from loomta_sync.state.fold import fold, interrupt_in_flight
from loomta_sync.state.model import State, TargetStatus
from tests.state.state_builders import (
    BRAND,
    DEV,
    SHA,
    WHEN,
    at,
    created,
    failed,
    in_flight,
    media_record,
)


def created_state(key: str = "post-a", *platforms: str) -> State:
    platforms = platforms or (BRAND,)
    events = [in_flight(key, *platforms)] + [created(key, platform) for platform in platforms]
    return fold(State(), events)


def unknown_state(key: str = "post-a") -> State:
    return fold(
        State(), [in_flight(key), journal.outcome_unknown(key, BRAND, "timeout", "no reply")]
    )


def test_fold_leaves_input_unchanged() -> None:
    state = State()
    before = state.model_dump()

    result = fold(state, [in_flight("post-a"), created("post-a")])

    assert state.model_dump() == before
    assert result.target("post-a", BRAND) is not None


def test_fold_in_flight_records_request() -> None:
    state = fold(State(), [in_flight("post-a", BRAND, DEV, step=3)])

    for platform in (BRAND, DEV):
        target = state.target("post-a", platform)
        assert target is not None
        assert target.status is TargetStatus.IN_FLIGHT
        assert target.attempts == 1
        assert target.idempotency_key == "lsync-post-a-3"
        assert target.scheduled_for == WHEN
        assert target.first_attempt_at == at(3)
        assert target.field_digests == {"content": "c" * 64}
    assert state.posts["post-a"].source == "calendar/post-a.yaml"


def test_fold_created_stores_ids() -> None:
    target = created_state().target("post-a", BRAND)

    assert target is not None
    assert target.status is TargetStatus.CREATED
    assert target.root_post_id == "root-post-a"
    assert target.child_post_ids == ["child-post-a"]
    assert target.remote_state == "QUEUE"
    assert target.updated_at == at(1)


def test_fold_failed_then_retry() -> None:
    state = fold(State(), [in_flight("post-a"), failed("post-a")])
    target = state.target("post-a", BRAND)
    assert target is not None
    assert target.status is TargetStatus.FAILED
    assert target.error_code == "invalid_request"

    retried = fold(state, [in_flight("post-a", step=9)]).target("post-a", BRAND)

    assert retried is not None
    assert retried.status is TargetStatus.IN_FLIGHT
    assert retried.attempts == 2
    assert retried.first_attempt_at == at(0)
    assert retried.error_code is None


def test_fold_outcome_unknown() -> None:
    target = unknown_state().target("post-a", BRAND)

    assert target is not None
    assert target.status is TargetStatus.UNKNOWN
    assert target.error_code == "timeout"


def test_fold_rescheduled_and_refreshed() -> None:
    later = WHEN.replace(hour=11)
    state = fold(
        created_state(),
        [
            journal.rescheduled("post-a", BRAND, later, "QUEUE", at=at(5)),
            journal.remote_refreshed("post-a", BRAND, "PUBLISHED", "https://t.example/1", at=at(6)),
        ],
    )

    target = state.target("post-a", BRAND)
    assert target is not None
    assert target.scheduled_for == later
    assert target.remote_state == "PUBLISHED"
    assert target.release_url == "https://t.example/1"
    assert target.updated_at == at(6)


def test_fold_accepted_replaces_digests() -> None:
    state = fold(
        created_state(), [journal.accepted("post-a", BRAND, "e" * 64, {"content": "f" * 64})]
    )

    target = state.target("post-a", BRAND)
    assert target is not None
    assert target.body_digest == "e" * 64
    assert target.field_digests == {"content": "f" * 64}


def test_fold_moved_rekeys_target() -> None:
    state = fold(
        created_state("old", BRAND, DEV),
        [journal.moved("old", "new", BRAND, source="calendar/new.yaml")],
    )

    assert state.target("old", BRAND) is None
    assert state.target("old", DEV) is not None
    moved = state.target("new", BRAND)
    assert moved is not None
    assert moved.root_post_id == "root-old"
    assert state.posts["new"].source == "calendar/new.yaml"

    both = fold(state, [journal.moved("old", "new", DEV)])
    assert "old" not in both.posts
    assert set(both.posts["new"].targets) == {BRAND, DEV}


def test_fold_forgotten_removes() -> None:
    state = created_state("post-a", BRAND, DEV)

    one = fold(state, [journal.forgotten("post-a", DEV)])
    every = fold(state, [journal.forgotten("post-a", None)])

    assert set(one.posts["post-a"].targets) == {BRAND}
    assert "post-a" not in every.posts


def test_fold_resolved_created() -> None:
    event = journal.resolved_created("post-a", BRAND, "root-9", [], "QUEUE", None)

    target = fold(unknown_state(), [event]).target("post-a", BRAND)

    assert target is not None
    assert target.status is TargetStatus.CREATED
    assert target.root_post_id == "root-9"
    assert target.error_code is None


def test_fold_resolved_not_created_allows_create() -> None:
    state = fold(unknown_state(), [journal.resolved_not_created("post-a", BRAND)])

    assert "post-a" not in state.posts
    assert fold(state, [in_flight("post-a")]).target("post-a", BRAND) is not None


def test_fold_media_uploaded() -> None:
    state = fold(State(), [journal.media_uploaded(SHA, media_record(4))])

    assert state.media[SHA].media_id == "media-4"


def test_interrupt_marks_only_in_flight() -> None:
    state = fold(created_state("post-a"), [in_flight("post-b", step=4)])

    result = interrupt_in_flight(state)

    interrupted = result.target("post-b", BRAND)
    assert interrupted is not None
    assert interrupted.status is TargetStatus.UNKNOWN
    assert interrupted.error_code == "interrupted"
    assert "loomta-sync state resolve" in (interrupted.error_message or "")
    assert interrupted.updated_at == at(4)
    assert result.target("post-a", BRAND) == state.target("post-a", BRAND)
    assert state.posts["post-b"].targets[BRAND].status is TargetStatus.IN_FLIGHT


@pytest.mark.parametrize(
    ("state_name", "event", "message"),
    [
        ("empty", created("post-a"), "not in the state, expected in_flight"),
        ("created", in_flight("post-a"), "is created, expected failed"),
        ("unknown", in_flight("post-a"), "is unknown, expected failed"),
        ("in_flight", in_flight("post-a"), "is in_flight, expected failed"),
        ("created", created("post-a"), "is created, expected in_flight"),
        ("created", failed("post-a"), "is created, expected in_flight"),
        ("unknown", journal.rescheduled("post-a", BRAND, WHEN, None), "expected created"),
        ("created", journal.resolved_not_created("post-a", BRAND), "expected unknown"),
        ("in_flight", journal.moved("post-a", "post-b", BRAND), "is in_flight"),
        ("created", journal.moved("post-a", "post-a", BRAND), "same key twice"),
        ("empty", journal.forgotten("post-a", None), "the key is not in the state"),
        ("empty", journal.forgotten("post-a", BRAND), "not in the state"),
    ],
)
def test_fold_rejects_event_that_does_not_fit(
    state_name: str, event: journal.Event, message: str
) -> None:
    states = {
        "empty": State(),
        "created": created_state(),
        "unknown": unknown_state(),
        "in_flight": fold(State(), [in_flight("post-a")]),
    }

    with pytest.raises(StateError, match=message):
        fold(states[state_name], [event])


def test_fold_rejects_move_onto_existing_target() -> None:
    state = fold(created_state("post-a"), [in_flight("post-b"), created("post-b")])

    with pytest.raises(StateError, match="the new key already has a created target"):
        fold(state, [journal.moved("post-a", "post-b", BRAND)])


def test_fold_rejects_repeated_platform() -> None:
    with pytest.raises(StateError, match="lists a platform id twice"):
        fold(State(), [in_flight("post-a", BRAND, BRAND)])


def test_events_store_times_in_utc() -> None:
    berlin = timezone(timedelta(hours=1))
    event = journal.failed("post-a", BRAND, "x", "y", at=datetime(2030, 3, 1, 13, 0, tzinfo=berlin))

    assert event.at.utcoffset() == timedelta(0)
    assert event.at.hour == 12
    with pytest.raises(ValueError, match="timezone"):
        journal.failed("post-a", BRAND, "x", "y", at=datetime(2030, 3, 1, 13, 0))
