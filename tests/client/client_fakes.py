"""Fakes shared by the client tests: a clock, canned API bodies and a recording handler."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from loomta_sync.client import LoomtaClient, RateLimiter, RetryPolicy

CANARY_KEY = "loomta_sk_CANARY_7c1e5b2a9d4f"
BASE_URL = "http://127.0.0.1:9/public/v1"
PLATFORM_A = "0a0a0a0a-0000-4000-8000-00000000000a"
PLATFORM_B = "0b0b0b0b-0000-4000-8000-00000000000b"
PLATFORM_C = "0c0c0c0c-0000-4000-8000-00000000000c"
POST_ID = "10000000-0000-4000-8000-000000000001"
CHILD_ID = "10000000-0000-4000-8000-000000000002"
MEDIA_ID = "20000000-0000-4000-8000-000000000001"
WALL_START = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)

Handler = Callable[[httpx.Request], httpx.Response]


class FakeClock:
    """A thread-safe monotonic clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 1000.0
        self.sleeps: list[tuple[str, float]] = []

    def monotonic(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append((threading.current_thread().name, seconds))
            self.now += seconds

    def wall(self) -> datetime:
        with self._lock:
            return WALL_START + timedelta(seconds=self.now - 1000.0)

    def total_slept(self) -> float:
        with self._lock:
            return sum(seconds for _, seconds in self.sleeps)


@dataclass
class Recorder:
    """A MockTransport handler that returns the listed responses in turn and records requests.

    After the list runs out, the last response is returned again.
    """

    responses: Sequence[httpx.Response | Exception | Handler]
    requests: list[httpx.Request] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(request.read())
        index = min(len(self.requests), len(self.responses)) - 1
        answer = self.responses[index]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)


def make_policy(clock: FakeClock, **overrides: Any) -> RetryPolicy:
    """Build a retry policy on the fake clock whose jitter always picks the full wait."""
    settings: dict[str, Any] = {
        "sleep": clock.sleep,
        "clock": clock.monotonic,
        "wall_clock": clock.wall,
        "random": lambda: 1.0,
    }
    settings.update(overrides)
    return RetryPolicy(**settings)


def make_client(
    handler: Handler, clock: FakeClock, *, policy: RetryPolicy | None = None, **kwargs: Any
) -> LoomtaClient:
    limiter = kwargs.pop("limiter", None) or RateLimiter(clock=clock.monotonic, sleep=clock.sleep)
    return LoomtaClient(
        BASE_URL,
        CANARY_KEY,
        transport=httpx.MockTransport(handler),
        retry=policy or make_policy(clock),
        limiter=limiter,
        **kwargs,
    )


def remote_post(post_id: str = POST_ID, **fields: Any) -> dict[str, Any]:
    post: dict[str, Any] = {
        "id": post_id,
        "groupId": "group-1",
        "integrationId": PLATFORM_A,
        "content": "Hello",
        "state": "QUEUE",
        "scheduledFor": "2030-01-02T09:00:00.000Z",
        "releaseUrl": None,
        "mediaIds": [MEDIA_ID],
    }
    post.update(fields)
    return post


def created_entry(platform_id: str, post_id: str = POST_ID, **root: Any) -> dict[str, Any]:
    return {
        "platformId": platform_id,
        "status": "created",
        "post": {
            "root": remote_post(post_id, **{"integrationId": platform_id, **root}),
            "children": [remote_post(CHILD_ID, integrationId=platform_id, parentPostId=post_id)],
        },
    }


def failed_entry(
    platform_id: str, code: str = "invalid_request", message: str = "no media"
) -> dict[str, Any]:
    return {
        "platformId": platform_id,
        "status": "failed",
        "error": {"code": code, "message": message},
    }


def create_body(*platform_ids: str) -> dict[str, Any]:
    return {
        "platformIds": list(platform_ids),
        "content": "Hello",
        "mode": "schedule",
        "scheduledFor": "2030-01-02T09:00:00.000Z",
        "mediaIds": [MEDIA_ID],
    }


def media_item(status: str = "READY", media_id: str = MEDIA_ID, size: int = 5) -> dict[str, Any]:
    return {
        "id": media_id,
        "status": status,
        "mimeType": "image/jpeg",
        "size": size,
        "mediaType": "image",
        "originalFileName": "cat.jpg",
    }


def platform(platform_id: str = PLATFORM_A) -> dict[str, Any]:
    return {
        "id": platform_id,
        "provider": "tiktok",
        "providerName": "TikTok",
        "displayName": "Team account",
        "disabled": False,
        "refreshNeeded": False,
    }


def error_body(code: str | None, message: str = "rejected", details: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message}
    if code is not None:
        body["code"] = code
    if details is not None:
        body["details"] = details
    return body


class ChunkStream(httpx.SyncByteStream):
    """A response body produced chunk by chunk, optionally failing after the chunks."""

    def __init__(
        self, chunks: Iterator[bytes] | list[bytes], error: Exception | None = None
    ) -> None:
        self._chunks = chunks
        self._error = error
        self.yielded = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            self.yielded += len(chunk)
            yield chunk
        if self._error is not None:
            raise self._error
