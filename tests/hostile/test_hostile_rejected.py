"""Every hostile input through the real CLI: its problem lines, exit 1, no API call, no write.

Each case runs `apply --yes` with a live emulator's URL and a key in the environment, so a case
that slipped through validation would reach the API. The emulator's request log must stay
empty, and every file of the project (state.json included) must be byte-identical afterwards.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.hostile.hostile_builders import (
    CONFIG_FIXTURES,
    HIDDEN_TEXT_FILE,
    LIMIT_FIXTURES,
    MEDIA_PATHS_FILE,
    YAML_FIXTURES,
)
from tests.hostile.hostile_cases import (
    ACCEPTED_PATH_POSTS,
    ACCEPTED_TEXT_POSTS,
    ACCEPTED_YAML_FIXTURES,
    ALL_CASES,
    HostileCase,
)
from tests.hostile.hostile_cli import CANARY_KEY, cli_environment, run_cli
from tests.hostile.hostile_projects import PATHS_PROJECT, TEXT_PROJECT, post_ids, snapshot
from tests.support.emulator import EmulatorProcess


def _param(case: HostileCase) -> object:
    marks = []
    if case.known_bug is not None:
        marks.append(pytest.mark.xfail(strict=True, reason=case.known_bug))
    return pytest.param(case, id=case.name, marks=marks)


def _summary(count: int) -> str:
    return f"Error: validation failed with {count} problem{'s' if count != 1 else ''}"


@pytest.mark.parametrize("case", [_param(case) for case in ALL_CASES])
def test_hostile_case_rejected(
    case: HostileCase, tmp_path: Path, quiet_emulator: EmulatorProcess
) -> None:
    root = case.build(tmp_path)
    before = snapshot(root)
    environment = cli_environment(api_url=quiet_emulator.base_url)

    result = run_cli(root, "apply", "--yes", environment=environment)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == _summary(len(case.expected)), result.stderr
    problems = lines[:-1]
    assert len(problems) == len(case.expected), result.stderr
    for line, pattern in zip(problems, case.expected, strict=True):
        assert re.fullmatch(pattern, line), f"{line!r} does not match {pattern!r}"
    assert CANARY_KEY not in result.stderr
    assert quiet_emulator.admin.requests() == []
    assert snapshot(root) == before


def test_every_fixture_has_a_case() -> None:
    names = {case.name for case in ALL_CASES}

    yaml_names = {path.stem for path in YAML_FIXTURES.glob("*.yaml")}
    assert {f"yaml/{name}" for name in yaml_names - set(ACCEPTED_YAML_FIXTURES)} <= names
    config_names = {path.name for path in CONFIG_FIXTURES.iterdir()}
    assert {f"config/{name}" for name in config_names} <= names
    limit_names = {path.name for path in LIMIT_FIXTURES.iterdir()}
    assert {f"limits/{name}" for name in limit_names} <= names

    media_posts = post_ids((PATHS_PROJECT / MEDIA_PATHS_FILE).read_text(encoding="utf-8"))
    assert {f"paths/{post}" for post in media_posts} - names == {
        f"paths/{post}" for post in ACCEPTED_PATH_POSTS
    }
    text_posts = post_ids((TEXT_PROJECT / HIDDEN_TEXT_FILE).read_text(encoding="utf-8"))
    assert {f"text/{post}" for post in text_posts} - names == {
        f"text/{post}" for post in ACCEPTED_TEXT_POSTS
    }


def test_missing_state_stays_absent(tmp_path: Path, quiet_emulator: EmulatorProcess) -> None:
    case = next(case for case in ALL_CASES if case.name == "yaml/billion_laughs")
    root = case.build(tmp_path)
    (root / ".loomta" / "state.json").unlink()
    environment = cli_environment(api_url=quiet_emulator.base_url)

    result = run_cli(root, "apply", "--yes", environment=environment)

    assert result.returncode == 1, result.stderr
    assert sorted(path.name for path in (root / ".loomta").iterdir()) == ["platforms.json"]
    assert quiet_emulator.admin.requests() == []
