"""Sending one API request: rate limit, retries, bounded body, logging and error mapping.

`RequestSender` owns the one `httpx.Client` of a `LoomtaClient`. httpx clients are safe to
share between threads, so the applier's worker threads all send through it and its connection
pool. Only the method, path, status, duration and idempotency key are logged, never headers.

NOTE: httpcore 1.0.9 can close a pooled connection that it has already assigned to a request
waiting in its queue. The waiting request then fails with a read error or hangs until its read
timeout, possibly after it was sent, which would make a create's outcome unknown for no reason.
The loopback tests showed this with 8 threads on 3 connections. So a semaphore with one slot
per connection admits requests, and the pool never has a queue.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from loomta_sync.client.body import Body, read_body
from loomta_sync.client.errors import RateLimited, RequestNotSent, ServiceUnavailable
from loomta_sync.client.mapping import Exchange, error_from_response, error_from_transport
from loomta_sync.client.ratelimit import RateLimiter
from loomta_sync.client.retry import RetryPolicy
from loomta_sync.client.sanitize import Redactor

logger = logging.getLogger(__name__)

# Builds the request for one attempt. Files it opens are registered on the ExitStack, which
# closes them after the attempt, so every retry reads the file again from the start.
RequestBuilder = Callable[[contextlib.ExitStack[bool | None]], httpx.Request]


@dataclass(frozen=True, slots=True)
class Reply:
    """A 2xx response, read up to the body limit."""

    status: int
    headers: httpx.Headers
    body: Body


class RequestSender:
    """Sends requests through one shared httpx client, limiter and retry policy."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        redactor: Redactor,
        retry: RetryPolicy,
        limiter: RateLimiter,
        max_body_bytes: int,
        max_connections: int,
        slot_timeout: float | None,
    ) -> None:
        self.http = http
        self.redactor = redactor
        self.retry = retry
        self.limiter = limiter
        self.max_body_bytes = max_body_bytes
        self.slot_timeout = slot_timeout
        self._slots = threading.BoundedSemaphore(max_connections)

    def send(self, method: str, path: str, build: RequestBuilder, *, idempotent: bool) -> Reply:
        """Send a request, repeating it as the retry policy allows; raises ApiError."""
        exchange = Exchange(method, path, self.redactor)

        def attempt(deadline: float) -> Reply:
            return self._send_once(exchange, build, deadline)

        return self.retry.run(attempt, method=method, path=path, idempotent=idempotent)

    def _send_once(self, exchange: Exchange, build: RequestBuilder, deadline: float) -> Reply:
        self._wait_for_limiter(exchange, deadline)

        with contextlib.ExitStack() as stack:
            request = build(stack)
            self._acquire_slot(exchange)
            try:
                started = time.perf_counter()
                status, headers, body = self._exchange(exchange, request, started)
            finally:
                self._slots.release()

        _log_reply(exchange, request, status, started)
        if 200 <= status <= 299:
            return Reply(status, headers, body)

        error = error_from_response(exchange, status, headers, body, self.retry.wall_clock())
        if isinstance(error, RateLimited | ServiceUnavailable) and error.retry_after is not None:
            # The server asked every client to wait, so every thread waits, not only this one.
            self.limiter.pause_for(error.retry_after)
        raise error

    def _exchange(
        self, exchange: Exchange, request: httpx.Request, started: float
    ) -> tuple[int, httpx.Headers, Body]:
        """Send `request` and read its body; every transport failure is mapped here, once."""
        try:
            response = self.http.send(request, stream=True)
            try:
                body = read_body(response, self.max_body_bytes)
            finally:
                _close_quietly(response)
        except (httpx.HTTPError, OSError) as exc:
            error = error_from_transport(exchange, exc)
            logger.info(
                "%s %s -> %s after %.0f ms%s",
                exchange.method,
                exchange.path,
                type(exc).__name__,
                _elapsed_ms(started),
                _key_note(request),
            )
            raise error from exc
        return response.status_code, response.headers, body

    def _acquire_slot(self, exchange: Exchange) -> None:
        # Semaphore.acquire waits forever only with timeout=None; a negative timeout never waits.
        if self._slots.acquire(timeout=self.slot_timeout):
            return
        raise RequestNotSent(
            f"no connection became free within {self.slot_timeout:g} s; lower the parallelism "
            "or raise the pool timeout",
            method=exchange.method,
            path=exchange.path,
        )

    def _wait_for_limiter(self, exchange: Exchange, deadline: float) -> None:
        remaining = deadline - self.retry.clock()
        if self.limiter.wait(timeout=max(remaining, 0.0)):
            return

        pause = max(self.limiter.paused_until - self.limiter.clock(), 0.0)
        raise RequestNotSent(
            f"the rate limiter pauses requests for {pause:.1f} s, longer than the "
            f"{max(remaining, 0.0):.1f} s left of this call's retry budget",
            method=exchange.method,
            path=exchange.path,
            retry_after=pause,
        )


def _close_quietly(response: httpx.Response) -> None:
    # The body has been read or given up on, so a failure to close changes nothing.
    try:
        response.close()
    except httpx.HTTPError as exc:
        logger.debug("closing the response failed: %s", type(exc).__name__)


def _log_reply(exchange: Exchange, request: httpx.Request, status: int, started: float) -> None:
    level = logging.DEBUG if exchange.is_read else logging.INFO
    logger.log(
        level,
        "%s %s -> HTTP %d in %.0f ms%s",
        exchange.method,
        exchange.path,
        status,
        _elapsed_ms(started),
        _key_note(request),
    )


def _key_note(request: httpx.Request) -> str:
    key = request.headers.get("idempotency-key")
    return f" (idempotency key {key})" if key else ""


def _elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
