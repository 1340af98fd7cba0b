"""Child process that runs `loomta-sync` commands, each in a process forked from a warm start.

Usage: python resilience_fork_server.py

Importing loomta_sync takes most of a CLI process's start, and the crash tests start hundreds
of them. This process imports the CLI once and then reads one JSON request per line from stdin:
`{"argv": [...], "env": {...}, "folder": "..."}`. For each it forks a child, prints the
child's pid, and goes on reading. The child points stdout and stderr at `FOLDER/stdout` and
`FOLDER/stderr`, sets the environment, runs the CLI's `main(argv)` exactly as the
`loomta-sync` script does, and writes its exit code to `FOLDER/exit` last. So a child killed
before it finished leaves no `exit` file. Children are reaped automatically because SIGCHLD is
ignored, and the parent test watches them through pidfds.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
from pathlib import Path

from loomta_sync.cli.main import main


def run_child(argv: list[str], environment: dict[str, str], folder: Path) -> int:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        output = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(output, fd)
        os.close(output)

    for name in [name for name in os.environ if name.startswith("LOOMTA")]:
        del os.environ[name]
    os.environ.update(environment)
    # tempfile caches the directory it chose first, so reset it to honour the child's TMPDIR.
    tempfile.tempdir = None

    try:
        main(argv)
        code = 0
    except SystemExit as exit_request:
        code = exit_request.code if isinstance(exit_request.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()

    partial = folder / "exit.partial"
    partial.write_text(str(code), encoding="utf-8")
    partial.rename(folder / "exit")
    return code


def serve() -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                code = run_child(request["argv"], request["env"], Path(request["folder"]))
            finally:
                os._exit(code)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
