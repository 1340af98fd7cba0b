"""Compare load_yaml with yaml.load(CSafeLoader) on generated post files.

Run: python -m tests.yaml.bench_yaml_loader [FILE_COUNT]
Prints the best of five runs of each and their ratio. Not collected by pytest.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from loomta_sync.calendar.yaml_loader import load_yaml
from loomta_sync.config import InputLimits

POST_TEMPLATE = """\
# yaml-language-server: $schema=../schemas/post.json
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


def write_posts(folder: Path, count: int) -> list[Path]:
    files = []
    for number in range(count):
        path = folder / f"post-{number}.yaml"
        path.write_text(POST_TEMPLATE.format(number=number, minute=number % 60), encoding="utf-8")
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
    limits = InputLimits()
    with tempfile.TemporaryDirectory() as folder:
        files = write_posts(Path(folder), count)

        def with_pyyaml() -> None:
            for path in files:
                with open(path, "rb") as stream:
                    yaml.load(stream.read(), Loader=yaml.CSafeLoader)

        def with_loader() -> None:
            for path in files:
                load_yaml(path, path.name, limits)

        baseline = best_time(with_pyyaml)
        ours = best_time(with_loader)
    print(f"files: {count}")
    print(f"yaml.load(CSafeLoader): {baseline:.3f} s")
    print(f"load_yaml:              {ours:.3f} s")
    print(f"ratio:                  {ours / baseline:.2f}")


if __name__ == "__main__":
    main()
