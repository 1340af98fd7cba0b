"""The Markdown plan and apply report, for pull-request comments and job summaries.

Layout, top to bottom: a heading, the fixed summary line(s), the problems, a week-by-week table,
then one folded `<details>` block per post. A document over `max_chars` loses whole blocks from
its end and ends with a note that gives how many were left out and where the full plan is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from loomta_sync.catalog.model import Catalog
from loomta_sync.errors import Problem
from loomta_sync.planner.model import Change, ChangeKind, Plan
from loomta_sync.render.markdown_apply import (
    TargetResult,
    apply_summary_line,
    collect_results,
    render_result_block,
)
from loomta_sync.render.markdown_escape import escape_inline, inline_code
from loomta_sync.render.markdown_fit import Section, fit_document
from loomta_sync.render.markdown_posts import render_post_block
from loomta_sync.render.markdown_weeks import render_week_view
from loomta_sync.render.summary import NO_CHANGES, summary_lines
from loomta_sync.state.model import State

# GitHub rejects a comment body over 65,536 characters, so the margin leaves room for the marker.
DEFAULT_MAX_CHARS = 65_000
MAX_TITLE_CHARS = 200
DEFAULT_FULL_PLAN_NOTE = "Run `loomta-sync plan` to see the full plan."


def render_plan_markdown(
    plan: Plan | None,
    *,
    problems: Sequence[Problem],
    catalog: Catalog | None,
    warnings: Sequence[Problem] = (),
    title: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    full_plan_note: str | None = None,
) -> str:
    """Render a plan and its problems as one Markdown document of at most `max_chars`.

    `plan` is None when validation failed before a plan could be made; the document then lists
    the problems. `warnings` follow the problems. Without a catalog, lengths are shown without
    limits. The result is never empty: a plan with nothing to do says `No changes.`.
    `full_plan_note` is trusted Markdown, shown when blocks are cut, that tells where to read
    the whole plan.
    """
    known_catalog = catalog if catalog is not None else Catalog()
    head = _plan_head(plan, problems, title)
    sections = [
        Section("#### Problems", [_problem_line(item) for item in problems], "problem", "problems"),
        Section("#### Warnings", [_problem_line(item) for item in warnings], "warning", "warnings"),
    ]
    if plan is not None:
        week_view = render_week_view(plan.changes)
        if week_view is not None:
            sections.append(
                Section("#### Schedule by week", [week_view], "week table", "week tables")
            )
        blocks = [
            render_post_block(key, changes, known_catalog)
            for key, changes in _changes_by_post(plan.changes)
        ]
        sections.append(Section("#### Posts", blocks, "post", "posts"))

    note = full_plan_note or DEFAULT_FULL_PLAN_NOTE
    return fit_document(head, sections, max_chars=max_chars, full_note=note)


def render_apply_markdown(
    plan: Plan,
    state: State,
    *,
    catalog: Catalog | None = None,
    title: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    full_plan_note: str | None = None,
) -> str:
    """Render what an apply of `plan` did, per post and platform, from the state it left."""
    results = collect_results(plan, state)
    lines = [f"### {_title(title, 'loomta-sync apply')}", "", *summary_lines(plan)]
    if results:
        lines.extend(["", apply_summary_line(results)])
    head = "\n".join(lines)

    known_catalog = catalog if catalog is not None else Catalog()
    blocks = [
        render_result_block(key, post_results, known_catalog)
        for key, post_results in _results_by_post(results)
    ]
    sections = [Section("#### Results", blocks, "post", "posts")]
    note = full_plan_note or "Run `loomta-sync state show` to see every recorded result."
    return fit_document(head, sections, max_chars=max_chars, full_note=note)


def _plan_head(plan: Plan | None, problems: Sequence[Problem], title: str | None) -> str:
    lines = [f"### {_title(title, 'loomta-sync plan')}", ""]
    if plan is None:
        lines.append(f"No plan: the calendar has {_count(len(problems), 'problem')} to fix first.")
        return "\n".join(lines)

    lines.extend(summary_lines(plan))
    if problems:
        lines.extend(["", f"{_count(len(problems), 'problem')} must be fixed before an apply."])
    unchanged = plan.counts()[ChangeKind.UNCHANGED]
    if unchanged and plan.has_changes():
        lines.extend(["", f"{_count(unchanged, 'unchanged target')} not shown."])
    checksum = plan.checksum[:12] or "none"
    lines.extend(
        ["", f"<sub>Plan checksum {checksum}, made from state serial {plan.state.serial}.</sub>"]
    )
    return "\n".join(lines)


def _title(title: str | None, default: str) -> str:
    if title is None:
        return default
    return escape_inline(title[:MAX_TITLE_CHARS])


def _problem_line(problem: Problem) -> str:
    where = problem.path
    if problem.line is not None:
        where += f":{problem.line}"
        if problem.column is not None:
            where += f":{problem.column}"
    text = f"- {inline_code(where)}"
    if problem.post_key:
        text += f" {inline_code(problem.post_key)}"
    text += f": {escape_inline(problem.message)}"
    if problem.hint:
        text += f"; {escape_inline(problem.hint)}"
    return text


def _changes_by_post(changes: Iterable[Change]) -> list[tuple[str, list[Change]]]:
    """Group changes by post key in plan order, leaving out unchanged targets."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        if change.kind is not ChangeKind.UNCHANGED:
            groups.setdefault(change.post_key, []).append(change)
    return list(groups.items())


def _results_by_post(results: Iterable[TargetResult]) -> list[tuple[str, list[TargetResult]]]:
    groups: dict[str, list[TargetResult]] = {}
    for result in results:
        groups.setdefault(result.change.post_key, []).append(result)
    return list(groups.items())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


__all__ = ["DEFAULT_MAX_CHARS", "NO_CHANGES", "render_apply_markdown", "render_plan_markdown"]
