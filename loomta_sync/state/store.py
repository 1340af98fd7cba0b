"""The state store: state.json, its journal and its lock, side by side in one directory.

For a state file `<dir>/<name>.json` the journal is `<dir>/<name>.journal` and the lock file
`<dir>/<name>.lock`. Only state.json is meant for git, and `ensure_gitignore` keeps the others
out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from loomta_sync.errors import StateError
from loomta_sync.state.atomic import fsync_directory, remove_stale_temporaries
from loomta_sync.state.journal_file import journal_path_for, read_journal
from loomta_sync.state.lock import StateLock, lock_path_for
from loomta_sync.state.model import State
from loomta_sync.state.recovery import Recovered, recover
from loomta_sync.state.session import Session
from loomta_sync.state.state_file import load_state, write_state

__all__ = ["Session", "StateStore"]

logger = logging.getLogger(__name__)

# How often `read` tries again when a concurrent apply commits while it reads.
READ_ATTEMPTS = 3


class StateStore:
    """Reads the state for planning and opens locked sessions for apply and `state` commands."""

    def __init__(self, state_path: Path) -> None:
        self.state_path = state_path
        self.journal_path = journal_path_for(state_path)
        self.lock_path = lock_path_for(state_path)

    def read(self) -> State:
        """Return the state as the next apply will see it, without writing or locking.

        A journal left by an interrupted apply is folded in memory, and its in-flight targets
        are UNKNOWN with code `interrupted`. A missing state.json gives an empty State with a
        new lineage on every call.
        """
        recovered = self._recover()
        if recovered.applied or recovered.interrupted:
            logger.info(
                "%s: showing %d journal events of an interrupted apply and %d interrupted "
                "targets; the next apply or state command writes them to %s",
                self.journal_path,
                recovered.applied,
                recovered.interrupted,
                self.state_path.name,
            )
        return recovered.state

    @contextmanager
    def lock(self, operation: str, timeout: float) -> Iterator[Session]:
        """Hold the state lock for `operation` and yield a session on the recovered state.

        Waits up to `timeout` seconds for another holder, then raises LockHeld. On entry a
        journal left by an interrupted apply is folded into state.json. On exit the session
        commits what was recorded, also when the block raised, then the lock is released.
        """
        state_lock = StateLock(self.lock_path)
        state_lock.acquire(operation, timeout)
        try:
            session = self._start_session()
            try:
                yield session
            except BaseException:
                _close_after_error(session)
                raise
            session.close()
        finally:
            state_lock.release()

    def _recover(self) -> Recovered:
        # The journal is read before state.json, so a commit between the two reads shows a
        # journal that state.json already contains, which recovery skips. Two commits between
        # the reads show a journal that state.json does not name, which recovery rejects, so
        # that case is retried when state.json changed meanwhile.
        attempt = 1
        while True:
            contents = read_journal(self.journal_path)
            stored = load_state(self.state_path)
            try:
                return recover(stored, contents, self.state_path, self.journal_path)
            except StateError:
                if attempt == READ_ATTEMPTS or not self._state_changed_since(stored):
                    raise
            logger.debug("%s changed while it was read; reading it again", self.state_path)
            attempt += 1

    def _state_changed_since(self, stored: State | None) -> bool:
        current = load_state(self.state_path)
        if stored is None or current is None:
            return (stored is None) != (current is None)
        return current.serial != stored.serial

    def _start_session(self) -> Session:
        remove_stale_temporaries(self.state_path)
        contents = read_journal(self.journal_path)
        stored = load_state(self.state_path)
        recovered = recover(stored, contents, self.state_path, self.journal_path)
        state = recovered.state

        if recovered.changed:
            state.serial += 1
            state.last_journal_id = contents.journal_id or state.last_journal_id
            write_state(self.state_path, state)
            logger.warning(
                "%s: folded %d journal events of an interrupted apply into %s at serial %d; "
                "%d targets that were in flight are now unknown",
                self.journal_path,
                recovered.applied,
                self.state_path.name,
                state.serial,
                recovered.interrupted,
            )

        # Also delete a journal with no valid records: the session's writer creates a new one.
        _delete_journal(self.journal_path)

        written = stored is not None or recovered.changed
        return Session(self.state_path, self.journal_path, state, written=written)


def _close_after_error(session: Session) -> None:
    """Commit after the session's block raised, without hiding that block's exception."""
    try:
        session.close()
    except StateError as exc:
        logger.error(
            "cannot commit the state after an error; the journal keeps the events: %s", exc
        )


def _delete_journal(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StateError(f"{path}: cannot delete the folded journal: {exc}") from exc
    fsync_directory(path.parent)
