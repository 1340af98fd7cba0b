"""Fixtures for the state tests: a state path in a temporary project and child processes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

CHILD_DIRECTORY = Path(__file__).parent


class Children:
    """Starts child Python scripts from this folder and kills what is left at teardown."""

    def __init__(self) -> None:
        self._started: list[subprocess.Popen[str]] = []

    def start(self, script: str, *args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, str(CHILD_DIRECTORY / script), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._started.append(process)
        return process

    def close(self) -> None:
        for process in self._started:
            if process.poll() is None:
                process.kill()
            process.communicate()


def read_line(process: subprocess.Popen[str]) -> str:
    """Return the next line of a child's stdout, or fail with its stderr if it exited instead."""
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait()
        stderr = process.stderr.read() if process.stderr else ""
        pytest.fail(f"child exited with {process.returncode} before writing a line:\n{stderr}")
    return line.strip()


@pytest.fixture
def children() -> Iterator[Children]:
    started = Children()
    yield started
    started.close()


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / ".loomta" / "state.json"
