"""Exceptions raised by the Loomta API client.

ApiError(LoomtaSyncError)           any failed call; `status`, `code`, `message`, `details`
├── AuthenticationFailed            401: stop the whole apply
│   ├── MissingApiKey               401 missing_api_key
│   └── InvalidApiKey               401 invalid_api_key
├── InvalidRequest                  400 invalid_request; `issues` lists every validation issue
├── InvalidJson                     400 invalid_json
├── InvalidMediaFile                400 invalid_media_file
├── UnsupportedMediaType            400 unsupported_media_type
├── PlatformNotFound                404 platform_not_found
├── PostNotFound                    404 with a JSON error body: no code, not_found, post_not_found
├── PostLimitReached                409 post_limit_reached: the monthly quota is used up
├── RateLimited                     429; `retry_after` in seconds or None
├── UnexpectedApiError              any other 4xx, or a 4xx whose body is not the error envelope
├── MediaNotReady                   an upload stayed PENDING past the polling timeout
├── ServerError                     5xx; `status`
│   ├── ServiceUnavailable          503 with Retry-After: the server did not process the request
│   └── ServerOutcomeUnknown        any other 5xx (also an OutcomeUnknown)
├── RequestNotSent                  the request never left this machine, so it had no effect
└── OutcomeUnknown                  the request may have reached the server and taken effect
    ├── ServerOutcomeUnknown
    └── InvalidResponse             a 2xx or 3xx response whose body cannot be trusted

Every other class means that the request had no effect, because the server rejected it or it
never left this machine. MediaNotReady is the exception: its upload succeeded, but the media
cannot be used yet. `may_have_taken_effect` is True only for OutcomeUnknown on a POST or PATCH.

Text that comes from a response is sanitized and the API key is redacted from it before it
reaches an exception, so `str()` of any of these is one line and safe to print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from loomta_sync.errors import LoomtaSyncError


@dataclass(frozen=True, slots=True)
class Issue:
    """One validation issue from `details` of an invalid_request error."""

    path: tuple[str | int, ...]
    message: str

    def format(self) -> str:
        where = ".".join(str(part) for part in self.path) or "(body)"
        return f"{where}: {self.message}"


class ApiError(LoomtaSyncError):
    """A call to the Loomta API failed.

    `message` is the server's own text (sanitized), or a description of the failure when the
    server sent none. `str()` adds the request, the status, the code and `hint`, the next step
    for the user. A `hint` argument replaces the class's hint for this instance.
    """

    hint: str = "check the request and the Loomta documentation for this error code"

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        code: str | None = None,
        details: Any = None,
        retry_after: float | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.details = details
        self.retry_after = retry_after
        if hint is not None:
            self.hint = hint
        super().__init__(self._format())

    @property
    def may_have_taken_effect(self) -> bool:
        """Whether the server may have acted on the request, so it must not be sent again.

        Reads (GET) never take effect, even when their outcome is unknown.
        """
        return isinstance(self, OutcomeUnknown) and self.method != "GET"

    def _format(self) -> str:
        parts = []
        if self.method and self.path:
            parts.append(f"{self.method} {self.path}")
        response = " ".join(
            part for part in (_status_text(self.status), self.code) if part is not None
        )
        if response:
            parts.append(response)
        parts.append(self._describe())
        return ": ".join(parts) + f"; {self.hint}"

    def _describe(self) -> str:
        return self.message


class AuthenticationFailed(ApiError):
    hint = "set LOOMTA_API_KEY to a valid key of the workspace (it starts with loomta_sk_)"


class MissingApiKey(AuthenticationFailed):
    pass


class InvalidApiKey(AuthenticationFailed):
    hint = "the key is unknown, malformed or revoked: create a new key in Loomta and set it"


class InvalidRequest(ApiError):
    """The body failed validation. `issues` lists what the server reported, at most 50."""

    hint = "fix the listed fields and run again"
    shown_issues: ClassVar[int] = 3

    def __init__(self, message: str, *, issues: Sequence[Issue] = (), **kwargs: Any) -> None:
        self.issues = tuple(issues)
        super().__init__(message, **kwargs)

    def _describe(self) -> str:
        if not self.issues:
            return self.message
        listed = "; ".join(issue.format() for issue in self.issues[: self.shown_issues])
        hidden = len(self.issues) - self.shown_issues
        more = f" (and {hidden} more)" if hidden > 0 else ""
        return f"{self.message} ({listed}){more}"


class InvalidJson(ApiError):
    hint = "this is a bug in loomta-sync: report it with the log"


class InvalidMediaFile(ApiError):
    hint = "the upload had no file part: report it with the log"


class UnsupportedMediaType(ApiError):
    hint = "use image/jpeg, image/webp, video/mp4, video/webm or video/quicktime"


class PlatformNotFound(ApiError):
    hint = "the platform is unknown, disabled or needs a token refresh: reconnect it in Loomta"


class PostNotFound(ApiError):
    hint = "the post does not exist in this workspace: check the post id and the API key"


class PostLimitReached(ApiError):
    hint = "the plan's monthly post quota is used up: wait for the next month or upgrade"


class RateLimited(ApiError):
    hint = "wait for the time in Retry-After, then run again"


class UnexpectedApiError(ApiError):
    """A 4xx with an error code this client does not know, or with no error envelope."""

    hint = "the request was rejected: check the API URL and the server's message"


class MediaNotReady(ApiError):
    """An upload was accepted, but its status never became READY. `media_id` is its id."""

    hint = "the media exists but cannot be used yet: run again later"

    def __init__(self, message: str, *, media_id: str, **kwargs: Any) -> None:
        self.media_id = media_id
        super().__init__(message, **kwargs)


class ServerError(ApiError):
    hint = "Loomta failed to process the request: run again later"


class ServiceUnavailable(ServerError):
    hint = "Loomta is unavailable: wait for the time in Retry-After, then run again"


class RequestNotSent(ApiError):
    hint = "no request reached Loomta: check the API URL and the network, then run again"


class OutcomeUnknown(ApiError):
    hint = (
        "the request may have taken effect: check the post in Loomta, then resolve it with "
        "`loomta-sync state resolve` before anything is sent again"
    )


class ServerOutcomeUnknown(ServerError, OutcomeUnknown):
    hint = OutcomeUnknown.hint


class InvalidResponse(OutcomeUnknown):
    """A successful status with a body that is not the documented shape."""


def _status_text(status: int | None) -> str | None:
    return None if status is None else f"HTTP {status}"
