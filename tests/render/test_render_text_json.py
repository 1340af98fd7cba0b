"""Text and JSON renderings of a plan, and reading a saved plan back."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from loomta_sync.calendar.model import Calendar
from loomta_sync.errors import LoomtaSyncError
from loomta_sync.planner.planner import make_plan
from loomta_sync.render.json_plan import load_plan, render_plan_json
from loomta_sync.render.summary import summary_lines
from loomta_sync.render.text import render_plan_text
from loomta_sync.state.model import State
from tests.planner.builders import BRAND, DEV, LEAD, NOW, WHEN, payload, post, record, state_with


def mixed_plan():  # type: ignore[no-untyped-def]
    created = payload()
    calendar = Calendar(
        posts=(
            post("new", (BRAND, payload(content="Brand new"))),
            post("later", (BRAND, payload(when=WHEN + timedelta(hours=2)))),
            post("renamed", (DEV, payload(content="Same as before"))),
        )
    )
    state = state_with(
        {
            "later": {BRAND: record(created)},
            "old-name": {DEV: record(payload(content="Same as before"))},
        }
    )
    return make_plan(calendar, state, NOW, LEAD)


def test_summary_line_fixed_wording() -> None:
    assert summary_lines(mixed_plan()) == [
        "Plan: 1 to create, 0 to retry, 1 to reschedule, 0 conflicts, 0 unknown, 0 expired.",
        "State only: 1 moved, 0 orphaned.",
    ]


def test_summary_no_changes() -> None:
    body = payload()
    calendar = Calendar(posts=(post("a", (BRAND, body)),))
    plan = make_plan(calendar, state_with({"a": {BRAND: record(body)}}), NOW, LEAD)
    assert render_plan_text(plan) == "No changes.\n"


def test_text_shows_symbols_times_and_content() -> None:
    text = render_plan_text(mixed_plan())
    assert "+ create     new on " + BRAND in text
    assert "~ reschedule later on " + BRAND in text
    assert "> moved      renamed on " + DEV in text
    assert "from key old-name" in text
    assert "content: Brand new" in text
    assert "2030-03-10 10:00 Europe/Berlin (2030-03-10 09:00 UTC)" in text
    assert "was:     2030-03-10 10:00 Europe/Berlin" in text


def test_text_makes_invisible_characters_visible() -> None:
    calendar = Calendar(posts=(post("a", (BRAND, payload(content="safe\u202etxt.exe"))),))
    text = render_plan_text(make_plan(calendar, State(), NOW, LEAD))
    assert "\u202e" not in text
    assert "U+202E" in text


def test_json_round_trip(tmp_path: Path) -> None:
    plan = mixed_plan()
    path = tmp_path / "plan.json"
    path.write_text(render_plan_json(plan), encoding="utf-8")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format_version"] == 1
    assert data["summary"]["create"] == 1
    assert data["state"] == {"lineage": "lineage-1", "serial": 7}
    loaded = load_plan(path)
    assert loaded.checksum == plan.checksum
    assert loaded.changes == plan.changes


def test_json_edited_plan_rejected(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    text = render_plan_json(mixed_plan()).replace("Brand new", "Sneaky edit")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoomtaSyncError, match="checksum does not match"):
        load_plan(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a readable plan file"),
        ("[]", "not a plan file"),
        ('{"format_version": 99}', "format_version 99"),
    ],
)
def test_json_invalid_plan_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LoomtaSyncError, match=message):
        load_plan(path)
