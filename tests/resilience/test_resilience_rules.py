"""Apply's rules for errors that stop it, fail one platform, or pause every worker."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from loomta_sync.state.model import TargetStatus
from tests.resilience.conftest import SECRET_KEYS
from tests.resilience.resilience_checks import check_complete, check_invariants, read_state
from tests.resilience.resilience_flow import Cli, finish_apply, new_project
from tests.resilience.resilience_project import EVENTS, ProjectSpec, write_posts
from tests.support.emulator import EmulatorProcess

REVOKED_KEY = SECRET_KEYS[1]
PARALLELISM = 4
APPLY = ("apply", "--yes", "--parallelism", str(PARALLELISM))


def test_rule_401_on_upload_sends_no_post(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess
) -> None:
    spec = ProjectSpec(posts=10)
    project = new_project(tmp_path, spec)

    apply = cli.run(project, *APPLY, key=REVOKED_KEY)

    assert apply.code == 1, apply.describe()
    targets = len(spec.targets())
    assert "stopped: the API rejected the key (invalid_api_key)" in apply.stderr
    assert f"{targets} targets were not attempted" in apply.stderr, apply.describe()
    posts = [entry for entry in emulator.admin.requests() if entry["path"].endswith("/posts")]
    assert posts == [], f"creates were sent after the key was rejected: {posts}"
    assert read_state(project).posts == {}


def test_rule_401_on_create_stops_at_once(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess
) -> None:
    # The first apply uploads the one media file, so the second starts with creates.
    spec = ProjectSpec(posts=30, two_platforms_every=0)
    project = new_project(tmp_path, ProjectSpec(posts=1))
    assert cli.run(project, *APPLY).code == 0
    write_posts(project, spec, range(1, spec.posts))

    apply = cli.run(project, *APPLY, key=REVOKED_KEY)

    assert apply.code == 1, apply.describe()
    posts = [entry for entry in emulator.admin.requests() if entry["path"].endswith("/posts")]
    rejected = [entry for entry in posts if entry["status"] == 401]
    assert 1 <= len(rejected) <= PARALLELISM, f"{len(rejected)} creates sent after a 401"
    state = read_state(project)
    check_invariants(emulator.admin, state)
    failed = [
        record
        for post in state.posts.values()
        for record in post.targets.values()
        if record.status is TargetStatus.FAILED
    ]
    assert len(failed) == len(rejected)
    assert all(record.error_code == "invalid_api_key" for record in failed)
    left = spec.posts - 1 - len(failed)
    assert f"{left} targets were not attempted" in apply.stderr, apply.describe()


def test_rule_404_fails_only_that_platform(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess
) -> None:
    # Post 2 goes to brand and events in one request, post 3 to events alone.
    spec = ProjectSpec(posts=8, two_platforms_every=0, events_posts=(2, 3))
    project = new_project(tmp_path, spec)

    apply = cli.run(project, *APPLY)

    assert apply.code == 3, apply.describe()
    assert "0 not attempted" in apply.stdout, apply.describe()
    state = read_state(project)
    check_invariants(emulator.admin, state)
    for (key, platform), _index in sorted(spec.targets().items()):
        record = state.target(key, platform)
        assert record is not None, f"{key} on {platform}: not attempted"
        if platform == EVENTS:
            assert record.status is TargetStatus.FAILED, f"{key} on {platform}: {record.status}"
            assert record.error_code == "platform_not_found", f"{key} on {platform}"
            assert record.error_message, f"{key} on {platform}: no error message"
        else:
            assert record.status is TargetStatus.CREATED, f"{key} on {platform}: {record.status}"


def test_rule_429_pauses_every_worker(tmp_path: Path, cli: Cli, emulator: EmulatorProcess) -> None:
    admin = emulator.admin
    spec = ProjectSpec(posts=40, two_platforms_every=0)
    project = new_project(tmp_path, spec)
    admin.set_faults(latency_ms=20, rate_limit_burst=1, retry_after_seconds=1)

    apply = cli.run(project, *APPLY)

    assert apply.code == 0, apply.describe()
    check_complete(admin, read_state(project), spec.targets())
    log = [entry for entry in admin.requests() if entry["path"].endswith("/posts")]
    limited = [index for index, entry in enumerate(log) if entry["status"] == 429]
    assert len(limited) == 1, f"expected one 429: {log}"
    key = log[limited[0]]["idempotency_key"]
    retry = next(
        index
        for index, entry in enumerate(log)
        if index > limited[0] and entry["idempotency_key"] == key
    )
    # Requests already in flight finish, and after the pause the workers start together. So at
    # most twice the other workers' number of requests come between. Without a shared pause
    # the other workers would send about 150 requests in that second.
    between = retry - limited[0] - 1
    assert between <= 2 * (PARALLELISM - 1), f"{between} requests were sent during the pause"
    assert log[retry]["status"] == 200


def test_rule_safety_max_creates(tmp_path: Path, cli: Cli, emulator: EmulatorProcess) -> None:
    spec = ProjectSpec(posts=12, two_platforms_every=3, max_creates=10)
    project = new_project(tmp_path, spec)

    rejected = cli.run(project, *APPLY)

    assert rejected.code == 1, rejected.describe()
    errors = [line for line in rejected.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, rejected.stderr
    assert "creates 16 targets, over the limit of 10" in errors[0]
    assert "safety.max_creates_per_apply in loomta.yaml" in errors[0]
    assert "--force" in errors[0]
    assert emulator.admin.requests() == [], "a request was sent although the limit was hit"
    assert not (project / ".loomta" / "state.json").exists()

    forced = cli.run(project, *APPLY, "--force")
    assert forced.code == 0, forced.describe()
    check_complete(emulator.admin, read_state(project), spec.targets())


def test_rule_safety_allow_now(tmp_path: Path, cli: Cli, emulator: EmulatorProcess) -> None:
    spec = ProjectSpec(posts=6, two_platforms_every=0, now_posts=2)
    project = new_project(tmp_path, spec)

    rejected = cli.run(project, *APPLY)

    assert rejected.code == 1, rejected.describe()
    errors = [line for line in rejected.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, rejected.stderr
    assert "publishes 2 targets at once with mode now" in errors[0]
    assert "posts/post-00000, posts/post-00001" in errors[0]
    assert "safety.allow_now in loomta.yaml is false" in errors[0]
    assert "--force" in errors[0]
    assert emulator.admin.requests() == [], "a request was sent although the limit was hit"

    forced = cli.run(project, *APPLY, "--force")
    assert forced.code == 0, forced.describe()
    check_complete(emulator.admin, read_state(project), spec.targets())
    states = {
        group["root"]["content"][:18]: group["root"]["state"] for group in emulator.admin.groups()
    }
    assert states["[posts/post-00000]"] == "PUBLISHED"


def test_rule_progress_plain_lines(tmp_path: Path, cli: Cli, emulator: EmulatorProcess) -> None:
    spec = ProjectSpec(posts=6, two_platforms_every=3)
    project = new_project(tmp_path, spec)

    apply = cli.run(project, *APPLY)

    assert apply.code == 0, apply.describe()
    lines = [line for line in apply.stderr.splitlines() if line.startswith("created: ")]
    assert len(lines) == len(spec.targets()), apply.stderr
    assert "\r" not in apply.stderr
    finish_apply(cli, project, emulator.admin, spec)


def test_rule_progress_on_terminal(tmp_path: Path, cli: Cli, emulator: EmulatorProcess) -> None:
    spec = ProjectSpec(posts=6, two_platforms_every=3)
    project = new_project(tmp_path, spec)
    targets = len(spec.targets())

    code, terminal = _run_on_terminal(project, cli.env, *APPLY)

    assert code == 0, terminal
    assert f"\r[{targets}/{targets}] " in terminal, terminal
    assert " targets/s, 0 failed or unknown" in terminal, terminal
    assert "created: " not in terminal, "a terminal gets one updating line, not one per target"
    (tmp_path / "terminal.txt").write_text(terminal, encoding="utf-8")


def _run_on_terminal(project: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    """Run the CLI as a fresh process whose stderr is a pseudo-terminal; return code and text."""
    controller, terminal = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LOOMTA")}
    environment.update(env)
    with open(os.devnull, "rb") as stdin, open(os.devnull, "wb") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "loomta_sync", "-C", str(project), *args],
            stdin=stdin,
            stdout=stdout,
            stderr=terminal,
            env=environment,
        )
    os.close(terminal)

    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the process closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return process.wait(60), b"".join(chunks).decode("utf-8", errors="replace")
