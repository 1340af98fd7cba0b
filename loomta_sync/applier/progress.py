"""Progress of an apply: one updating line on a terminal, one plain line per result elsewhere."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from loomta_sync.applier.report import Outcome, TargetResult
from loomta_sync.planner.model import ChangeKind, Plan

WORK_KINDS = (ChangeKind.CREATE, ChangeKind.RETRY, ChangeKind.RESCHEDULE, ChangeKind.MOVED)


class Progress:
    def __init__(self, total: int, stream: TextIO, interactive: bool, quiet: bool) -> None:
        self._total = total
        self._stream = stream
        self._interactive = interactive
        self._quiet = quiet
        self._done = 0
        self._failures = 0
        self._started = time.monotonic()
        self._lock = threading.Lock()

    def update(self, result: TargetResult) -> None:
        with self._lock:
            self._done += 1
            if result.outcome in (Outcome.FAILED, Outcome.UNKNOWN, Outcome.NOT_ATTEMPTED):
                self._failures += 1
            if self._quiet:
                return
            if self._interactive:
                self._stream.write("\r" + self._status())
            else:
                self._stream.write(result.format() + "\n")
            self._stream.flush()

    @property
    def lists_results(self) -> bool:
        """Whether a line per target result was printed, so failures need no second listing."""
        return not self._interactive and not self._quiet

    def close(self) -> None:
        if self._interactive and not self._quiet and self._done:
            self._stream.write("\n")
            self._stream.flush()

    def _status(self) -> str:
        elapsed = max(time.monotonic() - self._started, 1e-6)
        rate = self._done / elapsed
        return (
            f"[{self._done}/{self._total}] {rate:.1f} targets/s, {self._failures} failed or unknown"
        )


@contextmanager
def make_progress(plan: Plan, *, quiet: bool, stream: TextIO | None = None) -> Iterator[Progress]:
    output = stream or sys.stderr
    total = sum(1 for change in plan.changes if change.kind in WORK_KINDS)
    progress = Progress(total, output, interactive=output.isatty(), quiet=quiet)
    try:
        yield progress
    finally:
        progress.close()
