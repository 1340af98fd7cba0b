"""Plan data: the changes per target, in a fixed order, with a checksum.

The plan is what reviewers read and what apply executes, so it carries full payloads. Its JSON
form (`--format json`, `plan --out`) is a public interface: fields are only ever added, and
`format_version` changes when one is not.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from loomta_sync.calendar.model import SourceLocation, TargetPayload
from loomta_sync.state.model import TargetRecord

PLAN_FORMAT_VERSION = 1


class ChangeKind(StrEnum):
    CREATE = "create"
    RETRY = "retry"
    RESCHEDULE = "reschedule"
    CONFLICT = "conflict"
    UNKNOWN = "unknown"
    MOVED = "moved"
    ORPHAN = "orphan"
    EXPIRED = "expired"
    UNCHANGED = "unchanged"


# The order changes appear in: remote work first, then what needs a person, then state-only work.
KIND_ORDER: tuple[ChangeKind, ...] = tuple(ChangeKind)

# Kinds that send requests to the API.
REMOTE_KINDS = frozenset({ChangeKind.CREATE, ChangeKind.RETRY, ChangeKind.RESCHEDULE})
# Kinds that only rewrite the state file.
STATE_ONLY_KINDS = frozenset({ChangeKind.MOVED, ChangeKind.ORPHAN})
# Kinds that block: apply does nothing for them and exits 3; plan reports them as problems.
BLOCKING_KINDS = frozenset({ChangeKind.CONFLICT, ChangeKind.UNKNOWN, ChangeKind.EXPIRED})


class PlanModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Change(PlanModel):
    """One target's change.

    `payload` is the calendar's version (absent for orphans); `record` is the state's (absent
    for creates). `previous_key` is set for moved targets. `reason` states in one sentence why
    this kind was chosen and, for blocking kinds, how to resolve it.
    """

    kind: ChangeKind
    post_key: str
    platform_id: str
    platform_alias: str | None = None
    location: SourceLocation | None = None
    timezone: str | None = None
    payload: TargetPayload | None = None
    record: TargetRecord | None = None
    previous_key: str | None = None
    changed_fields: tuple[str, ...] = ()
    # Orphans only: the post waits in Loomta's queue and will publish although it left the
    # calendar, so apply refuses to run until it is deleted in Loomta and forgotten, or forced.
    still_scheduled: bool = False
    reason: str = ""

    def digest_row(self) -> list[object]:
        payload = self.payload.full_digest() if self.payload is not None else None
        record = None
        if self.record is not None:
            when = self.record.scheduled_for.isoformat() if self.record.scheduled_for else None
            record = [
                self.record.status.value,
                self.record.body_digest,
                when,
                self.record.attempts,
                self.record.root_post_id,
                self.record.remote_state,
                self.record.updated_at.isoformat(),
            ]
        changed = (
            [*self.changed_fields, "still_scheduled"]
            if self.still_scheduled
            else list(self.changed_fields)
        )
        return [
            self.kind.value,
            self.post_key,
            self.platform_id,
            self.previous_key,
            payload,
            record,
            changed,
        ]

    def sort_key(self) -> tuple[int, str, str]:
        return (KIND_ORDER.index(self.kind), self.post_key, self.platform_id)


class StateRef(PlanModel):
    """The state a plan was made from."""

    lineage: str
    serial: int


class Plan(PlanModel):
    """A plan: changes sorted by kind, post key and platform id."""

    format_version: int = PLAN_FORMAT_VERSION
    created_at: datetime
    state: StateRef
    changes: tuple[Change, ...] = ()
    checksum: str = ""

    def counts(self) -> dict[ChangeKind, int]:
        totals = dict.fromkeys(ChangeKind, 0)
        for change in self.changes:
            totals[change.kind] += 1
        return totals

    def has_changes(self) -> bool:
        return any(change.kind is not ChangeKind.UNCHANGED for change in self.changes)

    def changes_digest(self) -> str:
        """Hash the changes alone: equal digests mean the same work on the same targets.

        Payloads count by their full digest and records by the fields that decide a change,
        which keeps this cheap for calendars of many thousands of posts.
        """
        rows = [change.digest_row() for change in self.changes]
        return _sha256_json(rows)

    def compute_checksum(self) -> str:
        """Hash the format, the state reference and the changes; `created_at` is left out."""
        body = {
            "format_version": self.format_version,
            "state": self.state.model_dump(mode="json"),
            "changes": self.changes_digest(),
        }
        return _sha256_json(body)

    def with_checksum(self) -> Plan:
        return self.model_copy(update={"checksum": self.compute_checksum()})


def _sha256_json(value: object) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
