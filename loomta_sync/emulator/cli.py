"""`loomta-sync emulator`: serve the emulated Loomta API on loopback until stopped.

On start it prints one line to stdout, `Loomta emulator listening on <API base URL>`, so that
scripts and tests can read the port. Logs go to stderr. SIGINT or SIGTERM stop it with exit 0.
"""

from __future__ import annotations

import ipaddress
import logging

import click

from loomta_sync.emulator.faults import (
    DEFAULT_COMMIT_ERROR_STATUSES,
    DEFAULT_ERROR_STATUSES,
    FAULT_SCOPES,
    MAX_DELAY_MS,
    MAX_RETRY_AFTER_SECONDS,
    SettingsError,
)
from loomta_sync.emulator.options import EmulatorOptions
from loomta_sync.emulator.server import serve_forever

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8765

_RATE = click.FloatRange(0.0, 1.0)
_DELAY = click.IntRange(0, MAX_DELAY_MS)


def _parse_statuses(
    context: click.Context, parameter: click.Parameter, value: str | None
) -> tuple[int, ...] | None:
    if value is None:
        return None
    try:
        statuses = tuple(int(item) for item in value.split(",") if item.strip())
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a comma-separated list of integers") from exc
    if not statuses or any(not 500 <= status <= 599 for status in statuses):
        raise click.BadParameter(f"{value!r} must list HTTP statuses from 500 to 599")
    return statuses


@click.command("emulator")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="TCP port to listen on; 0 picks a free port.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for ids and faults.")
@click.option(
    "--quota",
    type=click.IntRange(min=0),
    default=None,
    help="Monthly number of platform posts before 409 post_limit_reached [default: no limit].",
)
@click.option(
    "--idempotency/--no-idempotency",
    default=False,
    show_default=True,
    help="Replay the first response for a repeated Idempotency-Key.",
)
@click.option(
    "--latency-ms", type=_DELAY, default=0, help="Delay in ms added to every API request."
)
@click.option(
    "--error-rate",
    type=_RATE,
    default=0.0,
    help="Share of requests that get a 5xx response before any work.",
)
@click.option(
    "--error-statuses",
    callback=_parse_statuses,
    help="Comma-separated statuses for --error-rate [default: 500,502,503,504].",
)
@click.option(
    "--commit-then-error-rate",
    type=_RATE,
    default=0.0,
    help="Share of requests that do the work, then get a 5xx response.",
)
@click.option(
    "--commit-error-statuses",
    callback=_parse_statuses,
    help="Comma-separated statuses for --commit-then-error-rate [default: 500,502,504].",
)
@click.option(
    "--drop-after-commit-rate",
    type=_RATE,
    default=0.0,
    help="Share of requests that do the work, then close the connection with no response.",
)
@click.option(
    "--slow-response-rate",
    type=_RATE,
    default=0.0,
    help="Share of requests that do the work, then wait --slow-response-ms to respond.",
)
@click.option(
    "--slow-response-ms", type=_DELAY, default=5_000, show_default=True, help="Delay in ms."
)
@click.option(
    "--rate-limit-burst",
    type=click.IntRange(min=0),
    default=0,
    help="Number of first requests that get 429 rate_limited.",
)
@click.option("--rate-limit-rate", type=_RATE, default=0.0, help="Share of requests that get 429.")
@click.option(
    "--retry-after-seconds",
    type=click.IntRange(0, MAX_RETRY_AFTER_SECONDS),
    default=1,
    show_default=True,
    help="Retry-After value in whole seconds on 429 and injected 503 responses.",
)
@click.option(
    "--fault-scope",
    type=click.Choice(FAULT_SCOPES),
    default="create",
    show_default=True,
    help="Requests that faults hit: create is POST /posts only, api is every API request.",
)
@click.option(
    "--access-log", is_flag=True, help="Log method, path and status of each request to stderr."
)
def emulator_command(
    host: str,
    port: int,
    seed: int,
    quota: int | None,
    idempotency: bool,
    latency_ms: int,
    error_rate: float,
    error_statuses: tuple[int, ...] | None,
    commit_then_error_rate: float,
    commit_error_statuses: tuple[int, ...] | None,
    drop_after_commit_rate: float,
    slow_response_rate: float,
    slow_response_ms: int,
    rate_limit_burst: int,
    rate_limit_rate: float,
    retry_after_seconds: int,
    fault_scope: str,
    access_log: bool,
) -> None:
    """Serve an emulated Loomta API with seeded TikTok accounts, for demos and tests."""
    options = EmulatorOptions(
        host=host,
        port=port,
        seed=seed,
        quota=quota,
        idempotency=idempotency,
        latency_ms=latency_ms,
        error_rate=error_rate,
        error_statuses=error_statuses or DEFAULT_ERROR_STATUSES,
        commit_then_error_rate=commit_then_error_rate,
        commit_error_statuses=commit_error_statuses or DEFAULT_COMMIT_ERROR_STATUSES,
        drop_after_commit_rate=drop_after_commit_rate,
        slow_response_rate=slow_response_rate,
        slow_response_ms=slow_response_ms,
        rate_limit_burst=rate_limit_burst,
        rate_limit_rate=rate_limit_rate,
        retry_after_seconds=retry_after_seconds,
        fault_scope=fault_scope,
    )
    try:
        options.fault_settings()
    except SettingsError as exc:
        raise click.UsageError(f"invalid fault settings: {exc}") from exc

    if access_log:
        logging.getLogger("loomta_sync.emulator.handler").setLevel(logging.DEBUG)
    if not _is_loopback(host):
        logger.warning("listening on %s: /_emulator/ admin endpoints need no API key", host)

    try:
        serve_forever(options, on_ready=_announce)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
            "choose another --port, or --port 0 for a free one"
        ) from exc


def _announce(base_url: str) -> None:
    # click.echo flushes, so a parent process that reads the pipe gets the line at once.
    click.echo(f"Loomta emulator listening on {base_url}")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
