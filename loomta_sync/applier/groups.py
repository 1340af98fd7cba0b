"""Group the targets of a plan into POST /posts requests.

Targets of one post whose final payloads are identical go in one request with several
`platformIds`; a target whose payload differs (an override) gets its own request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from loomta_sync.calendar.model import TargetPayload
from loomta_sync.planner.model import Change, ChangeKind

CREATE_KINDS = (ChangeKind.CREATE, ChangeKind.RETRY)


@dataclass(frozen=True, slots=True)
class RequestGroup:
    """One POST /posts request: a post key, its shared payload and the platforms it goes to."""

    post_key: str
    payload: TargetPayload
    platform_ids: tuple[str, ...]
    attempt: int
    source: str | None

    @property
    def idempotency_key(self) -> str:
        """Derive the key from the post key, the payload and the attempt number.

        It is the same for every retry of this request and changes only when a definitive
        failure leads to a new attempt, so a server that honours it never creates twice.
        """
        platforms = ",".join(self.platform_ids)
        text = f"{self.post_key}\n{self.payload.full_digest()}\n{platforms}\n{self.attempt}"
        return "lsync-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def group_creates(changes: tuple[Change, ...]) -> list[RequestGroup]:
    buckets: dict[tuple[str, str, int], list[Change]] = {}
    for change in changes:
        if change.kind not in CREATE_KINDS or change.payload is None:
            continue
        attempt = change.record.attempts + 1 if change.record is not None else 1
        bucket_key = (change.post_key, change.payload.full_digest(), attempt)
        buckets.setdefault(bucket_key, []).append(change)

    groups = []
    for (post_key, _digest, attempt), members in sorted(buckets.items()):
        first = members[0]
        assert first.payload is not None
        groups.append(
            RequestGroup(
                post_key=post_key,
                payload=first.payload,
                platform_ids=tuple(sorted(member.platform_id for member in members)),
                attempt=attempt,
                source=first.location.path if first.location else None,
            )
        )
    return groups
