"""Execute a plan: move state entries, upload media, create and reschedule posts.

Safety rests on the journal: each request's targets are recorded as in flight before it is sent
and each platform's outcome after, so a crash at any instant leaves a state that the next plan
reads correctly. A request whose outcome is not certain is recorded as unknown and is never
sent again on its own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from loomta_sync.applier.body import post_body
from loomta_sync.applier.groups import RequestGroup, group_creates
from loomta_sync.applier.media import MediaUploader
from loomta_sync.applier.outcomes import record_exception, record_outcome
from loomta_sync.applier.report import ApplyReport, Outcome, TargetResult
from loomta_sync.client.errors import (
    ApiError,
    AuthenticationFailed,
    OutcomeUnknown,
    PostLimitReached,
)
from loomta_sync.client.http import LoomtaClient
from loomta_sync.errors import StateError
from loomta_sync.planner.model import BLOCKING_KINDS, Change, ChangeKind, Plan
from loomta_sync.state import journal
from loomta_sync.state.store import Session

logger = logging.getLogger(__name__)

DEFAULT_PARALLELISM = 4


@dataclass(frozen=True, slots=True)
class ApplyOptions:
    parallelism: int = DEFAULT_PARALLELISM


class Applier:
    """Run one plan against the API, recording every step in the state session."""

    def __init__(
        self,
        project_root: Path,
        client: LoomtaClient,
        session: Session,
        options: ApplyOptions,
        on_result: Callable[[TargetResult], None] = lambda result: None,
    ) -> None:
        self._root = project_root
        self._client = client
        self._session = session
        self._options = options
        self._on_result = on_result
        self._report = ApplyReport()
        self._report_lock = threading.Lock()
        self._stop = threading.Event()
        # Why the apply stopped and what the user should do, once a fatal error was seen.
        self._stop_cause: str | None = None
        self._stop_fix = ""
        self._media_errors: dict[str, str] = {}

    def run(self, plan: Plan) -> ApplyReport:
        """Apply the plan's moves, creates and reschedules, and return what happened to each.

        Raises StateError when the journal cannot be written. No request is sent after that,
        and the requests already in flight finish first.
        """
        self._report.blocked = sum(1 for c in plan.changes if c.kind in BLOCKING_KINDS)
        self._apply_moves(plan)

        groups = group_creates(plan.changes)
        # A renamed post whose time changed too is re-keyed first (above), then rescheduled.
        reschedules = [
            c
            for c in plan.changes
            if c.kind is ChangeKind.RESCHEDULE
            or (c.kind is ChangeKind.MOVED and "scheduledFor" in c.changed_fields)
        ]
        uploaded = self._upload_media(groups)

        with ThreadPoolExecutor(max_workers=max(1, self._options.parallelism)) as pool:
            futures: list[Future[None]] = [
                pool.submit(self._guarded, self._create, group, uploaded) for group in groups
            ]
            futures += [pool.submit(self._guarded, self._reschedule, c) for c in reschedules]
            failures = [error for future in futures if (error := future.exception()) is not None]

        self._report.stop_reason = self._describe_stop()
        if failures:
            raise failures[0]
        return self._report

    def _upload_media(self, groups: list[RequestGroup]) -> dict[str, str | None]:
        uploader = MediaUploader(self._root, self._client, self._session)
        try:
            uploaded = uploader.upload_all(groups, self._options.parallelism)
        except AuthenticationFailed as exc:
            self._stop_if_fatal(exc)
            uploaded = {}
        self._media_errors = uploader.errors
        return uploaded

    def _guarded(self, work: Callable[..., None], *args: object) -> None:
        """Run one request's work. A journal failure stops every later request."""
        try:
            work(*args)
        except StateError:
            self._halt("the journal cannot be written", "fix the error above, then run again")
            raise

    def _apply_moves(self, plan: Plan) -> None:
        for change in plan.changes:
            if change.kind is not ChangeKind.MOVED or change.previous_key is None:
                continue
            source = change.location.path if change.location else None
            self._session.record(
                journal.moved(
                    change.previous_key, change.post_key, change.platform_id, source=source
                )
            )
            self._add(
                TargetResult(
                    change.post_key,
                    change.platform_id,
                    Outcome.MOVED,
                    f"from {change.previous_key}",
                )
            )

    def _create(self, group: RequestGroup, uploaded: dict[str, str | None]) -> None:
        if self._stop.is_set():
            self._skip(group, self._skip_reason())
            return

        missing = self._missing_media(group, uploaded)
        if missing:
            self._skip(group, f"media upload failed: {'; '.join(missing)}")
            return

        ids = {sha: media_id for sha, media_id in uploaded.items() if media_id}
        body = post_body(group.payload, group.platform_ids, ids)
        self._session.record(
            journal.in_flight(
                group.post_key,
                list(group.platform_ids),
                group.idempotency_key,
                group.payload.body_digest(),
                group.payload.scheduled_for,
                group.payload.mode,
                group.source,
                field_digests=group.payload.field_digests(),
            )
        )

        try:
            outcome = self._client.create_post(body, idempotency_key=group.idempotency_key)
        except (ApiError, OutcomeUnknown) as exc:
            results = record_exception(self._session, group, exc)
            self._stop_if_fatal(exc)
        except Exception as exc:  # a bug must not leave targets in flight: record them unknown
            logger.exception("unexpected error while creating %s", group.post_key)
            results = record_exception(self._session, group, exc)
        else:
            results = record_outcome(self._session, group, outcome)
        for result in results:
            self._add(result)

    def _missing_media(self, group: RequestGroup, uploaded: dict[str, str | None]) -> list[str]:
        """Describe each local file of the group whose upload failed, with the error."""
        items = list(group.payload.media)
        for comment in group.payload.comments:
            items.extend(comment.media)

        missing = []
        for item in items:
            if item.sha256 and not uploaded.get(item.sha256):
                error = self._media_errors.get(item.sha256, "not uploaded")
                missing.append(f"{item.path}: {error}")
        return missing

    def _reschedule(self, change: Change) -> None:
        record = change.record
        payload = change.payload
        if record is None or payload is None or payload.scheduled_for is None:
            return
        if self._stop.is_set():
            self._add(
                TargetResult(
                    change.post_key, change.platform_id, Outcome.NOT_ATTEMPTED, self._skip_reason()
                )
            )
            return
        if record.root_post_id is None:
            self._add(
                TargetResult(
                    change.post_key,
                    change.platform_id,
                    Outcome.FAILED,
                    "the state has no post id to reschedule",
                )
            )
            return

        try:
            group = self._client.reschedule_post(record.root_post_id, payload.scheduled_for)
        except (ApiError, OutcomeUnknown) as exc:
            self._stop_if_fatal(exc)
            self._add(
                TargetResult(
                    change.post_key, change.platform_id, Outcome.FAILED, f"reschedule failed: {exc}"
                )
            )
            return

        self._session.record(
            journal.rescheduled(
                change.post_key, change.platform_id, payload.scheduled_for, str(group.root.state)
            )
        )
        when = payload.scheduled_for.isoformat()
        self._add(TargetResult(change.post_key, change.platform_id, Outcome.RESCHEDULED, when))

    def _stop_if_fatal(self, exc: Exception) -> None:
        if isinstance(exc, AuthenticationFailed):
            self._report.authentication_failed = True
            self._halt(
                f"the API rejected the key ({exc.code or f'HTTP {exc.status}'})",
                "set LOOMTA_API_KEY to a valid key, then run apply again",
            )
        elif isinstance(exc, PostLimitReached):
            self._halt(
                "the monthly post quota is used up (post_limit_reached)",
                "run apply again when the quota renews or after raising it",
            )

    def _halt(self, cause: str, fix: str) -> None:
        """Stop sending requests. The first cause is kept and logged, later ones are not."""
        with self._report_lock:
            if self._stop_cause is None:
                self._stop_cause = cause
                self._stop_fix = fix
                logger.error("stopping the apply: %s", cause)
        self._stop.set()

    def _skip_reason(self) -> str:
        return f"apply stopped: {self._stop_cause or 'an earlier error'}"

    def _describe_stop(self) -> str | None:
        """Return the closing message of a stopped apply, with the count of targets left."""
        if self._stop_cause is None:
            return None
        left = self._report.count(Outcome.NOT_ATTEMPTED)
        targets = "1 target was" if left == 1 else f"{left} targets were"
        return f"stopped: {self._stop_cause}; {targets} not attempted; {self._stop_fix}"

    def _skip(self, group: RequestGroup, reason: str) -> None:
        for platform_id in group.platform_ids:
            self._add(TargetResult(group.post_key, platform_id, Outcome.NOT_ATTEMPTED, reason))

    def _add(self, result: TargetResult) -> None:
        with self._report_lock:
            self._report.results.append(result)
        self._on_result(result)
