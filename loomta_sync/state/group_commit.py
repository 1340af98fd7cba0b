"""Group commit: threads that append to one file share a single write and fsync.

A caller queues its bytes with `enqueue`, which returns a ticket, and then calls `wait` with
that ticket. One waiting thread at a time becomes the leader: it takes every batch queued so
far, writes them in queue order with one call of the flush function, and wakes the others. A
thread that finds a flush under way waits for it, and then leads the next one if its own bytes
were queued too late for it. So `wait` returns only once the caller's bytes are durable, the
file receives the batches in the order of `enqueue`, and N concurrent callers pay for far fewer
than N fsyncs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from loomta_sync.errors import StateError

logger = logging.getLogger(__name__)


class GroupCommit:
    """Queue of byte batches that one leader thread at a time writes and syncs.

    `flush` writes and syncs one buffer and raises StateError on failure. After a failure,
    every batch that was not yet durable fails too, and so does every later `enqueue`, because
    the file may now end in a torn line.
    """

    def __init__(self, flush: Callable[[bytes], None]) -> None:
        self._flush = flush
        self._condition = threading.Condition(threading.Lock())
        self._pending: list[bytes] = []
        self._last_ticket = 0
        self._durable_ticket = 0
        self._flushing = False
        self._failure: StateError | None = None
        self._flushes = 0

    @property
    def flushes(self) -> int:
        """Number of completed calls of the flush function, each one write and one fsync."""
        with self._condition:
            return self._flushes

    @property
    def last_ticket(self) -> int:
        """The ticket of the latest batch queued; `wait(last_ticket)` drains the queue."""
        with self._condition:
            return self._last_ticket

    @property
    def failure(self) -> StateError | None:
        """The error of the flush that failed, or None while every flush has succeeded."""
        with self._condition:
            return self._failure

    def enqueue(self, data: bytes) -> int:
        """Queue `data` after every batch queued before it and return its ticket.

        Raises StateError after a flush has failed.
        """
        with self._condition:
            self._raise_if_failed()
            self._pending.append(data)
            self._last_ticket += 1
            return self._last_ticket

    def wait(self, ticket: int) -> None:
        """Return once the batch of `ticket` and all batches before it are durable.

        Raises StateError when the flush that would have covered them failed.
        """
        with self._condition:
            while self._durable_ticket < ticket:
                self._raise_if_failed()
                if self._flushing:
                    self._condition.wait()
                else:
                    self._lead()

    def _lead(self) -> None:
        """Flush every pending batch with the condition's lock released during the I/O."""
        batch = b"".join(self._pending)
        self._pending = []
        covered = self._last_ticket
        self._flushing = True

        self._condition.release()
        try:
            self._flush(batch)
        except BaseException as exc:
            self._condition.acquire()
            self._flushing = False
            self._failure = _as_state_error(exc)
            self._condition.notify_all()
            raise
        self._condition.acquire()

        self._flushing = False
        self._durable_ticket = covered
        self._flushes += 1
        self._condition.notify_all()

    def _raise_if_failed(self) -> None:
        if self._failure is not None:
            # A new exception per caller: several threads must not share one traceback.
            raise StateError(str(self._failure)) from self._failure


def _as_state_error(exc: BaseException) -> StateError:
    if isinstance(exc, StateError):
        return exc
    return StateError(f"the journal write stopped with {type(exc).__name__}: {exc}")
