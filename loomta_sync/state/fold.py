"""Folding journal events into a State, without I/O.

`fold` is pure. `apply_event` changes a State in place, for the session that owns it. An event
that does not fit the state (a `created` for a target that is not in flight, a second create
for a created target) raises StateError before anything changes. Such an event is a bug in the
caller or a hand-edited journal, and applying it could lose the ids of a published post.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from loomta_sync.errors import StateError
from loomta_sync.state.events import (
    Accepted,
    Created,
    Event,
    Failed,
    Forgotten,
    InFlight,
    MediaUploaded,
    Moved,
    OutcomeUnknown,
    RemoteRefreshed,
    Rescheduled,
    ResolvedCreated,
    ResolvedNotCreated,
)
from loomta_sync.state.model import PostRecord, State, TargetRecord, TargetStatus

INTERRUPTED_CODE = "interrupted"
INTERRUPTED_MESSAGE = (
    "the process stopped after the request was recorded as in flight and before its response "
    "was recorded; check the post in Loomta, then run `loomta-sync state resolve`"
)

_IN_FLIGHT = frozenset({TargetStatus.IN_FLIGHT})
_CREATED = frozenset({TargetStatus.CREATED})
_UNKNOWN = frozenset({TargetStatus.UNKNOWN})
_RETRYABLE = frozenset({TargetStatus.FAILED})
# Every status except in flight: a target with a request in flight must keep its key.
_SETTLED = frozenset({TargetStatus.CREATED, TargetStatus.FAILED, TargetStatus.UNKNOWN})

# Events that change one existing target in place.
_TargetEvent = (
    Created | ResolvedCreated | Failed | OutcomeUnknown | Rescheduled | RemoteRefreshed | Accepted
)


def fold(state: State, events: Iterable[Event]) -> State:
    """Return a copy of `state` with `events` applied in order; `state` is left unchanged."""
    result = state.model_copy(deep=True)
    for event in events:
        apply_event(result, event)
    return result


def interrupt_in_flight(state: State) -> State:
    """Return a copy of `state` whose in-flight targets are UNKNOWN with code `interrupted`."""
    result = state.model_copy(deep=True)
    mark_interrupted(result)
    return result


def mark_interrupted(state: State) -> int:
    """Turn every in-flight target of `state` into UNKNOWN in place and return their number.

    A target still in flight when its process is gone may or may not have been created, so it
    must never be sent again without a person checking. `updated_at` keeps the time of the
    last recorded event.
    """
    count = 0
    for post in state.posts.values():
        for platform_id, target in post.targets.items():
            if target.status is TargetStatus.IN_FLIGHT:
                post.targets[platform_id] = _update(
                    target,
                    status=TargetStatus.UNKNOWN,
                    error_code=INTERRUPTED_CODE,
                    error_message=INTERRUPTED_MESSAGE,
                )
                count += 1
    return count


def apply_event(state: State, event: Event) -> None:
    """Apply one event to `state` in place, or raise StateError and change nothing."""
    match event:
        case MediaUploaded():
            state.media[event.sha256] = event.media.model_copy()
        case InFlight():
            _apply_in_flight(state, event)
        case Created():
            _change_target(state, event, _IN_FLIGHT, **_created_fields(event))
        case ResolvedCreated():
            _change_target(state, event, _UNKNOWN, **_created_fields(event))
        case Failed():
            _change_target(state, event, _IN_FLIGHT, **_failure_fields(event, TargetStatus.FAILED))
        case OutcomeUnknown():
            _change_target(state, event, _IN_FLIGHT, **_failure_fields(event, TargetStatus.UNKNOWN))
        case Rescheduled():
            _change_target(
                state,
                event,
                _CREATED,
                scheduled_for=event.scheduled_for,
                remote_state=event.remote_state,
            )
        case RemoteRefreshed():
            _change_target(
                state,
                event,
                _CREATED,
                remote_state=event.remote_state,
                release_url=event.release_url,
            )
        case Accepted():
            _change_target(
                state,
                event,
                _CREATED,
                body_digest=event.body_digest,
                field_digests=dict(event.field_digests),
            )
        case Moved():
            _apply_moved(state, event)
        case Forgotten():
            _apply_forgotten(state, event)
        case ResolvedNotCreated():
            _require(state, event.post_key, event.platform_id, event, _UNKNOWN)
            _remove(state, event.post_key, event.platform_id)
        case _:
            raise StateError(f"cannot apply journal event of type {type(event).__name__}")


def _apply_in_flight(state: State, event: InFlight) -> None:
    if len(set(event.platform_ids)) != len(event.platform_ids):
        raise StateError(
            f"post {event.post_key}: in_flight lists a platform id twice: "
            f"{', '.join(event.platform_ids)}"
        )

    previous: dict[str, TargetRecord | None] = {}
    for platform_id in event.platform_ids:
        target = state.target(event.post_key, platform_id)
        if target is not None and target.status not in _RETRYABLE:
            raise _mismatch(event, event.post_key, platform_id, target, _RETRYABLE)
        previous[platform_id] = target

    post = state.posts.setdefault(event.post_key, PostRecord())
    if event.source is not None:
        post.source = event.source

    for platform_id, target in previous.items():
        post.targets[platform_id] = TargetRecord(
            status=TargetStatus.IN_FLIGHT,
            idempotency_key=event.idempotency_key,
            body_digest=event.body_digest,
            scheduled_for=event.scheduled_for,
            mode=event.mode,
            attempts=target.attempts + 1 if target else 1,
            first_attempt_at=target.first_attempt_at if target else event.at,
            updated_at=event.at,
            field_digests=dict(event.field_digests),
        )


def _created_fields(event: Created | ResolvedCreated) -> dict[str, Any]:
    return {
        "status": TargetStatus.CREATED,
        "root_post_id": event.root_post_id,
        "child_post_ids": list(event.child_post_ids),
        "remote_state": event.remote_state,
        "release_url": event.release_url,
        "error_code": None,
        "error_message": None,
    }


def _failure_fields(event: Failed | OutcomeUnknown, status: TargetStatus) -> dict[str, Any]:
    return {"status": status, "error_code": event.code, "error_message": event.message}


def _change_target(
    state: State,
    event: _TargetEvent,
    allowed: frozenset[TargetStatus],
    **changes: Any,
) -> None:
    target = _require(state, event.post_key, event.platform_id, event, allowed)
    updated = target.model_copy(update={**changes, "updated_at": event.at})
    state.posts[event.post_key].targets[event.platform_id] = updated


def _apply_moved(state: State, event: Moved) -> None:
    if event.old_key == event.new_key:
        raise StateError(f"post {event.old_key}: moved names the same key twice")

    target = _require(state, event.old_key, event.platform_id, event, _SETTLED)
    existing = state.target(event.new_key, event.platform_id)
    if existing is not None:
        raise StateError(
            f"post {event.new_key}: cannot move platform {event.platform_id} here from "
            f"{event.old_key}: the new key already has a {existing.status.value} target"
        )

    _remove(state, event.old_key, event.platform_id)
    post = state.posts.setdefault(event.new_key, PostRecord())
    if event.source is not None:
        post.source = event.source
    post.targets[event.platform_id] = target


def _apply_forgotten(state: State, event: Forgotten) -> None:
    if event.platform_id is not None:
        _require(state, event.post_key, event.platform_id, event, frozenset(TargetStatus))
        _remove(state, event.post_key, event.platform_id)
        return

    if event.post_key not in state.posts:
        raise StateError(f"post {event.post_key}: cannot forget it: the key is not in the state")
    del state.posts[event.post_key]


def _require(
    state: State,
    post_key: str,
    platform_id: str,
    event: Event,
    allowed: frozenset[TargetStatus],
) -> TargetRecord:
    target = state.target(post_key, platform_id)
    if target is None or target.status not in allowed:
        raise _mismatch(event, post_key, platform_id, target, allowed)
    return target


def _mismatch(
    event: Event,
    post_key: str,
    platform_id: str,
    target: TargetRecord | None,
    allowed: frozenset[TargetStatus],
) -> StateError:
    found = "not in the state" if target is None else target.status.value
    expected = " or ".join(sorted(status.value for status in allowed))
    kind = getattr(event, "kind", type(event).__name__)
    return StateError(
        f"post {post_key}: cannot record {kind} for platform {platform_id}: the target is "
        f"{found}, expected {expected}"
    )


def _remove(state: State, post_key: str, platform_id: str) -> None:
    post = state.posts[post_key]
    del post.targets[platform_id]
    if not post.targets:
        del state.posts[post_key]


def _update(target: TargetRecord, **changes: Any) -> TargetRecord:
    return target.model_copy(update=changes)
