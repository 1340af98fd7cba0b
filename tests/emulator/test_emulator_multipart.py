"""The multipart/form-data parser on hand-written bodies."""

from __future__ import annotations

import pytest

from loomta_sync.emulator.multipart import MAX_PARTS, MultipartError, parse_form_data

CONTENT_TYPE = "multipart/form-data; boundary=XyZ"


def form(*parts: bytes) -> bytes:
    return b"".join(b"--XyZ\r\n" + part + b"\r\n" for part in parts) + b"--XyZ--\r\n"


def test_multipart_reads_fields_and_file() -> None:
    body = form(
        b'Content-Disposition: form-data; name="mimeType"\r\n\r\nvideo/mp4',
        b'Content-Disposition: form-data; name="file"; filename="a b.mp4"\r\n'
        b"Content-Type: video/mp4\r\n\r\n\x00\r\n--XyZ-not-a-boundary\r\n",
    )

    mime_type, file_part = parse_form_data(CONTENT_TYPE, body)

    assert mime_type.name == "mimeType"
    assert mime_type.filename is None
    assert mime_type.content_type is None
    assert mime_type.text() == "video/mp4"
    assert file_part.name == "file"
    assert file_part.filename == "a b.mp4"
    assert file_part.content_type == "video/mp4"
    assert file_part.data == b"\x00\r\n--XyZ-not-a-boundary\r\n"


def test_multipart_skips_preamble_and_epilogue() -> None:
    body = b"preamble\r\n" + form(b'Content-Disposition: form-data; name="a"\r\n\r\n1') + b"end"

    (part,) = parse_form_data(CONTENT_TYPE, body)

    assert part.data == b"1"


def test_multipart_quoted_boundary_and_rfc2231_name() -> None:
    content_type = 'multipart/form-data; boundary="XyZ"'
    body = form(
        b"Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''caf%C3%A9.jpg\r\n\r\ndata"
    )

    (part,) = parse_form_data(content_type, body)

    assert part.filename == "café.jpg"


def test_multipart_utf8_file_name() -> None:
    body = form('Content-Disposition: form-data; name="file"; filename="ü.jpg"\r\n\r\nx'.encode())

    (part,) = parse_form_data(CONTENT_TYPE, body)

    assert part.filename == "ü.jpg"


def test_multipart_empty_form() -> None:
    assert parse_form_data(CONTENT_TYPE, b"--XyZ--\r\n") == []


@pytest.mark.parametrize(
    ("content_type", "body", "reason"),
    [
        ("application/json", b"{}", "not multipart/form-data"),
        ("multipart/form-data", b"--XyZ--", "no boundary"),
        (CONTENT_TYPE, b"nothing", "does not contain the boundary"),
        (CONTENT_TYPE, b"--XyZ", "ends inside a boundary line"),
        (CONTENT_TYPE, b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1', "closing"),
        (CONTENT_TYPE, form(b"Content-Type: text/plain\r\n\r\n1"), "no Content-Disposition"),
        (CONTENT_TYPE, form(b"Content-Disposition: form-data\r\n\r\n1"), "no name"),
        (CONTENT_TYPE, form(b'Content-Disposition: form-data; name="a"'), "no blank line"),
    ],
)
def test_multipart_rejects_malformed(content_type: str, body: bytes, reason: str) -> None:
    with pytest.raises(MultipartError, match=reason):
        parse_form_data(content_type, body)


def test_multipart_limits_part_count() -> None:
    part = b'Content-Disposition: form-data; name="a"\r\n\r\n1'

    with pytest.raises(MultipartError, match="more than"):
        parse_form_data(CONTENT_TYPE, form(*[part] * (MAX_PARTS + 1)))
