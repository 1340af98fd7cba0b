"""The `.gitignore` beside state.json that keeps the store's local files out of git.

The lock and the journal describe one machine's running or interrupted apply. Temporary files
are what interrupted atomic writes leave. Only state.json belongs in the repository.
"""

from __future__ import annotations

from pathlib import Path

from loomta_sync.errors import StateError
from loomta_sync.state.atomic import TEMPORARY_SUFFIX, write_atomic

GITIGNORE_NAME = ".gitignore"
HEADER = "# Local files of loomta-sync; state.json is committed, these are not."


def gitignore_entries(state_name: str = "state.json") -> list[str]:
    """Return the patterns to ignore for the state file named `state_name`."""
    stem = Path(state_name).stem
    return [f"{stem}.lock", f"{stem}.journal*", f".*{TEMPORARY_SUFFIX}"]


def ensure_gitignore(state_dir: Path, state_name: str = "state.json") -> list[str]:
    """Add the missing local-file patterns to `state_dir/.gitignore` and return them.

    Existing lines are kept, so running it again, or on a file a user edited, is safe.
    """
    path = state_dir / GITIGNORE_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise StateError(f"{path}: cannot read the file: {exc}; fix or delete it") from exc

    present = {line.strip() for line in text.splitlines()}
    missing = [entry for entry in gitignore_entries(state_name) if entry not in present]
    if not missing:
        return []

    lines = [] if HEADER in present else [HEADER]
    lines.extend(missing)
    if text and not text.endswith("\n"):
        text += "\n"

    state_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(path, (text + "\n".join(lines) + "\n").encode("utf-8"))
    return missing
