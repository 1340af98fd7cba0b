"""The files a GitHub Actions runner gives a step: job summary, outputs and the event payload.

`GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT` name files that the step appends to; the runner reads
them when the step ends. `GITHUB_EVENT_PATH` names the JSON payload of the triggering event.
Outside a runner these variables are unset, and the writers do nothing.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loomta_sync.errors import LoomtaSyncError
from loomta_sync.render.markdown_escape import measure

logger = logging.getLogger(__name__)

# The runner rejects a step summary over 1 MiB. Markdown is budgeted in UTF-16 code units, and
# one unit takes at most 3 bytes of UTF-8, so this many units always stays under 1 MiB.
SUMMARY_MAX_CHARS = 340_000

_OUTPUT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class RunnerFileError(LoomtaSyncError):
    """A runner file (event payload, summary or output file) is unreadable or unwritable."""


def append_step_summary(markdown: str) -> bool:
    """Append Markdown to the job summary, or return False when not running in a workflow."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    if measure(markdown) > SUMMARY_MAX_CHARS:
        raise ValueError(f"summary of {measure(markdown)} characters is over {SUMMARY_MAX_CHARS}")
    _append(Path(path), markdown if markdown.endswith("\n") else markdown + "\n")
    return True


def set_outputs(outputs: Mapping[str, str]) -> bool:
    """Write step outputs, or return False when not running in a workflow.

    Every value uses the `name<<DELIMITER` form with a random delimiter that the value does
    not contain, so no value can end early and set another output.
    """
    path = os.environ.get("GITHUB_OUTPUT")
    if not path:
        return False
    lines = []
    for name, value in outputs.items():
        if not _OUTPUT_NAME.match(name):
            raise ValueError(f"invalid output name {name!r}")
        delimiter = _delimiter_for(value)
        lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    _append(Path(path), "".join(lines))
    return True


@dataclass(frozen=True, slots=True)
class WorkflowEvent:
    """The fields of the triggering event that loomta-sync uses."""

    name: str
    repository: str | None
    pull_request_number: int | None
    head_repository: str | None

    @property
    def is_fork(self) -> bool:
        """True for a pull request from another repository, whose token cannot comment."""
        return self.head_repository is not None and self.head_repository != self.repository


def read_event(environ: Mapping[str, str] | None = None) -> WorkflowEvent:
    """Read `GITHUB_EVENT_NAME`, `GITHUB_REPOSITORY` and the payload at `GITHUB_EVENT_PATH`."""
    env = os.environ if environ is None else environ
    payload = _read_payload(env.get("GITHUB_EVENT_PATH"))
    pull_request = payload.get("pull_request")
    number: int | None = None
    head_repository: str | None = None
    if isinstance(pull_request, dict):
        raw_number = pull_request.get("number", payload.get("number"))
        number = raw_number if isinstance(raw_number, int) else None
        head_repository = _nested_str(pull_request, "head", "repo", "full_name")
    return WorkflowEvent(
        name=env.get("GITHUB_EVENT_NAME", ""),
        repository=env.get("GITHUB_REPOSITORY") or None,
        pull_request_number=number,
        head_repository=head_repository,
    )


def run_url(environ: Mapping[str, str] | None = None) -> str | None:
    """Return the web address of the current workflow run, when the runner sets its parts."""
    env = os.environ if environ is None else environ
    server = env.get("GITHUB_SERVER_URL")
    repository = env.get("GITHUB_REPOSITORY")
    run_id = env.get("GITHUB_RUN_ID")
    if not (server and repository and run_id):
        return None
    return f"{server.rstrip('/')}/{repository}/actions/runs/{run_id}"


def _read_payload(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RunnerFileError(
            f"{path}: cannot read the event payload ({exc}); check GITHUB_EVENT_PATH"
        ) from exc
    return payload if isinstance(payload, dict) else {}


def _nested_str(data: dict[str, Any], *keys: str) -> str | None:
    value: Any = data
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value if isinstance(value, str) else None


def _delimiter_for(value: str) -> str:
    while True:
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        if delimiter not in value:
            return delimiter


def _append(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise RunnerFileError(f"{path}: cannot append to the runner file ({exc})") from exc


def workspace_prefix(directory: Path, environ: Mapping[str, str] | None = None) -> str:
    """Return `directory` relative to the repository root as a prefix such as `social/`.

    The root is `GITHUB_WORKSPACE` on a runner, else the enclosing git work tree. The prefix is
    empty for the root itself and for a directory outside the root.
    """
    env = os.environ if environ is None else environ
    workspace = env.get("GITHUB_WORKSPACE") or _git_toplevel(directory)
    if not workspace:
        return ""
    try:
        relative = directory.resolve().relative_to(Path(workspace).resolve())
    except ValueError:
        return ""
    text = relative.as_posix()
    return "" if text == "." else text + "/"


def _git_toplevel(directory: Path) -> str | None:
    try:
        completed = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    return completed.stdout.strip() if completed.returncode == 0 else None
