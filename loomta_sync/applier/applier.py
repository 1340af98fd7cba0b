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
from concurrent.futures import ThreadPoolExecutor
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

    def run(self, plan: Plan) -> ApplyReport:
        self._report.blocked = sum(1 for c in plan.changes if c.kind in BLOCKING_KINDS)
        self._apply_moves(plan)

        groups = group_creates(plan.changes)
        reschedules = [c for c in plan.changes if c.kind is ChangeKind.RESCHEDULE]
        uploaded = MediaUploader(self._root, self._client, self._session).upload_all(
            groups, self._options.parallelism
        )

        with ThreadPoolExecutor(max_workers=max(1, self._options.parallelism)) as pool:
            futures = [pool.submit(self._create, group, uploaded) for group in groups]
            futures += [pool.submit(self._reschedule, change) for change in reschedules]
            for future in futures:
                future.result()
        return self._report

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
            self._add(TargetResult(change.post_key, change.platform_id, Outcome.MOVED,
                                   f"from {change.previous_key}"))

    def _create(self, group: RequestGroup, uploaded: dict[str, str | None]) -> None:
        if self._stop.is_set():
            self._skip(group, self._report.stop_reason or "apply stopped")
            return

        missing = [item.path for item in group.payload.media if item.sha256 and not uploaded.get(item.sha256)]
        missing += [
            item.path
            for comment in group.payload.comments
            for item in comment.media
            if item.sha256 and not uploaded.get(item.sha256)
        ]
        if missing:
            self._skip(group, f"media upload failed for {', '.join(str(m) for m in missing)}")
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

    def _reschedule(self, change: Change) -> None:
        record = change.record
        payload = change.payload
        if record is None or payload is None or payload.scheduled_for is None:
            return
        if self._stop.is_set():
            self._add(TargetResult(change.post_key, change.platform_id, Outcome.NOT_ATTEMPTED,
                                   self._report.stop_reason or "apply stopped"))
            return
        if record.root_post_id is None:
            self._add(TargetResult(change.post_key, change.platform_id, Outcome.FAILED,
                                   "the state has no post id to reschedule"))
            return

        try:
            group = self._client.reschedule_post(record.root_post_id, payload.scheduled_for)
        except (ApiError, OutcomeUnknown) as exc:
            self._stop_if_fatal(exc)
            self._add(TargetResult(change.post_key, change.platform_id, Outcome.FAILED,
                                   f"reschedule failed: {exc}"))
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
            self._halt(f"stopped: the API rejected the key ({exc.code}); check LOOMTA_API_KEY")
        elif isinstance(exc, PostLimitReached):
            self._halt("stopped: the monthly post quota is used up (post_limit_reached)")

    def _halt(self, reason: str) -> None:
        with self._report_lock:
            if self._report.stop_reason is None:
                self._report.stop_reason = reason
                logger.error("%s", reason)
        self._stop.set()

    def _skip(self, group: RequestGroup, reason: str) -> None:
        for platform_id in group.platform_ids:
            self._add(TargetResult(group.post_key, platform_id, Outcome.NOT_ATTEMPTED, reason))

    def _add(self, result: TargetResult) -> None:
        with self._report_lock:
            self._report.results.append(result)
        self._on_result(result)
