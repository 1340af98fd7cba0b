"""Committing the state file to a bare remote, also when another commit lands first."""

from __future__ import annotations

from pathlib import Path

import pytest

from loomta_sync.github.commit import BOT_NAME, StateCommitError, commit_state

from .git_repos import clone, git, make_remote, push_other_commit


@pytest.fixture(autouse=True)
def isolated_git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's git identity and settings out of the tests."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.delenv("GITHUB_REF_NAME", raising=False)


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return make_remote(tmp_path)


@pytest.fixture
def checkout(remote: Path, tmp_path: Path) -> Path:
    return clone(remote, tmp_path / "checkout")


def _write_state(checkout: Path, text: str) -> Path:
    path = checkout / ".loomta" / "state.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_changed_state_is_committed_and_pushed(remote: Path, checkout: Path) -> None:
    state = _write_state(checkout, '{"serial": 2}\n')

    result = commit_state(checkout, [state], "Record apply results\n\nApply: 1 created.")

    assert result.committed
    assert result.push_attempts == 1
    assert git(remote, "log", "-1", "--format=%s", "main") == "Record apply results"
    assert git(remote, "log", "-1", "--format=%an", "main") == BOT_NAME
    assert git(remote, "show", "main:.loomta/state.json") == '{"serial": 2}'


def test_unchanged_state_makes_no_commit(remote: Path, checkout: Path) -> None:
    before = git(remote, "rev-parse", "main")

    result = commit_state(checkout, [checkout / ".loomta" / "state.json"], "nothing")

    assert not result.committed
    assert git(remote, "rev-parse", "main") == before


def test_missing_paths_make_no_commit(checkout: Path) -> None:
    result = commit_state(checkout, [checkout / ".loomta" / "platforms.json"], "nothing")

    assert not result.committed


def test_push_race_is_rebased_and_retried(remote: Path, checkout: Path, tmp_path: Path) -> None:
    state = _write_state(checkout, '{"serial": 2}\n')
    push_other_commit(remote, tmp_path, "calendar/new-post.yaml", "content: hi\n")

    result = commit_state(checkout, [state], "Record apply results", retry_delay=0)

    assert result.committed
    assert result.push_attempts == 2
    subjects = git(remote, "log", "--format=%s", "main").splitlines()
    assert subjects[:2] == ["Record apply results", "edit calendar/new-post.yaml"]
    assert git(remote, "show", "main:.loomta/state.json") == '{"serial": 2}'
    assert git(remote, "show", "main:calendar/new-post.yaml") == "content: hi"


def test_conflicting_state_commit_fails_and_keeps_file(
    remote: Path, checkout: Path, tmp_path: Path
) -> None:
    state = _write_state(checkout, '{"serial": 2, "ours": true}\n')
    push_other_commit(remote, tmp_path, ".loomta/state.json", '{"serial": 2, "theirs": true}\n')

    with pytest.raises(StateCommitError, match="merge the two states by hand"):
        commit_state(checkout, [state], "Record apply results", retry_delay=0)

    assert state.read_text(encoding="utf-8") == '{"serial": 2, "ours": true}\n'
    assert git(checkout, "status", "--porcelain") == ""


def test_only_given_paths_are_committed(remote: Path, checkout: Path) -> None:
    state = _write_state(checkout, '{"serial": 3}\n')
    (checkout / "README.md").write_text("edited\n", encoding="utf-8")
    git(checkout, "add", "README.md")

    commit_state(checkout, [state], "Record apply results")

    assert git(remote, "show", "main:README.md") == "calendar"
    assert git(remote, "show", "--stat", "--format=", "main").count("|") == 1


def test_unreachable_remote_fails_after_attempts(checkout: Path) -> None:
    state = _write_state(checkout, '{"serial": 2}\n')
    git(checkout, "remote", "set-url", "origin", str(checkout.parent / "missing.git"))

    with pytest.raises(StateCommitError, match="failed 2 times"):
        commit_state(checkout, [state], "Record", attempts=2, retry_delay=0)


def test_detached_head_uses_ref_name(
    remote: Path, checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(checkout, "checkout", "--quiet", "--detach")
    state = _write_state(checkout, '{"serial": 4}\n')
    monkeypatch.setenv("GITHUB_REF_NAME", "main")

    result = commit_state(checkout, [state], "Record apply results")

    assert result.committed
    assert git(remote, "show", "main:.loomta/state.json") == '{"serial": 4}'


def test_detached_head_without_ref_name_fails(checkout: Path) -> None:
    git(checkout, "checkout", "--quiet", "--detach")
    state = _write_state(checkout, '{"serial": 4}\n')

    with pytest.raises(StateCommitError, match="HEAD is detached"):
        commit_state(checkout, [state], "Record apply results")
