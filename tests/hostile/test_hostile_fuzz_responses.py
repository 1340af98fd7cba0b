"""Fuzzing create responses: `apply --yes` in process against a scripted loopback server.

Each example answers the one POST /posts of an apply with a generated status, headers and
body: the documented result shape with its fields swapped, dropped or repeated, other JSON,
or raw bytes. The state after the apply must parse, and each target must be created only when
the response contains exactly one well-formed `created` result for it, failed only on a 4xx or a
`failed` result with a code, and unknown otherwise. The key must never reach the state.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from loomta_sync.client.responses import PostState, is_uuid
from loomta_sync.state.model import State, TargetStatus
from tests.hostile.fake_loomta import FakeLoomta, Received, Reply, fake_loomta
from tests.hostile.hostile_builders import post_text
from tests.hostile.hostile_cli import CANARY_KEY, run_in_process
from tests.hostile.hostile_projects import BRAND, DEVELOPERS, base_project

POST_KEY = "launch"
OTHER_PLATFORM = "6f1b2c3d-0000-4000-8000-0000000000ff"
REQUESTED = (BRAND, DEVELOPERS)
# Media given by id, so an apply sends exactly one request: the create.
MEDIA_ID = "3c1e2f4a-0000-4000-8000-00000000beef"
REMOTE_STATES = [state.value for state in PostState]

FUZZ_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# 429 and 503 are only sent with a Retry-After longer than the client's retry budget, so no
# example waits: the client gives up at once instead of sleeping between attempts.
STATUSES = [200, 200, 200, 201, 204, 302, 400, 401, 404, 409, 422, 429, 500, 502, 503]
LONG_RETRY_AFTER = (("Retry-After", "86400"),)


@dataclass(frozen=True)
class GeneratedReply:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]


def maybe_drop(draw: st.DrawFn, value: dict[str, Any]) -> dict[str, Any]:
    dropped = draw(st.lists(st.sampled_from(sorted(value)), max_size=2, unique=True))
    return {key: item for key, item in value.items() if key not in dropped}


@st.composite
def remote_posts(draw: st.DrawFn, platform_id: str) -> dict[str, Any]:
    post = {
        "id": draw(st.sampled_from([str(uuid.uuid4()), str(uuid.uuid4()), "12345", "", None, 7])),
        "state": draw(st.sampled_from([*REMOTE_STATES, "SCHEDULED", "", None])),
        "integrationId": draw(st.sampled_from([platform_id, platform_id, OTHER_PLATFORM, None])),
        "releaseUrl": draw(
            st.sampled_from([None, "https://x.test/p/1", "javascript:alert(1)", "x" * 3000])
        ),
        "createdAt": draw(st.sampled_from(["2030-01-01T09:00:00Z", "yesterday", None])),
        "content": draw(st.sampled_from(["Hello.", CANARY_KEY, "\u202etxet"])),
    }
    return maybe_drop(draw, post)


@st.composite
def result_entries(draw: st.DrawFn) -> dict[str, Any]:
    platform_id = draw(st.sampled_from([*REQUESTED, *REQUESTED, OTHER_PLATFORM]))
    children = draw(st.lists(remote_posts(platform_id), max_size=2))
    entry: dict[str, Any] = {
        "platformId": draw(st.sampled_from([platform_id, platform_id, platform_id, 7, None])),
        "status": draw(st.sampled_from(["created", "created", "failed", "queued", None, 1])),
        "post": {"root": draw(remote_posts(platform_id)), "children": children},
        "error": {
            "code": draw(st.sampled_from(["rejected", "", None, 5])),
            "message": draw(st.sampled_from(["no", CANARY_KEY, f"Bearer {CANARY_KEY}", 3])),
        },
    }
    return maybe_drop(draw, entry)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def documented_entry(platform_id: str) -> dict[str, Any]:
    root = {
        "id": str(uuid.uuid4()),
        "state": "DRAFT",
        "integrationId": platform_id,
        "createdAt": "2030-01-01T09:00:00.000Z",
    }
    return {"platformId": platform_id, "status": "created", "post": {"root": root, "children": []}}


# Values a field of a documented entry may be swapped for, by its path in the entry.
SWAPS: dict[tuple[str, ...], list[Any]] = {
    ("status",): ["failed", "queued", "CREATED", None, 1],
    ("platformId",): [OTHER_PLATFORM, BRAND, DEVELOPERS, None, 7],
    ("post", "root", "id"): ["12345", "", None, 7, CANARY_KEY],
    ("post", "root", "state"): ["SCHEDULED", "", None, "published"],
    ("post", "root", "integrationId"): [OTHER_PLATFORM, "x", 1],
    ("post", "root", "releaseUrl"): [
        "javascript:alert(1)",
        "x" * 3000,
        f"https://x.test/{CANARY_KEY}",
    ],
    ("post", "children"): [[{"id": "child"}], "none", [None]],
    ("post",): [None, [], "post"],
    ("error",): [{"code": "rejected", "message": CANARY_KEY}, {"code": ""}, "error"],
}


@st.composite
def documented_results(draw: st.DrawFn) -> list[Any]:
    """Return the documented results for both platforms, after up to three small changes."""
    entries: list[Any] = [documented_entry(platform_id) for platform_id in REQUESTED]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        change = draw(st.sampled_from(["swap", "swap", "drop", "repeat", "extra", "remove"]))
        if not entries:
            break
        index = draw(st.integers(min_value=0, max_value=len(entries) - 1))
        if change in ("swap", "drop"):
            path = draw(st.sampled_from(sorted(SWAPS)))
            _change_field(entries[index], path, draw(st.sampled_from(SWAPS[path])), change)
        elif change == "repeat":
            entries.append(json.loads(json.dumps(entries[index])))
        elif change == "extra":
            entries.append(draw(result_entries()))
        else:
            del entries[index]
    return entries


def _change_field(entry: Any, path: tuple[str, ...], value: Any, change: str) -> None:
    container = entry
    for key in path[:-1]:
        if not isinstance(container, dict) or not isinstance(container.get(key), dict):
            return
        container = container[key]
    if not isinstance(container, dict):
        return
    if change == "drop":
        container.pop(path[-1], None)
    else:
        container[path[-1]] = value


@st.composite
def replies(draw: st.DrawFn) -> GeneratedReply:
    status = draw(st.sampled_from([200] * len(STATUSES) + STATUSES))
    kind = draw(st.sampled_from(["documented", "documented", "entries", "json", "bytes"]))
    if kind == "documented":
        body = json.dumps({"results": draw(documented_results())}).encode()
    elif kind == "entries":
        body = json.dumps({"results": draw(st.lists(result_entries(), max_size=4))}).encode()
    elif kind == "json":
        body = json.dumps(draw(JSON_VALUES)).encode()
    else:
        body = draw(st.binary(max_size=40))
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    if status in (429, 503):
        headers += LONG_RETRY_AFTER
    return GeneratedReply(status, body, headers)


@dataclass
class ResponseProject:
    root: Path
    seeded_state: bytes
    server: FakeLoomta

    def reset(self, reply: GeneratedReply) -> None:
        """Restore the seeded state and make the server return `reply` to every create."""
        directory = self.root / ".loomta"
        for leftover in directory.glob("state.*"):
            leftover.unlink()
        (directory / "state.json").write_bytes(self.seeded_state)
        self.server.received.clear()
        self.server.posts = lambda request: Reply(reply.status, reply.body, reply.headers)


@pytest.fixture(scope="module")
def response_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ResponseProject]:
    root = base_project(tmp_path_factory.mktemp("responses"))
    text = f"id: {POST_KEY}\n" + post_text(media=f"{{id: {MEDIA_ID}}}").replace(
        "[brand]", "[brand, dev]"
    )
    (root / "calendar" / "valid.yaml").write_text(text, encoding="utf-8")
    seeded = (root / ".loomta" / "state.json").read_bytes()

    def unused(request: Received) -> Reply:
        raise AssertionError("reset() sets the responder before each example")

    with fake_loomta(unused) as server:
        yield ResponseProject(root, seeded, server)


@contextlib.contextmanager
def api_environment(url: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in ("LOOMTA_API_URL", "LOOMTA_API_KEY")}
    os.environ["LOOMTA_API_URL"] = url
    os.environ["LOOMTA_API_KEY"] = CANARY_KEY
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def single_entry(body: bytes, platform_id: str) -> dict[str, Any] | None:
    """Return the only result entry for `platform_id`, or None when there is not exactly one."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    entries = parsed.get("results") if isinstance(parsed, dict) else None
    if not isinstance(entries, list):
        return None
    matching = [e for e in entries if isinstance(e, dict) and e.get("platformId") == platform_id]
    return matching[0] if len(matching) == 1 else None


