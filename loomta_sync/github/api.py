"""A small client for the GitHub REST API: JSON requests, errors and Link-header pagination.

The base URL comes from `GITHUB_API_URL` (set by the runner, and different on GitHub Enterprise
Server) and the token from `GITHUB_TOKEN`. The token is sent only to the base URL's origin: a
`next` link that points elsewhere is rejected rather than followed.

Errors: every failure is a `GitHubApiError` (a `LoomtaSyncError`), raised `from` the httpx
exception or carrying the HTTP status and GitHub's `message`. The token never appears in it.
"""

from __future__ import annotations

import logging
import os
import urllib.parse
from collections.abc import Iterator
from types import TracebackType
from typing import Any, Self

import httpx

from loomta_sync import __version__
from loomta_sync.errors import LoomtaSyncError

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
PAGE_SIZE = 100
# A pull request with more than 100,000 comments is not a real case, so the cap only stops a
# server whose `next` links loop.
MAX_PAGES = 1_000


class GitHubApiError(LoomtaSyncError):
    """A failed GitHub API request. `status` is the HTTP status, or None for a network error."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class GitHubClient:
    """JSON over HTTPS to one GitHub API origin, with the token in the Authorization header."""

    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self._origin = _origin(self.api_url)
        self._http = httpx.Client(
            base_url=self.api_url,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {token}",
                "User-Agent": f"loomta-sync/{__version__}",
                "X-GitHub-Api-Version": API_VERSION,
            },
            timeout=timeout,
            transport=transport,
        )

    @classmethod
    def from_env(cls, token: str | None = None) -> Self:
        """Build a client from `GITHUB_API_URL` and `GITHUB_TOKEN` (or the given token)."""
        api_url = os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL
        token = token or os.environ.get("GITHUB_TOKEN")
        if not token:
            raise GitHubApiError(
                "no GitHub token: set GITHUB_TOKEN or pass the action's github-token input"
            )
        return cls(api_url, token)

    def __enter__(self) -> Self:
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

    def request(self, method: str, path: str, *, json: Any = None) -> Any:
        """Send one request and return the decoded JSON body (None for an empty body)."""
        response = self._send(method, path, json=json)
        return _decode(response, method, path)

    def paginate(self, path: str) -> Iterator[Any]:
        """Yield every item of a list endpoint, following `Link: <…>; rel="next"` to the end."""
        url: str | None = _with_page_size(path)
        pages = 0
        while url is not None:
            pages += 1
            if pages > MAX_PAGES:
                raise GitHubApiError(f"GET {path}: more than {MAX_PAGES} pages; stopped reading")
            response = self._send("GET", url)
            items = _decode(response, "GET", path)
            if not isinstance(items, list):
                raise GitHubApiError(
                    f"GET {path}: expected a JSON list, got {type(items).__name__}"
                )
            yield from items
            url = self._next_url(response, path)

    def _next_url(self, response: httpx.Response, path: str) -> str | None:
        link = response.links.get("next")
        if link is None or not link.get("url"):
            return None
        url = link["url"]
        if _origin(url) != self._origin:
            raise GitHubApiError(
                f"GET {path}: the next page link points to {_origin(url)}, not {self._origin}; "
                "the token is only sent to GITHUB_API_URL"
            )
        return url

    def _send(self, method: str, url: str, *, json: Any = None) -> httpx.Response:
        logger.debug("GitHub API %s %s", method, url)
        try:
            return self._http.request(method, url, json=json)
        except httpx.HTTPError as exc:
            raise GitHubApiError(
                f"{method} {self.api_url}: request failed ({type(exc).__name__}: {exc}); "
                "check GITHUB_API_URL and the network"
            ) from exc


def _decode(response: httpx.Response, method: str, path: str) -> Any:
    if response.status_code >= 400:
        raise GitHubApiError(
            f"{method} {path}: GitHub returned {response.status_code}: {_error_message(response)}",
            status=response.status_code,
        )
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError as exc:
        raise GitHubApiError(f"{method} {path}: response is not JSON") from exc


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or "no message"
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"]).replace("\n", " ")
    return response.reason_phrase or "no message"


def _with_page_size(path: str) -> str:
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}per_page={PAGE_SIZE}"


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
