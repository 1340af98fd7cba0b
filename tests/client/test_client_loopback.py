"""The client over real HTTP against a small server on 127.0.0.1."""

from __future__ import annotations

import email.parser
import email.policy
import json
import socket
import threading
from pathlib import Path

import httpx
import pytest

from loomta_sync import __version__
from loomta_sync.client import (
    InvalidResponse,
    LoomtaClient,
    OutcomeUnknown,
    PlatformCreated,
    RequestNotSent,
    RetryPolicy,
)
from tests.client.client_fakes import (
    CANARY_KEY,
    PLATFORM_A,
    POST_ID,
    create_body,
    created_entry,
    media_item,
    remote_post,
)
from tests.client.client_server import LoopbackServer, RequestHandler, SeenRequest

QUICK = RetryPolicy(max_attempts=1)


def answer_created(handler: RequestHandler, seen: SeenRequest) -> None:
    handler.send_json(200, {"results": [created_entry(PLATFORM_A)]})


def answer_post_group(handler: RequestHandler, seen: SeenRequest) -> None:
    handler.send_json(200, {"root": remote_post(), "children": []})


def hang_up(handler: RequestHandler, seen: SeenRequest) -> None:
    handler.close_connection = True


def stall(handler: RequestHandler, seen: SeenRequest) -> None:
    handler.server.release.wait(timeout=10)
    handler.close_connection = True


def stream_forever(handler: RequestHandler, seen: SeenRequest) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(100 * 1024 * 1024))
    handler.end_headers()
    chunk = b" " * 65536
    for _ in range(1600):
        handler.wfile.write(chunk)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_create_sends_documented_request() -> None:
    with (
        LoopbackServer(answer_created) as server,
        LoomtaClient(server.base_url, CANARY_KEY, retry=QUICK) as client,
    ):
        outcome = client.create_post(create_body(PLATFORM_A), idempotency_key="key-42")

    assert isinstance(outcome.results[PLATFORM_A], PlatformCreated)
    assert len(server.seen) == 1
    seen = server.seen[0]
    assert seen.method == "POST"
    assert seen.path == "/public/v1/posts"
    assert seen.headers["Authorization"] == f"Bearer {CANARY_KEY}"
    assert seen.headers["User-Agent"] == f"loomta-sync/{__version__}"
    assert seen.headers["Idempotency-Key"] == "key-42"
    assert seen.headers["Accept-Encoding"] == "identity"
    assert seen.headers["Content-Type"] == "application/json"
    assert json.loads(seen.body) == create_body(PLATFORM_A)


def test_connection_refused_not_sent() -> None:
    url = f"http://127.0.0.1:{free_port()}/public/v1"

    with LoomtaClient(url, CANARY_KEY, retry=QUICK) as client, pytest.raises(RequestNotSent):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")


def test_hang_up_after_request_unknown() -> None:
    with (
        LoopbackServer(hang_up) as server,
        LoomtaClient(server.base_url, CANARY_KEY) as client,
        pytest.raises(OutcomeUnknown) as caught,
    ):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    assert len(server.seen) == 1


def test_read_timeout_after_request_unknown() -> None:
    timeout = httpx.Timeout(5.0, read=0.2)
    with (
        LoopbackServer(stall) as server,
        LoomtaClient(server.base_url, CANARY_KEY, timeout=timeout) as client,
        pytest.raises(OutcomeUnknown) as caught,
    ):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert len(server.seen) == 1
    assert caught.value.may_have_taken_effect


def test_endless_body_stops_at_limit() -> None:
    with (
        LoopbackServer(stream_forever) as server,
        LoomtaClient(server.base_url, CANARY_KEY, retry=QUICK) as client,
        pytest.raises(InvalidResponse) as caught,
    ):
        client.get_post(POST_ID)

    assert "larger than the limit" in str(caught.value)


def test_upload_sends_multipart_form(tmp_path: Path) -> None:
    image = tmp_path / "cat.jpg"
    image.write_bytes(b"\xff\xd8\xff\xe0 fake jpeg \x00\x01")

    def answer(handler: RequestHandler, seen: SeenRequest) -> None:
        handler.send_json(200, media_item(size=image.stat().st_size))

    with (
        LoopbackServer(answer) as server,
        LoomtaClient(server.base_url, CANARY_KEY, retry=QUICK) as client,
    ):
        media = client.upload_media(
            image, mime_type="image/jpeg", media_type="image", file_name="cat.jpg"
        )

    assert media.status == "READY"
    seen = server.seen[0]
    assert seen.path == "/public/v1/media"
    head = f"Content-Type: {seen.headers['Content-Type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + seen.body)
    parts = {
        part.get_param("name", header="content-disposition"): part for part in message.iter_parts()
    }
    assert parts["file"].get_content() == image.read_bytes()
    assert parts["file"].get_filename() == "cat.jpg"
    assert parts["file"].get_content_type() == "image/jpeg"
    assert parts["fileName"].get_content().strip() == "cat.jpg"
    assert parts["mimeType"].get_content().strip() == "image/jpeg"
    assert parts["mediaType"].get_content().strip() == "image"


def test_threads_share_one_client() -> None:
    failures: list[BaseException] = []

    def read_posts() -> None:
        try:
            for _ in range(5):
                assert client.get_post(POST_ID).root.id == POST_ID
        except BaseException as exc:
            failures.append(exc)

    with (
        LoopbackServer(answer_post_group) as server,
        LoomtaClient(server.base_url, CANARY_KEY, max_connections=3) as client,
    ):
        threads = [threading.Thread(target=read_posts) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert failures == []
    assert len(server.seen) == 40
