"""Safety limits from loomta.yaml that stop an apply unless it runs with --force."""

from __future__ import annotations

from loomta_sync.calendar.model import Mode
from loomta_sync.config import SafetyLimits
from loomta_sync.errors import SafetyLimitExceeded
from loomta_sync.planner.model import ChangeKind, Plan


def check_safety_limits(plan: Plan, limits: SafetyLimits, *, force: bool) -> None:
    """Raise SafetyLimitExceeded, with the numbers, the setting and the flag, unless forced."""
    if force:
        return

    creates = [c for c in plan.changes if c.kind in (ChangeKind.CREATE, ChangeKind.RETRY)]
    if len(creates) > limits.max_creates_per_apply:
        raise SafetyLimitExceeded(
            f"refusing to create {len(creates)} posts in one apply: "
            f"safety.max_creates_per_apply in loomta.yaml is {limits.max_creates_per_apply}; "
            "raise it or run apply with --force"
        )

    immediate = [c for c in creates if c.payload is not None and c.payload.mode is Mode.NOW]
    if immediate and not limits.allow_now:
        keys = ", ".join(sorted({c.post_key for c in immediate}))
        raise SafetyLimitExceeded(
            f"refusing to publish {len(immediate)} targets with mode now ({keys}): "
            "safety.allow_now in loomta.yaml is false; set it to true or run apply with --force"
        )
