"""Child process for the lock tests: hold the state lock until stdin closes or a line arrives.

Usage: python state_lock_child.py STATE_PATH OPERATION

It prints `locked` once it holds the lock. The parent kills it or writes a line to release.
"""

from __future__ import annotations

import sys
from pathlib import Path

from loomta_sync.state.store import StateStore


def main(state_path: Path, operation: str) -> None:
    with StateStore(state_path).lock(operation, 0):
        sys.stdout.write("locked\n")
        sys.stdout.flush()
        sys.stdin.readline()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
