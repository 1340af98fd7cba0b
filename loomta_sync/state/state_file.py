"""Reading and writing state.json.

The file is committed to git, so it is written with sorted keys, a 2-space indent, UTC times
and a trailing newline: one change to one target changes a few lines of the diff. A file that
cannot be read is reported and never overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from loomta_sync.errors import StateError
from loomta_sync.state.atomic import read_regular_file, write_atomic
from loomta_sync.state.model import STATE_FORMAT_VERSION, State


def dump_state(state: State) -> bytes:
    text = json.dumps(state.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def write_state(path: Path, state: State) -> None:
    """Write `state` to `path` atomically: a crash leaves the old file or the new one."""
    write_atomic(path, dump_state(state))


def load_state(path: Path) -> State | None:
    """Read state.json, or return None when it does not exist.

    Raises StateError naming the file and the position of the problem when the file is not
    UTF-8, not JSON, written by a newer loomta-sync, or does not match the state model.
    """
    try:
        data = read_regular_file(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateError(
            f"{path}: cannot read the state file ({exc}); it must be a regular file, not a "
            "symlink or a special file"
        ) from exc

    raw = _parse_json(path, data)
    _check_format_version(path, raw)

    try:
        return State.model_validate(raw)
    except ValidationError as exc:
        raise _model_error(path, exc) from None


def _parse_json(path: Path, data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StateError(
            f"{path}: invalid UTF-8 at byte {exc.start}; restore the file from git"
        ) from None

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise StateError(
            f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}; fix the file or restore "
            "it from git"
        ) from None


def _check_format_version(path: Path, raw: Any) -> None:
    version = raw.get("format_version") if isinstance(raw, dict) else None
    if isinstance(version, int) and version > STATE_FORMAT_VERSION:
        raise StateError(
            f"{path}: format_version {version} was written by a newer loomta-sync (this one "
            f"reads up to {STATE_FORMAT_VERSION}); upgrade loomta-sync"
        )


def _model_error(path: Path, exc: ValidationError) -> StateError:
    errors = exc.errors()
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    more = f" and {len(errors) - 1} more problems" if len(errors) > 1 else ""
    return StateError(
        f"{path}: invalid state at {where}: {first['msg']}{more}; fix the file or restore it "
        "from git"
    )
