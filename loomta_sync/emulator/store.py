"""The emulator's in-memory workspace data: media, post groups, idempotency records, quota,
request log and counters.

One re-entrant lock guards all of it. Handlers take `store.lock` around each whole operation,
so a create, its quota check and its idempotency record happen as one step.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

from loomta_sync.emulator.faults import FaultKind
from loomta_sync.emulator.media import MediaRecord
from loomta_sync.emulator.posts import PostGroup
from loomta_sync.emulator.protocol import JsonObject, Response


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """The first response to an Idempotency-Key, and the fingerprint of its request body."""

    fingerprint: str
    response: Response


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One API request as the request log shows it. It never contains the Authorization header."""

    sequence: int
    method: str
    path: str
    status: int | None  # None when the connection was closed without a response
    idempotency_key: str | None
    fault: FaultKind | None

    def to_json(self) -> JsonObject:
        return {
            "sequence": self.sequence,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "idempotency_key": self.idempotency_key,
            "fault": None if self.fault is None else self.fault.value,
        }


@dataclass(slots=True)
class Counters:
    """Running totals since start or the last reset."""

    requests: int = 0
    create_requests: int = 0
    idempotent_replays: int = 0
    faults: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FaultKind, 0))

    def to_json(self) -> JsonObject:
        return {
            "requests": self.requests,
            "create_requests": self.create_requests,
            "idempotent_replays": self.idempotent_replays,
            "faults": {str(kind): count for kind, count in self.faults.items()},
        }


class Store:
    """Everything the emulated workspace has stored since start or the last reset."""

    def __init__(self, quota_limit: int | None, request_log_size: int) -> None:
        self.lock = threading.RLock()
        self.media: dict[str, MediaRecord] = {}
        self.groups: list[PostGroup] = []
        self.groups_by_post_id: dict[str, PostGroup] = {}
        self.idempotency: dict[str, StoredResponse] = {}
        self.quota_limit = quota_limit
        self.quota_used = 0
        self.requests: deque[LoggedRequest] = deque(maxlen=request_log_size)
        self.counters = Counters()

    def clear(self, quota_limit: int | None) -> None:
        with self.lock:
            self.media.clear()
            self.groups.clear()
            self.groups_by_post_id.clear()
            self.idempotency.clear()
            self.quota_limit = quota_limit
            self.quota_used = 0
            self.requests.clear()
            self.counters = Counters()

    def add_group(self, group: PostGroup) -> None:
        with self.lock:
            self.groups.append(group)
            for post in group.posts():
                self.groups_by_post_id[post.id] = group

    def log_request(
        self,
        method: str,
        path: str,
        status: int | None,
        idempotency_key: str | None,
        fault: FaultKind | None,
    ) -> None:
        with self.lock:
            self.counters.requests += 1
            if fault is not None:
                self.counters.faults[fault] += 1
            entry = LoggedRequest(
                self.counters.requests, method, path, status, idempotency_key, fault
            )
            self.requests.append(entry)
