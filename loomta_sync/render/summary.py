"""The summary lines: a public interface that scripts grep, so the wording is fixed.

    Plan: 3 to create, 0 to retry, 1 to reschedule, 0 conflicts, 0 unknown, 0 expired.
    State only: 1 moved, 0 orphaned.
    No changes.

The first line always has all six counts in this order. The state-only line appears when a
change touches only the state file. `No changes.` is the whole summary when every target is
unchanged.
"""

from __future__ import annotations

from loomta_sync.planner.model import ChangeKind, Plan

NO_CHANGES = "No changes."


def summary_lines(plan: Plan) -> list[str]:
    if not plan.has_changes():
        return [NO_CHANGES]

    counts = plan.counts()
    lines = [
        f"Plan: {counts[ChangeKind.CREATE]} to create, {counts[ChangeKind.RETRY]} to retry, "
        f"{counts[ChangeKind.RESCHEDULE]} to reschedule, {counts[ChangeKind.CONFLICT]} conflicts, "
        f"{counts[ChangeKind.UNKNOWN]} unknown, {counts[ChangeKind.EXPIRED]} expired."
    ]
    if counts[ChangeKind.MOVED] or counts[ChangeKind.ORPHAN]:
        lines.append(
            f"State only: {counts[ChangeKind.MOVED]} moved, {counts[ChangeKind.ORPHAN]} orphaned."
        )
    return lines


def summary_line(plan: Plan) -> str:
    """Return the first summary line: the counts of remote changes, or `No changes.`."""
    return summary_lines(plan)[0]
