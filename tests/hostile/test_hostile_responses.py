"""Broken and malicious API responses, end to end: `apply --yes` against a scripted server.

One post goes to two platforms in one POST /posts. Whatever the server returns, apply must
exit 3 or 1 and send the create only once. A target counts as created only from a well-formed
result, and as failed or unknown otherwise. The state file must parse, the API key must stay
out of every output and file, and the next plan must not create the post again.
"""

from __future__ import annotations

import gzip
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from loomta_sync.client.responses import is_uuid
from loomta_sync.state.model import State
from tests.hostile.fake_loomta import (
    Received,
    Reply,
    Responder,
    fake_loomta,
    json_reply,
    ready_media,
)
from tests.hostile.hostile_builders import post_text
from tests.hostile.hostile_cli import CANARY_KEY, cli_environment, run_cli
from tests.hostile.hostile_projects import BRAND, DEVELOPERS, base_project

POST_KEY = "launch"
OTHER_PLATFORM = "6f1b2c3d-0000-4000-8000-0000000000ff"
HTML = (("Content-Type", "text/html"),)
PLAIN = (("Content-Type", "text/plain"),)
PROXY_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>Bad Gateway</h1><p>upstream reset</p></body></html>"
)


def remote_post(platform_id: str, **fields: Any) -> dict[str, Any]:
    post = {
        "id": str(uuid.uuid4()),
        "groupId": str(uuid.uuid4()),
        "integrationId": platform_id,
        "content": "Hello.",
        "state": "DRAFT",
        "createdAt": "2030-01-01T09:00:00.000Z",
    }
    post.update(fields)
    return post


def created(platform_id: str, **fields: Any) -> dict[str, Any]:
    post = {"root": remote_post(platform_id, **fields), "children": []}
    return {"platformId": platform_id, "status": "created", "post": post}


def results(*entries: dict[str, Any]) -> Responder:
    return lambda request: json_reply({"results": list(entries)})


def fixed(reply: Reply) -> Responder:
    return lambda request: reply


def echo_in_failures(request: Received) -> Reply:
    secret = request.authorization.removeprefix("Bearer ")
    error = {
        "code": "rejected",
        "message": f"token {secret} lacks scope; sent {request.authorization}",
    }
    entries = [
        {"platformId": platform_id, "status": "failed", "error": error}
        for platform_id in request.json()["platformIds"]
    ]
    return json_reply({"results": entries, "debug": {"authorization": request.authorization}})


def echo_in_envelope(request: Received) -> Reply:
    secret = request.authorization.removeprefix("Bearer ")
    envelope = {
        "code": "invalid_request",
        "message": f"key {secret} is not allowed here",
        "details": [{"path": ["headers", secret], "message": f"saw {secret}"}],
    }
    return json_reply(envelope, status=400)


def echo_in_proxy_page(request: Received) -> Reply:
    secret = request.authorization.removeprefix("Bearer ")
    page = f"<html><body>upstream failed for key {secret}</body></html>".encode()
    return Reply(502, page, HTML)


def huge_body(request: Received) -> Reply:
    entries = [created(platform_id) for platform_id in request.json()["platformIds"]]
    body = json.dumps({"results": entries, "padding": "x" * 5_000_000}).encode()
    return Reply(200, body)


def compression_bomb(request: Received) -> Reply:
    # About 20 KB on the wire, 20 MB once inflated.
    body = gzip.compress(b'{"results": [' + b" " * 20_000_000 + b"]}")
    return Reply(200, body, (("Content-Type", "application/json"), ("Content-Encoding", "gzip")))


def redirect(request: Received) -> Reply:
    # The target is this server, so a client that followed it would show up in the log.
    return Reply(307, b"", (("Location", f"http://{request.host}/elsewhere/posts"),))


@dataclass(frozen=True)
class ResponseCase:
    name: str
    posts: Responder
    outcomes: dict[str, str]  # platform id -> status in the state after apply
    exit_code: int = 3
    media: Responder = ready_media
    echoes_key: bool = False
    known_bug: str | None = field(default=None, compare=False)


