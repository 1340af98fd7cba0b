"""A fake GitHub REST API on 127.0.0.1 with the endpoints the action uses.

It serves issue comments with Link-header pagination, checks the bearer token, and records
every request so tests can assert what was sent. `max_page_size` caps `per_page`, so a test can
put a comment on the third page without creating hundreds of comments.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_LIST = re.compile(r"^/repos/([^/]+/[^/]+)/issues/(\d+)/comments$")
_ONE = re.compile(r"^/repos/([^/]+/[^/]+)/issues/comments/(\d+)$")


@dataclass
class FakeGitHub:
    token: str = "ghs_test_token"
    max_page_size: int = 100
    user_login: str | None = None  # None: GET /user returns 403, as for GITHUB_TOKEN
    bot_login: str = "github-actions[bot]"
    forbid_writes: bool = False  # True: comment writes get 403, as for a fork's token
    comments: dict[tuple[str, int], list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    _next_id: int = 1000
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add_comment(self, repo: str, number: int, body: str, login: str) -> dict[str, Any]:
        with self._lock:
            self._next_id += 1
            comment = {
                "id": self._next_id,
                "body": body,
                "user": {"login": login},
                "html_url": f"https://github.test/{repo}/pull/{number}#issuecomment-{self._next_id}",
            }
            self.comments.setdefault((repo, number), []).append(comment)
            return comment

    def bodies(self, repo: str, number: int) -> list[str]:
        return [comment["body"] for comment in self.comments.get((repo, number), [])]

    def start(self) -> FakeGitHub:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeGitHub

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        fake = self.server_fake
        parts = urllib.parse.urlsplit(self.path)
        fake.requests.append((method, self.path))
        if self.headers.get("Authorization") != f"Bearer {fake.token}":
            self._send(401, {"message": "Bad credentials"})
            return

        if method == "GET" and parts.path == "/user":
            self._user()
        elif method == "GET" and _LIST.match(parts.path):
            self._list(parts)
        elif method == "POST" and _LIST.match(parts.path):
            self._create(parts.path)
        elif method == "PATCH" and _ONE.match(parts.path):
            self._update(parts.path)
        else:
            self._send(404, {"message": "Not Found"})

    def _user(self) -> None:
        login = self.server_fake.user_login
        if login is None:
            self._send(403, {"message": "Resource not accessible by integration"})
        else:
            self._send(200, {"login": login})

    def _list(self, parts: urllib.parse.SplitResult) -> None:
        fake = self.server_fake
        match = _LIST.match(parts.path)
        assert match is not None
        query = urllib.parse.parse_qs(parts.query)
        size = min(int(query.get("per_page", ["30"])[0]), fake.max_page_size)
        page = int(query.get("page", ["1"])[0])
        items = fake.comments.get((match.group(1), int(match.group(2))), [])
        chunk = items[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(items):
            next_query = urllib.parse.urlencode({"per_page": size, "page": page + 1})
            headers["Link"] = f'<{fake.url}{parts.path}?{next_query}>; rel="next"'
        self._send(200, chunk, headers)

    def _create(self, path: str) -> None:
        fake = self.server_fake
        if fake.forbid_writes:
            self._send(403, {"message": "Resource not accessible by integration"})
            return
        match = _LIST.match(path)
        assert match is not None
        login = fake.user_login or fake.bot_login
        comment = fake.add_comment(match.group(1), int(match.group(2)), self._body()["body"], login)
        self._send(201, comment)

    def _update(self, path: str) -> None:
        fake = self.server_fake
        if fake.forbid_writes:
            self._send(403, {"message": "Resource not accessible by integration"})
            return
        match = _ONE.match(path)
        assert match is not None
        comment_id = int(match.group(2))
        for comments in fake.comments.values():
            for comment in comments:
                if comment["id"] == comment_id:
                    comment["body"] = self._body()["body"]
                    self._send(200, comment)
                    return
        self._send(404, {"message": "Not Found"})

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length", "0"))
        data = json.loads(self.rfile.read(length))
        assert isinstance(data, dict)
        return data

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
