"""Group commit of the journal: concurrent `record` calls share writes, keep order, stay durable."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from loomta_sync.errors import StateError
from loomta_sync.state import journal
from loomta_sync.state.events import MediaUploaded
from loomta_sync.state.group_commit import GroupCommit
from loomta_sync.state.journal_file import journal_path_for, read_journal
from loomta_sync.state.model import MediaRecord, TargetStatus
from loomta_sync.state.session import Session
from loomta_sync.state.store import StateStore
from tests.state.state_builders import BRAND

WORKERS = 8
RECORDS_PER_WORKER = 150
# Room for about 13 journal records, fewer than the child's threads try to record.
FULL_DISK_BYTES = 8192


class GatedFlush:
    """A flush function that blocks in its first call until the test opens the gate."""

    def __init__(self, fail_on_call: int | None = None) -> None:
        self.calls: list[bytes] = []
        self.entered = threading.Event()
        self.gate = threading.Event()
        self._fail_on_call = fail_on_call

    def __call__(self, data: bytes) -> None:
        self.calls.append(data)
        if len(self.calls) == 1:
            self.entered.set()
            assert self.gate.wait(30), "the test never opened the gate"
        if len(self.calls) == self._fail_on_call:
            raise StateError("disk full")


def start(target: Callable[..., object], *args: object) -> threading.Thread:
    thread = threading.Thread(target=target, args=args)
    thread.start()
    return thread


def test_group_commit_waiters_share_one_flush() -> None:
    flush = GatedFlush()
    commits = GroupCommit(flush)
    first = commits.enqueue(b"a")
    leader = start(commits.wait, first)
    assert flush.entered.wait(30), "the first waiter did not start a flush"

    tickets = [commits.enqueue(bytes([ord("b") + index])) for index in range(7)]
    followers = [start(commits.wait, ticket) for ticket in tickets]
    flush.gate.set()
    for thread in [leader, *followers]:
        thread.join(30)
        assert not thread.is_alive(), "a waiter never returned"

    assert flush.calls == [b"a", b"bcdefgh"], "the 7 queued batches were not written together"
    assert commits.flushes == 2


def test_group_commit_failure_reaches_every_waiter() -> None:
    flush = GatedFlush(fail_on_call=2)
    commits = GroupCommit(flush)
    first = commits.enqueue(b"a")
    leader = start(commits.wait, first)
    assert flush.entered.wait(30)

    later = [commits.enqueue(b"b"), commits.enqueue(b"c")]
    errors: list[BaseException] = []

    def wait_for(ticket: int) -> None:
        try:
            commits.wait(ticket)
        except StateError as exc:
            errors.append(exc)

    followers = [start(wait_for, ticket) for ticket in later]
    flush.gate.set()
    for thread in [leader, *followers]:
        thread.join(30)

    assert len(errors) == 2, f"both batches of the failed flush must fail, got {errors}"
    assert all("disk full" in str(error) for error in errors)
    assert commits.flushes == 1
    with pytest.raises(StateError, match="disk full"):
        commits.enqueue(b"d")


def test_group_commit_session_keeps_call_order(tmp_path: Path) -> None:
    state_path = tmp_path / ".loomta" / "state.json"
    barrier = threading.Barrier(WORKERS)

    def worker(session: Session, index: int) -> None:
        barrier.wait(30)
        for number in range(RECORDS_PER_WORKER):
            # Two events per call: they must stay adjacent in the journal.
            session.record(*[media_event(index, number, part) for part in (0, 1)])

    with StateStore(state_path).lock("group commit test", 0) as session:
        threads = [start(worker, session, index) for index in range(WORKERS)]
        for thread in threads:
            thread.join(60)
        writes = session.journal_writes
        records = read_journal(journal_path_for(state_path)).records

    total = WORKERS * RECORDS_PER_WORKER * 2
    assert [record.seq for record in records] == list(range(1, total + 1))
    names = [record.event.sha256 for record in records if isinstance(record.event, MediaUploaded)]
    for position in range(0, total, 2):
        first, second = names[position], names[position + 1]
        assert first[:-1] == second[:-1], f"events of one call split at seq {position + 1}"
    for index in range(WORKERS):
        own = [name for name in names if name.startswith(f"{index:02d}") and name.endswith("0")]
        expected = [sha(index, number, 0) for number in range(RECORDS_PER_WORKER)]
        assert own == expected, f"worker {index}: records out of call order"
    assert 1 <= writes <= WORKERS * RECORDS_PER_WORKER


def test_group_commit_record_durable_on_return(tmp_path: Path) -> None:
    state_path = tmp_path / ".loomta" / "state.json"
    journal_path = journal_path_for(state_path)

    with StateStore(state_path).lock("group commit test", 0) as session:
        for number in range(5):
            session.record(media_event(0, number, 0))
            on_disk = read_journal(journal_path).records
            assert len(on_disk) == number + 1, f"record {number} returned before its write"


def sha(worker: int, number: int, part: int) -> str:
    return f"{worker:02d}{number:061d}{part}"


def media_event(worker: int, number: int, part: int) -> MediaUploaded:
    record = MediaRecord(
        media_id=f"media-{worker}-{number}-{part}",
        mime_type="image/jpeg",
        size=1,
        uploaded_at=datetime.now(UTC),
    )
    return journal.media_uploaded(sha(worker, number, part), record)


def test_group_commit_full_disk_keeps_returned(tmp_path: Path) -> None:
    state_path = tmp_path / ".loomta" / "state.json"
    child = Path(__file__).with_name("resilience_full_disk_child.py")
    completed = subprocess.run(
        [sys.executable, str(child), str(state_path), str(FULL_DISK_BYTES)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    failures = [text for calls in report["outcomes"] for text in calls if text != "ok"]
    assert failures, "the journal never reached the size limit"
    assert report["durable"], "no record returned before the size limit"
    for index, calls in enumerate(report["outcomes"]):
        first_failure = next((n for n, text in enumerate(calls) if text != "ok"), len(calls))
        assert "ok" not in calls[first_failure:], f"thread {index} recorded after a failure"
    assert report["commit_error"], "state.json was written although it is over the size limit"

    # The journal ends in a torn line where the write stopped, and each returned record is in it.
    state = StateStore(state_path).read()
    for key in report["durable"]:
        record = state.target(key, BRAND)
        status = record.status if record else None
        assert status is TargetStatus.UNKNOWN, f"{key} on {BRAND}: returned, then {status}"
