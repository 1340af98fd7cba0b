"""Child process for the full-disk test: record from 4 threads until the journal cannot grow.

Usage: python resilience_full_disk_child.py STATE_PATH MAX_FILE_BYTES

RLIMIT_FSIZE makes every write past MAX_FILE_BYTES fail with EFBIG, as a full disk would fail
it with ENOSPC, and SIGXFSZ is ignored so that the process lives on. Each thread records one
in_flight event per call. The child prints one JSON object: the keys whose `record` returned,
and per thread the outcome of each call, `ok` or the error message.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
import threading
from pathlib import Path

from loomta_sync.errors import StateError
from loomta_sync.state.session import Session
from loomta_sync.state.store import StateStore

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.state.state_builders import in_flight

THREADS = 4
CALLS_PER_THREAD = 40


def record_until_full(
    session: Session, thread: int, outcomes: list[str], durable: list[str]
) -> None:
    for call in range(CALLS_PER_THREAD):
        key = f"post-{thread}-{call:03d}"
        try:
            session.record(in_flight(key))
        except StateError as exc:
            outcomes.append(str(exc))
            continue
        outcomes.append("ok")
        durable.append(key)


def main(state_path: Path, max_file_bytes: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))
    outcomes: list[list[str]] = [[] for _ in range(THREADS)]
    durable: list[str] = []

    commit_error = None
    try:
        with StateStore(state_path).lock("full disk test", 0) as session:
            threads = [
                threading.Thread(
                    target=record_until_full, args=(session, index, outcomes[index], durable)
                )
                for index in range(THREADS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    except StateError as exc:
        commit_error = str(exc)

    print(json.dumps({"durable": durable, "outcomes": outcomes, "commit_error": commit_error}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
