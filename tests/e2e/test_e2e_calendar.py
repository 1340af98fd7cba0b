"""The example calendar end to end: real CLI processes against the emulator over real HTTP.

validate → plan → apply → plan shows `No changes.` → move a post's time → reschedule → edit its
text → conflict → revert and rename its file → moved, not re-created.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.e2e.conftest import CliRunner, Project
from tests.support.emulator import EmulatorProcess

EXAMPLE_POSTS = 12
# Targets of the example: posts with two platforms count twice.
EXAMPLE_TARGETS = 16


def test_example_validates(project: Project, cli: CliRunner) -> None:
    result = cli("validate")
    assert result.returncode == 0, result.stderr
    assert f"Valid: {EXAMPLE_POSTS} posts, {EXAMPLE_TARGETS} targets." in result.stdout


def test_example_full_cycle(project: Project, cli: CliRunner, emulator: EmulatorProcess) -> None:
    plan = cli("plan", "--detailed-exitcode")
    assert plan.returncode == 2, plan.stderr
    assert (
        f"Plan: {EXAMPLE_TARGETS} to create, 0 to retry, 0 to reschedule, 0 conflicts, "
        "0 unknown, 0 expired." in plan.stdout
    )

    apply = cli("apply", "--yes")
    assert apply.returncode == 0, apply.stdout + apply.stderr
    assert f"Apply complete: {EXAMPLE_TARGETS} created" in apply.stdout

    state = project.state()
    targets = [t for post in state["posts"].values() for t in post["targets"].values()]
    assert len(targets) == EXAMPLE_TARGETS
    assert all(t["status"] == "created" for t in targets)
    assert all(t["root_post_id"] for t in targets)
    groups = emulator.admin.groups()
    remote_ids = {g["root"]["id"] for g in groups}
    assert {t["root_post_id"] for t in targets} == remote_ids
    # launch-day has two follow-up comments on each of its two platforms.
    launch = state["posts"]["launch/launch-day"]["targets"]
    assert all(len(t["child_post_ids"]) == 2 for t in launch.values())
    # Each distinct media file was uploaded once: the example uses seven.
    assert len(state["media"]) == 7

    again = cli("plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.strip().endswith("No changes.")


def test_example_reschedule_conflict_move(
    project: Project, cli: CliRunner, emulator: EmulatorProcess
) -> None:
    assert cli("apply", "--yes").returncode == 0
    created = len(emulator.admin.groups())
    teaser = project.root / "calendar" / "launch" / "teaser.yaml"
    original = teaser.read_text(encoding="utf-8")

    teaser.write_text(original.replace("2030-03-04T09:00", "2030-03-04T11:30"), encoding="utf-8")
    plan = cli("plan")
    assert "Plan: 0 to create, 0 to retry, 2 to reschedule, 0 conflicts" in plan.stdout
    apply = cli("apply", "--yes")
    assert apply.returncode == 0, apply.stdout + apply.stderr
    assert "2 rescheduled" in apply.stdout
    teaser_ids = [
        t["root_post_id"] for t in project.state()["posts"]["launch/teaser"]["targets"].values()
    ]
    for group in emulator.admin.groups():
        if group["root"]["id"] in teaser_ids:
            assert group["root"]["scheduledFor"].startswith("2030-03-04T10:30:00")
    assert cli("plan").stdout.strip().endswith("No changes.")

    rescheduled = teaser.read_text(encoding="utf-8")
    teaser.write_text(rescheduled.replace("Follow along", "Stay tuned"), encoding="utf-8")
    conflict = cli("plan")
    assert conflict.returncode == 1
    assert "! conflict   launch/teaser on brand" in conflict.stdout
    assert "content changed after the post was created" in conflict.stdout

    teaser.write_text(rescheduled, encoding="utf-8")
    teaser.rename(teaser.with_name("teaser-video.yaml"))
    moved = cli("plan")
    assert "State only: 2 moved, 0 orphaned." in moved.stdout
    assert "from key launch/teaser" in moved.stdout
    apply = cli("apply", "--yes")
    assert apply.returncode == 0, apply.stdout + apply.stderr
    assert "2 moved" in apply.stdout
    assert len(emulator.admin.groups()) == created
    assert "launch/teaser-video" in project.state()["posts"]
    assert "launch/teaser" not in project.state()["posts"]
    assert cli("plan").stdout.strip().endswith("No changes.")


def test_saved_plan_applied_once(project: Project, cli: CliRunner) -> None:
    plan_file = project.root / "plan.json"
    assert cli("plan", "--out", str(plan_file)).returncode == 0
    first = cli("apply", str(plan_file))
    assert first.returncode == 0, first.stdout + first.stderr
    second = cli("apply", str(plan_file))
    assert second.returncode == 1
    assert "state is now at serial" in second.stderr


def test_stale_plan_after_calendar_edit(project: Project, cli: CliRunner) -> None:
    plan_file = project.root / "plan.json"
    assert cli("plan", "--out", str(plan_file)).returncode == 0
    recap = project.root / "calendar" / "launch" / "recap.yaml"
    recap.write_text(recap.read_text(encoding="utf-8").replace("Thank you", "Thanks"))
    result = cli("apply", str(plan_file))
    assert result.returncode == 1
    assert "the calendar changed since the plan was made" in result.stderr


def test_apply_without_tty_needs_yes(project: Project, cli: CliRunner) -> None:
    result = cli("apply")
    assert result.returncode == 1
    assert "pass --yes" in result.stderr
    assert not (project.root / ".loomta" / "state.json").exists()


def test_json_plan_matches_schema_fields(project: Project, cli: CliRunner) -> None:
    result = cli("plan", "--format", "json")
    data = json.loads(result.stdout)
    assert data["format_version"] == 1
    assert data["summary"]["create"] == EXAMPLE_TARGETS
    assert re.fullmatch(r"[0-9a-f]{64}", data["checksum"])
    kinds = {change["kind"] for change in data["changes"]}
    assert kinds == {"create"}


def test_platforms_pull_and_list(project: Project, cli: CliRunner) -> None:
    catalog = project.root / ".loomta" / "platforms.json"
    catalog.unlink()
    pulled = cli("platforms", "pull")
    assert pulled.returncode == 0, pulled.stderr
    assert "Pulled 4 platforms" in pulled.stdout
    listed = cli("platforms", "list")
    assert "6f1b2c3d-0000-4000-8000-000000000001  tiktok  Loomta Brand" in listed.stdout
    assert "aliases: brand" in listed.stdout
    assert "privacy_level enum (required)" in listed.stdout


def test_key_never_in_outputs(project: Project, cli: CliRunner) -> None:
    outputs = [cli("plan"), cli("apply", "--yes"), cli("state", "show", "--format", "json")]
    for result in outputs:
        assert project.api_key not in result.stdout
        assert project.api_key not in result.stderr
    for path in (project.root / ".loomta").iterdir():
        assert project.api_key not in path.read_text(encoding="utf-8", errors="replace")


def test_init_project_validates_and_plans(tmp_path: Path, cli_in: CliRunner) -> None:
    root = tmp_path / "fresh"
    created = cli_in(tmp_path, "init", str(root), "--timezone", "Europe/Berlin")
    assert created.returncode == 0, created.stderr
    validated = cli_in(root, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "Valid: 1 post, 1 target." in validated.stdout
    planned = cli_in(root, "plan")
    assert planned.returncode == 0, planned.stderr
    assert "Plan: 1 to create" in planned.stdout


def test_rename_with_new_time_reschedules_once(
    project: Project, cli: CliRunner, emulator: EmulatorProcess
) -> None:
    assert cli("apply", "--yes").returncode == 0
    created = len(emulator.admin.groups())
    teaser = project.root / "calendar" / "launch" / "teaser.yaml"
    text = teaser.read_text(encoding="utf-8").replace("2030-03-04T09:00", "2030-03-05T09:00")
    teaser.unlink()
    (teaser.parent / "teaser-renamed.yaml").write_text(text, encoding="utf-8")

    plan = cli("plan")
    assert "State only: 2 moved, 0 orphaned." in plan.stdout
    assert "then reschedules the post" in plan.stdout
    apply = cli("apply", "--yes")
    assert apply.returncode == 0, apply.stdout + apply.stderr
    assert "2 rescheduled, 2 moved" in apply.stdout
    assert len(emulator.admin.groups()) == created
    targets = project.state()["posts"]["launch/teaser-renamed"]["targets"]
    assert all(t["scheduled_for"].startswith("2030-03-05T08:00:00") for t in targets.values())
    assert cli("plan").stdout.strip().endswith("No changes.")


def test_rename_with_edit_refused_while_queued(
    project: Project, cli: CliRunner, emulator: EmulatorProcess
) -> None:
    assert cli("apply", "--yes").returncode == 0
    created = len(emulator.admin.groups())
    teaser = project.root / "calendar" / "launch" / "teaser.yaml"
    text = teaser.read_text(encoding="utf-8").replace("Follow along", "Stay tuned")
    teaser.unlink()
    (teaser.parent / "teaser-v2.yaml").write_text(text, encoding="utf-8")

    plan = cli("plan")
    assert "- orphan     launch/teaser on" in plan.stdout
    assert "will publish unless deleted in Loomta" in plan.stdout
    apply = cli("apply", "--yes")
    assert apply.returncode == 1
    assert "still scheduled in Loomta and will publish (launch/teaser)" in apply.stderr
    assert len(emulator.admin.groups()) == created
