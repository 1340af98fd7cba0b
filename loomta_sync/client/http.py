"""`LoomtaClient`: the typed methods for each Loomta endpoint loomta-sync uses.

Methods raise the exceptions in `loomta_sync.client.errors` and nothing else for a failed call.
The exceptions are LoomtaSyncError for a media file that cannot be read or an id that is not a
UUID, and ValueError for arguments that only a bug can produce.

One client is meant to be shared by all threads of an apply. Its connection pool has
`max_connections` connections, so size that to the parallelism.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from loomta_sync import __version__
from loomta_sync.catalog.model import CatalogEntry, Platform
from loomta_sync.client.arguments import (
    check_base_url,
    format_api_datetime,
    idempotency_header,
    path_id,
    requested_platforms,
)
from loomta_sync.client.body import MAX_BODY_BYTES, load_json
from loomta_sync.client.credentials import check_api_key
from loomta_sync.client.errors import InvalidResponse, MediaNotReady
from loomta_sync.client.mapping import Exchange, untrusted_response
from loomta_sync.client.ratelimit import RateLimiter
from loomta_sync.client.responses import (
    CreateOutcome,
    MediaStatus,
    PostGroup,
    UploadedMedia,
    is_uuid,
)
from loomta_sync.client.results import read_create_results
from loomta_sync.client.retry import RetryPolicy
from loomta_sync.client.sanitize import Redactor, describe_validation_error
from loomta_sync.client.sender import Reply, RequestBuilder, RequestSender
from loomta_sync.errors import LoomtaSyncError

logger = logging.getLogger(__name__)

Model = TypeVar("Model", bound=BaseModel)

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=10.0)
USER_AGENT = f"loomta-sync/{__version__}"
_MAX_POLL_INTERVAL = 10.0


class LoomtaClient:
    """A thread-safe client for the Loomta public API.

    `timeout` is in seconds, or an httpx.Timeout for each phase. `transport` replaces the
    network, which tests use. Polling a PENDING upload waits up to `media_ready_timeout`
    seconds, starting at `media_poll_interval` seconds between polls and doubling up to 10 s.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        max_connections: int = 10,
        max_body_bytes: int = MAX_BODY_BYTES,
        media_ready_timeout: float = 120.0,
        media_poll_interval: float = 1.0,
    ) -> None:
        check_api_key(api_key)
        if max_connections < 1:
            raise ValueError(f"max_connections is {max_connections}; it must be at least 1")

        self.base_url = check_base_url(base_url)
        self.retry = retry or RetryPolicy()
        self.limiter = limiter or RateLimiter()
        self.media_ready_timeout = media_ready_timeout
        self.media_poll_interval = media_poll_interval
        self._redactor = Redactor([api_key])
        timeouts = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=_default_headers(api_key),
            timeout=timeouts,
            transport=transport or _pooled_transport(max_connections),
            follow_redirects=False,
        )
        self._sender = RequestSender(
            self._http,
            redactor=self._redactor,
            retry=self.retry,
            limiter=self.limiter,
            max_body_bytes=max_body_bytes,
            max_connections=max_connections,
            slot_timeout=timeouts.pool,
        )

    def __repr__(self) -> str:
        return f"LoomtaClient(base_url={str(self.base_url)!r})"

    def __enter__(self) -> LoomtaClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def list_platforms(self) -> list[Platform]:
        """Return the workspace's connected accounts (GET /platforms)."""
        path = "/platforms"
        reply = self._get(path)
        items = self._list_field(path, reply, "platforms")

        platforms = [self._validate(Platform, item, "GET", path, reply) for item in items]
        for platform in platforms:
            if not is_uuid(platform.id):
                raise self._untrusted("GET", path, reply, "a platform id is not a UUID")
        return platforms

    def get_platform_schema(self, platform_id: str) -> CatalogEntry:
        """Return one platform and its limits (GET /platforms/{id}/schema)."""
        path = f"/platforms/{path_id(platform_id, 'platform id')}/schema"
        reply = self._get(path)
        entry = self._validate(CatalogEntry, self._decode("GET", path, reply), "GET", path, reply)

        if entry.platform.id != platform_id:
            raise self._untrusted("GET", path, reply, "the schema is for another platform")
        return entry

    def upload_media(
        self,
        path: Path,
        *,
        mime_type: str,
        media_type: str,
        file_name: str,
        idempotency_key: str | None = None,
    ) -> UploadedMedia:
        """Upload a file (POST /media) and return it once its status is READY.

        Raises MediaNotReady when it stays PENDING for `media_ready_timeout` seconds.
        """
        form = {"fileName": file_name, "mimeType": mime_type, "mediaType": media_type}
        headers = idempotency_header(idempotency_key)

        def build(stack: contextlib.ExitStack[bool | None]) -> httpx.Request:
            handle = stack.enter_context(_open_media(path))
            files = {"file": (file_name, handle, mime_type)}
            return self._http.build_request(
                "POST", "/media", data=form, files=files, headers=headers
            )

        reply = self._sender.send("POST", "/media", build, idempotent=False)
        data = self._decode("POST", "/media", reply)
        media = self._validate(UploadedMedia, data, "POST", "/media", reply)
        logger.info("uploaded %s as media %s (%s)", path.name, media.id, media.status.value)

        if media.status is MediaStatus.READY:
            return media
        return self._wait_until_ready(media)

    def list_media(self) -> list[UploadedMedia]:
        """Return the workspace's media (GET /media)."""
        reply = self._get("/media")
        items = self._list_field("/media", reply, "media")
        return [self._validate(UploadedMedia, item, "GET", "/media", reply) for item in items]

    def create_post(self, body: dict[str, Any], *, idempotency_key: str) -> CreateOutcome:
        """Create a post (POST /posts) and classify the result of every platform in `platformIds`.

        The request is repeated only when it certainly had no effect, with the same
        Idempotency-Key. Raises ApiError when the whole request fails, and OutcomeUnknown means
        that any of the platforms may have a post.
        """
        requested = requested_platforms(body)
        headers = idempotency_header(idempotency_key)

        def build(stack: contextlib.ExitStack[bool | None]) -> httpx.Request:
            return self._http.build_request("POST", "/posts", json=body, headers=headers)

        reply = self._sender.send("POST", "/posts", build, idempotent=False)
        return read_create_results(requested, idempotency_key, reply.body, self._redactor)

    def get_post(self, post_id: str) -> PostGroup:
        """Return a post and its children (GET /posts/{id}); raises PostNotFound."""
        path = f"/posts/{path_id(post_id, 'post id')}"
        reply = self._get(path)
        return self._validate(PostGroup, self._decode("GET", path, reply), "GET", path, reply)

    def reschedule_post(self, post_id: str, scheduled_for: datetime) -> PostGroup:
        """Move a waiting post to a new time (PATCH /posts/{id}/schedule)."""
        path = f"/posts/{path_id(post_id, 'post id')}/schedule"
        payload = {"scheduledFor": format_api_datetime(scheduled_for)}

        def build(stack: contextlib.ExitStack[bool | None]) -> httpx.Request:
            return self._http.build_request("PATCH", path, json=payload)

        reply = self._sender.send("PATCH", path, build, idempotent=False)
        data = self._decode("PATCH", path, reply)
        return self._validate(PostGroup, data, "PATCH", path, reply)

    def _get(self, path: str) -> Reply:
        def build(stack: contextlib.ExitStack[bool | None]) -> httpx.Request:
            return self._http.build_request("GET", path)

        builder: RequestBuilder = build
        return self._sender.send("GET", path, builder, idempotent=True)

    def _wait_until_ready(self, media: UploadedMedia) -> UploadedMedia:
        deadline = self.retry.clock() + self.media_ready_timeout
        interval = self.media_poll_interval
        last_status = media.status
        while True:
            remaining = deadline - self.retry.clock()
            if remaining <= 0:
                raise MediaNotReady(
                    f"media {media.id} is still {last_status.value} after "
                    f"{self.media_ready_timeout:g} s",
                    media_id=media.id,
                    method="POST",
                    path="/media",
                )

            self.retry.sleep(min(interval, remaining))
            current = self._find_media(media.id)
            if current is not None and current.status is MediaStatus.READY:
                return current
            if current is not None:
                last_status = current.status
            interval = min(interval * 2, _MAX_POLL_INTERVAL)

    def _find_media(self, media_id: str) -> UploadedMedia | None:
        """Return one entry of GET /media, validating only that entry."""
        reply = self._get("/media")
        items = self._list_field("/media", reply, "media")
        for item in items:
            if isinstance(item, dict) and item.get("id") == media_id:
                return self._validate(UploadedMedia, item, "GET", "/media", reply)
        logger.debug("media %s is not listed yet", media_id)
        return None

    def _decode(self, method: str, path: str, reply: Reply) -> object:
        if reply.body.truncated:
            raise self._untrusted(method, path, reply, "the response body is larger than the limit")
        if reply.body.problem:
            raise self._untrusted(
                method, path, reply, f"the body is unreadable ({reply.body.problem})"
            )
        try:
            return self._redactor.redact_json(load_json(reply.body.data))
        except ValueError:
            raise self._untrusted(method, path, reply, "the response body is not JSON") from None

    def _list_field(self, path: str, reply: Reply, name: str) -> list[Any]:
        data = self._decode("GET", path, reply)
        value = data.get(name) if isinstance(data, dict) else None
        if not isinstance(value, list):
            raise self._untrusted("GET", path, reply, f"the response has no {name!r} list")
        return value

    def _validate(
        self, model: type[Model], data: object, method: str, path: str, reply: Reply
    ) -> Model:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            reason = describe_validation_error(exc, self._redactor)
            raise self._untrusted(
                method, path, reply, f"invalid {model.__name__}: {reason}"
            ) from None

    def _untrusted(self, method: str, path: str, reply: Reply, reason: str) -> InvalidResponse:
        exchange = Exchange(method, path, self._redactor)
        return untrusted_response(exchange, reply.status, reason, reply.body)


def _default_headers(api_key: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {api_key}",
        "User-Agent": USER_AGENT,
        "Accept": "application/json",
        "Accept-Encoding": "identity",
    }


def _pooled_transport(max_connections: int) -> httpx.HTTPTransport:
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    # retries=0: httpx must not repeat anything behind the retry policy's back.
    return httpx.HTTPTransport(limits=limits, retries=0)


@contextlib.contextmanager
def _open_media(path: Path) -> Iterator[BinaryIO]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise LoomtaSyncError(
            f"{path}: cannot read the media file ({exc.strerror}); check that it exists and is "
            "readable"
        ) from exc
    with handle:
        yield handle
