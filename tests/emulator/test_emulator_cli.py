"""The emulator command's option checks and start-up errors, through click's CliRunner."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from loomta_sync.emulator.cli import emulator_command


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        (["--error-rate", "2"], "--error-rate"),
        (["--error-statuses", "404"], "--error-statuses"),
        (["--error-statuses", "five"], "--error-statuses"),
        (["--commit-error-statuses", ""], "--commit-error-statuses"),
        (["--fault-scope", "everything"], "--fault-scope"),
        (["--latency-ms", "-1"], "--latency-ms"),
        (["--port", "70000"], "--port"),
        (["--quota", "-5"], "--quota"),
    ],
)
def test_cli_rejects_bad_option(arguments: list[str], option: str) -> None:
    result = CliRunner().invoke(emulator_command, ["--port", "0", *arguments])

    assert result.exit_code == 2
    assert option in result.output
    assert "listening" not in result.output


def test_cli_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = CliRunner().invoke(emulator_command, ["--port", str(port)])

    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "--port 0" in result.output
    assert "listening on http" not in result.output


def test_cli_help_names_units() -> None:
    result = CliRunner().invoke(emulator_command, ["--help"])

    assert result.exit_code == 0
    assert "Delay in ms added to every API request" in result.output
    assert "Retry-After value in whole seconds" in result.output
