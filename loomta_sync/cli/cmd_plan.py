"""`loomta-sync plan`: show what apply would do, and optionally save it for apply."""

from __future__ import annotations

from pathlib import Path

import click

from loomta_sync.cli.context import AppContext
from loomta_sync.cli.output import write_text_atomic
from loomta_sync.cli.planning import build_plan, plan_exit_code
from loomta_sync.render.json_plan import render_plan_json
from loomta_sync.render.summary import summary_lines
from loomta_sync.render.text import render_plan_text
from loomta_sync.state.store import StateStore


@click.command("plan")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the plan as JSON to this file, for `apply FILE`.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="How to print the plan on standard output.",
)
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 2 when the plan has changes, 0 when it has none (1 stays an error).",
)
@click.pass_obj
def plan_command(
    app: AppContext, out_file: Path | None, output_format: str, detailed_exitcode: bool
) -> int:
    """Compare the calendar with the state and print the changes."""
    project = app.project()
    state = StateStore(project.state_path).read()
    plan, result = build_plan(app, state)

    for warning in result.warnings:
        click.echo(f"Warning: {warning.format()}", err=True)
    if out_file is not None:
        write_text_atomic(out_file, render_plan_json(plan))

    if output_format == "json":
        click.echo(render_plan_json(plan), nl=False)
    elif output_format == "markdown":
        from loomta_sync.render.markdown import render_plan_markdown

        click.echo(render_plan_markdown(plan, problems=[], catalog=app.catalog()), nl=False)
    elif app.quiet:
        click.echo("\n".join(summary_lines(plan)))
    else:
        click.echo(render_plan_text(plan, show_unchanged=app.verbose > 0), nl=False)

    return plan_exit_code(plan, detailed_exitcode)
