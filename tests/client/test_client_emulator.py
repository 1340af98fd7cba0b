"""The client against the bundled emulator, a real subprocess serving HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from loomta_sync.client import (
    InvalidApiKey,
    InvalidRequest,
    LoomtaClient,
    OutcomeUnknown,
    PlatformCreated,
    PlatformFailed,
    PostLimitReached,
    PostNotFound,
    PostState,
    RetryPolicy,
    ServiceUnavailable,
    format_api_datetime,
)
from tests.support.emulator import TEST_API_KEY, EmulatorProcess, emulator_process

# Seeded platforms: the first two are connected, the third is disabled.
ACTIVE = "6f1b2c3d-0000-4000-8000-000000000001"
SECOND = "6f1b2c3d-0000-4000-8000-000000000002"
DISABLED = "6f1b2c3d-0000-4000-8000-000000000003"
UNKNOWN_POST = "99999999-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorProcess]:
    with emulator_process("--seed", "5") as running:
        yield running


@pytest.fixture
def client(emulator: EmulatorProcess) -> Iterator[LoomtaClient]:
    emulator.admin.reset()
    emulator.admin.set_faults(retry_after_seconds=0)
    with LoomtaClient(emulator.base_url, TEST_API_KEY, retry=RetryPolicy(base_delay=0.0)) as client:
        yield client


@pytest.fixture
def media_id(client: LoomtaClient, tmp_path: Path) -> str:
    image = tmp_path / "launch.jpg"
    image.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 512)
    media = client.upload_media(
        image, mime_type="image/jpeg", media_type="image", file_name="launch.jpg"
    )
    return media.id


def post_body(media_id: str, *platform_ids: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "platformIds": list(platform_ids),
        "content": "Launch day",
        "mode": "schedule",
        "scheduledFor": format_api_datetime(datetime.now(UTC) + timedelta(days=3)),
        "mediaIds": [media_id],
        "settings": {"privacy_level": "SELF_ONLY"},
    }
    body.update(fields)
    return body


def create_requests(emulator: EmulatorProcess) -> list[dict[str, Any]]:
    return [
        entry
        for entry in emulator.admin.requests()
        if entry["method"] == "POST" and entry["path"].endswith("/posts")
    ]


def test_create_read_and_reschedule(client: LoomtaClient, media_id: str) -> None:
    outcome = client.create_post(post_body(media_id, ACTIVE, SECOND), idempotency_key="emu-1")

    created = outcome.created()
    assert set(created) == {ACTIVE, SECOND}
    assert isinstance(outcome.results[ACTIVE], PlatformCreated)
    group = client.get_post(created[ACTIVE].root_post_id)
    assert group.root.state is PostState.QUEUE
    assert group.root.integration_id == ACTIVE

    later = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    moved = client.reschedule_post(group.root.id, later)
    assert moved.root.scheduled_for == later


def test_disabled_platform_fails_alone(
    client: LoomtaClient, media_id: str, emulator: EmulatorProcess
) -> None:
    outcome = client.create_post(post_body(media_id, ACTIVE, DISABLED), idempotency_key="emu-2")

    assert isinstance(outcome.results[ACTIVE], PlatformCreated)
    assert isinstance(outcome.results[DISABLED], PlatformFailed)
    assert len(emulator.admin.groups()) == 1


def test_rate_limit_retried_with_same_key(
    client: LoomtaClient, media_id: str, emulator: EmulatorProcess
) -> None:
    emulator.admin.set_faults(rate_limit_burst=2)

    outcome = client.create_post(post_body(media_id, ACTIVE), idempotency_key="emu-3")

    assert list(outcome.created()) == [ACTIVE]
    attempts = create_requests(emulator)
    assert [entry["status"] for entry in attempts] == [429, 429, 200]
    assert {entry["idempotency_key"] for entry in attempts} == {"emu-3"}
    assert len(emulator.admin.groups()) == 1


def test_error_after_commit_not_retried(
    client: LoomtaClient, media_id: str, emulator: EmulatorProcess
) -> None:
    emulator.admin.set_faults(commit_then_error_rate=1.0, commit_error_statuses=[502])

    with pytest.raises(OutcomeUnknown) as caught:
        client.create_post(post_body(media_id, ACTIVE), idempotency_key="emu-4")

    assert caught.value.status == 502
    assert len(create_requests(emulator)) == 1
    assert len(emulator.admin.groups()) == 1


def test_dropped_connection_not_retried(
    client: LoomtaClient, media_id: str, emulator: EmulatorProcess
) -> None:
    emulator.admin.set_faults(drop_after_commit_rate=1.0)

    with pytest.raises(OutcomeUnknown) as caught:
        client.create_post(post_body(media_id, ACTIVE), idempotency_key="emu-5")

    assert caught.value.may_have_taken_effect
    assert len(emulator.admin.groups()) == 1


def test_unavailable_before_work_retried(
    client: LoomtaClient, media_id: str, emulator: EmulatorProcess
) -> None:
    emulator.admin.set_faults(error_rate=1.0, error_statuses=[503])

    with pytest.raises(ServiceUnavailable):
        client.create_post(post_body(media_id, ACTIVE), idempotency_key="emu-6")

    assert len(create_requests(emulator)) == 5
    assert emulator.admin.groups() == []


def test_quota_used_up(client: LoomtaClient, media_id: str, emulator: EmulatorProcess) -> None:
    emulator.admin.set_quota(limit=1, used=1)

    with pytest.raises(PostLimitReached):
        client.create_post(post_body(media_id, ACTIVE), idempotency_key="emu-7")

    assert len(create_requests(emulator)) == 1


def test_validation_issues_listed(client: LoomtaClient, media_id: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        client.create_post(post_body(media_id, ACTIVE, content=""), idempotency_key="emu-8")

    assert caught.value.issues
    assert ("content",) in [issue.path for issue in caught.value.issues]


def test_unknown_post_not_found(client: LoomtaClient) -> None:
    with pytest.raises(PostNotFound):
        client.get_post(UNKNOWN_POST)


def test_malformed_key_rejected(emulator: EmulatorProcess) -> None:
    with (
        LoomtaClient(emulator.base_url, "not-a-loomta-key") as client,
        pytest.raises(InvalidApiKey),
    ):
        client.list_platforms()
