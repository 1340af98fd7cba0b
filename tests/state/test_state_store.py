"""StateStore and Session: reading, recording, committing and recovering a journal."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from loomta_sync.errors import StateError
from loomta_sync.state import journal
from loomta_sync.state.journal_file import journal_path_for, read_journal
from loomta_sync.state.lock import lock_path_for
from loomta_sync.state.model import State, TargetStatus
from loomta_sync.state.state_file import load_state, write_state
from loomta_sync.state.store import StateStore
from tests.state.state_builders import (
    BRAND,
    DEV,
    created,
    failed,
    in_flight,
    leave_journal,
    write_initial_state,
)


def test_store_read_missing_state_is_empty(state_path: Path) -> None:
    state = StateStore(state_path).read()

    assert state.serial == 0
    assert state.posts == {}
    assert not state_path.parent.exists()


def test_store_read_never_writes(state_path: Path) -> None:
    left = leave_journal(state_path, 6)
    state_before = state_path.read_bytes()

    StateStore(state_path).read()

    assert state_path.read_bytes() == state_before
    assert left.path.read_bytes() == left.data
    assert not lock_path_for(state_path).exists()


def test_store_fresh_commit_writes_lineage(state_path: Path) -> None:
    with StateStore(state_path).lock("init", 0) as session:
        first = session.commit().model_copy()
        written = state_path.read_bytes()
        second = session.commit()

    stored = load_state(state_path)
    assert stored is not None
    assert stored.serial == 1
    assert stored.lineage == first.lineage
    assert second.serial == 1
    assert state_path.read_bytes() == written


def test_store_lock_without_events_writes_nothing(state_path: Path) -> None:
    write_initial_state(state_path)
    before = state_path.read_bytes()

    with StateStore(state_path).lock("plan", 0) as session:
        assert session.state.serial == 1

    assert state_path.read_bytes() == before


def test_session_commit_increments_serial(state_path: Path) -> None:
    write_initial_state(state_path)

    with StateStore(state_path).lock("apply", 0) as session:
        session.record(in_flight("post-a"))
        session.record(created("post-a"))
        assert session.commit().serial == 2
        assert not journal_path_for(state_path).exists()

        session.record(in_flight("post-b"), failed("post-b"))
        assert journal_path_for(state_path).exists()
        assert session.commit().serial == 3

    stored = load_state(state_path)
    assert stored is not None
    assert stored.serial == 3
    assert stored.posts["post-a"].targets[BRAND].status is TargetStatus.CREATED
    assert stored.posts["post-b"].targets[BRAND].status is TargetStatus.FAILED
    assert not journal_path_for(state_path).exists()


def test_session_exit_after_error_commits(state_path: Path) -> None:
    write_initial_state(state_path)

    with (
        pytest.raises(RuntimeError, match="worker failed"),
        StateStore(state_path).lock("apply", 0) as session,
    ):
        session.record(in_flight("post-a"), created("post-a"))
        raise RuntimeError("worker failed")

    stored = load_state(state_path)
    assert stored is not None
    assert stored.serial == 2
    assert stored.posts["post-a"].targets[BRAND].root_post_id == "root-post-a"
    assert not journal_path_for(state_path).exists()
    assert not lock_path_for(state_path).exists()


def test_session_close_marks_in_flight_unknown(state_path: Path) -> None:
    with StateStore(state_path).lock("apply", 0) as session:
        session.record(in_flight("post-a", BRAND, DEV), created("post-a", BRAND))

    stored = load_state(state_path)
    assert stored is not None
    assert stored.posts["post-a"].targets[BRAND].status is TargetStatus.CREATED
    target = stored.posts["post-a"].targets[DEV]
    assert target.status is TargetStatus.UNKNOWN
    assert target.error_code == "interrupted"


def test_session_rejects_created_without_in_flight(state_path: Path) -> None:
    with StateStore(state_path).lock("apply", 0) as session:
        with pytest.raises(StateError, match="not in the state, expected in_flight"):
            session.record(in_flight("post-a"), created("post-b"))

        records = read_journal(journal_path_for(state_path)).records
        assert [record.event.kind for record in records] == ["in_flight"]
        assert session.state.target("post-b", BRAND) is None


def test_session_rejects_second_create(state_path: Path) -> None:
    with StateStore(state_path).lock("apply", 0) as session:
        session.record(in_flight("post-a"), created("post-a"))

        with pytest.raises(StateError, match="the target is created, expected failed"):
            session.record(in_flight("post-a", step=5))

        target = session.state.target("post-a", BRAND)
        assert target is not None
        assert target.root_post_id == "root-post-a"
        assert len(read_journal(journal_path_for(state_path)).records) == 2


def test_session_retry_after_failure_counts_attempts(state_path: Path) -> None:
    with StateStore(state_path).lock("apply", 0) as session:
        session.record(in_flight("post-a"), failed("post-a"))
        session.record(in_flight("post-a", step=7), created("post-a", step=8))
        target = session.state.target("post-a", BRAND)

    assert target is not None
    assert target.attempts == 2
    assert target.error_code is None
    assert target.idempotency_key == "lsync-post-a-7"


def test_session_record_after_close_rejected(state_path: Path) -> None:
    with StateStore(state_path).lock("apply", 0) as session:
        pass

    with pytest.raises(StateError, match="session is closed"):
        session.record(in_flight("post-a"))


def test_session_record_keeps_call_order(state_path: Path) -> None:
    threads_count, steps_per_thread = 8, 25

    with StateStore(state_path).lock("apply", 0) as session:

        def work(worker: int) -> None:
            for step in range(steps_per_thread):
                key = f"worker-{worker}-{step:03d}"
                session.record(in_flight(key, step=step))
                session.record(created(key, step=step))

        workers = [threading.Thread(target=work, args=(worker,)) for worker in range(threads_count)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        records = read_journal(journal_path_for(state_path)).records
        snapshot = session.snapshot()
        from_disk = StateStore(state_path).read()

    total = 2 * threads_count * steps_per_thread
    assert [record.seq for record in records] == list(range(1, total + 1))
    for worker in range(threads_count):
        prefix = f"worker-{worker}-"
        seen = [
            (record.event.kind, getattr(record.event, "post_key", ""))
            for record in records
            if getattr(record.event, "post_key", "").startswith(prefix)
        ]
        expected = [
            (kind, f"{prefix}{step:03d}")
            for step in range(steps_per_thread)
            for kind in ("in_flight", "created")
        ]
        assert seen == expected
    assert from_disk.posts == snapshot.posts


def test_store_lock_folds_left_journal(state_path: Path) -> None:
    left = leave_journal(state_path, 8)

    with StateStore(state_path).lock("apply", 0) as session:
        assert session.state.posts == left.state_after(8).posts
        assert session.state.serial == 2

    stored = load_state(state_path)
    assert stored is not None
    assert stored.posts == left.state_after(8).posts
    assert stored.last_journal_id == read_journal_id(left.data)
    assert not left.path.exists()


def read_journal_id(data: bytes) -> str:
    return str(json.loads(data.splitlines()[0])["record"]["journal_id"])


def test_store_folded_journal_discarded(state_path: Path) -> None:
    left = leave_journal(state_path, 8)
    with StateStore(state_path).lock("apply", 0):
        pass
    folded = state_path.read_bytes()

    # A crash after state.json was replaced and before the journal was deleted.
    left.path.write_bytes(left.data)
    seen = StateStore(state_path).read()
    with StateStore(state_path).lock("apply", 0) as session:
        assert session.state.serial == 2

    assert seen.serial == 2
    assert seen.posts == left.state_after(8).posts
    assert state_path.read_bytes() == folded
    assert not left.path.exists()


def test_store_replaced_state_rejected(state_path: Path) -> None:
    left = leave_journal(state_path, 8)
    stored = load_state(state_path)
    assert stored is not None
    # Another machine applied twice and git pull brought its state.json.
    write_state(state_path, stored.model_copy(update={"serial": 3, "last_journal_id": "other"}))
    before = state_path.read_bytes()

    with pytest.raises(StateError, match="it was replaced, for example by git pull") as raised:
        StateStore(state_path).read()
    with (
        pytest.raises(StateError, match="it was replaced"),
        StateStore(state_path).lock("apply", 0),
    ):
        pass

    message = str(raised.value)
    assert "post-00000, post-00001" in message
    assert "Restore the state.json of serial 1" in message
    assert state_path.read_bytes() == before
    assert left.path.read_bytes() == left.data


def test_store_rolled_back_state_rejected(state_path: Path) -> None:
    leave_journal(state_path, 4)
    stored = load_state(state_path)
    assert stored is not None
    write_state(state_path, stored.model_copy(update={"serial": 0}))

    with pytest.raises(StateError, match=r"older serial 0 \(it was rolled back\)"):
        StateStore(state_path).read()


def test_store_other_lineage_rejected(state_path: Path) -> None:
    leave_journal(state_path, 4)
    write_state(state_path, State(serial=1))

    with pytest.raises(StateError, match="the journal belongs to state lineage"):
        StateStore(state_path).read()


def test_store_missing_state_adopts_journal_lineage(state_path: Path) -> None:
    with StateStore(state_path).lock("apply", 0) as session:
        session.record(in_flight("post-a"))
        lineage = session.state.lineage
        data = journal_path_for(state_path).read_bytes()
    # A first apply killed before anything wrote state.json.
    state_path.unlink()
    journal_path_for(state_path).write_bytes(data)

    seen = StateStore(state_path).read()

    assert seen.lineage == lineage
    assert seen.posts["post-a"].targets[BRAND].status is TargetStatus.UNKNOWN


def test_store_missing_state_with_old_journal_rejected(state_path: Path) -> None:
    leave_journal(state_path, 4)
    state_path.unlink()

    with pytest.raises(StateError, match=r"file not found, but .* on top of its serial 1"):
        StateStore(state_path).read()


def test_store_stale_temporary_removed_on_lock(state_path: Path) -> None:
    write_initial_state(state_path)
    stale = state_path.with_name(f".{state_path.name}.0123456789ab.tmp")
    stale.write_bytes(b"{half a state")

    with StateStore(state_path).lock("apply", 0):
        pass

    assert not stale.exists()


def test_store_canary_key_never_written(state_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    canary = "loomta_sk_canary_5b0f4e7d9c2a41e8"
    monkeypatch.setenv("LOOMTA_API_KEY", canary)

    leave_journal(state_path, 12)
    StateStore(state_path).read()
    with StateStore(state_path).lock("apply", 0) as session:
        session.record(in_flight("post-z"))
        session.commit()
        session.record(created("post-z"), journal.forgotten("post-00000", None))
        while_locked = files_under(state_path.parent)
    after = files_under(state_path.parent)

    assert lock_path_for(state_path) in while_locked
    assert journal_path_for(state_path) in while_locked
    for path, data in {**while_locked, **after}.items():
        assert canary.encode() not in data, path


def files_under(directory: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in directory.rglob("*") if path.is_file()}
