"""Run the composite action's steps locally, the way a GitHub-hosted runner runs them.

The harness reads `action.yml` and resolves its inputs: defaults first, then the test's values.
It runs each `run:` step with `bash --noprofile --norc -eo pipefail` in the step's working
directory. The step's `env:` goes on top of the runner's variables (GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_WORKSPACE,
GITHUB_ACTION_PATH and the rest). Afterwards it reads each step's outputs, the job summary and
the workflow commands on standard output, honouring `::stop-commands::`, and resolves the
action's outputs.

What it does not run:
- `uses:` steps (`actions/setup-python`, `actions/upload-artifact`): they need the network. The
  Python that runs the tests is first on PATH instead.
- The step with id `install`: `pip install "$GITHUB_ACTION_PATH"` needs the package index for
  its build backend. The tests run the loomta-sync already installed in the test environment.

Expressions: only the forms action.yml uses are resolved (`inputs.*`, `github.token`,
`github.run_id`, `github.run_attempt`, `github.action_path`, `steps.<id>.outputs.<name>`).
Any other expression, or an `if:` on a `run:` step, raises HarnessError so that a change to
action.yml cannot pass here untested.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
ACTION_FILE = REPOSITORY_ROOT / "action.yml"
SKIPPED_STEP_IDS = frozenset({"install"})

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_COMMAND = re.compile(r"^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$")


class HarnessError(Exception):
    """action.yml uses something the harness does not emulate."""


@dataclass(frozen=True)
class WorkflowCommand:
    """One `::name props::message` line that the runner would act on."""

    name: str
    properties: dict[str, str]
    message: str


@dataclass
class StepRun:
    name: str
    exit_code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]


@dataclass
class ActionRun:
    """What one run of the action left: per-step results, outputs, summary and commands."""

    steps: list[StepRun] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    commands: list[WorkflowCommand] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return next((step.exit_code for step in self.steps if step.exit_code != 0), 0)

    @property
    def stdout(self) -> str:
        return "".join(step.stdout for step in self.steps)

    @property
    def stderr(self) -> str:
        return "".join(step.stderr for step in self.steps)

    def annotations(self, level: str = "error") -> list[WorkflowCommand]:
        return [command for command in self.commands if command.name == level]


@dataclass
class RunnerContext:
    """The job's surroundings: workspace, event, repository, API address and token."""

    workspace: Path
    temp: Path
    repository: str = "acme/social"
    event_name: str = "pull_request"
    event: dict[str, Any] = field(default_factory=dict)
    api_url: str = "http://127.0.0.1:9"
    token: str = "ghs_harness_token"
    ref_name: str = "main"
    run_id: str = "4242"
    extra_env: dict[str, str] = field(default_factory=dict)


def run_action(context: RunnerContext, inputs: Mapping[str, str]) -> ActionRun:
    """Run action.yml's steps for one job and return what the runner would have seen."""
    action = yaml.safe_load(ACTION_FILE.read_text(encoding="utf-8"))
    if action["runs"]["using"] != "composite":
        raise HarnessError("the harness only runs composite actions")

    event_path = context.temp / "event.json"
    event_path.write_text(json.dumps(context.event), encoding="utf-8")
    summary_path = context.temp / "step_summary.md"
    summary_path.write_text("", encoding="utf-8")

    resolved = _resolve_inputs(action.get("inputs", {}), inputs, context)
    result = ActionRun()
    step_outputs: dict[str, dict[str, str]] = {}
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name") or step.get("id") or f"step {index}"
        if "uses" in step or step.get("id") in SKIPPED_STEP_IDS:
            result.skipped.append(name)
            continue
        if result.exit_code != 0:
            result.skipped.append(name)
            continue
        if "if" in step:
            raise HarnessError(f"{name}: `if:` on a run step is not emulated")

        expressions = _Expressions(resolved, context, step_outputs)
        run = _run_step(step, index, context, expressions, event_path, summary_path)
        result.steps.append(run)
        result.commands.extend(parse_commands(run.stdout))
        if "id" in step:
            step_outputs[step["id"]] = run.outputs

    expressions = _Expressions(resolved, context, step_outputs)
    for output_name, spec in action.get("outputs", {}).items():
        result.outputs[output_name] = expressions.substitute(str(spec["value"]))
    result.summary = summary_path.read_text(encoding="utf-8")
    return result


def parse_commands(stdout: str) -> list[WorkflowCommand]:
    """Read workflow commands from a step's output, skipping lines between stop markers."""
    commands = []
    stop_token: str | None = None
    for line in stdout.splitlines():
        if stop_token is not None:
            if line == f"::{stop_token}::":
                stop_token = None
            continue
        match = _COMMAND.match(line)
        if match is None:
            continue
        name, raw_properties, message = match.groups()
        if name == "stop-commands":
            stop_token = message
            continue
        properties = {}
        for pair in (raw_properties or "").split(","):
            if pair:
                key, _, value = pair.partition("=")
                properties[key] = _unescape(value, property_value=True)
        commands.append(WorkflowCommand(name, properties, _unescape(message, property_value=False)))
    return commands


