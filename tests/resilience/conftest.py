"""Fixtures for the resilience tests: one emulator, one fork server, and a canary key scan.

Every command runs with a canary API key. After each test, every file under the test's
temporary folder (stdout, stderr, logs, state, journal, lock and plan files) is scanned for it,
and so is the emulator's log at the end of the session.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.resilience.resilience_flow import CANARY_KEY, Cli
from tests.resilience.resilience_processes import ForkServer
from tests.support.emulator import EmulatorProcess, emulator_process

# Keys that must never be written anywhere. The revoked one is used by the 401 tests.
SECRET_KEYS = (CANARY_KEY, "loomta_sk_revoked_CANARY_9d2e")


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    with emulator_process("--seed", "23", "--access-log") as running:
        yield running
    log = running.stderr_text()
    for key in SECRET_KEYS:
        assert key not in log, "the API key appeared in the emulator's log"


@pytest.fixture(scope="session")
def fork_server() -> Iterator[ForkServer]:
    server = ForkServer()
    yield server
    server.close()


@pytest.fixture
def cli(tmp_path: Path, emulator: EmulatorProcess, fork_server: ForkServer) -> Iterator[Cli]:
    emulator.admin.reset()
    yield Cli(fork_server, tmp_path, emulator.base_url)
    _assert_no_secret_in(tmp_path)


def _assert_no_secret_in(folder: Path) -> None:
    files = [path for path in folder.rglob("*") if path.is_file()]
    assert files, f"nothing was written under {folder}, so the scan would prove nothing"
    for path in files:
        data = path.read_bytes()
        for key in SECRET_KEYS:
            assert key.encode() not in data, f"{path}: contains the API key"
    errors = sorted((folder / "tmp").glob("loomta-sync-error-*.log"))
    assert not errors, f"a command hit an internal error: {[str(path) for path in errors]}"
