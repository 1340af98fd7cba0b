"""A scripted Loomta server on 127.0.0.1 that returns whatever response a test sets.

Unlike the emulator, it follows no contract: each test gives it a responder for POST /posts
and one for POST /media, so a response can be malformed, oversized, or echo the request's
credentials. It records every request it receives, so a test can count the creates.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

JSON_HEADERS = (("Content-Type", "application/json"),)


@dataclass(frozen=True)
class Received:
    """One request as the server read it."""

    method: str
    path: str
    host: str
    authorization: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = JSON_HEADERS


Responder = Callable[[Received], Reply]


def json_reply(value: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(value).encode("utf-8"))


def ready_media(request: Received) -> Reply:
    """Return the documented upload response: a new media id with status READY."""
    return json_reply(
        {
            "id": str(uuid.uuid4()),
            "status": "READY",
            "mimeType": "image/jpeg",
            "size": 41,
            "mediaType": "image",
            "originalFileName": "cover.jpg",
            "createdAt": "2030-01-01T09:00:00.000Z",
        }
    )


def not_found(request: Received) -> Reply:
    return json_reply({"code": "not_found", "message": "no such endpoint"}, status=404)


class FakeLoomta:
    """The server's state: its responders and the requests received so far."""

    def __init__(self, posts: Responder, media: Responder = ready_media) -> None:
        self.posts = posts
        self.media = media
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self.base_url = ""

    def requests_to(self, method: str, suffix: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.method == method and r.path.endswith(suffix)]

    def respond(self, request: Received) -> Reply:
        with self._lock:
            self.received.append(request)
        if request.method == "POST" and request.path.endswith("/posts"):
            return self.posts(request)
        if request.method == "POST" and request.path.endswith("/media"):
            return self.media(request)
        return not_found(request)


@contextmanager
def fake_loomta(posts: Responder, media: Responder = ready_media) -> Iterator[FakeLoomta]:
    """Serve a FakeLoomta on a free loopback port until the block ends."""
    fake = FakeLoomta(posts, media)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake))
    server.daemon_threads = True
    port = server.server_address[1]
    fake.base_url = f"http://127.0.0.1:{port}/public/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _handler_for(fake: FakeLoomta) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def do_PATCH(self) -> None:
            self._answer()

        def log_message(self, format: str, *args: Any) -> None:
            # Requests are recorded in `fake.received`; stderr stays quiet.
            return

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Received(
                method=self.command,
                path=self.path,
                host=self.headers.get("Host", ""),
                authorization=self.headers.get("Authorization", ""),
                body=self.rfile.read(length),
            )
            reply = fake.respond(request)
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(reply.body)

    return Handler
