"""`POST /media` and `GET /media` over real multipart uploads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import httpx
import pytest

from tests.emulator.conftest import EmulatorFactory, api_client
from tests.emulator.emulator_helpers import JPEG_BYTES


@pytest.mark.parametrize(
    ("mime_type", "media_type"),
    [
        ("image/jpeg", "image"),
        ("image/webp", "image"),
        ("video/mp4", "video"),
        ("video/webm", "video"),
        ("video/quicktime", "video"),
    ],
)
def test_media_accepts_type_from_part(api: httpx.Client, mime_type: str, media_type: str) -> None:
    response = api.post("/media", files={"file": ("upload.bin", JPEG_BYTES, mime_type)})

    assert response.status_code == 200
    media = response.json()
    assert media["status"] == "READY"
    assert media["mimeType"] == mime_type
    assert media["mediaType"] == media_type
    assert media["size"] == len(JPEG_BYTES)
    assert media["originalFileName"] == "upload.bin"
    for name in ("id", "publicUrl", "previewUrl", "createdAt"):
        assert media[name]


def test_media_mime_field_overrides_part(api: httpx.Client) -> None:
    files = {"file": ("clip", b"video bytes", "application/octet-stream")}

    response = api.post("/media", files=files, data={"mimeType": "video/mp4"})

    assert response.status_code == 200
    assert response.json()["mimeType"] == "video/mp4"
    assert response.json()["mediaType"] == "video"


def test_media_keeps_binary_bytes_exact(api: httpx.Client) -> None:
    data = bytes(range(256)) * 4 + b"\r\n--boundary\r\n\r\n" + b"\r\n" * 3

    response = api.post("/media", files={"file": ("x.jpg", data, "image/jpeg")})

    assert response.status_code == 200
    assert response.json()["size"] == len(data)
    assert response.json()["sha256"] == hashlib.sha256(data).hexdigest()


def test_media_file_name_field_and_unicode(api: httpx.Client) -> None:
    plain = api.post("/media", files={"file": ("café ☕.jpg", JPEG_BYTES, "image/jpeg")})
    named = api.post(
        "/media",
        files={"file": ("ignored.jpg", JPEG_BYTES, "image/jpeg")},
        data={"fileName": "cover.jpg", "folderId": "folder-1", "mediaType": "image"},
    )

    assert plain.json()["originalFileName"] == "café ☕.jpg"
    assert named.json()["originalFileName"] == "cover.jpg"
    assert named.json()["folderId"] == "folder-1"


def test_media_without_file_part(api: httpx.Client) -> None:
    response = api.post(
        "/media",
        files={"document": ("a.jpg", JPEG_BYTES, "image/jpeg")},
        data={"mimeType": "image/jpeg"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_media_file"
    assert "'file'" in response.json()["message"]


def test_media_empty_file_rejected(api: httpx.Client) -> None:
    response = api.post("/media", files={"file": ("a.jpg", b"", "image/jpeg")})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_media_file"


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"Content-Type": "application/json"}, b'{"file": "a.jpg"}'),
        ({}, b""),
        ({"Content-Type": "multipart/form-data"}, b"--x\r\n"),
        ({"Content-Type": "multipart/form-data; boundary=x"}, b"no boundary here"),
        ({"Content-Type": "multipart/form-data; boundary=x"}, b"--x\r\nContent-Disposition: "),
    ],
)
def test_media_unreadable_upload(api: httpx.Client, headers: dict[str, str], body: bytes) -> None:
    response = api.post("/media", content=body, headers=headers)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_media_file"


@pytest.mark.parametrize(
    ("part_type", "field"),
    [
        ("image/png", None),
        ("image/gif", None),
        ("image/jpeg", "application/pdf"),
        ("video/mp4", "video/x-matroska"),
        (None, None),
    ],
)
def test_media_unsupported_type(
    api: httpx.Client, part_type: str | None, field: str | None
) -> None:
    file_part = ("a.bin", JPEG_BYTES) if part_type is None else ("a.bin", JPEG_BYTES, part_type)
    data = {} if field is None else {"mimeType": field}

    response = api.post("/media", files={"file": file_part}, data=data)

    assert response.status_code == 400
    assert response.json()["code"] == "unsupported_media_type"
    assert "image/jpeg" in response.json()["message"]


def test_media_type_field_must_match(api: httpx.Client) -> None:
    response = api.post(
        "/media",
        files={"file": ("a.jpg", JPEG_BYTES, "image/jpeg")},
        data={"mediaType": "video"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert response.json()["details"][0]["path"] == ["mediaType"]


def test_media_list_in_upload_order(api: httpx.Client) -> None:
    first = api.post("/media", files={"file": ("1.jpg", JPEG_BYTES, "image/jpeg")}).json()
    second = api.post("/media", files={"file": ("2.mp4", JPEG_BYTES, "video/mp4")}).json()

    response = api.get("/media")

    assert response.status_code == 200
    assert response.json() == {"media": [first, second]}


def test_media_chunked_upload(api: httpx.Client) -> None:
    request = api.build_request(
        "POST", "/media", files={"file": ("c.jpg", JPEG_BYTES, "image/jpeg")}
    )
    body = request.read()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 7):
            yield body[start : start + 7]

    headers = {"Content-Type": request.headers["Content-Type"]}
    response = api.post("/media", content=chunks(), headers=headers)

    assert response.status_code == 200
    assert response.json()["sha256"] == hashlib.sha256(JPEG_BYTES).hexdigest()


def test_media_over_body_limit_is_413(start: EmulatorFactory) -> None:
    emulator = start(max_body_bytes=1_000)

    with api_client(emulator) as api:
        response = api.post("/media", files={"file": ("a.jpg", b"x" * 2_000, "image/jpeg")})

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert "1000" in response.json()["message"]
