"""Compare load_calendar with plain yaml.load(CSafeLoader) on generated post files.

Run: python -m tests.calendar.bench_calendar_load [FILE_COUNT]
Prints the best of five runs of each, their ratio and a per-step profile of one load.
Not collected by pytest. Each post names its own media file, so hashing is part of the cost.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import yaml

from loomta_sync.calendar.load import load_calendar
from loomta_sync.catalog.store import load_catalog
from loomta_sync.config_loader import load_project
from tests.calendar.calendar_scenarios import SCENARIOS

NOW = datetime(2030, 1, 1, tzinfo=UTC)

CONFIG = """\
timezone: Europe/Berlin
platforms:
  brand: 6f1b2c3d-0000-4000-8000-000000000001
  dev: 6f1b2c3d-0000-4000-8000-000000000002
"""

POST_TEMPLATE = """\
# yaml-language-server: $schema=../schemas/post.schema.json
id: post-{number}
platforms: [brand, dev]
content: |
  Post number {number} of the launch series.
  Two lines, with a link: https://example.com/launch/{number}
mode: schedule
scheduledFor: 2030-03-29T09:{minute:02d}
timezone: Europe/Berlin
media:
  - media/teaser-{number}.mp4
settings: {{privacy_level: PUBLIC_TO_EVERYONE, disable_comment: false}}
comments:
  - content: Link in bio.
    delayInMinutes: 5
overrides:
  dev: {{content: "Developers: post {number}."}}
"""

MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 1000


def write_project(root: Path, count: int) -> list[Path]:
    (root / "calendar").mkdir(parents=True)
    (root / "media").mkdir()
    (root / ".loomta").mkdir()
    (root / "loomta.yaml").write_text(CONFIG, encoding="utf-8")
    catalog = (SCENARIOS / "valid" / ".loomta" / "platforms.json").read_bytes()
    (root / ".loomta" / "platforms.json").write_bytes(catalog)

    files = []
    for number in range(count):
        path = root / "calendar" / f"post-{number}.yaml"
        text = POST_TEMPLATE.format(number=number, minute=number % 60)
        path.write_text(text, encoding="utf-8")
        (root / "media" / f"teaser-{number}.mp4").write_bytes(MP4 + number.to_bytes(4, "big"))
        files.append(path)
    return files


def best_time(function: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = write_project(root, count)
        project = load_project(root)
        catalog = load_catalog(project.catalog_path)

        def with_pyyaml() -> None:
            for path in files:
                with open(path, "rb") as stream:
                    yaml.load(stream.read(), Loader=yaml.CSafeLoader)

        def with_calendar() -> None:
            result = load_calendar(project, catalog, None, NOW)
            assert len(result.calendar.posts) == count

        baseline = best_time(with_pyyaml)
        ours = best_time(with_calendar)
        profile = cProfile.Profile()
        profile.runcall(with_calendar)

    print(f"files: {count}")
    print(f"yaml.load(CSafeLoader): {baseline:.3f} s")
    print(f"load_calendar:          {ours:.3f} s")
    print(f"ratio:                  {ours / baseline:.2f}")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
