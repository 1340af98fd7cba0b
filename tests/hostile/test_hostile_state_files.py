"""Symlinks a pull request can commit beside state.json: the lock and the journal.

loomta.yaml's paths are checked to stay inside the project, but the lock and the journal
live next to state.json under fixed names, and git stores symlinks. A symlinked lock file makes
apply overwrite the file it points to. A symlinked journal is read by plan, which runs on
pull requests from forks, and a journal that points at a device such as /dev/zero never ends.
The test uses a FIFO outside the project in place of such a device, because reading /dev/zero
would fill the memory of the machine that runs the tests.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from tests.hostile.hostile_cli import cli_environment, run_cli
from tests.hostile.hostile_projects import base_project, snapshot
from tests.support.emulator import EmulatorProcess

VICTIM_TEXT = "a file outside the project that loomta-sync must never write\n"
# Seconds between checks for a process that opened the FIFO for reading.
POLL_SECONDS = 0.05


@contextlib.contextmanager
def fifo_reader_detector(fifo: Path) -> Iterator[threading.Event]:
    """Set the yielded event if any process opens `fifo` for reading, and release that reader.

    Opening a FIFO's write end without blocking succeeds only while a reader has it open, and
    closing the write end at once gives the reader an empty file instead of a hang.
    """
    opened = threading.Event()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                stop.wait(POLL_SECONDS)
                continue
            opened.set()
            os.close(descriptor)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield opened
    finally:
        stop.set()
        thread.join()


def test_lock_symlink_never_written(tmp_path: Path, quiet_emulator: EmulatorProcess) -> None:
    root = base_project(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM_TEXT, encoding="utf-8")
    os.symlink(victim, root / ".loomta" / "state.lock")
    (root / "calendar" / "broken.yaml").write_text("content: [\n", encoding="utf-8")
    before = snapshot(root)

    result = run_cli(
        root, "apply", "--yes", environment=cli_environment(api_url=quiet_emulator.base_url)
    )

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert snapshot(root) == before
    assert quiet_emulator.admin.requests() == []


def test_journal_symlink_never_read(tmp_path: Path) -> None:
    root = base_project(tmp_path)
    fifo = tmp_path / "device-like"
    os.mkfifo(fifo)
    os.symlink(fifo, root / ".loomta" / "state.journal")

    with fifo_reader_detector(fifo) as opened:
        result = run_cli(root, "plan", environment=cli_environment(api_key=None))

    assert "Traceback" not in result.stderr
    assert not opened.is_set()
    assert result.returncode == 1, result.stderr
    assert "state.journal" in result.stderr
