"""The action end to end: action.yml's steps against the emulator and a fake GitHub API.

Each test builds a repository whose `main` contains the example calendar under `social/`, with a
bare remote, and runs the action's steps through the harness as a runner would.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.emulator import TEST_API_KEY, EmulatorProcess, emulator_process

from .fake_github import FakeGitHub
from .git_repos import clone, git, push_other_commit
from .harness import REPOSITORY_ROOT, ActionRun, RunnerContext, run_action

EXAMPLE_PROJECT = REPOSITORY_ROOT / "examples" / "calendar"
PROJECT_DIR = "social"
REPO = "acme/social"
PR_NUMBER = 17
BOT = "github-actions[bot]"


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorProcess]:
    with emulator_process("--seed", "3") as running:
        yield running


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """Create a bare remote whose main branch contains the example project under `social/`."""
    remote = tmp_path / "remote.git"
    subprocess.run(
        ["git", "init", "-q", "--bare", "--initial-branch=main", str(remote)], check=True
    )
    seed = tmp_path / "seed"
    subprocess.run(["git", "clone", "-q", str(remote), str(seed)], check=True, capture_output=True)
    git(seed, "checkout", "-q", "-b", "main")
    shutil.copytree(EXAMPLE_PROJECT, seed / PROJECT_DIR)
    git(seed, "add", ".")
    git(
        seed,
        "-c",
        "user.name=Seed",
        "-c",
        "user.email=seed@example.invalid",
        "commit",
        "-qm",
        "seed",
    )
    git(seed, "push", "-q", "origin", "main")
    return remote


@pytest.fixture
def workspace(remote: Path, tmp_path: Path) -> Path:
    return clone(remote, tmp_path / "workspace")


@pytest.fixture
def runner_temp(tmp_path: Path) -> Path:
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    return temp


def _pull_request_context(workspace: Path, temp: Path, fake: FakeGitHub) -> RunnerContext:
    event = {
        "number": PR_NUMBER,
        "pull_request": {"number": PR_NUMBER, "head": {"repo": {"full_name": REPO}}},
    }
    return RunnerContext(
        workspace=workspace,
        temp=temp,
        repository=REPO,
        event_name="pull_request",
        event=event,
        api_url=fake.url,
        token=fake.token,
    )


def _push_context(workspace: Path, temp: Path) -> RunnerContext:
    return RunnerContext(
        workspace=workspace,
        temp=temp,
        repository=REPO,
        event_name="push",
        event={"ref": "refs/heads/main"},
    )


def _plan(context: RunnerContext, **inputs: str) -> ActionRun:
    return run_action(context, {"command": "plan", "working-directory": PROJECT_DIR, **inputs})


def _apply(context: RunnerContext, emulator: EmulatorProcess, **inputs: str) -> ActionRun:
    values = {
        "command": "apply",
        "working-directory": PROJECT_DIR,
        "api-key": TEST_API_KEY,
        "api-url": emulator.base_url,
        **inputs,
    }
    return run_action(context, values)


def _describe(run: ActionRun) -> str:
    return f"exit {run.exit_code}\nstdout:\n{run.stdout}\nstderr:\n{run.stderr}"


def test_plan_creates_comment_then_edits_it(
    workspace: Path, runner_temp: Path, fake_github: FakeGitHub
) -> None:
    context = _pull_request_context(workspace, runner_temp, fake_github)

    first = _plan(context)
    second = _plan(context)

    assert first.exit_code == 0, _describe(first)
    assert second.exit_code == 0, _describe(second)
    bodies = fake_github.bodies(REPO, PR_NUMBER)
    assert len(bodies) == 1
    assert bodies[0].startswith("<!-- loomta-sync plan: social/calendar -->\n")
    assert "Plan: 16 to create, 0 to retry" in bodies[0]
    methods = [method for method, _ in fake_github.requests if method in ("POST", "PATCH")]
    assert methods == ["POST", "PATCH"]
    assert first.outputs["has-changes"] == "true"
    assert first.outputs["comment-url"].startswith("https://github.test/acme/social/pull/17")
    assert first.skipped == [
        "Set up Python",
        "Install loomta-sync",
        "Keep the state file of a failed apply",
    ]


def test_plan_edits_comment_on_third_page(
    workspace: Path, runner_temp: Path, fake_github: FakeGitHub
) -> None:
    fake_github.max_page_size = 2
    for index in range(4):
        fake_github.add_comment(REPO, PR_NUMBER, f"review {index}", "alice")
    marker = "<!-- loomta-sync plan: social/calendar -->"
    ours = fake_github.add_comment(REPO, PR_NUMBER, f"{marker}\nold plan", BOT)
    fake_github.add_comment(REPO, PR_NUMBER, "newest", "bob")

    run = _plan(_pull_request_context(workspace, runner_temp, fake_github))

    assert run.exit_code == 0, _describe(run)
    assert len(fake_github.bodies(REPO, PR_NUMBER)) == 6
    assert "Plan: 16 to create" in ours["body"]
    assert ("PATCH", f"/repos/{REPO}/issues/comments/{ours['id']}") in fake_github.requests


def test_plan_writes_summary_without_api_key(
    workspace: Path, runner_temp: Path, fake_github: FakeGitHub
) -> None:
    context = _pull_request_context(workspace, runner_temp, fake_github)
    context.extra_env["LOOMTA_API_KEY"] = "loomta_sk_must_not_be_used"

    run = _plan(context, comment="false")

    assert run.exit_code == 0, _describe(run)
    assert run.summary.startswith("### loomta-sync plan for social/calendar\n")
    assert "<details>" in run.summary
    assert fake_github.requests == []
    assert run.outputs["summary"].startswith("Plan: 16 to create")


def test_plan_annotates_invalid_post(
    workspace: Path, runner_temp: Path, fake_github: FakeGitHub
) -> None:
    broken = workspace / PROJECT_DIR / "calendar" / "broken.yaml"
    broken.write_text("platforms: [brand]\ncontnet: hello @org/team\n", encoding="utf-8")

    run = _plan(_pull_request_context(workspace, runner_temp, fake_github))

    assert run.exit_code == 1, _describe(run)
    errors = run.annotations("error")
    assert errors
    files = {error.properties["file"] for error in errors}
    assert "social/calendar/broken.yaml" in files
    assert all("line" in error.properties for error in errors if error.properties["file"] in files)
    body = fake_github.bodies(REPO, PR_NUMBER)[0]
    assert "No plan: the calendar has" in body
    assert "broken.yaml" in body
    assert run.outputs["problems"] != "0"


def test_plan_from_fork_warns_and_keeps_summary(
    workspace: Path, runner_temp: Path, fake_github: FakeGitHub
) -> None:
    fake_github.forbid_writes = True
    context = _pull_request_context(workspace, runner_temp, fake_github)
    context.event["pull_request"]["head"]["repo"]["full_name"] = "someone/social"

    run = _plan(context)

    assert run.exit_code == 0, _describe(run)
    warnings = run.annotations("warning")
    assert any("comes from a fork" in warning.message for warning in warnings)
    assert "Plan: 16 to create" in run.summary


def test_apply_creates_posts_and_commits_state(
    workspace: Path, runner_temp: Path, remote: Path, emulator: EmulatorProcess
) -> None:
    emulator.admin.reset()

    run = _apply(_push_context(workspace, runner_temp), emulator)

    assert run.exit_code == 0, _describe(run)
    assert "Apply: 16 created, 0 rescheduled, 0 failed" in run.summary
    assert run.outputs["exit-code"] == "0"
    state = git(remote, "show", f"main:{PROJECT_DIR}/.loomta/state.json")
    assert state.count('"status": "created"') == 16
    assert git(remote, "log", "-1", "--format=%s", "main") == (
        "Record loomta-sync apply results in the state file"
    )
    assert len(emulator.admin.groups()) > 0


def test_apply_rebases_when_push_races(
    workspace: Path, runner_temp: Path, remote: Path, tmp_path: Path, emulator: EmulatorProcess
) -> None:
    emulator.admin.reset()
    push_other_commit(remote, tmp_path, "README.md", "someone else merged\n")

    run = _apply(_push_context(workspace, runner_temp), emulator)

    assert run.exit_code == 0, _describe(run)
    assert "2 push(es)" in run.stdout
    assert git(remote, "show", "main:README.md") == "someone else merged"
    assert '"status": "created"' in git(remote, "show", f"main:{PROJECT_DIR}/.loomta/state.json")


def test_apply_failure_exits_after_commit(
    workspace: Path, runner_temp: Path, remote: Path, emulator: EmulatorProcess
) -> None:
    emulator.admin.reset()
    emulator.admin.set_quota(limit=3, used=0)

    run = _apply(_push_context(workspace, runner_temp), emulator)

    assert run.exit_code == 3, _describe(run)
    assert run.outputs["exit-code"] == "3"
    state = git(remote, "show", f"main:{PROJECT_DIR}/.loomta/state.json")
    assert '"status": "created"' in state
    assert "not sent" in run.summary or "failed" in run.summary


def test_second_apply_has_no_changes(
    workspace: Path, runner_temp: Path, remote: Path, emulator: EmulatorProcess
) -> None:
    emulator.admin.reset()
    context = _push_context(workspace, runner_temp)
    _apply(context, emulator)
    head = git(remote, "rev-parse", "main")

    again = _apply(context, emulator)

    assert again.exit_code == 0, _describe(again)
    assert "No changes." in again.summary
    assert git(remote, "rev-parse", "main") == head
