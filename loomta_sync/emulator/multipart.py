"""A multipart/form-data parser for uploads (RFC 7578).

The body is split on the boundary by hand so file bytes come back exactly as sent, and each
part's headers are read with the standard `email` parser, which handles quoting and RFC 2231
file names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message
from email.parser import HeaderParser
from email.utils import collapse_rfc2231_value

MAX_PARTS = 64

# Bytes allowed after a boundary: "--" to close the body, or optional padding and a line break.
_AFTER_DELIMITER = re.compile(rb"--|[ \t]*\r\n")


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data."""


@dataclass(frozen=True, slots=True)
class FormPart:
    """One form field: its name, the file name and content type if given, and its bytes."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


def boundary_of(content_type: str) -> str:
    """Return the boundary of a multipart/form-data Content-Type header.

    Raises MultipartError when the header names another type or has no boundary.
    """
    header = Message()
    header["content-type"] = content_type
    if header.get_content_type() != "multipart/form-data":
        raise MultipartError(
            f"Content-Type is {header.get_content_type()}, not multipart/form-data"
        )

    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise MultipartError("Content-Type multipart/form-data has no boundary parameter")
    return boundary


def parse_form_data(content_type: str, body: bytes) -> list[FormPart]:
    """Split a multipart/form-data body into its parts, in order."""
    delimiter = b"--" + boundary_of(content_type).encode("latin-1")
    start = body.find(delimiter)
    if start < 0:
        raise MultipartError("body does not contain the boundary from the Content-Type header")

    parts: list[FormPart] = []
    position = start + len(delimiter)
    while not body.startswith(b"--", position):
        line_end = body.find(b"\r\n", position)
        if line_end < 0:
            raise MultipartError("body ends inside a boundary line")

        content_start = line_end + 2
        content_end = _next_delimiter(body, b"\r\n" + delimiter, content_start)
        parts.append(_parse_part(body[content_start:content_end]))
        if len(parts) > MAX_PARTS:
            raise MultipartError(f"body has more than {MAX_PARTS} parts")
        position = content_end + 2 + len(delimiter)
    return parts


def _next_delimiter(body: bytes, delimiter: bytes, start: int) -> int:
    # A delimiter counts only when "--" or the end of its line follows it (RFC 2046 5.1.1),
    # so data that merely starts like the boundary stays data.
    position = body.find(delimiter, start)
    while position >= 0:
        if _AFTER_DELIMITER.match(body, position + len(delimiter)):
            return position
        position = body.find(delimiter, position + 1)
    raise MultipartError("body has no closing boundary")


def _parse_part(raw: bytes) -> FormPart:
    if raw.startswith(b"\r\n"):
        header_block, data = b"", raw[2:]
    else:
        header_block, separator, data = raw.partition(b"\r\n\r\n")
        if not separator:
            raise MultipartError("a part has no blank line between its headers and its data")

    # HTTP clients send field and file names as raw UTF-8, which the string parser keeps.
    headers = HeaderParser().parsestr(header_block.decode("utf-8", errors="replace") + "\r\n")
    disposition = headers.get("content-disposition")
    if disposition is None:
        raise MultipartError("a part has no Content-Disposition header")

    name = headers.get_param("name", header="content-disposition")
    if name is None:
        raise MultipartError("a part's Content-Disposition has no name parameter")

    filename = headers.get_filename()
    content_type = headers.get_content_type() if "content-type" in headers else None
    return FormPart(
        name=collapse_rfc2231_value(name),
        filename=filename,
        content_type=content_type,
        data=data,
    )
