"""Benchmark: `plan` over a generated calendar against parsing the same files with CSafeLoader.

Usage: python bench/plan_bench.py [--posts 10000] [--rounds 3]

Each measurement runs in a fresh child process so that file caches are warm for both and
neither inherits the other's memory. The baseline reads and parses every calendar file with
`yaml.load(..., Loader=yaml.CSafeLoader)` and nothing else. The plan measurement runs the whole
`loomta-sync plan` pipeline in process: load the config, the catalog and the state, load and
validate the calendar (including hashing media), make the plan and render it as text. Peak
memory is the child's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_MEDIA = REPO / "examples" / "calendar" / "media"
sys.path.insert(0, str(REPO))

BASELINE_CHILD = """
import resource, sys, time, yaml
from pathlib import Path
files = sorted(Path(sys.argv[1]).rglob("*.yaml"))
start = time.perf_counter()
for file in files:
    yaml.load(file.read_bytes(), Loader=yaml.CSafeLoader)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

PLAN_CHILD = """
import resource, sys, time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from loomta_sync.calendar.load import load_calendar
from loomta_sync.catalog.store import load_catalog
from loomta_sync.config_loader import load_project
from loomta_sync.planner.planner import make_plan
from loomta_sync.render.text import render_plan_text
from loomta_sync.state.store import StateStore
start = time.perf_counter()
project = load_project(Path(sys.argv[1]))
catalog = load_catalog(project.catalog_path)
state = StateStore(project.state_path).read()
now = datetime(2026, 12, 1, tzinfo=UTC)
result = load_calendar(project, catalog, state, now)
plan = make_plan(result.calendar, state, now, timedelta(minutes=5))
text = render_plan_text(plan)
elapsed = time.perf_counter() - start
assert len(plan.changes) >= len(result.calendar.posts), "plan is missing targets"
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

POST_TEMPLATE = """\
platforms: [{platforms}]
content: |
  Post number {number} of the generated benchmark calendar. #loomta #benchmark
  A second line of text so the content looks like a real caption. 🚀
scheduledFor: 2030-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}
media:
  - media/{media}
settings:
  privacy_level: PUBLIC_TO_EVERYONE
comments:
  - content: Follow-up comment for post {number}.
    delayInMinutes: 10
"""

CONFIG = """\
timezone: Europe/Berlin
platforms:
  brand: 6f1b2c3d-0000-4000-8000-000000000001
  dev: 6f1b2c3d-0000-4000-8000-000000000002
limits:
  max_posts: 100000
"""


def generate_project(root: Path, posts: int) -> None:
    from loomta_sync.catalog.store import save_catalog
    from loomta_sync.cli.cmd_init import seed_catalog

    (root / "loomta.yaml").write_text(CONFIG, encoding="utf-8")
    shutil.copytree(EXAMPLE_MEDIA, root / "media")
    save_catalog(root / ".loomta" / "platforms.json", seed_catalog())
    media = ["launch-poster.jpg", "team-photo.jpg", "teaser.mp4", "tips-1.webp"]
    for number in range(posts):
        folder = root / "calendar" / f"week-{number // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        text = POST_TEMPLATE.format(
            platforms="brand, dev" if number % 3 == 0 else "brand",
            number=number,
            month=1 + number % 12,
            day=1 + number % 28,
            hour=8 + number % 10,
            minute=(number * 7) % 60,
            media=media[number % len(media)],
        )
        (folder / f"post-{number:05d}.yaml").write_text(text, encoding="utf-8")


def measure(code: str, argument: Path) -> tuple[float, int]:
    output = subprocess.run(
        [sys.executable, "-c", code, str(argument)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout.split()
    return float(output[0]), int(output[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="loomta-bench-") as folder:
        root = Path(folder)
        generate_project(root, arguments.posts)
        measure(BASELINE_CHILD, root / "calendar")  # warm the file cache once

        baselines, plans, memories = [], [], []
        for _ in range(arguments.rounds):
            baseline, _memory = measure(BASELINE_CHILD, root / "calendar")
            elapsed, memory = measure(PLAN_CHILD, root)
            baselines.append(baseline)
            plans.append(elapsed)
            memories.append(memory)

    baseline = statistics.median(baselines)
    elapsed = statistics.median(plans)
    result = {
        "posts": arguments.posts,
        "rounds": arguments.rounds,
        "csafeloader_seconds": round(baseline, 3),
        "plan_seconds": round(elapsed, 3),
        "ratio": round(elapsed / baseline, 2),
        "peak_rss_mb": round(max(memories) / 1024, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
