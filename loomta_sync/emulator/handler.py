"""The HTTP layer: read a request off the socket, pass it to `dispatch`, write the response.

Connections are kept alive (HTTP/1.1) and Nagle's algorithm is off, so a client that sends
many small requests on one connection does not wait for delayed ACKs. The access log goes to
the `logging` module at DEBUG level and shows method, path and status only: never headers,
so never the API key.
"""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from loomta_sync.emulator.dispatch import handle_request
from loomta_sync.emulator.protocol import ApiFailure, Request, Response, error_body

if TYPE_CHECKING:
    from loomta_sync.emulator.app import Emulator

logger = logging.getLogger(__name__)

# Seconds that an idle keep-alive connection stays open. It also bounds a stalled upload.
IDLE_TIMEOUT_SECONDS = 60
MAX_CHUNK_LINE_BYTES = 1024

# Extension: codes for errors that http.server raises before a request reaches a route.
PROTOCOL_ERROR_CODES = {
    400: "bad_request",
    408: "request_timeout",
    413: "payload_too_large",
    414: "uri_too_long",
    431: "headers_too_large",
    501: "not_implemented",
    505: "http_version_not_supported",
}


class EmulatorServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that carries the emulator's state for its handlers."""

    app: Emulator


class EmulatorRequestHandler(BaseHTTPRequestHandler):
    server: EmulatorServer
    protocol_version = "HTTP/1.1"
    server_version = "LoomtaEmulator"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT_SECONDS

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Send a protocol error as the JSON envelope instead of http.server's HTML page."""
        self.log_error("protocol error %d: %s", code, message or "")
        reason = message or self.responses.get(code, ("error",))[0]
        self.close_connection = True
        self._write(
            Response(code, error_body(PROTOCOL_ERROR_CODES.get(code, "http_error"), reason))
        )

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = urlsplit(self.path).path if hasattr(self, "path") else "-"
        logger.debug("%s %s -> %s", self.command, path, code)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s: " + format, self.address_string(), *args)

    def _serve(self) -> None:
        app = self.server.app
        try:
            request = self._read_request(app.options.max_body_bytes)
        except ApiFailure as failure:
            # The rest of the body may still be on the socket, so the connection cannot be reused.
            self.close_connection = True
            self._write(failure.to_response())
            return

        outcome = handle_request(app, request)
        if outcome.response is None:
            self.close_connection = True
            return
        self._write(outcome.response)

    def _read_request(self, max_body_bytes: int) -> Request:
        target = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = self._read_chunked(max_body_bytes)
        else:
            body = self._read_sized(headers.get("content-length"), max_body_bytes)
        return Request(self.command, target.path, headers, body)

    def _read_sized(self, content_length: str | None, limit: int) -> bytes:
        if content_length is None:
            return b""
        try:
            length = int(content_length)
        except ValueError:
            length = -1
        if length < 0:
            raise ApiFailure(400, "bad_request", "Content-Length is not a non-negative integer")

        # NOTE: a body over the limit is not read, so a client still sending a large upload
        # may see the connection reset instead of the 413 response.
        _check_size(length, limit)
        body = self.rfile.read(length)
        if len(body) < length:
            raise ApiFailure(
                400, "bad_request", f"request body ended after {len(body)} of {length} bytes"
            )
        return body

    def _read_chunked(self, limit: int) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(MAX_CHUNK_LINE_BYTES)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError as exc:
                raise ApiFailure(
                    400, "bad_request", "chunked body has an invalid size line"
                ) from exc

            if size == 0:
                self._skip_trailers()
                return b"".join(chunks)
            total += size
            _check_size(total, limit)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(MAX_CHUNK_LINE_BYTES)

    def _skip_trailers(self) -> None:
        while self.rfile.readline(MAX_CHUNK_LINE_BYTES) not in (b"\r\n", b"\n", b""):
            pass

    def _write(self, response: Response) -> None:
        payload = response.encode_body()
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up first, for example after its timeout during a slow response.
            logger.debug("client closed the connection before the response was sent")
            self.close_connection = True


def _check_size(length: int, limit: int) -> None:
    if length > limit:
        raise ApiFailure(
            413,
            "payload_too_large",
            f"request body is {length} bytes, over the maximum of {limit}; send a smaller body",
        )
