"""The invariants that must hold after any crash, fault or limit, checked against the emulator.

The emulator's post groups are the truth about what exists in Loomta. Each group carries the
Idempotency-Key of the request that made it, and its content starts with the post key.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loomta_sync.state.model import State, TargetStatus
from loomta_sync.state.store import StateStore
from tests.resilience.resilience_project import key_of_content
from tests.support.emulator import EmulatorAdmin

# How long a request from a killed process may still be on its way into the emulator's log.
SETTLE_SECONDS = 1.0


@dataclass(frozen=True)
class RemotePost:
    """One post group in the emulator, for one platform."""

    post_key: str
    platform_id: str
    root_id: str
    idempotency_key: str | None


def remote_posts(admin: EmulatorAdmin) -> list[RemotePost]:
    found = []
    for group in admin.groups():
        root: dict[str, Any] = group["root"]
        key = key_of_content(root["content"])
        assert key is not None, f"group {root['id']} has content without a post key"
        found.append(RemotePost(key, group["platform_id"], root["id"], group["idempotency_key"]))
    return found


def read_state(project: Path) -> State:
    """Return the state as the next command will see it: the journal folded, in flight unknown."""
    return StateStore(project / ".loomta" / "state.json").read()


def wait_for_pending_requests(admin: EmulatorAdmin, state: State) -> None:
    """Wait until each unknown target's request is in the emulator's log, or the time is up.

    A killed apply may have sent a request that the emulator is still delaying, and it creates
    the post afterwards. A request that was never sent never shows up, so the wait is bounded.
    """
    expected = {
        record.idempotency_key
        for post in state.posts.values()
        for record in post.targets.values()
        if record.status is TargetStatus.UNKNOWN
    }
    deadline = time.monotonic() + SETTLE_SECONDS
    while expected and time.monotonic() < deadline:
        logged = {entry["idempotency_key"] for entry in admin.requests()}
        if expected <= logged:
            return
        time.sleep(0.02)


def check_invariants(admin: EmulatorAdmin, state: State) -> list[RemotePost]:
    """Assert that the state and the emulator agree, and return the emulator's posts.

    - no post key and platform has two posts in the emulator;
    - every post in the emulator is in the state as created, with its id, or as unknown, with
      the Idempotency-Key of the request that made it;
    - every created target in the state exists in the emulator under its id;
    - no failed target exists in the emulator under its last Idempotency-Key;
    - every failed or unknown target carries an error code and message.
    """
    remote = remote_posts(admin)
    by_target: dict[tuple[str, str], list[RemotePost]] = defaultdict(list)
    for post in remote:
        by_target[(post.post_key, post.platform_id)].append(post)

    for (key, platform), posts in sorted(by_target.items()):
        ids = [post.root_id for post in posts]
        assert len(posts) == 1, f"{key} on {platform}: posted {len(posts)} times: {ids}"

        record = state.target(key, platform)
        assert record is not None, f"{key} on {platform}: exists as {ids[0]}, missing in state"
        if record.status is TargetStatus.CREATED:
            assert record.root_post_id == ids[0], (
                f"{key} on {platform}: state has post {record.root_post_id}, Loomta has {ids[0]}"
            )
        else:
            assert record.status is TargetStatus.UNKNOWN, (
                f"{key} on {platform}: exists as {ids[0]} but the state says {record.status}"
            )
            assert record.idempotency_key == posts[0].idempotency_key, (
                f"{key} on {platform}: unknown with key {record.idempotency_key}, but the post "
                f"was made by {posts[0].idempotency_key}"
            )

    for key, post_record in sorted(state.posts.items()):
        for platform, record in sorted(post_record.targets.items()):
            remote_ids = [post.root_id for post in by_target.get((key, platform), [])]
            assert record.status is not TargetStatus.IN_FLIGHT, f"{key} on {platform}: in flight"
            if record.status is TargetStatus.CREATED:
                assert remote_ids == [record.root_post_id], (
                    f"{key} on {platform}: created as {record.root_post_id} in the state, "
                    f"Loomta has {remote_ids}"
                )
            if record.status is TargetStatus.FAILED:
                assert not remote_ids, f"{key} on {platform}: failed, but exists as {remote_ids}"
            if record.status in (TargetStatus.FAILED, TargetStatus.UNKNOWN):
                assert record.error_code, f"{key} on {platform}: {record.status} without a code"
                assert record.error_message, (
                    f"{key} on {platform}: {record.status} without a message"
                )
    return remote


def check_complete(admin: EmulatorAdmin, state: State, targets: dict[tuple[str, str], int]) -> None:
    """Assert that every calendar target exists exactly once and is created in the state."""
    remote = check_invariants(admin, state)
    found = {(post.post_key, post.platform_id) for post in remote}
    for key, platform in sorted(targets):
        assert (key, platform) in found, f"{key} on {platform}: never created in Loomta"
        record = state.target(key, platform)
        status = record.status if record else None
        assert status is TargetStatus.CREATED, f"{key} on {platform}: state says {status}"
    extra = found - set(targets)
    assert not extra, f"posts in Loomta that the calendar does not contain: {sorted(extra)}"


def unknown_targets(state: State) -> list[tuple[str, str, str]]:
    """Return (post key, platform id, idempotency key) of every unknown target."""
    return [
        (key, platform, record.idempotency_key)
        for key, post in sorted(state.posts.items())
        for platform, record in sorted(post.targets.items())
        if record.status is TargetStatus.UNKNOWN
    ]
