"""Finding calendar files: the calendar folder, odd file names and extensions."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from loomta_sync.calendar.load import load_calendar
from loomta_sync.config_loader import load_project
from tests.calendar.calendar_scenarios import (
    SCENARIOS,
    copy_scenario,
    load_scenario,
    problem_lines,
)

DRAFT_POST = "platforms: [brand]\ncontent: A draft.\nmode: draft\n"


def _no_catalog_project(tmp_path: Path) -> Path:
    project = copy_scenario(SCENARIOS / "no_catalog", tmp_path)
    for file in (project / "calendar").iterdir():
        file.unlink()
    return project


def test_missing_calendar_folder(tmp_path: Path) -> None:
    project = _no_catalog_project(tmp_path)
    (project / "calendar").rmdir()

    assert problem_lines(project) == [
        "calendar: calendar directory not found; create it, or set paths.calendar in loomta.yaml"
    ]


def test_hidden_characters_in_file_name(tmp_path: Path) -> None:
    project = _no_catalog_project(tmp_path)
    (project / "calendar" / "launch\u202egpj.yaml").write_text(DRAFT_POST, encoding="utf-8")

    assert problem_lines(project) == [
        "calendar/launch⟨U+202E⟩gpj.yaml: file name contains control or invisible characters; "
        "rename the file"
    ]


def test_invalid_utf8_file_name(tmp_path: Path) -> None:
    project = _no_catalog_project(tmp_path)
    name = os.path.join(os.fsencode(project / "calendar"), b"caf\xe9.yaml")
    with open(name, "wb") as handle:
        handle.write(DRAFT_POST.encode())

    assert problem_lines(project) == [
        "calendar/caf\\xe9.yaml: file name is not valid UTF-8; rename the file"
    ]


def test_other_extensions_ignored(tmp_path: Path) -> None:
    project = _no_catalog_project(tmp_path)
    (project / "calendar" / "notes.md").write_text("not a post", encoding="utf-8")
    (project / "calendar" / "LOUD.YML").write_text(DRAFT_POST, encoding="utf-8")

    posts = load_scenario(project).calendar.posts

    assert [post.key for post in posts] == ["LOUD"]


def test_naive_now_rejected(tmp_path: Path) -> None:
    project = load_project(_no_catalog_project(tmp_path))

    with pytest.raises(ValueError, match="timezone-aware"):
        load_calendar(project, None, None, datetime(2030, 1, 1))
