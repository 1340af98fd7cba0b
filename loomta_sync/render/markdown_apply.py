"""Apply results per post and platform, read from the state that the apply left behind.

The state records each platform's outcome (post ids, remote state, live URL, error), so the
Markdown report is built from the plan that was applied and the state after the apply, with no
call to the API.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from loomta_sync.catalog.model import Catalog
from loomta_sync.planner.model import BLOCKING_KINDS, Change, ChangeKind, Plan
from loomta_sync.render.markdown_escape import escape_inline, inline_code
from loomta_sync.render.markdown_posts import platform_label
from loomta_sync.state.model import State, TargetRecord, TargetStatus


class Outcome(StrEnum):
    CREATED = "created"
    RESCHEDULED = "rescheduled"
    FAILED = "failed"
    UNKNOWN = "unknown"
    NOT_SENT = "not sent"
    BLOCKED = "blocked"
    STATE_ONLY = "state only"


# Outcomes that make the apply job fail once the state is committed.
FAILED_OUTCOMES = frozenset({Outcome.FAILED, Outcome.UNKNOWN, Outcome.NOT_SENT, Outcome.BLOCKED})


@dataclass(frozen=True, slots=True)
class TargetResult:
    """One target's change from the plan and its record in the state after the apply."""

    change: Change
    record: TargetRecord | None
    outcome: Outcome


def collect_results(plan: Plan, state: State) -> list[TargetResult]:
    """Pair every change of the plan, except unchanged targets, with its outcome."""
    results = []
    for change in plan.changes:
        if change.kind is ChangeKind.UNCHANGED:
            continue
        record = state.target(change.post_key, change.platform_id)
        results.append(TargetResult(change, record, _outcome(plan, change, record)))
    return results


def _outcome(plan: Plan, change: Change, record: TargetRecord | None) -> Outcome:
    if change.kind in BLOCKING_KINDS:
        return Outcome.BLOCKED
    if change.kind in (ChangeKind.MOVED, ChangeKind.ORPHAN):
        return Outcome.STATE_ONLY
    # A record older than the plan is the one the plan was made from, so this apply sent nothing.
    if record is None or record.updated_at < plan.created_at:
        return Outcome.NOT_SENT
    if record.status is TargetStatus.FAILED:
        return Outcome.FAILED
    if record.status is not TargetStatus.CREATED:
        return Outcome.UNKNOWN
    if change.kind is ChangeKind.RESCHEDULE:
        expected = change.payload.scheduled_for if change.payload is not None else None
        return Outcome.RESCHEDULED if record.scheduled_for == expected else Outcome.FAILED
    return Outcome.CREATED


def outcome_counts(results: Sequence[TargetResult]) -> dict[Outcome, int]:
    counts = dict.fromkeys(Outcome, 0)
    for result in results:
        counts[result.outcome] += 1
    return counts


def apply_summary_line(results: Sequence[TargetResult]) -> str:
    """Return `Apply: 3 created, 1 rescheduled, 0 failed, 0 unknown, 0 not sent, 0 blocked.`."""
    counts = outcome_counts(results)
    return (
        f"Apply: {counts[Outcome.CREATED]} created, {counts[Outcome.RESCHEDULED]} rescheduled, "
        f"{counts[Outcome.FAILED]} failed, {counts[Outcome.UNKNOWN]} unknown, "
        f"{counts[Outcome.NOT_SENT]} not sent, {counts[Outcome.BLOCKED]} blocked."
    )


def render_result_block(post_key: str, results: Sequence[TargetResult], catalog: Catalog) -> str:
    """Render one post's results as a `<details>` block, open when a platform needs attention."""
    attention = any(result.outcome in FAILED_OUTCOMES for result in results)
    outcomes = sorted({result.outcome.value for result in results})
    rows = [
        "| Platform | Result | Post ids | Live post | Error |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows.extend(_result_row(result, catalog) for result in results)
    parts = [
        "<details open>" if attention else "<details>",
        f"<summary><b>{', '.join(outcomes)}</b> {inline_code(post_key)}</summary>",
        "",
        "\n".join(rows),
        "",
        "</details>",
    ]
    return "\n".join(parts) + "\n"


def _result_row(result: TargetResult, catalog: Catalog) -> str:
    record = result.record
    outcome = f"<b>{result.outcome.value}</b>"
    if record is not None and record.remote_state and result.outcome is not Outcome.NOT_SENT:
        outcome += f" ({escape_inline(record.remote_state)})"
    cells = [
        escape_inline(platform_label(result.change, catalog)),
        outcome,
        _post_ids(record) if result.outcome is not Outcome.NOT_SENT else "none",
        _release_link(record.release_url if record is not None else None)
        if result.outcome in (Outcome.CREATED, Outcome.RESCHEDULED)
        else "none",
        _error_text(result),
    ]
    return "| " + " | ".join(cells) + " |"


def _post_ids(record: TargetRecord | None) -> str:
    if record is None or record.root_post_id is None:
        return "none"
    ids = [inline_code(record.root_post_id)]
    ids.extend(inline_code(child) for child in record.child_post_ids)
    return " ".join(ids)


def _release_link(url: str | None) -> str:
    """Link the live post when its URL is plain http(s), else show the URL as escaped text."""
    if not url:
        return "not published yet"
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return escape_inline(url)
    safe_url = urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")
    href = safe_url.replace("&", "&amp;").replace("'", "%27")
    return f'<a href="{href}">open</a>'


def _error_text(result: TargetResult) -> str:
    change = result.change
    if result.outcome is Outcome.BLOCKED or result.outcome is Outcome.STATE_ONLY:
        return escape_inline(change.reason) if change.reason else change.kind.value
    record = result.record
    if result.outcome is Outcome.NOT_SENT or record is None:
        return "the apply stopped before sending this target"
    if record.error_code is None and record.error_message is None:
        return "none"
    code = inline_code(record.error_code or "error")
    return f"{code} {escape_inline(record.error_message or '')}".rstrip()
