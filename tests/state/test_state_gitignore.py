"""ensure_gitignore: keep the lock, the journal and temporary files out of git."""

from __future__ import annotations

import subprocess
from pathlib import Path

from loomta_sync.state.gitignore import ensure_gitignore


def test_gitignore_created_with_entries(tmp_path: Path) -> None:
    state_dir = tmp_path / ".loomta"

    added = ensure_gitignore(state_dir)

    lines = (state_dir / ".gitignore").read_text().splitlines()
    assert added == ["state.lock", "state.journal*", ".*.tmp"]
    for entry in added:
        assert entry in lines


def test_gitignore_second_run_changes_nothing(tmp_path: Path) -> None:
    ensure_gitignore(tmp_path)
    before = (tmp_path / ".gitignore").read_bytes()

    assert ensure_gitignore(tmp_path) == []
    assert (tmp_path / ".gitignore").read_bytes() == before


def test_gitignore_keeps_user_lines(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("notes.txt\nstate.lock")

    added = ensure_gitignore(tmp_path)

    assert added == ["state.journal*", ".*.tmp"]
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    assert lines[:2] == ["notes.txt", "state.lock"]
    assert lines.count("state.lock") == 1


def test_gitignore_patterns_match_store_files(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    state_dir = tmp_path / ".loomta"
    ensure_gitignore(state_dir)
    names = ["state.json", "state.lock", "state.journal", ".state.json.0a1b2c3d4e5f.tmp"]
    for name in names:
        (state_dir / name).write_text("{}")

    result = subprocess.run(
        ["git", "-C", str(tmp_path), "check-ignore", *[f".loomta/{name}" for name in names]],
        capture_output=True,
        text=True,
        check=False,
    )

    ignored = set(result.stdout.split())
    assert ".loomta/state.json" not in ignored
    assert ignored == {f".loomta/{name}" for name in names[1:]}
