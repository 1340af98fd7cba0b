"""The pull-request plan: validate and plan without an API key, then report for reviewers.

Everything here reads only files in the checkout, so it is safe on `pull_request` from a fork,
where the job has no secrets and a read-only token.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from loomta_sync.catalog.model import Catalog
from loomta_sync.cli.context import AppContext
from loomta_sync.cli.planning import build_plan
from loomta_sync.errors import LoomtaSyncError, Problem, ValidationFailed
from loomta_sync.planner.model import BLOCKING_KINDS, Plan
from loomta_sync.render.markdown import render_plan_markdown
from loomta_sync.render.markdown_escape import measure
from loomta_sync.state.store import StateStore

logger = logging.getLogger(__name__)

# GitHub rejects an issue comment body longer than this.
COMMENT_LIMIT = 65_536


@dataclass(frozen=True, slots=True)
class PlanReport:
    """The outcome of planning a checkout: the plan if one could be made, and every problem."""

    plan: Plan | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    catalog: Catalog | None

    @property
    def ok(self) -> bool:
        return self.plan is not None and not self.problems


def collect_plan_report(app: AppContext, config_name: str) -> PlanReport:
    """Validate the calendar and make a plan, turning every expected failure into problems.

    `config_name` is the config file's path as problems should show it, for failures that
    have no position of their own.
    """
    try:
        project = app.project()
        catalog = app.catalog()
        state = StateStore(project.state_path).read()
        plan, result = build_plan(app, state)
    except ValidationFailed as exc:
        return PlanReport(None, tuple(exc.problems), (), _catalog_or_none(app))
    except LoomtaSyncError as exc:
        problem = Problem(path=config_name, line=None, column=None, message=str(exc))
        return PlanReport(None, (problem,), (), None)

    problems = tuple(blocking_problems(plan))
    return PlanReport(plan, problems, tuple(result.warnings), catalog)


def blocking_problems(plan: Plan) -> list[Problem]:
    """Report each conflict, unknown and expired target as a problem at its post's location."""
    problems = []
    for change in plan.changes:
        if change.kind not in BLOCKING_KINDS:
            continue
        location = change.location
        platform = change.platform_alias or change.platform_id
        reason = change.reason or "an apply leaves this target alone"
        problems.append(
            Problem(
                path=location.path if location is not None else "calendar",
                line=location.line if location is not None else None,
                column=location.column if location is not None else None,
                message=f"{change.kind.value} on {platform}: {reason}",
                post_key=change.post_key,
            )
        )
    return problems


def render_comment_body(report: PlanReport, *, title: str, marker: str, full_plan: str) -> str:
    """Render the comment's Markdown, sized so that marker and body fit GitHub's limit."""
    budget = COMMENT_LIMIT - measure(marker + "\n")
    return render_plan_markdown(
        report.plan,
        problems=report.problems,
        warnings=report.warnings,
        catalog=report.catalog,
        title=title,
        max_chars=budget,
        full_plan_note=full_plan,
    )


def project_root(directory: Path, config_file: Path | None) -> Path:
    """Return the project root: the directory that contains the config file."""
    if config_file is not None:
        return config_file.parent.resolve()
    return directory.resolve()


def _catalog_or_none(app: AppContext) -> Catalog | None:
    try:
        return app.catalog()
    except LoomtaSyncError as exc:
        logger.info("no catalog for the plan comment: %s", exc)
        return None
