"""Real `loomta-sync` processes for the resilience tests: start, wait, SIGKILL, read the output.

`ForkServer` starts them from `resilience_fork_server.py`, which has the CLI imported already,
so a command starts in milliseconds instead of the half second that a fresh interpreter takes.
Each child is a separate process that runs the CLI's own `main`, with its own stdout and stderr
files. The test side follows a child through a pidfd, so it can send SIGKILL without racing
against pid reuse.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SERVER_SCRIPT = Path(__file__).with_name("resilience_fork_server.py")
# Upper bound for one command, in seconds. Reaching it fails the test.
COMMAND_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class CliResult:
    """A finished command. `code` is None when the process was killed before it finished."""

    args: tuple[str, ...]
    code: int | None
    stdout: str
    stderr: str

    def describe(self) -> str:
        return f"loomta-sync {' '.join(self.args)} -> {self.code}\n{self.stdout}\n{self.stderr}"


class RunningCli:
    """One started command, followed through a pidfd."""

    def __init__(self, args: tuple[str, ...], pid: int, folder: Path) -> None:
        self.args = args
        self.pid = pid
        self.folder = folder
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:
            self._pidfd = None  # it has exited and was reaped already

    def running(self) -> bool:
        if self._pidfd is None:
            return False
        readable, _, _ = select.select([self._pidfd], [], [], 0)
        return not readable

    def kill(self) -> None:
        """Send SIGKILL unless the process has exited."""
        if self._pidfd is None:
            return
        with contextlib.suppress(ProcessLookupError):
            signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)

    def wait(self, timeout: float = COMMAND_TIMEOUT_SECONDS) -> CliResult:
        """Wait for the exit and return the result; kill the process and fail on timeout."""
        if self._pidfd is not None:
            readable, _, _ = select.select([self._pidfd], [], [], timeout)
            if not readable:
                self.kill()
                raise AssertionError(f"loomta-sync {' '.join(self.args)} ran over {timeout} s")
        self.release()
        return self._result()

    def release(self) -> None:
        """Close the pidfd; the process itself is left alone."""
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None

    def _result(self) -> CliResult:
        exit_file = self.folder / "exit"
        code = int(exit_file.read_text(encoding="utf-8")) if exit_file.exists() else None
        return CliResult(
            self.args,
            code,
            _read(self.folder / "stdout"),
            _read(self.folder / "stderr"),
        )


class ForkServer:
    """Starts CLI commands in processes forked from one warm interpreter."""

    def __init__(self) -> None:
        self._started: list[RunningCli] = []
        environment = {k: v for k, v in os.environ.items() if not k.startswith("LOOMTA")}
        self._process = subprocess.Popen(
            [sys.executable, str(SERVER_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )

    def start(
        self, directory: Path, args: tuple[str, ...], env: dict[str, str], folder: Path
    ) -> RunningCli:
        """Start `loomta-sync -C DIRECTORY ARGS...` with `env` added to a clean environment.

        Its stdout, stderr and exit code go to files in `folder`, which must exist and be empty.
        """
        request = {"argv": ["-C", str(directory), *args], "env": env, "folder": str(folder)}
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise AssertionError(f"the fork server exited with {self._process.wait()}")

        running = RunningCli(args, int(line), folder)
        self._started.append(running)
        return running

    def close(self) -> None:
        for running in self._started:
            running.kill()
            running.release()
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(30)
        if self._process.stdout is not None:
            self._process.stdout.close()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
