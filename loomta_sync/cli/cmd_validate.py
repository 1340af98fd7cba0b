"""`loomta-sync validate`: check the calendar offline and report every problem."""

from __future__ import annotations

import click

from loomta_sync.cli.context import AppContext
from loomta_sync.errors import ValidationFailed
from loomta_sync.state.store import StateStore


@click.command("validate")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="text: one line per problem; github: also ::error annotations for GitHub Actions.",
)
@click.pass_obj
def validate_command(app: AppContext, output_format: str) -> int:
    """Check calendar files, platforms, times, media and text without the network."""
    project = app.project()
    state = StateStore(project.state_path).read()
    try:
        result = app.load_calendar(state)
    except ValidationFailed as exc:
        if output_format == "github":
            from loomta_sync.render.annotations import render_annotations

            click.echo(render_annotations(exc.problems), nl=False)
        raise

    for warning in result.warnings:
        click.echo(f"Warning: {warning.format()}", err=True)
    posts = len(result.calendar.posts)
    targets = len(result.calendar.targets())
    click.echo(f"Valid: {_count(posts, 'post')}, {_count(targets, 'target')}.")
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
