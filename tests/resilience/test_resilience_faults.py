"""Every fault kind of the emulator, alone and mixed, with and without idempotency support.

After the faulty apply the state must agree with the emulator. Then the faults stop, unknown
targets are resolved from the emulator's records, a second apply creates the rest, and every
target exists exactly once.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from loomta_sync.state.model import State, TargetStatus
from tests.resilience.resilience_checks import check_complete, check_invariants, read_state
from tests.resilience.resilience_flow import Cli, finish_apply, new_project
from tests.resilience.resilience_project import ProjectSpec
from tests.support.emulator import EmulatorAdmin, EmulatorProcess

SPEC = ProjectSpec(posts=12, two_platforms_every=3, comment_every=5)
APPLY = ("apply", "--yes", "--parallelism", "4")
# Shorter than the emulator's slow responses, so those time out in the client. Only the
# scenarios with slow responses use it, so a loaded machine cannot time out the others.
SLOW_MS = 1500
SHORT_TIMEOUT = ("--request-timeout", "0.5")
# Faults after which the post exists but the client cannot know it.
LOST_RESPONSE_FAULTS = {"commit_then_error", "drop_after_commit", "slow_response"}

SCENARIOS: dict[str, dict[str, Any]] = {
    "latency": {"latency_ms": 30},
    "errors_before_work": {"error_rate": 0.4},
    "commit_then_error": {"commit_then_error_rate": 0.4},
    "drop_after_commit": {"drop_after_commit_rate": 0.4},
    "slow_response": {"slow_response_rate": 0.4, "slow_response_ms": SLOW_MS},
    "rate_limit_burst": {"rate_limit_burst": 5, "retry_after_seconds": 1},
    "mixed": {
        "latency_ms": 5,
        "error_rate": 0.1,
        "commit_then_error_rate": 0.1,
        "drop_after_commit_rate": 0.1,
        "slow_response_rate": 0.1,
        "slow_response_ms": SLOW_MS,
        "rate_limit_rate": 0.1,
        "retry_after_seconds": 1,
    },
    # Faults on every request, so the media upload can lose its response too.
    "every_request": {"fault_scope": "api", "commit_then_error_rate": 0.3, "error_rate": 0.2},
}


@pytest.mark.parametrize("idempotency", [False, True], ids=["plain", "idempotent"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_fault_keeps_state_and_remote_agreed(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess, scenario: str, idempotency: bool
) -> None:
    admin = emulator.admin
    project = new_project(tmp_path, SPEC)
    faults = SCENARIOS[scenario]
    admin.set_faults(idempotency=idempotency, **faults)

    timeout = SHORT_TIMEOUT if "slow_response_rate" in faults else ()
    apply = cli.run(project, *APPLY, *timeout)
    assert apply.code in (0, 3), apply.describe()
    assert "Apply complete" in apply.stdout or "Apply incomplete" in apply.stdout
    state = read_state(project)
    check_invariants(admin, state)
    requests = admin.requests()
    _check_retries_kept_their_key(admin, requests)
    _check_lost_responses_unknown(state, requests)
    if scenario in ("latency", "rate_limit_burst"):
        assert apply.code == 0, apply.describe()
        check_complete(admin, state, SPEC.targets())
    if scenario == "rate_limit_burst":
        limited = [entry for entry in requests if entry["status"] == 429]
        assert len(limited) == 5, f"expected the 5 requests of the burst to get 429: {limited}"

    admin.set_faults(**_no_faults())
    finish_apply(cli, project, admin, SPEC)


def test_fault_503_retried_with_same_key(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess
) -> None:
    admin = emulator.admin
    project = new_project(tmp_path, SPEC)
    admin.set_faults(error_rate=0.4, error_statuses=[503], retry_after_seconds=0)

    apply = cli.run(project, *APPLY)

    # A request that meets 503 on all of its 5 attempts fails, and the next apply retries it.
    assert apply.code in (0, 3), apply.describe()
    check_invariants(admin, read_state(project))
    requests = [entry for entry in admin.requests() if entry["path"].endswith("/posts")]
    keys = [entry["idempotency_key"] for entry in requests]
    resent = {key for key in keys if keys.count(key) > 1}
    assert resent, "the seed gave no 503, so nothing was retried"
    for key in sorted(resent):
        statuses = [entry["status"] for entry in requests if entry["idempotency_key"] == key]
        assert set(statuses) <= {200, 503}, f"{key}: sent again after {statuses}"
    _check_retries_kept_their_key(admin, requests)

    admin.set_faults(**_no_faults())
    finish_apply(cli, project, admin, SPEC)


def test_fault_resend_replayed_when_idempotent(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess
) -> None:
    admin = emulator.admin
    project = new_project(tmp_path, SPEC)
    admin.set_faults(idempotency=True, commit_then_error_rate=1.0)
    first = cli.run(project, *APPLY)
    assert first.code == 3, first.describe()
    created_ids = {post["root"]["id"] for post in admin.groups()}

    # Deliberately wrong resolutions: every post exists, but each is resolved as not created,
    # so the next apply sends each request again with the same key and body.
    _resolve_all_not_created(cli, project, read_state(project))
    admin.set_faults(commit_then_error_rate=0.0)
    second = cli.run(project, *APPLY)

    assert second.code == 0, second.describe()
    assert {post["root"]["id"] for post in admin.groups()} == created_ids, "a resend created a post"
    assert admin.counters()["idempotent_replays"] == SPEC.posts
    check_complete(admin, read_state(project), SPEC.targets())


def test_fault_resend_duplicates_without_idempotency(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess
) -> None:
    admin = emulator.admin
    project = new_project(tmp_path, SPEC)
    admin.set_faults(commit_then_error_rate=1.0)
    assert cli.run(project, *APPLY).code == 3

    # This is why an unknown target is never sent again until a person resolves it.
    _resolve_all_not_created(cli, project, read_state(project))
    admin.set_faults(commit_then_error_rate=0.0)
    assert cli.run(project, *APPLY).code == 0

    with pytest.raises(AssertionError, match="posted 2 times"):
        check_invariants(admin, read_state(project))


def test_fault_quota_stops_and_counts_the_rest(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess
) -> None:
    admin = emulator.admin
    spec = ProjectSpec(posts=20, two_platforms_every=0, comment_every=0)
    project = new_project(tmp_path, spec)
    admin.set_quota(8)

    apply = cli.run(project, *APPLY)

    assert apply.code == 3, apply.describe()
    state = read_state(project)
    check_invariants(admin, state)
    records = [record for post in state.posts.values() for record in post.targets.values()]
    created = [record for record in records if record.status is TargetStatus.CREATED]
    limited = [record for record in records if record.error_code == "post_limit_reached"]
    left = spec.posts - len(records)
    assert len(created) == 8, apply.describe()
    assert limited, "no target recorded the post_limit_reached failure"
    assert left > 0, "every target was attempted although the quota ran out"
    assert f"{left} targets were not attempted" in apply.stderr, apply.describe()
    assert "post_limit_reached" in apply.stderr

    admin.set_quota(None)
    finish_apply(cli, project, admin, spec)


def _check_retries_kept_their_key(admin: EmulatorAdmin, requests: list[dict[str, Any]]) -> None:
    """Assert that each Idempotency-Key made at most one post, however often it was sent."""
    sent: dict[str, int] = defaultdict(int)
    for entry in requests:
        if entry["path"].endswith("/posts") and entry["idempotency_key"]:
            sent[entry["idempotency_key"]] += 1
    posts_per_key: dict[tuple[str, str], int] = defaultdict(int)
    for group in admin.groups():
        posts_per_key[(group["idempotency_key"], group["platform_id"])] += 1
    for (key, platform), count in posts_per_key.items():
        assert key in sent, f"{key} on {platform}: made a post but was never sent"
        assert count == 1, f"{key} on {platform}: sent {sent[key]} times, made {count} posts"


def _check_lost_responses_unknown(state: State, requests: list[dict[str, Any]]) -> None:
    """Assert that every target of a request whose response was lost is unknown in the state."""
    lost = {
        entry["idempotency_key"]
        for entry in requests
        if entry["path"].endswith("/posts") and entry["fault"] in LOST_RESPONSE_FAULTS
    }
    for key, post in sorted(state.posts.items()):
        for platform, record in sorted(post.targets.items()):
            if record.idempotency_key in lost:
                assert record.status is TargetStatus.UNKNOWN, (
                    f"{key} on {platform}: response lost, but the state says {record.status}"
                )


def _resolve_all_not_created(cli: Cli, project: Path, state: State) -> None:
    for key, post in sorted(state.posts.items()):
        for platform in sorted(post.targets):
            result = cli.run(
                project, "state", "resolve", key, "--platform", platform, "--not-created"
            )
            assert result.code == 0, result.describe()


def _no_faults() -> dict[str, Any]:
    return {
        "latency_ms": 0,
        "error_rate": 0.0,
        "commit_then_error_rate": 0.0,
        "drop_after_commit_rate": 0.0,
        "slow_response_rate": 0.0,
        "rate_limit_burst": 0,
        "rate_limit_rate": 0.0,
        "fault_scope": "create",
    }
