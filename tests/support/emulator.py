"""Run the Loomta emulator as a real subprocess, and control it through `/_emulator/`.

A test area uses it through a fixture in its own conftest.py:

    @pytest.fixture(scope="session")
    def emulator() -> Iterator[EmulatorProcess]:
        with emulator_process("--seed", "7") as running:
            yield running

    def test_plan_against_emulator(emulator: EmulatorProcess) -> None:
        emulator.admin.reset()
        emulator.admin.set_faults(error_rate=1.0)
        ...  # send requests to emulator.base_url with TEST_API_KEY

`reset()` at the start of each test drops all posts and media and restores the start-up
settings, so one process can serve a whole session.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

# A well-formed key. The emulator accepts any key of this shape.
TEST_API_KEY = "loomta_sk_test_emulator_0001"

# One SSL context for every client, though the emulator uses plain HTTP: httpx otherwise builds
# one per client, which took about 30 ms each when measured in a 2-core Linux container.
SSL_CONTEXT = ssl.create_default_context()

READY_LINE = re.compile(r"Loomta emulator listening on (http://\S+)/public/v1")
STARTUP_TIMEOUT_SECONDS = 20.0
STOP_TIMEOUT_SECONDS = 10.0


class EmulatorAdmin:
    """A client of the admin endpoints. Returned values are the decoded JSON bodies."""

    def __init__(self, root_url: str, timeout: float = 10.0) -> None:
        self._client = httpx.Client(
            base_url=f"{root_url}/_emulator", timeout=timeout, verify=SSL_CONTEXT
        )

    def close(self) -> None:
        self._client.close()

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health")

    def reset(self, seed: int | None = None) -> None:
        """Drop all posts, media, logs and counters, and restore the start-up settings."""
        self._call("POST", "/reset", {} if seed is None else {"seed": seed})

    def faults(self) -> dict[str, Any]:
        return self._call("GET", "/faults")

    def set_faults(self, **settings: Any) -> dict[str, Any]:
        """Change the named fault settings, e.g. `set_faults(error_rate=1.0)`."""
        return self._call("PUT", "/faults", settings)

    def quota(self) -> dict[str, Any]:
        return self._call("GET", "/quota")

    def set_quota(self, limit: int | None, used: int | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"limit": limit}
        if used is not None:
            body["used"] = used
        return self._call("PUT", "/quota", body)

    def set_clock_offset(self, seconds: float) -> dict[str, Any]:
        """Run the emulator's clock `seconds` ahead of the system clock."""
        return self._call("PUT", "/clock", {"offset_seconds": seconds})

    def groups(self) -> list[dict[str, Any]]:
        """Every post group created, in creation order, with its Idempotency-Key."""
        groups: list[dict[str, Any]] = self._call("GET", "/posts")["groups"]
        return groups

    def counters(self) -> dict[str, Any]:
        counters: dict[str, Any] = self._call("GET", "/posts")["counters"]
        return counters

    def requests(self) -> list[dict[str, Any]]:
        """The API request log: method, path, status, Idempotency-Key and injected fault."""
        entries: list[dict[str, Any]] = self._call("GET", "/requests")["requests"]
        return entries

    def _call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        response = self._client.request(method, path, json=body)
        response.raise_for_status()
        decoded: dict[str, Any] = response.json()
        return decoded


@dataclass
class EmulatorProcess:
    """A running emulator subprocess."""

    base_url: str  # the API base URL, ending in /public/v1
    root_url: str
    admin: EmulatorAdmin
    process: subprocess.Popen[str]
    stderr_path: Path
    _kept_stderr: str | None = None

    def stderr_text(self) -> str:
        """Return the emulator's stderr so far; after the context exits, all of it."""
        if self._kept_stderr is not None:
            return self._kept_stderr
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, stop_signal: int = signal.SIGTERM) -> int:
        """Send `stop_signal`, wait for the exit, and return the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(stop_signal)
            try:
                self.process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT_SECONDS)
        return self.process.returncode


@contextmanager
def emulator_process(*args: str) -> Iterator[EmulatorProcess]:
    """Start `python -m loomta_sync.emulator --port 0 ARGS...` and stop it on exit.

    Raises RuntimeError, with the emulator's stderr, when it does not start.
    """
    command = [sys.executable, "-m", "loomta_sync.emulator", "--port", "0", *args]
    environment = {name: value for name, value in os.environ.items() if "LOOMTA" not in name}

    with tempfile.TemporaryDirectory(prefix="loomta-emulator-") as folder:
        stderr_path = Path(folder) / "stderr.log"
        with stderr_path.open("w", encoding="utf-8") as stderr_file:
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=stderr_file, text=True, env=environment
            )
        running: EmulatorProcess | None = None
        try:
            root_url = _read_root_url(process, stderr_path)
            running = EmulatorProcess(
                base_url=f"{root_url}/public/v1",
                root_url=root_url,
                admin=EmulatorAdmin(root_url),
                process=process,
                stderr_path=stderr_path,
            )
            _wait_until_healthy(running.admin)
            yield running
        finally:
            if running is not None:
                running.admin.close()
                running.stop()
                # The log file goes with the temporary folder, so keep its text.
                running._kept_stderr = running.stderr_text()
            _kill(process)


def _read_root_url(process: subprocess.Popen[str], stderr_path: Path) -> str:
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    assert stdout is not None
    reader = threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True)
    reader.start()

    try:
        line = lines.get(timeout=STARTUP_TIMEOUT_SECONDS)
    except queue.Empty:
        line = ""
    match = READY_LINE.fullmatch(line.strip())
    if match is None:
        stderr = stderr_path.read_text(encoding="utf-8", errors="replace")
        raise RuntimeError(f"emulator did not start; stdout {line!r}; stderr:\n{stderr}")
    return match.group(1)


def _wait_until_healthy(admin: EmulatorAdmin) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while True:
        try:
            admin.health()
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _kill(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(STOP_TIMEOUT_SECONDS)
    if process.stdout is not None:
        process.stdout.close()
