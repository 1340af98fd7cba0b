"""Generated projects for the resilience tests: many small posts, dates in 2030, one media file.

Every post's content starts with `[KEY]`, so a post group found in the emulator names the post
key it was made for even when the state lost track of it.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "calendar"

BRAND = "6f1b2c3d-0000-4000-8000-000000000001"
DEV = "6f1b2c3d-0000-4000-8000-000000000002"
# Refresh-needed in the emulator, so every create on it fails with platform_not_found.
EVENTS = "6f1b2c3d-0000-4000-8000-000000000004"
ALIASES = {"brand": BRAND, "dev": DEV, "events": EVENTS}

FIRST_TIME = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
KEY_IN_CONTENT = re.compile(r"\[([^\]]+)\]")


@dataclass(frozen=True)
class ProjectSpec:
    """The calendar to generate. `platforms_of` returns the aliases of the post at an index."""

    posts: int
    two_platforms_every: int = 4
    comment_every: int = 9
    now_posts: int = 0
    events_posts: tuple[int, ...] = ()
    max_creates: int = 100_000
    allow_now: bool = False

    def platforms_of(self, index: int) -> list[str]:
        if index in self.events_posts:
            return ["brand", "events"] if index % 2 == 0 else ["events"]
        if self.two_platforms_every and index % self.two_platforms_every == 0:
            return ["brand", "dev"]
        return ["brand"]

    def targets(self) -> dict[tuple[str, str], int]:
        """Return (post key, platform id) → post index for every target of the calendar."""
        found = {}
        for index in range(self.posts):
            for alias in self.platforms_of(index):
                found[(post_key(index), ALIASES[alias])] = index
        return found


def post_key(index: int) -> str:
    return f"posts/post-{index:05d}"


def key_of_content(content: str) -> str | None:
    match = KEY_IN_CONTENT.match(content)
    return match.group(1) if match else None


def write_project(root: Path, spec: ProjectSpec) -> Path:
    """Create the project at `root`: loomta.yaml, the catalog, one media file and the posts."""
    (root / "media").mkdir(parents=True)
    shutil.copyfile(EXAMPLE / "media" / "launch-poster.jpg", root / "media" / "poster.jpg")
    _write_catalog(root)
    _write_config(root, spec)
    write_posts(root, spec, range(spec.posts))
    return root


def write_posts(root: Path, spec: ProjectSpec, indexes: range) -> None:
    folder = root / "calendar" / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    for index in indexes:
        (folder / f"post-{index:05d}.yaml").write_text(_post_yaml(spec, index), encoding="utf-8")


def _post_yaml(spec: ProjectSpec, index: int) -> str:
    platforms = ", ".join(spec.platforms_of(index))
    lines = [
        f"platforms: [{platforms}]",
        f'content: "[{post_key(index)}] Resilience post {index}, one of {spec.posts}."',
    ]
    if index < spec.now_posts:
        lines.append("mode: now")
    else:
        when = FIRST_TIME + timedelta(hours=index)
        lines.append(f'scheduledFor: "{when.strftime("%Y-%m-%dT%H:%M:%SZ")}"')
    lines += ["media: [media/poster.jpg]", "settings: {privacy_level: PUBLIC_TO_EVERYONE}"]
    if spec.comment_every and index % spec.comment_every == 1:
        lines += ["comments:", "  - content: A follow-up comment.", "    delayInMinutes: 5"]
    return "\n".join(lines) + "\n"


def _write_config(root: Path, spec: ProjectSpec) -> None:
    aliases = "\n".join(f"  {alias}: {platform}" for alias, platform in ALIASES.items())
    text = (
        "timezone: UTC\n"
        "api_url: http://127.0.0.1:9/public/v1\n"
        f"platforms:\n{aliases}\n"
        "safety:\n"
        f"  max_creates_per_apply: {spec.max_creates}\n"
        f"  allow_now: {'true' if spec.allow_now else 'false'}\n"
    )
    (root / "loomta.yaml").write_text(text, encoding="utf-8")


def _write_catalog(root: Path) -> None:
    """Copy the example's catalog, with the events account shown as healthy.

    That is a catalog pulled before the account needed a refresh, so validation passes and
    only the API reports platform_not_found.
    """
    catalog = json.loads((EXAMPLE / ".loomta" / "platforms.json").read_text(encoding="utf-8"))
    for entry in catalog["platforms"]:
        if entry["platform"]["id"] == EVENTS:
            entry["platform"]["refreshNeeded"] = False
    target = root / ".loomta" / "platforms.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(catalog, indent=2, sort_keys=True), encoding="utf-8")
