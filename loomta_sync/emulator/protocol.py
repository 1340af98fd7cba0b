"""Requests, responses and the error envelope, as the emulator's handlers see them.

Every 4xx and 5xx response has the body `{"code", "message", "details"?}`. `details` is a list
of Zod-style issues, `[{"path": ["comments", 0, "content"], "message": "..."}]`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

JsonObject = dict[str, Any]

# Maximum length of a client value echoed in a message, so that messages stay one short line.
MAX_ECHO_CHARS = 60


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request. Header names are lower case.

    Headers and body are left out of repr because the headers carry the API key.
    """

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    body: bytes = field(default=b"", repr=False)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP response with a JSON body."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)

    def encode_body(self) -> bytes:
        text = json.dumps(self.body, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8")


@dataclass(frozen=True, slots=True)
class Issue:
    """One Zod-style validation issue: the JSON path of the value and what is wrong with it."""

    path: tuple[str | int, ...]
    message: str

    def to_json(self) -> JsonObject:
        return {"path": list(self.path), "message": self.message}

    def describe(self) -> str:
        return f"{format_path(self.path)}: {self.message}"


class ApiFailure(Exception):
    """An error response that a handler raises: HTTP status, stable code, message, details."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: Sequence[Issue] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = tuple(details)
        self.headers = dict(headers or {})

    def to_response(self) -> Response:
        return Response(
            self.status, error_body(self.code, self.message, self.details), self.headers
        )


def error_body(code: str, message: str, details: Sequence[Issue] = ()) -> JsonObject:
    body: JsonObject = {"code": code, "message": message}
    if details:
        body["details"] = [issue.to_json() for issue in details]
    return body


def invalid_request(issues: Sequence[Issue], subject: str = "request body") -> ApiFailure:
    """Build the 400 `invalid_request` failure that lists every issue in `details`."""
    count = len(issues)
    noun = "issue" if count == 1 else "issues"
    message = f"{subject} is invalid ({count} {noun}); first: {issues[0].describe()}"
    return ApiFailure(400, "invalid_request", message, details=issues)


def parse_json_body(body: bytes) -> Any:
    """Decode a UTF-8 JSON body, or raise the 400 `invalid_json` failure."""
    if not body.strip():
        raise ApiFailure(400, "invalid_json", "request body is empty; send a JSON object")

    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        message = f"request body is not UTF-8 (byte {exc.start}); send UTF-8 JSON"
        raise ApiFailure(400, "invalid_json", message) from exc
    except json.JSONDecodeError as exc:
        message = (
            f"request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        )
        raise ApiFailure(400, "invalid_json", message) from exc
    except _NonStandardConstant as exc:
        message = f"request body is not valid JSON: {exc} is not a JSON value"
        raise ApiFailure(400, "invalid_json", message) from exc


class _NonStandardConstant(ValueError):
    """NaN or Infinity, which Python's json module accepts and JSON does not."""


def _reject_constant(name: str) -> Any:
    raise _NonStandardConstant(name)


def format_path(path: Sequence[str | int]) -> str:
    """Render a JSON path the way JavaScript would write it, e.g. `comments[0].content`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(body)"


def echo(value: Any) -> str:
    """Render a client value for a message as JSON, cut to MAX_ECHO_CHARS characters."""
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > MAX_ECHO_CHARS:
        text = text[: MAX_ECHO_CHARS - 1] + "…"
    return text


def json_type(value: Any) -> str:
    """Name a decoded JSON value's type with JavaScript's words (string, number, array, ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
