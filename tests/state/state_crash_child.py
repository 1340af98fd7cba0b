"""Child process for the crash test: fork one recorder per request and let the parent kill it.

Usage: python state_crash_child.py STEP_COUNT

Importing loomta_sync takes most of a process start, so this process imports it once and forks
a recorder for each line `STATE_PATH<TAB>FIFO_PATH` read from stdin, printing the recorder's
pid. A recorder writes `ready` to the FIFO once it holds the state lock, then the index of each
step after `record` for that step has returned. The parent learns from them which steps were
durable when its SIGKILL arrived. Recorders are reaped automatically because SIGCHLD is ignored.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from loomta_sync.state.events import Event
from loomta_sync.state.store import StateStore

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.state.state_builders import scripted_steps


def record_until_killed(state_path: Path, fifo_path: Path, steps: list[tuple[Event, ...]]) -> None:
    with open(fifo_path, "w") as output, StateStore(state_path).lock("crash test", 0) as session:
        output.write("ready\n")
        output.flush()
        for index, events in enumerate(steps):
            session.record(*events)
            output.write(f"{index}\n")
            output.flush()
        # Wait for the kill with everything recorded and nothing committed.
        time.sleep(60)


def main(count: int) -> None:
    steps = scripted_steps(count)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)

    for line in sys.stdin:
        state_path, fifo_path = line.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:
            try:
                record_until_killed(Path(state_path), Path(fifo_path), steps)
            finally:
                os._exit(0)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(int(sys.argv[1]))
