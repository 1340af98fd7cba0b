"""Writing output files atomically, so a failed run never leaves half a file."""

from __future__ import annotations

from pathlib import Path

from loomta_sync.state.atomic import write_atomic


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
