"""state.json: its git-friendly format, its read errors, and atomic replacement."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from loomta_sync.errors import StateError
from loomta_sync.state.atomic import publish_temporary, remove_stale_temporaries, write_temporary
from loomta_sync.state.model import STATE_FORMAT_VERSION
from loomta_sync.state.state_file import dump_state, load_state, write_state
from loomta_sync.state.store import StateStore
from tests.state.state_builders import created, in_flight, write_initial_state


def session_state(state_path: Path) -> bytes:
    write_initial_state(state_path)
    with StateStore(state_path).lock("apply", 0) as session:
        session.record(in_flight("post-b"), created("post-b"), in_flight("post-a"))
    return state_path.read_bytes()


def assert_sorted(value: Any, where: str = "") -> None:
    if isinstance(value, dict):
        assert list(value) == sorted(value), f"keys at {where or 'top level'} are not sorted"
        for key, item in value.items():
            assert_sorted(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_sorted(item, f"{where}[{index}]")


def test_state_file_format_is_diff_friendly(state_path: Path) -> None:
    data = session_state(state_path)
    text = data.decode("utf-8")

    assert text.endswith("}\n")
    assert text.splitlines()[1].startswith('  "')
    assert_sorted(json.loads(text))
    stamps = [line for line in text.splitlines() if '_at": "' in line]
    assert stamps
    assert all(line.endswith('Z",') or line.endswith('Z"') for line in stamps)


def test_state_file_roundtrip(state_path: Path) -> None:
    session_state(state_path)

    stored = load_state(state_path)

    assert stored is not None
    assert dump_state(stored) == state_path.read_bytes()


def test_state_file_invalid_json_names_position(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    state_path.write_text('{\n  "serial": 1,\n  oops\n}\n')

    with pytest.raises(StateError, match=r"state\.json:3:3: invalid JSON: .*restore it from git"):
        load_state(state_path)


def test_state_file_model_mismatch_names_field(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    state_path.write_text(json.dumps({"serial": "seven", "posts": {"a": {"targets": 3}}}))

    with pytest.raises(StateError, match=r"invalid state at serial: .* and 1 more problems"):
        load_state(state_path)


def test_state_file_newer_format_rejected(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    newer = STATE_FORMAT_VERSION + 1
    state_path.write_text(json.dumps({"format_version": newer, "future_field": []}))

    with pytest.raises(StateError, match=f"format_version {newer} was written by a newer"):
        load_state(state_path)


def test_state_file_invalid_utf8_rejected(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    state_path.write_bytes(b'{"lineage": "\xff"}')

    with pytest.raises(StateError, match="invalid UTF-8 at byte 13"):
        load_state(state_path)


def test_state_file_corrupt_never_overwritten(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    state_path.write_text('{"serial": 1,')

    with pytest.raises(StateError, match="invalid JSON"), StateStore(state_path).lock("apply", 0):
        pass
    with pytest.raises(StateError, match="invalid JSON"):
        StateStore(state_path).read()

    assert state_path.read_text() == '{"serial": 1,'


def test_atomic_crash_before_rename_keeps_old(state_path: Path) -> None:
    old = session_state(state_path)
    stored = load_state(state_path)
    assert stored is not None

    # The process dies after the temporary file is complete and before the rename.
    temporary = write_temporary(state_path, dump_state(stored.model_copy(update={"serial": 99})))

    assert state_path.read_bytes() == old
    assert remove_stale_temporaries(state_path) == [temporary]
    assert not temporary.exists()


def test_atomic_rename_publishes_new(state_path: Path) -> None:
    session_state(state_path)
    stored = load_state(state_path)
    assert stored is not None
    new = dump_state(stored.model_copy(update={"serial": 99}))

    publish_temporary(write_temporary(state_path, new), state_path)

    assert state_path.read_bytes() == new
    assert list(state_path.parent.glob("*.tmp")) == []


def test_atomic_write_failure_keeps_old(state_path: Path) -> None:
    old = session_state(state_path)
    # A real write failure: the file size limit makes write(2) fail with EFBIG partway.
    script = textwrap.dedent(
        """
        import resource, signal, sys
        from pathlib import Path
        from loomta_sync.errors import StateError
        from loomta_sync.state.atomic import write_atomic

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            write_atomic(Path(sys.argv[1]), b"x" * 65536)
        except StateError as exc:
            print(exc)
            sys.exit(0)
        sys.exit("the write did not fail")
        """
    )

    result = subprocess.run(
        [sys.executable, "-c", script, str(state_path)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "the old file is unchanged" in result.stdout
    assert state_path.read_bytes() == old
    assert list(state_path.parent.glob("*.tmp")) == []


def test_write_state_replaces_file(state_path: Path) -> None:
    session_state(state_path)
    stored = load_state(state_path)
    assert stored is not None

    write_state(state_path, stored.model_copy(update={"serial": 42}))

    reloaded = load_state(state_path)
    assert reloaded is not None
    assert reloaded.serial == 42
