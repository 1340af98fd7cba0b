"""Building throwaway projects for hostile cases, and proving that nothing in them changed.

A case starts from one of the fixture projects under tests/fixtures/hostile, copied to a
temporary directory, so a test may add symlinks, FIFOs and sockets that git cannot hold.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from datetime import UTC, datetime
from pathlib import Path

from loomta_sync.calendar.model import Mode
from loomta_sync.state.model import PostRecord, State, TargetRecord, TargetStatus
from loomta_sync.state.state_file import write_state

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HOSTILE = FIXTURES / "hostile"

# Both fixture projects map `brand` and (in the text project) `dev` to the catalog's two TikTok
# accounts, and hold a 41-byte JPEG at media/cover.jpg.
TEXT_PROJECT = HOSTILE / "text"
PATHS_PROJECT = HOSTILE / "paths"

BRAND = "6f1b2c3d-0000-4000-8000-000000000001"
DEVELOPERS = "6f1b2c3d-0000-4000-8000-000000000002"

# A post that is valid in every base project. If a hostile file next to it were accepted, apply
# would send this post, so an empty request log shows that validation stopped the run.
VALID_POST = """\
platforms: [brand]
mode: draft
content: A valid post that must never be sent.
media: [media/cover.jpg]
settings: {privacy_level: PUBLIC_TO_EVERYONE}
"""

_POST_START = re.compile(r"- id: (\S+)$")


def copy_project(source: Path, destination: Path) -> Path:
    """Copy a fixture project into `destination`/project and return the copy's root."""
    root = destination / "project"
    shutil.copytree(source, root, symlinks=True)
    return root


def base_project(destination: Path, source: Path = TEXT_PROJECT) -> Path:
    """Copy a fixture project, replace its calendar with one valid post, and seed a state."""
    root = copy_project(source, destination)
    calendar = root / "calendar"
    shutil.rmtree(calendar)
    calendar.mkdir()
    (calendar / "valid.yaml").write_text(VALID_POST, encoding="utf-8")
    seed_state(root)
    return root


def seed_state(root: Path) -> None:
    """Write a state.json with one created target, as an earlier apply would have left it."""
    at = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    record = TargetRecord(
        status=TargetStatus.CREATED,
        idempotency_key="earlier-apply-0001",
        body_digest="0" * 64,
        mode=Mode.DRAFT,
        root_post_id="9a0b7c6d-0000-4000-8000-00000000abcd",
        remote_state="DRAFT",
        first_attempt_at=at,
        updated_at=at,
    )
    state = State(posts={"earlier-post": PostRecord(source=None, targets={BRAND: record})})
    write_state(root / ".loomta" / "state.json", state)


def keep_one_post(text: str, post_id: str) -> str:
    """Blank every post of a list file except `post_id`, keeping each line where it was.

    Lines before the first post (comments) stay, so line and column numbers of the kept post
    match those of the whole fixture file.
    """
    lines = text.splitlines(keepends=True)
    current: str | None = None
    found = False
    output_lines: list[str] = []
    for line in lines:
        match = _POST_START.match(line)
        if match is not None:
            current = match.group(1)
            found = found or current == post_id
        keep = current is None or current == post_id
        output_lines.append(line if keep else "\n")
    if not found:
        raise ValueError(f"no post with id {post_id!r} in the fixture")
    return "".join(output_lines)


def post_ids(text: str) -> list[str]:
    """Return the ids of the posts of a list file, in file order."""
    return [match.group(1) for line in text.splitlines() if (match := _POST_START.match(line))]


def snapshot(root: Path) -> dict[str, tuple[str, bytes]]:
    """Return every entry under `root`: its kind and its bytes or symlink target.

    Special files (FIFOs, sockets) are recorded by kind only and never opened.
    """
    entries: dict[str, tuple[str, bytes]] = {}
    for directory, names, files in os.walk(root, followlinks=False):
        for name in [*names, *files]:
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, root)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                entries[relative] = ("symlink", os.fsencode(os.readlink(path)))
            elif stat.S_ISREG(mode):
                entries[relative] = ("file", Path(path).read_bytes())
            elif stat.S_ISDIR(mode):
                entries[relative] = ("directory", b"")
            else:
                entries[relative] = ("special", oct(stat.S_IFMT(mode)).encode())
    return entries
