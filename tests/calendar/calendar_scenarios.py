"""Loading the fixture projects under tests/fixtures with a fixed clock."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from loomta_sync.calendar.load import LoadResult, load_calendar
from loomta_sync.catalog.store import load_catalog
from loomta_sync.config_loader import load_project
from loomta_sync.errors import ValidationFailed
from loomta_sync.state.model import State

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCENARIOS = FIXTURES / "calendar"
HOSTILE = FIXTURES / "hostile"

NOW = datetime(2030, 1, 1, tzinfo=UTC)

BRAND = "6f1b2c3d-0000-4000-8000-000000000001"
DEVELOPERS = "6f1b2c3d-0000-4000-8000-000000000002"


def load_scenario(directory: Path, state: State | None = None) -> LoadResult:
    """Load a fixture project with its own catalog, as `validate` does."""
    project = load_project(directory)
    catalog = load_catalog(project.catalog_path, project.config.paths.catalog)
    return load_calendar(project, catalog, state, NOW)


def problem_lines(directory: Path, state: State | None = None) -> list[str]:
    """Return the formatted problems of a fixture project that must fail validation."""
    with pytest.raises(ValidationFailed) as caught:
        load_scenario(directory, state)
    return [problem.format() for problem in caught.value.problems]


def copy_scenario(source: Path, destination: Path) -> Path:
    """Copy a fixture project, so a test can add symlinks and FIFOs that git cannot hold."""
    target = destination / source.name
    shutil.copytree(source, target, symlinks=True)
    return target
