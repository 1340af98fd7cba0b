"""`loomta-sync github …`: the commands that the GitHub Action runs.

- `github validate`: annotations and a job summary of the problems; no API key.
- `github pr-plan`: validate and plan, then the job summary, annotations and one pull-request
  comment per calendar, edited in place; no API key.
- `github apply`: plan, apply that plan, summarise, commit the state, and only then return the
  apply's exit code, so a failed target fails the job after its record is safe in git.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from loomta_sync.cli.context import AppContext
from loomta_sync.cli.output import write_text_atomic
from loomta_sync.config import CONFIG_FILE_NAME, Project
from loomta_sync.errors import LoomtaSyncError
from loomta_sync.github.api import GitHubApiError, GitHubClient
from loomta_sync.github.apply_job import commit_message, fold_state, run_apply, state_paths
from loomta_sync.github.comments import (
    ACTIONS_BOT_LOGIN,
    plan_marker,
    token_login,
    upsert_pr_comment,
)
from loomta_sync.github.commit import StateCommitError, commit_state
from loomta_sync.github.pr_plan import (
    PlanReport,
    collect_plan_report,
    project_root,
    render_comment_body,
)
from loomta_sync.github.runner import (
    SUMMARY_MAX_CHARS,
    append_step_summary,
    read_event,
    run_url,
    set_outputs,
    workspace_prefix,
)
from loomta_sync.planner.model import Plan
from loomta_sync.render.annotations import escape_data, render_annotations
from loomta_sync.render.json_plan import render_plan_json
from loomta_sync.render.markdown import render_apply_markdown, render_plan_markdown
from loomta_sync.render.markdown_apply import apply_summary_line, collect_results
from loomta_sync.render.summary import summary_line
from loomta_sync.state.model import State

EXIT_OK = 0
EXIT_ERROR = 1


@click.group("github")
def github_group() -> None:
    """Commands for the GitHub Action: annotations, job summary, PR comment, state commit."""


@github_group.command("validate")
@click.pass_obj
def validate_command(app: AppContext) -> int:
    """Validate the calendar, print annotations and write the problems to the job summary."""
    report = collect_plan_report(app, _config_name(app))
    _print_annotations(app, report)

    title = f"loomta-sync validate for {_calendar_label(app)}"
    if report.problems:
        problems_only = PlanReport(None, report.problems, report.warnings, report.catalog)
        append_step_summary(_summary_markdown(problems_only, title))
    else:
        append_step_summary(f"### {title}\n\nValid: no problems found.\n")
    set_outputs({"problems": str(len(report.problems))})
    return EXIT_ERROR if report.problems else EXIT_OK


@github_group.command("pr-plan")
@click.option(
    "--comment/--no-comment",
    default=True,
    show_default=True,
    help="Create or update the plan comment on the pull request.",
)
@click.option(
    "--comment-author",
    envvar="LOOMTA_COMMENT_AUTHOR",
    default=None,
    help="Login whose marked comment is edited. Default: the token's user, else "
    "github-actions[bot].",
)
@click.pass_obj
def pr_plan_command(app: AppContext, comment: bool, comment_author: str | None) -> int:
    """Plan without an API key, then write the summary, annotations and pull-request comment."""
    report = collect_plan_report(app, _config_name(app))
    _print_annotations(app, report)

    title = f"loomta-sync plan for {_calendar_label(app)}"
    append_step_summary(_summary_markdown(report, title))
    plan = report.plan
    set_outputs(
        {
            "summary": summary_line(plan) if plan is not None else "No plan.",
            "has-changes": "true" if plan is not None and plan.has_changes() else "false",
            "problems": str(len(report.problems)),
        }
    )
    if comment:
        url = _post_comment(app, report, title, comment_author)
        set_outputs({"comment-url": url or ""})
    return EXIT_OK if report.ok else EXIT_ERROR


@github_group.command("apply")
@click.option(
    "--commit-state/--no-commit-state",
    "commit_state_files",
    default=True,
    show_default=True,
    help="Commit and push the state file after the apply.",
)
@click.pass_obj
def apply_command(app: AppContext, commit_state_files: bool) -> int:
    """Apply the plan of the checked-out calendar, commit the state, then report the result."""
    report = collect_plan_report(app, _config_name(app))
    _print_annotations(app, report)
    plan = report.plan
    if plan is None:
        append_step_summary(
            _summary_markdown(report, f"loomta-sync apply for {_calendar_label(app)}")
        )
        set_outputs({"exit-code": str(EXIT_ERROR), "summary": "No plan."})
        return EXIT_ERROR

    append_step_summary(_summary_markdown(report, f"Plan to apply for {_calendar_label(app)}"))
    if not plan.has_changes():
        set_outputs({"exit-code": str(EXIT_OK), "summary": summary_line(plan)})
        return EXIT_OK

    apply_code = _apply_saved_plan(app, plan)
    project = app.project()
    state = fold_state(project)
    title = f"loomta-sync apply for {_calendar_label(app)}"
    append_step_summary(
        render_apply_markdown(
            plan, state, catalog=report.catalog, title=title, max_chars=SUMMARY_MAX_CHARS
        )
    )
    summary = apply_summary_line(collect_results(plan, state))
    set_outputs({"exit-code": str(apply_code), "summary": summary})

    if commit_state_files and not _commit_state(project, plan, state):
        return EXIT_ERROR
    return apply_code


def _apply_saved_plan(app: AppContext, plan: Plan) -> int:
    runner_temp = os.environ.get("RUNNER_TEMP") or None
    with tempfile.TemporaryDirectory(prefix="loomta-plan-", dir=runner_temp) as folder:
        plan_file = Path(folder) / "plan.json"
        write_text_atomic(plan_file, render_plan_json(plan))
        return run_apply(_global_args(app), plan_file, click.echo)


def _commit_state(project: Project, plan: Plan, state: State) -> bool:
    message = commit_message(plan, state, run_url())
    try:
        result = commit_state(project.root, state_paths(project), message)
    except StateCommitError as exc:
        click.echo(f"::error::{escape_data(str(exc))}")
        return False
    if result.committed:
        click.echo(f"State committed as {result.commit_id} ({result.push_attempts} push(es)).")
    else:
        click.echo("State unchanged; nothing to commit.")
    return True


def _summary_markdown(report: PlanReport, title: str) -> str:
    return render_plan_markdown(
        report.plan,
        problems=report.problems,
        warnings=report.warnings,
        catalog=report.catalog,
        title=title,
        max_chars=SUMMARY_MAX_CHARS,
        full_plan_note="Run `loomta-sync plan` on the branch to see the full plan.",
    )


def _post_comment(
    app: AppContext, report: PlanReport, title: str, author: str | None
) -> str | None:
    """Create or edit the plan comment and return its address, or None if none was posted."""
    event = read_event()
    if event.pull_request_number is None or event.repository is None:
        click.echo("No pull request in this event; the plan is only in the job summary.")
        return None

    marker = plan_marker(_calendar_label(app))
    link = run_url()
    where = f"[the job summary]({link})" if link else "the job summary of this run"
    body = render_comment_body(
        report, title=title, marker=marker, full_plan=f"The full plan is in {where}."
    )
    try:
        with GitHubClient.from_env() as client:
            expected_author = author or token_login(client) or ACTIONS_BOT_LOGIN
            result = upsert_pr_comment(
                client,
                event.repository,
                event.pull_request_number,
                body,
                marker,
                author=expected_author,
            )
    except GitHubApiError as exc:
        if exc.status != 403:
            raise
        reason = "the pull request comes from a fork" if event.is_fork else "the token is read-only"
        message = f"cannot comment on the pull request because {reason} ({exc})"
        click.echo(f"::warning::{escape_data(message)}")
        return None

    click.echo(f"Plan comment {result.action}: {result.html_url or result.comment_id}")
    return result.html_url


def _print_annotations(app: AppContext, report: PlanReport) -> None:
    prefix = workspace_prefix(project_root(app.directory, app.config_file))
    click.echo(render_annotations(report.problems, path_prefix=prefix), nl=False)
    click.echo(render_annotations(report.warnings, level="warning", path_prefix=prefix), nl=False)


def _calendar_label(app: AppContext) -> str:
    """Name the calendar as the repository shows it, e.g. `social/calendar`."""
    root = project_root(app.directory, app.config_file)
    try:
        calendar = app.project().config.paths.calendar
    except LoomtaSyncError:
        calendar = "calendar"
    return workspace_prefix(root) + calendar.strip("/")


def _config_name(app: AppContext) -> str:
    return app.config_file.name if app.config_file is not None else CONFIG_FILE_NAME


def _global_args(app: AppContext) -> list[str]:
    args = ["-C", str(app.directory)]
    if app.config_file is not None:
        args.extend(["--config", str(app.config_file)])
    if app.verbose:
        args.append("-" + "v" * app.verbose)
    if app.quiet:
        args.append("-q")
    return args
