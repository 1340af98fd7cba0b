"""Upload each media file once per content hash, before any post that needs it is sent."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from loomta_sync.applier.groups import RequestGroup
from loomta_sync.calendar.model import MediaItem
from loomta_sync.client.errors import ApiError, AuthenticationFailed
from loomta_sync.client.http import LoomtaClient
from loomta_sync.errors import LoomtaSyncError
from loomta_sync.state import journal
from loomta_sync.state.model import MediaRecord
from loomta_sync.state.store import Session

logger = logging.getLogger(__name__)


class MediaUploader:
    """Uploader of the local files that a plan's requests need.

    `errors` maps the sha256 of each file whose upload failed to a description of the failure.
    """

    def __init__(self, root: Path, client: LoomtaClient, session: Session) -> None:
        self._root = root
        self._client = client
        self._session = session
        self.errors: dict[str, str] = {}

    def upload_all(self, groups: list[RequestGroup], parallelism: int) -> dict[str, str | None]:
        """Return sha256 → media id for every local file the groups need; None where it failed.

        Files already in the state's media map are not uploaded again. A lost upload response
        leaves at most an unused file in the Loomta library, never a post, so uploads may be
        repeated safely. Raises AuthenticationFailed when the API rejects the key, because
        every later request would be rejected too.
        """
        needed = _local_media(groups)
        known = self._session.state.media
        result: dict[str, str | None] = {sha: known[sha].media_id for sha in needed if sha in known}
        pending = [item for sha, item in sorted(needed.items()) if sha not in known]

        with ThreadPoolExecutor(max_workers=max(1, parallelism)) as pool:
            for sha, media_id in pool.map(self._upload, pending):
                result[sha] = media_id
        return result

    def _upload(self, item: MediaItem) -> tuple[str, str | None]:
        assert item.sha256 is not None and item.path is not None
        path = self._root / item.path
        mime_type = item.mime_type or "application/octet-stream"
        media_type = "video" if mime_type.startswith("video/") else "image"
        try:
            uploaded = self._client.upload_media(
                path, mime_type=mime_type, media_type=media_type, file_name=path.name
            )
        except AuthenticationFailed:
            raise
        except (LoomtaSyncError, OSError) as exc:
            logger.error("upload of %s failed: %s", item.path, exc)
            self.errors[item.sha256] = _describe_failure(exc)
            return item.sha256, None

        record = MediaRecord(
            media_id=uploaded.id,
            mime_type=mime_type,
            size=item.size or 0,
            uploaded_at=datetime.now(UTC),
        )
        self._session.record(journal.media_uploaded(item.sha256, record))
        return item.sha256, uploaded.id


def _describe_failure(exc: Exception) -> str:
    """Describe a failed upload without the client's hint, which is about posts.

    A lost upload response is harmless: the next apply uploads the file again, and at most an
    unused copy stays in the Loomta library.
    """
    if not isinstance(exc, ApiError):
        return str(exc)
    parts = [part for part in (exc.status and f"HTTP {exc.status}", exc.code) if part]
    return " ".join([*parts, exc.message]) if parts else exc.message


def _local_media(groups: list[RequestGroup]) -> dict[str, MediaItem]:
    needed: dict[str, MediaItem] = {}
    for group in groups:
        items = list(group.payload.media)
        for comment in group.payload.comments:
            items.extend(comment.media)
        for item in items:
            if item.sha256 is not None and item.path is not None:
                needed.setdefault(item.sha256, item)
    return needed
