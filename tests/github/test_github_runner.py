"""The runner's files: job summary, step outputs, event payload and workspace paths."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from loomta_sync.github.runner import (
    SUMMARY_MAX_CHARS,
    RunnerFileError,
    append_step_summary,
    read_event,
    run_url,
    set_outputs,
    workspace_prefix,
)

from .harness import parse_output_file


def test_summary_appends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))

    assert append_step_summary("### one")
    assert append_step_summary("### two\n")

    assert summary.read_text(encoding="utf-8") == "### one\n### two\n"


def test_summary_outside_runner_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)

    assert not append_step_summary("### one")


def test_summary_over_limit_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))

    with pytest.raises(ValueError, match="over 340000"):
        append_step_summary("x" * (SUMMARY_MAX_CHARS + 1))


def test_outputs_cannot_inject_other_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    hostile = "line one\nhas-changes=true\nEOF\nx<<EOF"

    set_outputs({"summary": hostile, "problems": "3"})
    parsed = parse_output_file(output.read_text(encoding="utf-8"))

    assert parsed == {"summary": hostile, "problems": "3"}


def test_invalid_output_name_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "output"))

    with pytest.raises(ValueError, match="invalid output name"):
        set_outputs({"bad name=1": "x"})


def test_pull_request_event_read(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    payload = {
        "number": 12,
        "pull_request": {"number": 12, "head": {"repo": {"full_name": "fork/social"}}},
    }
    event.write_text(json.dumps(payload), encoding="utf-8")

    result = read_event(
        {
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_REPOSITORY": "acme/social",
        }
    )

    assert result.pull_request_number == 12
    assert result.repository == "acme/social"
    assert result.is_fork


def test_push_event_has_no_pull_request(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"ref": "refs/heads/main"}), encoding="utf-8")

    result = read_event({"GITHUB_EVENT_PATH": str(event), "GITHUB_REPOSITORY": "acme/social"})

    assert result.pull_request_number is None
    assert not result.is_fork


def test_unreadable_event_raises(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text("{not json", encoding="utf-8")

    with pytest.raises(RunnerFileError, match="cannot read the event payload"):
        read_event({"GITHUB_EVENT_PATH": str(event)})


def test_run_url_from_environment() -> None:
    environ = {
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/social",
        "GITHUB_RUN_ID": "42",
    }

    assert run_url(environ) == "https://github.com/acme/social/actions/runs/42"
    assert run_url({}) is None


def test_workspace_prefix_for_subdirectory(tmp_path: Path) -> None:
    (tmp_path / "social").mkdir()
    environ = {"GITHUB_WORKSPACE": str(tmp_path)}

    assert workspace_prefix(tmp_path / "social", environ) == "social/"
    assert workspace_prefix(tmp_path, environ) == ""
    assert workspace_prefix(Path("/"), environ) == ""


def test_workspace_prefix_from_git_toplevel(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    (tmp_path / "a" / "b").mkdir(parents=True)

    assert re.fullmatch("a/b/", workspace_prefix(tmp_path / "a" / "b", {}))