BOTH_UNKNOWN = {BRAND: "unknown", DEVELOPERS: "unknown"}
BOTH_FAILED = {BRAND: "failed", DEVELOPERS: "failed"}

CASES = [
    ResponseCase("not_json", fixed(Reply(200, b"OK, queued", PLAIN)), BOTH_UNKNOWN),
    ResponseCase(
        "truncated_json", fixed(Reply(200, b'{"results": [{"platformId": ')), BOTH_UNKNOWN
    ),
    ResponseCase("json_nan", fixed(Reply(200, b'{"results": NaN}')), BOTH_UNKNOWN),
    ResponseCase("empty_200", fixed(Reply(200, b"")), BOTH_UNKNOWN),
    ResponseCase("proxy_html_502", fixed(Reply(502, PROXY_PAGE, HTML)), BOTH_UNKNOWN),
    ResponseCase("proxy_html_200", fixed(Reply(200, PROXY_PAGE, HTML)), BOTH_UNKNOWN),
    ResponseCase(
        "result_for_one_platform_missing",
        results(created(BRAND)),
        {BRAND: "created", DEVELOPERS: "unknown"},
    ),
    ResponseCase(
        "unknown_platform_instead",
        results(created(BRAND), created(OTHER_PLATFORM)),
        BOTH_UNKNOWN,
    ),
    ResponseCase(
        "unknown_platform_in_addition",
        results(created(BRAND), created(DEVELOPERS), created(OTHER_PLATFORM)),
        BOTH_UNKNOWN,
    ),
    ResponseCase(
        "platform_reported_twice",
        results(created(BRAND), created(BRAND), created(DEVELOPERS)),
        {BRAND: "unknown", DEVELOPERS: "created"},
    ),
    ResponseCase("empty_results", results(), BOTH_UNKNOWN),
    ResponseCase("results_not_a_list", fixed(json_reply({"results": {"a": 1}})), BOTH_UNKNOWN),
    ResponseCase(
        "entries_without_platform",
        results({"status": "created"}, {"platformId": 7, "status": "created"}),
        BOTH_UNKNOWN,
    ),
    ResponseCase(
        "unknown_status",
        results(
            {"platformId": BRAND, "status": "queued"}, {"platformId": DEVELOPERS, "status": None}
        ),
        BOTH_UNKNOWN,
    ),
    ResponseCase(
        "unknown_post_state",
        results(created(BRAND, state="SCHEDULED"), created(DEVELOPERS, state="")),
        BOTH_UNKNOWN,
    ),
    ResponseCase(
        "ids_not_uuids",
        results(created(BRAND, id="12345"), created(DEVELOPERS, id="../../admin")),
        BOTH_UNKNOWN,
    ),
    ResponseCase(
        "post_of_another_platform",
        results(created(BRAND, integrationId=DEVELOPERS), created(DEVELOPERS)),
        {BRAND: "unknown", DEVELOPERS: "created"},
    ),
    ResponseCase(
        "failure_without_code",
        results(
            {"platformId": BRAND, "status": "failed", "error": {"message": "no"}},
            {"platformId": DEVELOPERS, "status": "failed"},
        ),
        BOTH_UNKNOWN,
    ),
    ResponseCase("huge_body", huge_body, BOTH_UNKNOWN),
    ResponseCase("compression_bomb", compression_bomb, BOTH_UNKNOWN),
    ResponseCase("redirect", redirect, BOTH_UNKNOWN),
    ResponseCase(
        "rate_limited_for_a_day",
        fixed(Reply(429, b'{"code": "rate_limited"}', (("Retry-After", "86400"),))),
        BOTH_FAILED,
    ),
    ResponseCase("echo_key_in_failures", echo_in_failures, BOTH_FAILED, echoes_key=True),
    ResponseCase("echo_key_in_error_envelope", echo_in_envelope, BOTH_FAILED, echoes_key=True),
    ResponseCase("echo_key_in_proxy_page", echo_in_proxy_page, BOTH_UNKNOWN, echoes_key=True),
]

