"""HTTP-level behaviour: routing errors, the envelope on protocol errors, keep-alive, bodies."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from loomta_sync.emulator import RunningEmulator
from tests.emulator.emulator_helpers import post_body, upload
from tests.support.emulator import TEST_API_KEY


def send_raw(emulator: RunningEmulator, request: bytes) -> bytes:
    """Send raw bytes and read until the server closes, for requests httpx will not send."""
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as connection:
        connection.sendall(request)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    return data


def raw_exchange(emulator: RunningEmulator, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send a request that closes the connection and split the one response it gets."""
    head, _, body = send_raw(emulator, request).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("path", ["/", "/public", "/public/v1", "/public/v2/platforms"])
def test_http_unknown_path_is_404(http: httpx.Client, emulator: RunningEmulator, path: str) -> None:
    response = http.get(
        f"{emulator.root_url}{path}", headers={"Authorization": f"Bearer {TEST_API_KEY}"}
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/posts", "POST"),
        ("DELETE", "/posts/some-id", "GET"),
        ("PUT", "/media", "POST, GET"),
        ("POST", "/platforms", "GET"),
    ],
)
def test_http_wrong_method_is_405(api: httpx.Client, method: str, path: str, allow: str) -> None:
    response = api.request(method, path)

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response.headers["Allow"] == allow


def test_http_unsupported_method_uses_envelope(emulator: RunningEmulator) -> None:
    status, headers, body = raw_exchange(
        emulator, b"OPTIONS /public/v1/platforms HTTP/1.1\r\nHost: x\r\n\r\n"
    )

    assert status == 501
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["code"] == "not_implemented"


def test_http_bad_content_length(emulator: RunningEmulator) -> None:
    request = (
        b"POST /public/v1/posts HTTP/1.1\r\nHost: x\r\n"
        b"Authorization: Bearer " + TEST_API_KEY.encode() + b"\r\nContent-Length: ten\r\n\r\n"
    )

    status, headers, body = raw_exchange(emulator, request)

    assert status == 400
    assert json.loads(body)["code"] == "bad_request"
    assert headers["Connection"] == "close"


def test_http_malformed_request_line(emulator: RunningEmulator) -> None:
    # A request line without a version reads as HTTP/0.9, whose responses carry no headers.
    body = send_raw(emulator, b"GARBAGE\r\n\r\n")

    assert json.loads(body)["code"] == "bad_request"


def test_http_keeps_connection_alive(emulator: RunningEmulator) -> None:
    request = (
        b"GET /public/v1/platforms HTTP/1.1\r\nHost: x\r\n"
        b"Authorization: Bearer " + TEST_API_KEY.encode() + b"\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as connection:
        reader = connection.makefile("rb")
        for _ in range(3):
            connection.sendall(request)
            status_line = reader.readline()
            headers: dict[str, str] = {}
            while (line := reader.readline()) != b"\r\n":
                name, value = line.decode().rstrip("\r\n").split(": ", 1)
                headers[name] = value
            body = reader.read(int(headers["Content-Length"]))

            assert status_line.startswith(b"HTTP/1.1 200")
            assert "Connection" not in headers
            assert json.loads(body)["platforms"]
        reader.close()


def test_http_chunked_json_body(api: httpx.Client) -> None:
    payload = json.dumps(post_body([upload(api)])).encode()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(payload), 10):
            yield payload[start : start + 10]

    response = api.post("/posts", content=chunks(), headers={"Content-Type": "application/json"})

    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "created"


def test_http_error_bodies_have_envelope(api: httpx.Client) -> None:
    responses = [
        api.get("/platforms/unknown/schema"),
        api.post("/posts", content=b"{"),
        api.post("/posts", json={}),
        api.post("/media", content=b""),
        api.get("/posts/unknown"),
    ]

    for response in responses:
        body = response.json()
        assert response.status_code >= 400
        assert set(body) <= {"code", "message", "details"}
        assert isinstance(body["code"], str)
        assert isinstance(body["message"], str)
        assert "\n" not in body["message"]