def base_environment(context: RunnerContext) -> dict[str, str]:
    """Return the variables a hosted runner sets for every step, with this test's values."""
    home = context.temp / "home"
    home.mkdir(exist_ok=True)
    python_bin = str(Path(sys.executable).parent)
    return {
        "PATH": f"{python_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_ACTION_PATH": str(REPOSITORY_ROOT),
        "GITHUB_WORKSPACE": str(context.workspace),
        "GITHUB_EVENT_NAME": context.event_name,
        "GITHUB_REPOSITORY": context.repository,
        "GITHUB_API_URL": context.api_url,
        "GITHUB_SERVER_URL": "https://github.test",
        "GITHUB_RUN_ID": context.run_id,
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_REF_NAME": context.ref_name,
        "RUNNER_TEMP": str(context.temp),
        # The developer's git settings must not reach the job.
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(context.temp / "gitconfig"),
        **context.extra_env,
    }


def _run_step(
    step: dict[str, Any],
    index: int,
    context: RunnerContext,
    expressions: _Expressions,
    event_path: Path,
    summary_path: Path,
) -> StepRun:
    script = step["run"]
    if _EXPRESSION.search(script):
        raise HarnessError(f"step {index}: `${{{{ }}}}` inside run: is not allowed")
    if step.get("shell") != "bash":
        raise HarnessError(f"step {index}: only `shell: bash` is emulated")

    script_path = context.temp / f"step-{index}.sh"
    script_path.write_text(script, encoding="utf-8")
    output_path = context.temp / f"step-{index}.output"
    output_path.write_text("", encoding="utf-8")
    step_summary = context.temp / f"step-{index}.summary"
    step_summary.write_text("", encoding="utf-8")

    env = base_environment(context)
    env.update(
        {
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_OUTPUT": str(output_path),
            "GITHUB_STEP_SUMMARY": str(step_summary),
        }
    )
    for name, value in (step.get("env") or {}).items():
        env[name] = expressions.substitute(str(value))
    directory = expressions.substitute(str(step.get("working-directory", ".")))

    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_path)],
        cwd=context.workspace / directory,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    with summary_path.open("a", encoding="utf-8") as summary:
        summary.write(step_summary.read_text(encoding="utf-8"))
    return StepRun(
        name=step.get("name", f"step {index}"),
        exit_code=completed.returncode,
        stdout=completed.stdout,
        stderr=completed.stderr,
        outputs=parse_output_file(output_path.read_text(encoding="utf-8")),
    )


def parse_output_file(text: str) -> dict[str, str]:
    """Read a GITHUB_OUTPUT file in both `name=value` and `name<<DELIMITER` forms."""
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        heredoc = "<<" in line and ("=" not in line or line.index("<<") < line.index("="))
        if not heredoc:
            name, _, value = line.partition("=")
            outputs[name] = value
            continue
        name, delimiter = line.split("<<", 1)
        value_lines = []
        while lines[index] != delimiter:
            value_lines.append(lines[index])
            index += 1
        index += 1
        outputs[name] = "\n".join(value_lines)
    return outputs


def _resolve_inputs(
    declared: dict[str, Any], given: Mapping[str, str], context: RunnerContext
) -> dict[str, str]:
    unknown = set(given) - set(declared)
    if unknown:
        raise HarnessError(f"inputs not declared in action.yml: {sorted(unknown)}")
    defaults = _Expressions({}, context, {})
    resolved = {}
    for name, spec in declared.items():
        value = given.get(name, spec.get("default", ""))
        resolved[name] = defaults.substitute(str(value)) if name not in given else value
    return resolved


class _Expressions:
    def __init__(
        self,
        inputs: dict[str, str],
        context: RunnerContext,
        step_outputs: dict[str, dict[str, str]],
    ) -> None:
        self.inputs = inputs
        self.context = context
        self.step_outputs = step_outputs

    def substitute(self, text: str) -> str:
        return _EXPRESSION.sub(lambda match: self._evaluate(match.group(1)), text)

    def _evaluate(self, expression: str) -> str:
        github = {
            "github.token": self.context.token,
            "github.run_id": self.context.run_id,
            "github.run_attempt": "1",
            "github.action_path": str(REPOSITORY_ROOT),
        }
        if expression in github:
            return github[expression]
        if expression.startswith("inputs."):
            return self.inputs[expression.removeprefix("inputs.")]
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if match:
            return self.step_outputs.get(match.group(1), {}).get(match.group(2), "")
        raise HarnessError(f"expression not emulated: {expression}")


def _unescape(text: str, *, property_value: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")]
    if property_value:
        pairs += [("%3A", ":"), ("%2C", ",")]
    for escaped, char in pairs:
        text = text.replace(escaped, char)
    return text.replace("%25", "%")
