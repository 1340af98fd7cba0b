"""Reading a response body with a size limit, so a hostile server cannot exhaust memory.

The client asks for `Accept-Encoding: identity`. A server that compresses anyway is still read,
but the limit applies to the decompressed bytes, so a small compressed body that expands
a thousandfold stops at the limit too.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass

import httpx

MAX_BODY_BYTES = 1_048_576

# wbits for zlib.decompressobj: 32 + MAX_WBITS accepts both gzip and zlib headers.
_AUTO_HEADER_WBITS = 32 + zlib.MAX_WBITS
_COMPRESSED_ENCODINGS = frozenset({"gzip", "x-gzip", "deflate"})


@dataclass(frozen=True, slots=True)
class Body:
    """A response body read up to a limit.

    `data` contains at most `limit` bytes. `truncated` is set when the body was longer, and
    `problem` names a body that could not be decoded at all.
    """

    data: bytes
    truncated: bool = False
    problem: str | None = None

    @property
    def trusted(self) -> bool:
        return not self.truncated and self.problem is None


def read_body(response: httpx.Response, limit: int = MAX_BODY_BYTES) -> Body:
    """Read `response`'s body, decompressing gzip or deflate, stopping after `limit` bytes.

    Transport errors while reading (timeouts, resets) propagate as httpx exceptions.
    """
    try:
        # A response built in memory (by a test transport) was read and decoded on creation.
        content = response.content
    except httpx.ResponseNotRead:
        return _read_stream(response, limit)
    if len(content) > limit:
        return Body(content[:limit], truncated=True)
    return Body(content)


def _read_stream(response: httpx.Response, limit: int) -> Body:
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in _COMPRESSED_ENCODINGS and encoding not in ("", "identity"):
        return Body(b"", problem=f"unsupported Content-Encoding {encoding[:40]!r}")

    inflater = zlib.decompressobj(_AUTO_HEADER_WBITS) if encoding in _COMPRESSED_ENCODINGS else None
    chunks: list[bytes] = []
    size = 0
    for raw in response.iter_raw():
        room = limit + 1 - size
        if inflater is None:
            chunk = raw[:room]
        else:
            try:
                chunk = inflater.decompress(raw, room)
            except zlib.error:
                return Body(b"".join(chunks), problem=f"invalid {encoding} data")

        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return Body(b"".join(chunks)[:limit], truncated=True)

    return Body(b"".join(chunks))


def load_json(data: bytes) -> object:
    """Parse a JSON body; raises ValueError for invalid JSON, NaN or Infinity, or deep nesting."""
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def _reject_constant(name: str) -> object:
    raise ValueError(f"JSON constant {name} is not allowed")
