"""Temporary git repositories for the state-commit tests: a bare remote and clones of it."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(directory: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-C", str(directory), *args], capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


def make_remote(root: Path) -> Path:
    """Create a bare remote whose `main` has one commit with `.loomta/state.json`."""
    remote = root / "remote.git"
    subprocess.run(
        ["git", "init", "--quiet", "--bare", "--initial-branch=main", str(remote)], check=True
    )
    seed = root / "seed"
    subprocess.run(["git", "clone", "--quiet", str(remote), str(seed)], check=True)
    git(seed, "checkout", "--quiet", "-b", "main")
    (seed / ".loomta").mkdir()
    (seed / ".loomta" / "state.json").write_text('{"serial": 1}\n', encoding="utf-8")
    (seed / "README.md").write_text("calendar\n", encoding="utf-8")
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
    git(seed, "push", "--quiet", "origin", "main")
    return remote


def clone(remote: Path, destination: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(remote), str(destination)], check=True)
    return destination


def push_other_commit(remote: Path, root: Path, path: str, text: str) -> None:
    """Commit and push a change to `path` from another clone, as a concurrent job would."""
    other = clone(remote, root / f"other-{len(list(root.iterdir()))}")
    target = other / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    git(other, "add", path)
    git(
        other,
        "-c",
        "user.name=Other",
        "-c",
        "user.email=other@example.invalid",
        "commit",
        "-qm",
        f"edit {path}",
    )
    git(other, "push", "--quiet", "origin", "main")
