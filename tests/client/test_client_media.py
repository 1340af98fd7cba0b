"""Media uploads: the form, retries that resend the whole file, and polling until READY."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from loomta_sync.client import (
    InvalidResponse,
    MediaNotReady,
    MediaStatus,
    OutcomeUnknown,
    UnsupportedMediaType,
    UploadedMedia,
)
from loomta_sync.errors import LoomtaSyncError
from tests.client.client_fakes import (
    MEDIA_ID,
    FakeClock,
    Recorder,
    error_body,
    make_client,
    media_item,
)

OTHER_MEDIA = "20000000-0000-4000-8000-000000000009"


@pytest.fixture
def image(tmp_path: Path) -> Path:
    path = tmp_path / "launch.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    return path


def media_list(*items: dict[str, object]) -> httpx.Response:
    return httpx.Response(200, json={"media": list(items)})


def upload(recorder: Recorder, clock: FakeClock, image: Path, **kwargs: Any) -> UploadedMedia:
    with make_client(recorder, clock, **kwargs) as client:
        return client.upload_media(
            image,
            mime_type="image/jpeg",
            media_type="image",
            file_name="launch.jpg",
            idempotency_key="media-key-1",
        )


def test_ready_upload_returned_at_once(clock: FakeClock, image: Path) -> None:
    recorder = Recorder([httpx.Response(200, json=media_item(size=image.stat().st_size))])

    media = upload(recorder, clock, image)

    assert media == UploadedMedia.model_validate(media_item(size=image.stat().st_size))
    assert len(recorder.requests) == 1
    request = recorder.requests[0]
    assert request.method == "POST"
    assert request.url.path == "/public/v1/media"
    assert request.headers["Idempotency-Key"] == "media-key-1"
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert image.read_bytes() in recorder.bodies[0]
    assert b'name="mediaType"' in recorder.bodies[0]


def test_retry_resends_whole_file(clock: FakeClock, image: Path) -> None:
    recorder = Recorder(
        [httpx.ConnectError("refused"), httpx.Response(200, json=media_item(size=5))]
    )

    upload(recorder, clock, image)

    assert len(recorder.requests) == 2
    assert image.read_bytes() in recorder.bodies[1]
    assert len(recorder.bodies[0]) == len(recorder.bodies[1])
    assert recorder.requests[1].headers["Idempotency-Key"] == "media-key-1"


def test_pending_upload_polled_until_ready(clock: FakeClock, image: Path) -> None:
    recorder = Recorder(
        [
            httpx.Response(200, json=media_item("PENDING")),
            media_list(media_item("READY", OTHER_MEDIA), media_item("PENDING")),
            media_list({"id": OTHER_MEDIA, "status": "junk"}),
            media_list(media_item("READY")),
        ]
    )

    media = upload(recorder, clock, image)

    assert media.status is MediaStatus.READY
    assert media.id == MEDIA_ID
    assert [request.method for request in recorder.requests] == ["POST", "GET", "GET", "GET"]
    assert [seconds for _, seconds in clock.sleeps] == [1.0, 2.0, 4.0]


def test_pending_upload_times_out(clock: FakeClock, image: Path) -> None:
    recorder = Recorder(
        [httpx.Response(200, json=media_item("PENDING")), media_list(media_item("PENDING"))]
    )

    with pytest.raises(MediaNotReady) as caught:
        upload(recorder, clock, image, media_ready_timeout=30.0)

    assert caught.value.media_id == MEDIA_ID
    assert "still PENDING after 30 s" in str(caught.value)
    assert clock.total_slept() == pytest.approx(30.0)


def test_poll_with_malformed_entry_untrusted(clock: FakeClock, image: Path) -> None:
    recorder = Recorder(
        [
            httpx.Response(200, json=media_item("PENDING")),
            media_list({"id": MEDIA_ID, "status": "DONE", "mimeType": "image/jpeg", "size": 1}),
        ]
    )

    with pytest.raises(InvalidResponse) as caught:
        upload(recorder, clock, image)

    assert "status" in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        media_item(media_id="m-1"),
        media_item(status="UPLOADING"),
        {"id": MEDIA_ID, "status": "READY"},
        media_item(size=-1),
    ],
    ids=["id", "status", "fields", "size"],
)
def test_malformed_upload_reply_untrusted(clock: FakeClock, image: Path, body: object) -> None:
    recorder = Recorder([httpx.Response(200, json=body)])

    with pytest.raises(InvalidResponse) as caught:
        upload(recorder, clock, image)

    assert caught.value.may_have_taken_effect


def test_unsupported_type_rejected(clock: FakeClock, image: Path) -> None:
    recorder = Recorder([httpx.Response(400, json=error_body("unsupported_media_type"))])

    with pytest.raises(UnsupportedMediaType):
        upload(recorder, clock, image)

    assert len(recorder.requests) == 1


def test_upload_timeout_not_retried(clock: FakeClock, image: Path) -> None:
    recorder = Recorder([httpx.WriteTimeout("timed out"), httpx.Response(200, json=media_item())])

    with pytest.raises(OutcomeUnknown):
        upload(recorder, clock, image)

    assert len(recorder.requests) == 1


def test_missing_file_sends_nothing(clock: FakeClock, tmp_path: Path) -> None:
    recorder = Recorder([httpx.Response(200, json=media_item())])
    missing = tmp_path / "gone.jpg"

    with pytest.raises(LoomtaSyncError) as caught:
        upload(recorder, clock, missing)

    assert recorder.requests == []
    assert str(missing) in str(caught.value)
    assert "cannot read the media file" in str(caught.value)


def test_list_media_validates_entries(clock: FakeClock) -> None:
    recorder = Recorder([media_list(media_item(), media_item("PENDING", OTHER_MEDIA))])

    with make_client(recorder, clock) as client:
        media = client.list_media()

    assert [item.id for item in media] == [MEDIA_ID, OTHER_MEDIA]
    assert [item.status for item in media] == [MediaStatus.READY, MediaStatus.PENDING]
