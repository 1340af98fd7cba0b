"""SIGKILL at seeded random instants of an apply: nothing twice, nothing lost, then No changes.

Each round starts from an empty state and an empty emulator, starts an apply of 125 targets
(100 requests, about a second) as its own process, and kills it. One draw in five picks an
instant from the length of an uninterrupted apply measured at the start, which covers the
start-up and the final commit. The others pick a journal record and kill the process a random
fraction of a request's delay after that record is durable, which spreads the kills evenly
over the requests however fast the machine is. After each kill the state, with the journal of
the killed process folded in, must agree with the emulator once the requests that the killed
process sent have arrived. Then the unknown targets are resolved from the emulator's records
with `state resolve`, a second apply creates the rest, and the plan shows no changes.
"""

from __future__ import annotations

import contextlib
import random
import time
from pathlib import Path
from typing import BinaryIO

from loomta_sync.state.journal_file import journal_path_for, read_journal
from tests.resilience.resilience_checks import (
    check_complete,
    check_invariants,
    read_state,
    wait_for_pending_requests,
)
from tests.resilience.resilience_flow import (
    NO_CHANGES,
    Cli,
    forget_state,
    new_project,
    resolve_unknowns,
)
from tests.resilience.resilience_processes import RunningCli
from tests.resilience.resilience_project import ProjectSpec
from tests.support.emulator import EmulatorProcess

KILLS = 30
# Draws allowed in all, because an apply can finish before its instant on a loaded machine.
MAX_ROUNDS = 40
SEED = 20_300_501
SPEC = ProjectSpec(posts=100, two_platforms_every=4, comment_every=9)
# One media upload, one in_flight record per request and one outcome per target.
JOURNAL_RECORDS = 1 + SPEC.posts + len(SPEC.targets())
LATENCY_MS = 25
APPLY = ("apply", "--yes", "--parallelism", "4")
POLL_SECONDS = 0.001


def test_kill_apply_at_random_instants(tmp_path: Path, cli: Cli, emulator: EmulatorProcess) -> None:
    admin = emulator.admin
    project = new_project(tmp_path, SPEC)
    duration = _uninterrupted_duration(cli, project, emulator)
    draws = random.Random(SEED)

    journal_lines: list[int] = []
    rounds = 0
    while len(journal_lines) < KILLS and rounds < MAX_ROUNDS:
        rounds += 1
        admin.reset()
        admin.set_faults(latency_ms=LATENCY_MS)
        forget_state(project)

        running = cli.start(project, *APPLY)
        if draws.random() < 0.2:
            _kill_after(running, draws.uniform(0.0, duration))
        else:
            _kill_after_record(running, project, draws.randint(1, JOURNAL_RECORDS), draws)
        result = running.wait()
        if result.code is not None:
            # The apply finished before its instant: nothing to check for this draw.
            assert result.code == 0, result.describe()
            continue

        journal_lines.append(_journal_records(project))
        state = read_state(project)
        wait_for_pending_requests(admin, state)
        check_invariants(admin, state)
        # The delay only spreads the kill instants; the rest of the round needs none.
        admin.set_faults(latency_ms=0)
        _finish_after_kill(cli, project, emulator, journal_lines[-1])

    assert len(journal_lines) >= KILLS, f"only {len(journal_lines)} kills in {rounds} rounds"
    during = [lines for lines in journal_lines if 0 < lines < JOURNAL_RECORDS]
    assert len(during) >= KILLS // 2, f"too few kills during the requests: {journal_lines}"


def _uninterrupted_duration(cli: Cli, project: Path, emulator: EmulatorProcess) -> float:
    emulator.admin.set_faults(latency_ms=LATENCY_MS)
    started = time.monotonic()
    result = cli.run(project, *APPLY)
    duration = time.monotonic() - started
    assert result.code == 0, result.describe()
    check_complete(emulator.admin, read_state(project), SPEC.targets())
    return duration


def _kill_after(running: RunningCli, seconds: float) -> None:
    time.sleep(seconds)
    running.kill()


def _kill_after_record(
    running: RunningCli, project: Path, record: int, draws: random.Random
) -> None:
    """Kill the apply within one request delay after its journal contains `record` records.

    A journal that disappears was folded into state.json by the final commit, so the kill
    then lands in the commit or after it.
    """
    journal = journal_path_for(project / ".loomta" / "state.json")
    lines = 0
    with contextlib.ExitStack() as stack:
        reader: BinaryIO | None = None
        while running.running() and lines < record:
            if reader is None and journal.exists():
                reader = stack.enter_context(journal.open("rb"))
            elif reader is not None and not journal.exists():
                break
            if reader is not None:
                lines += reader.read().count(b"\n")
            time.sleep(POLL_SECONDS)
    time.sleep(draws.uniform(0.0, LATENCY_MS / 1000))
    running.kill()


def _journal_records(project: Path) -> int:
    state_path = project / ".loomta" / "state.json"
    return len(read_journal(journal_path_for(state_path)).records)


def _finish_after_kill(cli: Cli, project: Path, emulator: EmulatorProcess, lines: int) -> None:
    admin = emulator.admin
    resolve_unknowns(cli, project, admin, settled=True)

    rerun = cli.run(project, *APPLY)
    assert rerun.code == 0, f"killed after {lines} journal records\n{rerun.describe()}"
    check_invariants(admin, read_state(project))

    plan = cli.run(project, "plan")
    assert plan.code == 0, plan.describe()
    assert plan.stdout.strip().endswith(NO_CHANGES), (
        f"killed after {lines} journal records\n{plan.stdout}"
    )
    check_complete(admin, read_state(project), SPEC.targets())