def check_created(reply: GeneratedReply, platform_id: str, root_post_id: str | None) -> None:
    assert 200 <= reply.status <= 299
    entry = single_entry(reply.body, platform_id)
    assert entry is not None
    assert entry["status"] == "created"
    root = entry["post"]["root"]
    assert root["id"] == root_post_id
    assert root_post_id is not None and is_uuid(root_post_id)
    assert root["state"] in REMOTE_STATES
    assert root.get("integrationId") in (None, platform_id)


def check_failed(reply: GeneratedReply, platform_id: str) -> None:
    if 400 <= reply.status <= 499 or reply.status == 503:
        return
    assert 200 <= reply.status <= 299
    entry = single_entry(reply.body, platform_id)
    assert entry is not None
    assert entry["status"] == "failed"
    code = entry["error"]["code"]
    assert isinstance(code, str) and code.strip()


@FUZZ_SETTINGS
@given(reply=replies())
def test_generated_responses_recorded_safely(
    response_project: ResponseProject, reply: GeneratedReply
) -> None:
    response_project.reset(reply)

    with api_environment(response_project.server.base_url):
        code, output = run_in_process("-C", str(response_project.root), "apply", "--yes")

    assert code in (0, 1, 3), output
    assert "Traceback" not in output
    assert "Internal error" not in output
    assert len(response_project.server.requests_to("POST", "/posts")) == 1
    state_bytes = (response_project.root / ".loomta" / "state.json").read_bytes()
    assert CANARY_KEY.encode() not in state_bytes
    targets = State.model_validate_json(state_bytes).posts[POST_KEY].targets
    assert set(targets) == set(REQUESTED)
    for platform_id, record in targets.items():
        event(f"target {record.status.value}")
        if record.status is TargetStatus.CREATED:
            check_created(reply, platform_id, record.root_post_id)
        elif record.status is TargetStatus.FAILED:
            check_failed(reply, platform_id)
        else:
            assert record.status is TargetStatus.UNKNOWN
    if code == 0:
        assert {record.status for record in targets.values()} == {TargetStatus.CREATED}
