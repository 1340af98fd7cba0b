"""Fixtures for end-to-end tests: an emulator subprocess, a copy of the example, a CLI runner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.emulator import EmulatorProcess, emulator_process

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "calendar"
# A canary: a well-formed key that must never appear in any output or file.
CANARY_KEY = "loomta_sk_CANARY_e2e_7f3a9c"

CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@dataclass
class Project:
    root: Path
    api_key: str

    def state(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.root / ".loomta" / "state.json").read_text())
        return data


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    with emulator_process("--seed", "11") as running:
        yield running


@pytest.fixture
def project(tmp_path: Path, emulator: EmulatorProcess) -> Project:
    emulator.admin.reset()
    root = tmp_path / "calendar-project"
    shutil.copytree(EXAMPLE, root)
    return Project(root=root, api_key=CANARY_KEY)


def run_cli(
    directory: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LOOMTA")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "loomta_sync", "-C", str(directory), *args],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def cli(project: Project, emulator: EmulatorProcess) -> CliRunner:
    environment = {"LOOMTA_API_URL": emulator.base_url, "LOOMTA_API_KEY": project.api_key}

    def runner(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(project.root, *args, env=environment)

    return runner


@pytest.fixture
def cli_in() -> CliRunner:
    def runner(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(directory, *args)

    return runner