MEDIA_CASES = [
    ResponseCase("media_not_json", results(), {}, media=fixed(Reply(200, b"<html>", HTML))),
    ResponseCase(
        "media_id_not_uuid",
        results(),
        {},
        media=lambda request: json_reply(
            {"id": "../../etc", "status": "READY", "mimeType": "image/jpeg", "size": 41}
        ),
    ),
    ResponseCase("media_echo_key", results(), {}, media=echo_in_proxy_page, echoes_key=True),
]


def project_with_post(directory: Path) -> Path:
    root = base_project(directory)
    text = f"id: {POST_KEY}\n" + post_text().replace("[brand]", "[brand, dev]")
    (root / "calendar" / "valid.yaml").write_text(text, encoding="utf-8")
    return root


def _param(case: ResponseCase) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.known_bug)] if case.known_bug else []
    return pytest.param(case, id=case.name, marks=marks)


def apply_against(root: Path, case: ResponseCase) -> tuple[Any, list[Received], list[Received]]:
    with fake_loomta(case.posts, case.media) as server:
        environment = cli_environment(api_url=server.base_url)
        result = run_cli(root, "apply", "--yes", environment=environment)
        return result, server.requests_to("POST", "/posts"), server.received


def assert_key_absent(root: Path, *outputs: str) -> None:
    for output in outputs:
        assert CANARY_KEY not in output
    for path in (root / ".loomta").iterdir():
        if path.is_file():
            assert CANARY_KEY.encode() not in path.read_bytes(), path.name


def read_state(root: Path) -> State:
    return State.model_validate_json((root / ".loomta" / "state.json").read_bytes())


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_untrusted_create_response(case: ResponseCase, tmp_path: Path) -> None:
    root = project_with_post(tmp_path)

    result, creates, received = apply_against(root, case)

    assert result.returncode == case.exit_code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert len(creates) == 1
    assert all(request.path.startswith("/public/v1/") for request in received)
    state = read_state(root)
    targets = state.posts[POST_KEY].targets
    assert {platform: record.status.value for platform, record in targets.items()} == case.outcomes
    for record in targets.values():
        if record.status.value == "created":
            assert record.root_post_id is not None
            assert is_uuid(record.root_post_id)
    assert_key_absent(root, result.stdout, result.stderr)
    if case.echoes_key:
        assert "[redacted]" in result.stderr

    plan = run_cli(root, "plan", environment=cli_environment(api_key=None))
    assert "Plan: 0 to create," in plan.stdout, plan.stdout + plan.stderr
    assert plan.stdout.count("? unknown") == list(case.outcomes.values()).count("unknown")


@pytest.mark.parametrize("case", [_param(case) for case in MEDIA_CASES])
def test_untrusted_media_response(case: ResponseCase, tmp_path: Path) -> None:
    root = project_with_post(tmp_path)
    state_before = (root / ".loomta" / "state.json").read_bytes()

    result, creates, received = apply_against(root, case)

    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "2 not attempted" in result.stdout
    assert creates == []
    assert len([r for r in received if r.method == "POST"]) >= 1
    state_after = (root / ".loomta" / "state.json").read_bytes()
    assert read_state(root).posts.keys() == {"earlier-post"}
    assert state_after == state_before
    assert_key_absent(root, result.stdout, result.stderr)
    if case.echoes_key:
        assert "[redacted]" in result.stderr


def test_echoed_key_kept_out_of_created_posts(tmp_path: Path) -> None:
    def echo_everywhere(request: Received) -> Reply:
        secret = request.authorization.removeprefix("Bearer ")
        entries = [
            created(
                platform_id,
                content=secret,
                errorText=request.authorization,
                releaseUrl=f"https://loomta.test/p/1?key={secret}",
                releaseId=secret,
            )
            for platform_id in request.json()["platformIds"]
        ]
        return json_reply({"results": entries})

    root = project_with_post(tmp_path)
    case = ResponseCase("echo_in_created_post", echo_everywhere, {})

    result, creates, _ = apply_against(root, case)

    assert result.returncode == 0, result.stdout + result.stderr
    assert len(creates) == 1
    assert creates[0].authorization == f"Bearer {CANARY_KEY}"
    targets = read_state(root).posts[POST_KEY].targets
    assert {record.status.value for record in targets.values()} == {"created"}
    assert_key_absent(root, result.stdout, result.stderr)
