"""`loomta-sync init`: scaffold a project that validates and plans at once."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from loomta_sync.catalog.model import Catalog, CatalogEntry
from loomta_sync.catalog.store import save_catalog
from loomta_sync.config import CONFIG_FILE_NAME
from loomta_sync.emulator.seeds import SEED_PLATFORMS
from loomta_sync.errors import LoomtaSyncError
from loomta_sync.state.gitignore import ensure_gitignore

CONFIG_TEMPLATE = """\
# loomta-sync project settings.
# The platform ids below are the TikTok accounts of the bundled emulator; after connecting
# your own accounts, run `loomta-sync platforms pull` and put their ids here.
timezone: {timezone}
api_url: http://127.0.0.1:8765/public/v1
platforms:
  brand: 6f1b2c3d-0000-4000-8000-000000000001
  dev: 6f1b2c3d-0000-4000-8000-000000000002
safety:
  max_creates_per_apply: 50
  allow_now: false
"""

POST_TEMPLATE = """\
# One post per file; the key of this post is its path under calendar/: "welcome".
platforms: [brand]
content: Hello from loomta-sync! This post was scheduled from a YAML file in git.
scheduledFor: {when}
media:
  - media/welcome.jpg
settings:
  privacy_level: PUBLIC_TO_EVERYONE
"""


@click.command("init")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--timezone", default="UTC", show_default=True, help="Default IANA time zone.")
@click.pass_context
def init_command(ctx: click.Context, directory: Path | None, timezone: str) -> int:
    """Create loomta.yaml, a first post, its media and the catalog in DIRECTORY."""
    root = directory or ctx.obj.directory
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise LoomtaSyncError(
            f"unknown time zone {timezone!r}; use an IANA name such as Europe/Berlin"
        ) from exc
    if (root / CONFIG_FILE_NAME).exists():
        raise LoomtaSyncError(f"{root / CONFIG_FILE_NAME} already exists; nothing was changed")

    local = datetime.now(zone).replace(hour=10, minute=0, second=0, microsecond=0)
    when = (local + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    _write(root / CONFIG_FILE_NAME, CONFIG_TEMPLATE.format(timezone=timezone))
    _write(root / "calendar" / "welcome.yaml", POST_TEMPLATE.format(when=when))
    image = resources.files("loomta_sync.scaffold").joinpath("welcome.jpg").read_bytes()
    (root / "media").mkdir(parents=True, exist_ok=True)
    (root / "media" / "welcome.jpg").write_bytes(image)
    save_catalog(root / ".loomta" / "platforms.json", seed_catalog())
    ensure_gitignore(root / ".loomta")

    click.echo(f"Created a loomta-sync project in {root}. Next: loomta-sync -C {root} plan")
    return 0


def seed_catalog() -> Catalog:
    """Return the emulator's seeded platforms as a catalog, as `platforms pull` would store it."""
    entries = [
        CatalogEntry.model_validate({"platform": seeded.platform, "schema": seeded.schema})
        for seeded in SEED_PLATFORMS
    ]
    return Catalog(platforms=entries)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
