"""The apply job after a merge: plan, apply that exact plan, record the result in git.

The plan is saved first and applied with `apply PLAN --yes`, so the job summary shows the plan
that was applied and apply rejects it if the state moved in between. The apply runs as a child
process: its exit code and output are the documented CLI's, and a crash in it cannot stop this
process from folding the journal and committing what was recorded.
"""

from __future__ import annotations

import logging
import secrets
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from loomta_sync.config import Project
from loomta_sync.planner.model import Plan
from loomta_sync.render.markdown_apply import apply_summary_line, collect_results
from loomta_sync.state.model import State
from loomta_sync.state.store import StateStore

logger = logging.getLogger(__name__)

# Seconds to wait for the state lock when folding the journal after the apply has exited.
FOLD_LOCK_TIMEOUT = 30.0


def run_apply(
    global_args: Sequence[str],
    plan_file: Path,
    echo: Callable[[str], None],
    extra_args: Sequence[str] = (),
) -> int:
    """Run `loomta-sync [global_args] apply PLAN_FILE --yes` and return its exit code.

    Its output goes straight to the job log. `echo` writes `::stop-commands::` markers around
    it, so post text that the apply prints cannot be read by the runner as a workflow command.
    """
    command = [
        sys.executable, "-m", "loomta_sync", *global_args,
        "apply", str(plan_file), "--yes", *extra_args,
    ]  # fmt: skip
    token = secrets.token_hex(16)
    echo(f"::stop-commands::{token}")
    try:
        completed = subprocess.run(command, check=False)
    finally:
        echo(f"::{token}::")
    logger.info("apply exited with code %s", completed.returncode)
    return completed.returncode


def fold_state(project: Project) -> State:
    """Write a journal left by a crashed apply into state.json and return the state.

    Opening a locked session folds the journal and closing it writes state.json, so targets
    that were in flight are committed as unknown instead of being forgotten with the runner.
    """
    store = StateStore(project.state_path)
    with store.lock("record apply results", FOLD_LOCK_TIMEOUT):
        pass
    return store.read()


def state_paths(project: Project) -> list[Path]:
    """List the files the apply job commits: state.json, its .gitignore and the catalog."""
    state_path = project.state_path
    return [state_path, state_path.parent / ".gitignore", project.catalog_path]


def commit_message(plan: Plan, state: State, run_link: str | None) -> str:
    """Return the state commit's message: the apply's result line, then the run's address."""
    results = collect_results(plan, state)
    subject = "Record loomta-sync apply results in the state file"
    body = apply_summary_line(results)
    if run_link:
        body += f"\n\nWorkflow run: {run_link}"
    return f"{subject}\n\n{body}\n"
