"""Running the real CLI as a subprocess, with a key that must never leak.

Each subprocess run has a timeout. A run that hangs fails with subprocess.TimeoutExpired instead of
stopping the test session; the timeout is a hang guard, not a measure of speed.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

from loomta_sync.cli.main import main

# A key that the API client accepts. It lacks the `loomta_sk_` prefix on purpose: the client
# also removes every prefixed token from response text, so only a key without the prefix
# shows that this exact secret is removed as well.
CANARY_KEY = "hostile-CANARY-4f7d2b9e-key"

# Seconds before a CLI run counts as hung.
HANG_GUARD_SECONDS = 30.0

_DROPPED_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def cli_environment(api_url: str | None = None, api_key: str | None = CANARY_KEY) -> dict[str, str]:
    """Return this process's environment without Loomta or proxy settings, plus the given ones.

    Proxy variables are dropped because httpx would route loopback test traffic through them.
    """
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("LOOMTA") and name.lower() not in _DROPPED_VARIABLES
    }
    if api_url is not None:
        environment["LOOMTA_API_URL"] = api_url
    if api_key is not None:
        environment["LOOMTA_API_KEY"] = api_key
    return environment


def run_cli(
    directory: Path, *args: str, environment: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run `python -m loomta_sync -C DIRECTORY ARGS...` and return its exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "loomta_sync", "-C", str(directory), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )


def run_in_process(*args: str) -> tuple[int, str]:
    """Run the CLI in this process and return its exit code and its combined output."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code
        else:
            raise AssertionError("main() returned without calling sys.exit")
    assert isinstance(code, int)
    return code, output.getvalue()
