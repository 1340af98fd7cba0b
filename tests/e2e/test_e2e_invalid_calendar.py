"""Bad calendar input through the real CLI: one line per problem, exit 1, state untouched.

Each case edits one file of a copy of the example calendar after a first successful apply, so
the state file exists and must stay byte-identical, and the emulator must see no request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.conftest import CliRunner, Project
from tests.support.emulator import EmulatorProcess

TEASER = "calendar/launch/teaser.yaml"
COUNTDOWN = "calendar/launch/countdown.yaml"
RECAP = "calendar/launch/recap.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    old: str  # text to replace; empty means `new` is a whole new file
    new: str
    where: str  # regex for `path:line:col` of the expected problem
    message: str  # regex the problem line must contain


CASES = [
    Case(
        "unknown key",
        RECAP,
        "content:",
        "contnet:",
        rf"{RECAP}:5:1",
        r"unknown key 'contnet'.*did you mean 'content'",
    ),
    Case(
        "duplicate yaml key",
        RECAP,
        "mode: draft\n",
        "mode: draft\nmode: schedule\n",
        rf"{RECAP}:\d+:1",
        r"duplicate key 'mode'",
    ),
    Case(
        "duplicate post key",
        COUNTDOWN,
        "id: countdown-3-days",
        "id: countdown-7-days",
        rf"{COUNTDOWN}:\d+:\d+",
        r"countdown-7-days",
    ),
    Case(
        "wrong type",
        RECAP,
        "content: Launch week, behind the scenes. Thank you to everyone who tuned in!",
        "content: 42",
        rf"{RECAP}:5:10",
        r"content",
    ),
    Case(
        "missing field",
        RECAP,
        "content: Launch week, behind the scenes. Thank you to everyone who tuned in!\n",
        "",
        rf"{RECAP}:\d+:\d+",
        r"content",
    ),
    Case(
        "unknown platform alias",
        RECAP,
        "platforms: [brand]",
        "platforms: [brnad]",
        rf"{RECAP}:3:\d+",
        r"brnad",
    ),
    Case(
        "time in the past",
        "calendar/late.yaml",
        "",
        "platforms: [brand]\ncontent: Too late.\nscheduledFor: 2020-03-04T09:00\n"
        "media: [media/team-photo.jpg]\nsettings: {privacy_level: SELF_ONLY}\n",
        r"calendar/late.yaml:3:15",
        r"past",
    ),
    Case(
        "local time without zone",
        "loomta.yaml",
        "timezone: Europe/Berlin\n",
        "",
        rf"{TEASER}:6:15",
        r"zone",
    ),
    Case(
        "time in a DST gap",
        TEASER,
        "scheduledFor: 2030-03-04T09:00",
        "scheduledFor: 2030-03-31T02:30",
        rf"{TEASER}:6:15",
        r"does not exist",
    ),
    Case(
        "time in a DST fold",
        TEASER,
        "scheduledFor: 2030-03-04T09:00",
        "scheduledFor: 2030-10-27T02:30",
        rf"{TEASER}:6:15",
        r"twice",
    ),
    Case(
        "missing media file",
        RECAP,
        "media/team-photo.jpg",
        "media/team-fotos.jpg",
        rf"{RECAP}:\d+:\d+",
        r"team-fotos\.jpg",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_invalid_calendar_rejected(
    case: Case, project: Project, cli: CliRunner, emulator: EmulatorProcess
) -> None:
    assert cli("apply", "--yes").returncode == 0
    state_file = project.root / ".loomta" / "state.json"
    before = state_file.read_bytes()
    requests_before = len(emulator.admin.requests())

    target: Path = project.root / case.file
    if case.old:
        text = target.read_text(encoding="utf-8")
        assert case.old in text, f"fixture text for {case.name} not found in {case.file}"
        target.write_text(text.replace(case.old, case.new, 1), encoding="utf-8")
    else:
        target.write_text(case.new, encoding="utf-8")

    for command in (["validate"], ["plan"], ["apply", "--yes"]):
        result = cli(*command)
        assert result.returncode == 1, f"{command}: {result.stdout}{result.stderr}"
        assert "Traceback" not in result.stderr
        problem_lines = [line for line in result.stderr.splitlines() if re.match(r"\S+:\d+", line)]
        matching = [line for line in problem_lines if re.match(case.where + ": ", line)]
        assert matching, f"{command}: no line at {case.where} in:\n{result.stderr}"
        assert any(re.search(case.message, line) for line in matching), result.stderr

    assert state_file.read_bytes() == before
    assert not (project.root / ".loomta" / "state.journal").exists()
    assert len(emulator.admin.requests()) == requests_before
