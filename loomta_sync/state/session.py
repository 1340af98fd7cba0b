"""A locked session on the state: record events durably, then compact them into state.json.

`record` is the durability point of an apply: when it returns, its events are fsynced in the
journal. Concurrent `record` calls share writes and fsyncs through group commit, so the worker
threads of an apply do not queue behind each other's fsync. `commit` only compacts: it writes
the state with its serial increased by one to state.json and deletes the journal, so a crash
before or during `commit` loses nothing.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from loomta_sync.errors import StateError
from loomta_sync.state.events import Event
from loomta_sync.state.fold import apply_event, mark_interrupted
from loomta_sync.state.group_commit import GroupCommit
from loomta_sync.state.journal_file import JournalWriter
from loomta_sync.state.model import State, TargetRecord
from loomta_sync.state.state_file import write_state

logger = logging.getLogger(__name__)


class Session:
    """The state and the journal of one lock holder, created by `StateStore.lock`.

    All methods are thread-safe. Journal order is the order in which `record` calls take the
    session's mutex, so events of one call stay together and in order. The mutex is not held
    during the write and fsync, which `record` calls share.
    """

    def __init__(self, state_path: Path, journal_path: Path, state: State, written: bool) -> None:
        self._state_path = state_path
        self._state = state
        self._writer = JournalWriter(journal_path, state.lineage)
        self._commits = GroupCommit(self._writer.write)
        self._mutex = threading.Lock()
        # Events recorded since the last write of state.json.
        self._dirty = False
        # A new state that only an explicit commit writes: closing without events does not.
        self._unwritten = not written
        self._closed = False
        self._journal_error: StateError | None = None

    @property
    def state(self) -> State:
        """The current state, including every recorded event.

        This is the live object. Read it only while no other thread calls `record`, or use
        `snapshot` or `target`.
        """
        return self._state

    def snapshot(self) -> State:
        """Return a deep copy of the current state."""
        with self._mutex:
            return self._state.model_copy(deep=True)

    def target(self, post_key: str, platform_id: str) -> TargetRecord | None:
        with self._mutex:
            return self._state.target(post_key, platform_id)

    @property
    def journal_writes(self) -> int:
        """Number of journal writes so far, each one write and one fsync for all waiting calls."""
        return self._commits.flushes

    def record(self, *events: Event) -> None:
        """Apply `events` to the state, then append them to the journal and fsync it.

        The events are durable when this returns. Calls from several threads at once share
        one write and one fsync. Other threads can see the events in `state` a moment
        earlier, while the write is under way.

        Raises StateError when an event does not fit the state, for example `created` for a
        target that is not in flight. The events before it are recorded, and it and the
        events after it are not. Raises StateError when the journal cannot be written. The
        session then records nothing more, and the caller must stop sending requests.
        """
        with self._mutex:
            self._check_can_record()

            applied: list[Event] = []
            rejected: StateError | None = None
            for event in events:
                try:
                    apply_event(self._state, event)
                except StateError as exc:
                    rejected = exc
                    break
                applied.append(event)

            ticket = self._queue(applied)

        if ticket is not None:
            self._wait_durable(ticket)
        if rejected is not None:
            raise rejected

    def commit(self) -> State:
        """Write the state to state.json with serial + 1, delete the journal, and return it.

        Does nothing and returns the current state when nothing was recorded since the last
        commit and state.json exists. Raises StateError when state.json cannot be written,
        and the journal then stays for the next session to fold.
        """
        with self._mutex:
            return self._commit_locked()

    def close(self) -> None:
        """Commit recorded events after turning in-flight targets into UNKNOWN, then close.

        Unlike `commit`, this writes nothing for a new state without events, so a command
        that fails on a new project leaves no state.json behind.
        """
        with self._mutex:
            if self._closed:
                return

            try:
                interrupted = mark_interrupted(self._state)
                if interrupted:
                    self._dirty = True
                    logger.warning(
                        "%d targets were still in flight when the session ended; they are "
                        "now unknown",
                        interrupted,
                    )
                if self._dirty:
                    self._commit_locked()
            finally:
                self._closed = True
                self._writer.close()

    def _check_can_record(self) -> None:
        if self._closed:
            raise StateError(f"{self._state_path}: the state session is closed; lock it again")
        failure = self._journal_error or self._commits.failure
        if failure is not None:
            raise StateError(
                f"{self._state_path}: cannot record more events after a journal write failed: "
                f"{failure}"
            )

    def _queue(self, events: list[Event]) -> int | None:
        """Encode `events` and queue them for the next group write; return their ticket.

        Called with the mutex held, so the journal's sequence numbers follow the mutex order.
        """
        if not events:
            return None

        # From here on the events are in memory, so a later commit writes them to state.json
        # even if the journal write fails. For an in_flight event that makes the target
        # UNKNOWN, which blocks a second create.
        self._dirty = True
        try:
            data = self._writer.encode(self._state.serial, events)
            return self._commits.enqueue(data)
        except StateError as exc:
            self._journal_error = exc
            raise

    def _wait_durable(self, ticket: int) -> None:
        try:
            self._commits.wait(ticket)
        except StateError as exc:
            with self._mutex:
                self._journal_error = self._journal_error or exc
            raise

    def _drain_journal(self) -> None:
        """Wait until every queued event is durable. The caller holds the mutex.

        A failed write is logged and not raised, because the commit that follows writes the
        same events to state.json.
        """
        try:
            self._commits.wait(self._commits.last_ticket)
        except StateError as exc:
            if self._journal_error is None:
                self._journal_error = exc
                logger.error(
                    "the journal write failed; state.json gets the events instead: %s", exc
                )

    def _commit_locked(self) -> State:
        self._drain_journal()
        if not self._dirty and not self._unwritten:
            return self._state

        serial = self._state.serial + 1
        journal_id = self._writer.journal_id or self._state.last_journal_id
        written = self._state.model_copy(update={"serial": serial, "last_journal_id": journal_id})
        write_state(self._state_path, written)

        self._state.serial = serial
        self._state.last_journal_id = journal_id
        self._dirty = False
        self._unwritten = False
        logger.debug("wrote %s at serial %d", self._state_path, serial)

        self._writer.delete()
        return self._state
