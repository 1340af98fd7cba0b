"""Safety limits from loomta.yaml that stop an apply unless it runs with --force."""

from __future__ import annotations

from loomta_sync.calendar.model import Mode
from loomta_sync.config import SafetyLimits
from loomta_sync.errors import SafetyLimitExceeded
from loomta_sync.planner.model import Change, ChangeKind, Plan

# Post keys that a rejection names before "and N more", so the message stays one readable line.
MAX_KEYS_LISTED = 5


def check_safety_limits(plan: Plan, limits: SafetyLimits, *, force: bool) -> None:
    """Raise SafetyLimitExceeded, with the numbers, the setting and the flag, unless forced."""
    if force:
        return

    creates = [c for c in plan.changes if c.kind in (ChangeKind.CREATE, ChangeKind.RETRY)]
    if len(creates) > limits.max_creates_per_apply:
        raise SafetyLimitExceeded(
            f"apply rejected: the plan creates {len(creates)} targets, over the limit of "
            f"{limits.max_creates_per_apply} set by safety.max_creates_per_apply in loomta.yaml; "
            "raise the limit or run apply with --force"
        )

    immediate = [c for c in creates if c.payload is not None and c.payload.mode is Mode.NOW]
    if immediate and not limits.allow_now:
        keys = _list_keys(immediate)
        raise SafetyLimitExceeded(
            f"apply rejected: the plan publishes {len(immediate)} targets at once with mode now "
            f"({keys}), but safety.allow_now in loomta.yaml is false; set it to true or run "
            "apply with --force"
        )

    # A post removed from the calendar that still waits in Loomta's queue will publish anyway.
    # Applying on top of it (for example the same post renamed and edited) would post twice.
    queued = [c for c in plan.changes if c.kind is ChangeKind.ORPHAN and c.still_scheduled]
    if queued:
        raise SafetyLimitExceeded(
            f"apply rejected: {len(queued)} targets left the calendar but are still scheduled "
            f"in Loomta and will publish ({_list_keys(queued)}); delete them in Loomta and run "
            "`loomta-sync state forget KEY`, or run apply with --force to keep them"
        )


def _list_keys(changes: list[Change]) -> str:
    names = sorted({change.post_key for change in changes})
    keys = ", ".join(names[:MAX_KEYS_LISTED])
    if len(names) > MAX_KEYS_LISTED:
        keys += f" and {len(names) - MAX_KEYS_LISTED} more"
    return keys
