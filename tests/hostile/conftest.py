"""Fixtures for the hostile-input tests: an emulator subprocess and a CLI runner.

The emulator's request log is how a test proves that a rejected calendar caused no API call.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.emulator import EmulatorProcess, emulator_process


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    with emulator_process("--seed", "23") as running:
        yield running


@pytest.fixture
def quiet_emulator(emulator: EmulatorProcess) -> EmulatorProcess:
    """The emulator with its posts, media and request log cleared."""
    emulator.admin.reset()
    return emulator
