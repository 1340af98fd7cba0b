"""The `loomta-sync` command group and its one top-level error handler.

Exit codes (a public interface, documented in the README):
    0  success
    1  error: invalid calendar or config, API or usage error, refused apply
    2  changes present (only `plan --detailed-exitcode`)
    3  apply finished but some targets failed, are unknown, or were left for a person
    4  internal error (a bug): the traceback is written to a log file named in the message
"""

from __future__ import annotations

import logging
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from loomta_sync import __version__
from loomta_sync.cli.context import AppContext
from loomta_sync.errors import LoomtaSyncError, ValidationFailed

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_PARTIAL = 3
EXIT_INTERNAL = 4


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="loomta-sync")
@click.option(
    "-C",
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project directory: the one that contains loomta.yaml.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Path of the config file, if it is not DIRECTORY/loomta.yaml.",
)
@click.option("-v", "--verbose", count=True, help="More output; repeat for debug logs.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors and the summary line.")
@click.pass_context
def cli(
    ctx: click.Context, directory: Path, config_file: Path | None, verbose: int, quiet: bool
) -> None:
    """Keep a social-media calendar as YAML files in git and make Loomta match them."""
    _configure_logging(verbose, quiet)
    ctx.obj = AppContext(directory=directory, config_file=config_file, verbose=verbose, quiet=quiet)


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose == 1:
        level = logging.INFO
    elif verbose >= 2:
        level = logging.DEBUG
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # httpx logs every request with its URL at INFO; keep that for -vv only.
    logging.getLogger("httpx").setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def _register_commands() -> None:
    from loomta_sync.cli.cmd_apply import apply_command
    from loomta_sync.cli.cmd_init import init_command
    from loomta_sync.cli.cmd_plan import plan_command
    from loomta_sync.cli.cmd_platforms import platforms_group
    from loomta_sync.cli.cmd_state import state_group
    from loomta_sync.cli.cmd_validate import validate_command
    from loomta_sync.emulator.cli import emulator_command

    for command in (
        validate_command,
        plan_command,
        apply_command,
        platforms_group,
        state_group,
        init_command,
        emulator_command,
    ):
        cli.add_command(command)

    try:
        from loomta_sync.cli.cmd_github import github_group
    except ImportError:  # NOTE: the github commands are optional until that module lands
        return
    cli.add_command(github_group)


_register_commands()


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI and exit with one of the documented codes; never show a traceback."""
    try:
        code = cli.main(args=argv, standalone_mode=False)
    except ValidationFailed as exc:
        for problem in exc.problems:
            click.echo(problem.format(), err=True)
        click.echo(f"Error: {exc}", err=True)
        code = EXIT_ERROR
    except LoomtaSyncError as exc:
        click.echo(f"Error: {exc}", err=True)
        code = EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        code = EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        code = EXIT_ERROR
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        code = 130
    except Exception:
        code = _report_internal_error()
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _report_internal_error() -> int:
    text = traceback.format_exc()
    with tempfile.NamedTemporaryFile(
        "w", prefix="loomta-sync-error-", suffix=".log", delete=False, encoding="utf-8"
    ) as log:
        log.write(AppContext.redact(text))
    click.echo(
        f"Internal error: loomta-sync hit a bug. The traceback is in {log.name}; "
        "please attach it to a bug report.",
        err=True,
    )
    return EXIT_INTERNAL
