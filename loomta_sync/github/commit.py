"""Committing the state file back to the branch after an apply, with git.

The state records which posts exist on Loomta. If the commit is lost, the next apply cannot know
them, so a push rejected because the branch moved on is retried after `git pull --rebase`. A
rebase conflict is not resolved automatically: the job fails with the state file left in the
working tree, and the action uploads it as an artifact.
"""

from __future__ import annotations

import logging
import os
import random
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from loomta_sync.errors import LoomtaSyncError

logger = logging.getLogger(__name__)

# The identity GitHub shows for commits made with the workflow's GITHUB_TOKEN.
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"

DEFAULT_ATTEMPTS = 5


class StateCommitError(LoomtaSyncError):
    """The state file could not be committed or pushed."""


@dataclass(frozen=True, slots=True)
class CommitResult:
    """Whether a commit was made, its id, and how many pushes it took."""

    committed: bool
    commit_id: str | None = None
    push_attempts: int = 0


def commit_state(
    repo_dir: Path,
    paths: Sequence[Path],
    message: str,
    *,
    remote: str = "origin",
    branch: str | None = None,
    attempts: int = DEFAULT_ATTEMPTS,
    retry_delay: float = 2.0,
) -> CommitResult:
    """Commit the changed files among `paths` and push them to `remote`'s `branch`.

    Only `paths` are committed, whatever else is staged. A rejected push is followed by
    `git pull --rebase` and another push, up to `attempts` pushes, waiting about `retry_delay`
    seconds (more each time, with jitter) in between. Returns `committed=False` when none of
    `paths` changed. Raises StateCommitError when the commit, the rebase or every push fails.
    """
    git = _Git(repo_dir)
    existing = [str(path) for path in paths if path.exists()]
    if not existing:
        return CommitResult(committed=False)

    git.run("add", "--", *existing)
    if git.run("diff", "--cached", "--quiet", "--", *existing, check=False).returncode == 0:
        logger.info("state files unchanged; nothing to commit")
        return CommitResult(committed=False)

    identity = _identity_options(git)
    git.run(*identity, "commit", "--quiet", "--message", message, "--", *existing)
    target_branch = branch or _current_branch(git)
    for attempt in range(1, attempts + 1):
        push = git.run("push", remote, f"HEAD:refs/heads/{target_branch}", check=False)
        if push.returncode == 0:
            commit_id = git.run("rev-parse", "HEAD").stdout.strip()
            logger.info("pushed state commit %s after %s attempt(s)", commit_id, attempt)
            return CommitResult(committed=True, commit_id=commit_id, push_attempts=attempt)

        logger.warning("push %s of %s failed: %s", attempt, attempts, _git_error(push.stderr))
        if attempt == attempts:
            break
        time.sleep(retry_delay * attempt * random.uniform(0.5, 1.5))
        _rebase_onto_remote(git, identity, remote, target_branch)

    raise StateCommitError(
        f"pushing the state commit to {remote}/{target_branch} failed {attempts} times; "
        "the state file is still in the working tree: commit it by hand before the next apply"
    )


def _rebase_onto_remote(git: _Git, identity: list[str], remote: str, branch: str) -> None:
    """Rebase the state commit onto the remote branch, leaving a failed fetch to the next push.

    `--autostash` keeps unrelated changes in the working tree out of the way of the rebase.
    """
    pull = git.run(
        *identity, "pull", "--rebase", "--autostash", "--quiet", remote, branch, check=False
    )
    if pull.returncode == 0:
        return
    if not _rebase_in_progress(git):
        logger.warning("git pull --rebase failed: %s", _git_error(pull.stderr))
        return
    git.run("rebase", "--abort", check=False)
    raise StateCommitError(
        f"git pull --rebase from {remote}/{branch} stopped on a conflict "
        f"({_git_error(pull.stderr)}): another commit changed the same state files, so merge "
        "the two states by hand"
    )


def _rebase_in_progress(git: _Git) -> bool:
    for name in ("rebase-merge", "rebase-apply"):
        path = git.run("rev-parse", "--git-path", name).stdout.strip()
        if (git.directory / path).exists():
            return True
    return False


def _identity_options(git: _Git) -> list[str]:
    """Return `-c` options for the bot identity when the repository has no committer set."""
    if git.run("config", "--get", "user.email", check=False).returncode == 0:
        return []
    return ["-c", f"user.name={BOT_NAME}", "-c", f"user.email={BOT_EMAIL}"]


def _current_branch(git: _Git) -> str:
    head = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    if head.returncode == 0 and head.stdout.strip():
        return head.stdout.strip()
    ref_name = os.environ.get("GITHUB_REF_NAME")
    if ref_name:
        return ref_name
    raise StateCommitError(
        "cannot tell which branch to push the state to: HEAD is detached and GITHUB_REF_NAME "
        "is unset; check out the branch before running apply"
    )


def _git_error(text: str) -> str:
    """Return git's first `fatal:` or `error:` line, else its last line of output."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:", "CONFLICT")):
            return line
    return lines[-1] if lines else "no message"


class _Git:
    """Runs git in one directory with prompts off and untranslated messages."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = ["git", "-C", str(self.directory), *args]
        logger.debug("running %s", " ".join(command))
        try:
            completed = subprocess.run(
                command, capture_output=True, text=True, env=self.env, check=False
            )
        except OSError as exc:
            raise StateCommitError(f"cannot run git ({exc}); install git on the runner") from exc
        if check and completed.returncode != 0:
            raise StateCommitError(
                f"git {args[0]} failed with exit code {completed.returncode}: "
                f"{_git_error(completed.stderr)}"
            )
        return completed
