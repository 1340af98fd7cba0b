"""`loomta-sync apply`: make Loomta match the calendar, recording every step in the state."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import httpx

from loomta_sync.applier.applier import DEFAULT_PARALLELISM, Applier, ApplyOptions
from loomta_sync.applier.progress import make_progress
from loomta_sync.applier.report import ApplyReport
from loomta_sync.applier.safety import check_safety_limits
from loomta_sync.cli.context import AppContext
from loomta_sync.cli.planning import build_plan
from loomta_sync.client.http import DEFAULT_TIMEOUT
from loomta_sync.errors import LoomtaSyncError, StalePlan
from loomta_sync.planner.model import REMOTE_KINDS, ChangeKind, Plan
from loomta_sync.render.json_plan import load_plan
from loomta_sync.render.text import render_plan_text
from loomta_sync.state.store import StateStore

# Kinds that apply acts on; the others are reported and left alone.
ACTIONABLE_KINDS = REMOTE_KINDS | {ChangeKind.MOVED}


@click.command("apply")
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", "-y", "assume_yes", is_flag=True, help="Apply without asking.")
@click.option(
    "--force", is_flag=True, help="Apply even when the plan exceeds a safety limit in loomta.yaml."
)
@click.option(
    "--parallelism",
    type=click.IntRange(1, 64),
    default=DEFAULT_PARALLELISM,
    show_default=True,
    help="Requests in flight at once.",
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(0),
    default=0.0,
    show_default=True,
    help="Seconds to wait for another apply to release the state lock.",
)
@click.option(
    "--request-timeout",
    type=click.FloatRange(0.1, 600),
    default=DEFAULT_TIMEOUT.read,
    show_default=True,
    help="Seconds to wait for each API response. A create whose response does not arrive in "
    "time is recorded as unknown, to be checked in Loomta and settled with `state resolve`.",
)
@click.pass_obj
def apply_command(
    app: AppContext,
    plan_file: Path | None,
    assume_yes: bool,
    force: bool,
    parallelism: int,
    lock_timeout: float,
    request_timeout: float,
) -> int:
    """Create and reschedule posts so Loomta matches the calendar (or a saved PLAN_FILE)."""
    project = app.project()
    saved = load_plan(plan_file) if plan_file is not None else None
    store = StateStore(project.state_path)

    with store.lock("apply", lock_timeout) as session:
        plan, result = build_plan(app, session.state)
        if saved is not None:
            _check_not_stale(saved, plan, plan_file)
        for warning in result.warnings:
            click.echo(f"Warning: {warning}", err=True)
        if not app.quiet:
            click.echo(render_plan_text(plan), nl=False)

        if not any(change.kind in ACTIONABLE_KINDS for change in plan.changes):
            return 0 if not plan.has_changes() else 3
        check_safety_limits(plan, project.config.safety, force=force)
        if saved is None and not assume_yes:
            _confirm()

        options = ApplyOptions(parallelism=parallelism)
        # Every worker thread uses this one client. They share its rate limiter, so a 429 pauses
        # all of them, and its connection pool, which has one connection per worker.
        client = app.client(max_connections=parallelism, timeout=_timeout(request_timeout))
        with client, make_progress(plan, quiet=app.quiet) as progress:
            report = Applier(project.root, client, session, options, progress.update).run(plan)
        session.commit()

    return _finish(report, listed=progress.lists_results)


def _timeout(seconds: float) -> httpx.Timeout:
    """Wait `seconds` to send a request and to read its response; connecting keeps its limit."""
    return httpx.Timeout(
        connect=DEFAULT_TIMEOUT.connect, read=seconds, write=seconds, pool=DEFAULT_TIMEOUT.pool
    )


def _check_not_stale(saved: Plan, fresh: Plan, plan_file: Path | None) -> None:
    if saved.state.serial != fresh.state.serial:
        raise StalePlan(
            f"{plan_file}: the plan was made from state serial {saved.state.serial}, but the "
            f"state is now at serial {fresh.state.serial} because another apply or state command "
            "ran since; run plan again"
        )
    # Serial 0 means no state file existed yet, and each read of a missing file draws a new
    # lineage, so the lineage only identifies a state that has been written.
    if saved.state.serial > 0 and saved.state.lineage != fresh.state.lineage:
        raise StalePlan(
            f"{plan_file}: the plan was made for another state file (lineage "
            f"{saved.state.lineage}, now {fresh.state.lineage}); run plan again"
        )
    if saved.changes_digest() != fresh.changes_digest():
        raise StalePlan(
            f"{plan_file}: the calendar changed since the plan was made (changes digest "
            f"{saved.changes_digest()[:12]} is now {fresh.changes_digest()[:12]}); run plan again"
        )


def _confirm() -> None:
    if not sys.stdin.isatty():
        raise LoomtaSyncError(
            "apply needs confirmation, and standard input is not a terminal; pass --yes"
        )
    answer = click.prompt(
        "Apply these changes? Only 'yes' is accepted", default="", show_default=False
    )
    if answer.strip() != "yes":
        raise LoomtaSyncError("apply cancelled; nothing was sent")


def _finish(report: ApplyReport, *, listed: bool) -> int:
    """Print what went wrong unless the progress output listed it already, and the summary."""
    if not listed:
        for result in report.results:
            if result.outcome.value in ("failed", "unknown", "not attempted"):
                click.echo(result.format(), err=True)
    if report.stop_reason:
        click.echo(report.stop_reason, err=True)
    if report.blocked:
        click.echo(
            f"{report.blocked} targets were left for a person (conflict, unknown or expired); "
            "the plan above says how to resolve each",
            err=True,
        )
    click.echo(report.summary_line())
    if report.authentication_failed:
        return 1
    return 0 if report.complete else 3
