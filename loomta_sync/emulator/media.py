"""`POST /media` and `GET /media`: uploads kept as records, without their bytes.

The emulator stores each upload's size and sha256 but drops the bytes, so memory stays small
however many videos a benchmark uploads. Every upload is READY at once, as documented.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from loomta_sync.emulator.clock import format_instant
from loomta_sync.emulator.multipart import FormPart, MultipartError, parse_form_data
from loomta_sync.emulator.protocol import ApiFailure, Issue, JsonObject, echo, invalid_request

# Accepted upload types and the media type each one is.
ACCEPTED_MIME_TYPES: dict[str, str] = {
    "image/jpeg": "image",
    "image/webp": "image",
    "video/mp4": "video",
    "video/webm": "video",
    "video/quicktime": "video",
}


@dataclass(frozen=True, slots=True)
class Upload:
    """A checked upload, before it gets an id."""

    mime_type: str
    media_type: str
    size: int
    sha256: str
    original_file_name: str
    folder_id: str | None


@dataclass(frozen=True, slots=True)
class MediaRecord:
    """An uploaded file as the emulator stores it."""

    id: str
    upload: Upload
    created_at: datetime

    @property
    def media_type(self) -> str:
        return self.upload.media_type

    def to_json(self) -> JsonObject:
        upload = self.upload
        # The .invalid top-level domain never resolves, so these URLs are data only.
        url = f"https://media.loomta.invalid/{self.id}/{quote(upload.original_file_name)}"
        created = format_instant(self.created_at)
        return {
            "id": self.id,
            "status": "READY",
            "mimeType": upload.mime_type,
            "mediaType": upload.media_type,
            "size": upload.size,
            "sha256": upload.sha256,
            "originalFileName": upload.original_file_name,
            "folderId": upload.folder_id,
            "publicUrl": url,
            "previewUrl": url,
            "createdAt": created,
            "updatedAt": created,
        }


def read_upload(content_type: str | None, body: bytes) -> Upload:
    """Check a multipart upload and describe it.

    Raises ApiFailure: `invalid_media_file` without a non-empty `file` part,
    `unsupported_media_type` for a type outside ACCEPTED_MIME_TYPES, and `invalid_request`
    when `mediaType` disagrees with the type.
    """
    parts = _form_parts(content_type, body)
    file_part = parts.get("file")
    if file_part is None:
        raise ApiFailure(
            400, "invalid_media_file", "upload has no 'file' part; send the file as field 'file'"
        )
    # Extension: an empty file is rejected too, because no post can use it.
    if not file_part.data:
        raise ApiFailure(400, "invalid_media_file", "upload's 'file' part is empty (0 bytes)")

    mime_type = _mime_type(parts, file_part)
    media_type = ACCEPTED_MIME_TYPES[mime_type]
    _check_media_type_field(parts, media_type)

    folder = parts.get("folderId")
    return Upload(
        mime_type=mime_type,
        media_type=media_type,
        size=len(file_part.data),
        sha256=hashlib.sha256(file_part.data).hexdigest(),
        original_file_name=_file_name(parts, file_part),
        folder_id=folder.text() if folder is not None else None,
    )


def _form_parts(content_type: str | None, body: bytes) -> dict[str, FormPart]:
    if content_type is None:
        raise ApiFailure(
            400, "invalid_media_file", "upload has no Content-Type; send multipart/form-data"
        )
    try:
        parts = parse_form_data(content_type, body)
    except MultipartError as exc:
        raise ApiFailure(400, "invalid_media_file", f"upload is not readable: {exc}") from exc

    # A repeated field keeps its first value.
    by_name: dict[str, FormPart] = {}
    for part in parts:
        by_name.setdefault(part.name, part)
    return by_name


def _mime_type(parts: dict[str, FormPart], file_part: FormPart) -> str:
    # The `mimeType` field wins over the part's own Content-Type.
    field = parts.get("mimeType")
    declared = field.text().strip().lower() if field is not None else file_part.content_type
    if declared not in ACCEPTED_MIME_TYPES:
        accepted = ", ".join(ACCEPTED_MIME_TYPES)
        declared_text = echo(declared) if declared is not None else "missing"
        raise ApiFailure(
            400,
            "unsupported_media_type",
            f"media type {declared_text} is not accepted; upload one of {accepted}",
        )
    return declared


def _check_media_type_field(parts: dict[str, FormPart], media_type: str) -> None:
    # Extension: a `mediaType` that contradicts the MIME type is an invalid_request.
    field = parts.get("mediaType")
    if field is None:
        return
    value = field.text().strip()
    if value != media_type:
        issue = Issue(
            ("mediaType",),
            f"is {echo(value)} but the file's MIME type makes it {echo(media_type)}; "
            "drop mediaType or make it match",
        )
        raise invalid_request([issue], subject="upload")


def _file_name(parts: dict[str, FormPart], file_part: FormPart) -> str:
    field = parts.get("fileName")
    if field is not None and field.text().strip():
        return field.text().strip()
    return file_part.filename or "upload"
