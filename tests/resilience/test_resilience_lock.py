"""Two applies at once, a lock left by a killed apply, and saved plans that went stale."""

from __future__ import annotations

import getpass
import socket
import time
from pathlib import Path

from tests.resilience.resilience_checks import check_complete, read_state
from tests.resilience.resilience_flow import NO_CHANGES, Cli, finish_apply, new_project
from tests.resilience.resilience_processes import RunningCli
from tests.resilience.resilience_project import ProjectSpec
from tests.support.emulator import EmulatorProcess

# 40 requests at 2 in parallel and 30 ms each: the lock is held for more than half a second.
SPEC = ProjectSpec(posts=40, two_platforms_every=4)
LATENCY_MS = 30
APPLY = ("apply", "--yes", "--parallelism", "2")


def test_lock_second_apply_fails_clearly(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess
) -> None:
    project = new_project(tmp_path, SPEC)
    emulator.admin.set_faults(latency_ms=LATENCY_MS)

    first, second = cli.start(project, *APPLY), cli.start(project, *APPLY)
    results = {running.pid: running.wait() for running in (first, second)}

    codes = sorted(result.code for result in results.values() if result.code is not None)
    assert codes == [0, 1], [result.describe() for result in results.values()]
    winner = next(pid for pid, result in results.items() if result.code == 0)
    loser = next(result for result in results.values() if result.code == 1)
    holder = f"{getpass.getuser()}@{socket.gethostname()} pid {winner} (alive)"
    assert f"the state lock is held by {holder}, operation 'apply', started" in loser.stderr
    assert "ago; gave up" in loser.stderr
    assert "loomta-sync state unlock" in loser.stderr
    assert emulator.admin.requests() != []
    check_complete(emulator.admin, read_state(project), SPEC.targets())


def test_lock_second_apply_waits_then_has_nothing(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess
) -> None:
    project = new_project(tmp_path, SPEC)
    emulator.admin.set_faults(latency_ms=LATENCY_MS)
    waiting = (*APPLY, "--lock-timeout", "60")

    first, second = cli.start(project, *waiting), cli.start(project, *waiting)
    results = [first.wait(), second.wait()]

    assert [result.code for result in results] == [0, 0], [r.describe() for r in results]
    endings = sorted(result.stdout.strip().splitlines()[-1] for result in results)
    assert endings[-1] == NO_CHANGES, endings
    assert endings[0].startswith("Apply complete: 50 created"), endings
    check_complete(emulator.admin, read_state(project), SPEC.targets())


def test_lock_wait_times_out_with_holder(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess
) -> None:
    project = new_project(tmp_path, SPEC)
    # The first apply then needs two more seconds, well past the second one's timeout.
    emulator.admin.set_faults(latency_ms=100)
    first = cli.start(project, *APPLY)
    _wait_for_journal(project, first)

    second = cli.run(project, *APPLY, "--lock-timeout", "1")

    assert second.code == 1, second.describe()
    assert f"pid {first.pid} (alive), operation 'apply'" in second.stderr
    assert "gave up after waiting 1 second" in second.stderr
    assert first.wait().code == 0
    check_complete(emulator.admin, read_state(project), SPEC.targets())


def test_lock_unlock_after_kill(tmp_path: Path, cli: Cli, emulator: EmulatorProcess) -> None:
    project = new_project(tmp_path, SPEC)
    # Slow enough that the apply is still running when `state unlock` has finished.
    emulator.admin.set_faults(latency_ms=100)
    running = cli.start(project, *APPLY)
    _wait_for_journal(project, running)

    rejected = cli.run(project, "state", "unlock")
    running.kill()
    assert running.wait().code is None, "the apply finished before it could be killed"

    assert rejected.code == 1, rejected.describe()
    assert f"pid {running.pid} (alive)" in rejected.stderr
    lock = project / ".loomta" / "state.lock"
    assert lock.exists(), "a killed apply leaves its lock file"
    unlocked = cli.run(project, "state", "unlock")
    assert unlocked.code == 0, unlocked.describe()
    assert f"Removed the lock left by {getpass.getuser()}@" in unlocked.stdout
    assert f"pid {running.pid} (dead), operation 'apply'" in unlocked.stdout
    assert not lock.exists()

    emulator.admin.set_faults(latency_ms=0)
    finish_apply(cli, project, emulator.admin, SPEC)


def test_lock_saved_plan_stale_after_apply(
    tmp_path: Path, cli: Cli, emulator: EmulatorProcess
) -> None:
    spec = ProjectSpec(posts=5)
    project = new_project(tmp_path, spec)
    plan_file = tmp_path / "plan.json"
    assert cli.run(project, "plan", "--out", str(plan_file)).code == 0
    other = cli.run(project, *APPLY)
    assert other.code == 0, other.describe()
    sent = len(emulator.admin.requests())

    stale = cli.run(project, "apply", str(plan_file))

    assert stale.code == 1, stale.describe()
    assert "the plan was made from state serial 0, but the state is now at serial" in stale.stderr
    assert "run plan again" in stale.stderr
    assert len(emulator.admin.requests()) == sent, "a stale plan sent requests"


def test_lock_saved_plan_applied_twice(tmp_path: Path, cli: Cli, emulator: EmulatorProcess) -> None:
    spec = ProjectSpec(posts=5)
    project = new_project(tmp_path, spec)
    plan_file = tmp_path / "plan.json"
    assert cli.run(project, "plan", "--out", str(plan_file)).code == 0
    assert cli.run(project, "apply", str(plan_file)).code == 0
    sent = len(emulator.admin.requests())

    again = cli.run(project, "apply", str(plan_file))

    assert again.code == 1, again.describe()
    assert "state is now at serial" in again.stderr
    assert len(emulator.admin.requests()) == sent, "a plan applied twice sent requests"
    check_complete(emulator.admin, read_state(project), spec.targets())


def _wait_for_journal(project: Path, running: RunningCli) -> None:
    """Return once the apply holds the lock and has recorded its first event."""
    journal = project / ".loomta" / "state.journal"
    deadline = time.monotonic() + 60
    while not journal.exists():
        assert running.running(), "the apply exited before it recorded anything"
        assert time.monotonic() < deadline, "the apply recorded nothing within 60 s"
        time.sleep(0.005)
