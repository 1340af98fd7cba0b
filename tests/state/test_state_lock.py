"""The state lock: exclusion between processes, the held-lock message, and `state unlock`."""

from __future__ import annotations

import getpass
import json
import logging
import os
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from loomta_sync.errors import LockHeld
from loomta_sync.state import lock as lock_module
from loomta_sync.state.lock import (
    LockHolder,
    StateLock,
    break_lock,
    format_age,
    lock_path_for,
    process_liveness,
    read_holder,
)
from loomta_sync.state.store import StateStore
from tests.state.conftest import Children, read_line


def hold_lock(children: Children, state_path: Path, operation: str = "apply from child") -> int:
    """Start a child that holds the state lock, and return its pid once it does."""
    process = children.start("state_lock_child.py", str(state_path), operation)
    assert read_line(process) == "locked"
    return process.pid


def kill_holder(children: Children, state_path: Path) -> int:
    """Start a lock holder, SIGKILL it, reap it, and return its pid."""
    process = children.start("state_lock_child.py", str(state_path), "apply from child")
    assert read_line(process) == "locked"
    process.kill()
    process.wait()
    return process.pid


def test_lock_held_message_names_holder(state_path: Path, children: Children) -> None:
    pid = hold_lock(children, state_path)
    timeout = 0.3

    started = time.monotonic()
    with pytest.raises(LockHeld) as raised, StateStore(state_path).lock("apply", timeout):
        pass
    waited = time.monotonic() - started

    message = str(raised.value)
    assert f"{getpass.getuser()}@{socket.gethostname()} pid {pid} (alive)" in message
    assert "operation 'apply from child'" in message
    assert "second" in message
    assert "ago" in message
    assert "`loomta-sync state unlock` if that process is dead" in message
    assert "\n" not in message
    assert waited >= timeout


def test_lock_waits_for_release(state_path: Path, children: Children) -> None:
    process = children.start("state_lock_child.py", str(state_path), "apply from child")
    assert read_line(process) == "locked"
    assert process.stdin is not None
    stdin = process.stdin

    def release() -> None:
        stdin.write("release\n")
        stdin.flush()

    timer = threading.Timer(0.2, release)
    timer.start()
    try:
        with StateStore(state_path).lock("apply", 60) as session:
            assert session.state.serial == 0
    finally:
        timer.cancel()

    assert process.wait() == 0


def test_lock_free_after_holder_killed(
    state_path: Path, children: Children, caplog: pytest.LogCaptureFixture
) -> None:
    pid = kill_holder(children, state_path)

    holder = read_holder(lock_path_for(state_path))
    assert holder is not None
    assert holder.pid == pid
    assert process_liveness(holder) == "dead"

    with caplog.at_level(logging.WARNING), StateStore(state_path).lock("apply", 0):
        pass

    assert f"pid {pid} (dead)" in caplog.text
    assert "after its previous holder exited without releasing it" in caplog.text
    assert not lock_path_for(state_path).exists()


def test_break_lock_removes_dead_holder(state_path: Path, children: Children) -> None:
    pid = kill_holder(children, state_path)

    holder = break_lock(state_path)

    assert holder is not None
    assert holder.pid == pid
    assert holder.operation == "apply from child"
    assert not lock_path_for(state_path).exists()
    assert break_lock(state_path) is None


def test_break_lock_rejects_live_holder(state_path: Path, children: Children) -> None:
    pid = hold_lock(children, state_path)

    with pytest.raises(LockHeld, match="removes only a lock whose process has exited") as raised:
        break_lock(state_path)

    assert f"pid {pid} (alive)" in str(raised.value)
    assert lock_path_for(state_path).exists()


def test_break_lock_never_touches_state_file(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    state_path.write_text("{}\n")

    assert break_lock(state_path) is None
    assert state_path.read_text() == "{}\n"


def test_lock_file_records_holder(state_path: Path) -> None:
    lock = StateLock(lock_path_for(state_path))
    lock.acquire("state forget", 0)
    try:
        recorded = json.loads(lock.path.read_text())
    finally:
        lock.release()

    assert recorded["pid"] == os.getpid()
    assert recorded["operation"] == "state forget"
    assert recorded["user"] == getpass.getuser()
    assert recorded["host"] == socket.gethostname()
    assert recorded["started_at"].endswith("Z")
    assert not lock.path.exists()


def test_lock_excludes_threads_of_one_process(
    state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each StateLock opens its own descriptor, so flock excludes them like separate processes.
    # Waiters retry without pause, so some open the file just before a holder deletes it.
    monkeypatch.setattr(lock_module, "POLL_INTERVAL_SECONDS", 0.0)
    active = 0
    most_active = 0
    counter_lock = threading.Lock()

    def work() -> None:
        nonlocal active, most_active
        for _ in range(200):
            lock = StateLock(lock_path_for(state_path))
            lock.acquire("thread", 60)
            with counter_lock:
                active += 1
                most_active = max(most_active, active)
            time.sleep(0)
            with counter_lock:
                active -= 1
            lock.release()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert most_active == 1
    assert not lock_path_for(state_path).exists()


def test_lock_same_process_second_acquire_rejected(state_path: Path) -> None:
    first = StateLock(lock_path_for(state_path))
    first.acquire("apply", 0)
    try:
        with pytest.raises(LockHeld, match=rf"pid {os.getpid()} \(alive\)"):
            StateLock(lock_path_for(state_path)).acquire("apply", 0)
    finally:
        first.release()


def test_holder_on_other_host_liveness_unknown() -> None:
    holder = LockHolder(
        user="ci",
        host=socket.gethostname() + "-elsewhere",
        pid=1,
        operation="apply",
        started_at=datetime.now(UTC) - timedelta(minutes=3, seconds=5),
    )

    assert process_liveness(holder) == "on another host, liveness unknown"
    assert "started 3 minutes 5 seconds ago" in holder.describe()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 seconds"),
        (1, "1 second"),
        (59.9, "59 seconds"),
        (60, "1 minute"),
        (185, "3 minutes 5 seconds"),
        (3600, "1 hour"),
        (3 * 3600 + 120, "3 hours 2 minutes"),
        (86_400 + 3600, "1 day 1 hour"),
        (2 * 86_400 + 59, "2 days"),
        (-5, "0 seconds"),
    ],
)
def test_format_age_units(seconds: float, text: str) -> None:
    assert format_age(seconds) == text
