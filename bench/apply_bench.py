"""Benchmark: `apply` against the emulator, and journal bytes per target.

Usage: python bench/apply_bench.py [--posts 1000] [--latency-ms 50] [--parallelism 8]
       [--rounds 3] [--journal-sizes 100,1000,10000]

Wall time: each round starts from an empty state and an empty emulator. It runs
`loomta-sync apply --yes --force -q --parallelism P` as a fresh process on a calendar of POSTS
posts, each with one platform and so one request. The emulator delays every API request by
LATENCY_MS. The result is compared with the ideal, POSTS x LATENCY / P, and with a floor
measured in the same run: POSTS plain `GET /platforms` requests from P threads through one
httpx client. Those pay the same delay and the same HTTP cost, but do no loomta-sync work.

Journal size: for each size N, an apply of N targets runs in this process with no delay, and
the journal's size is read just before the final commit folds it into state.json.

The emulator runs as its own process on 127.0.0.1. The load average is printed before and
after, because the numbers mean little on a machine that is busy with other work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from loomta_sync.applier.applier import Applier, ApplyOptions  # noqa: E402
from loomta_sync.cli.context import AppContext  # noqa: E402
from loomta_sync.cli.planning import build_plan  # noqa: E402
from loomta_sync.client.http import LoomtaClient  # noqa: E402
from loomta_sync.state.journal_file import journal_path_for  # noqa: E402
from loomta_sync.state.store import StateStore  # noqa: E402
from tests.support.emulator import EmulatorProcess, emulator_process  # noqa: E402

API_KEY = "loomta_sk_benchmark_0001"
BRAND = "6f1b2c3d-0000-4000-8000-000000000001"
FIRST_TIME = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)


def write_project(root: Path, posts: int) -> None:
    """Write a calendar of `posts` one-platform posts that share one image."""
    (root / "media").mkdir(parents=True)
    poster = REPO / "examples" / "calendar" / "media" / "launch-poster.jpg"
    (root / "media" / "poster.jpg").write_bytes(poster.read_bytes())
    catalog = REPO / "examples" / "calendar" / ".loomta" / "platforms.json"
    (root / ".loomta").mkdir()
    (root / ".loomta" / "platforms.json").write_bytes(catalog.read_bytes())
    (root / "loomta.yaml").write_text(
        f"timezone: UTC\nplatforms:\n  brand: {BRAND}\nlimits:\n  max_posts: {posts}\n",
        encoding="utf-8",
    )

    folder = root / "calendar"
    folder.mkdir()
    for number in range(posts):
        when = FIRST_TIME + timedelta(minutes=10 * number)
        text = (
            "platforms: [brand]\n"
            f'content: "Benchmark post {number:05d} of {posts}."\n'
            f'scheduledFor: "{when.strftime("%Y-%m-%dT%H:%M:%SZ")}"\n'
            "media: [media/poster.jpg]\n"
            "settings: {privacy_level: PUBLIC_TO_EVERYONE}\n"
        )
        # Fixed-width names, so every post key has the same length at every size.
        (folder / f"post-{number:05d}.yaml").write_text(text, encoding="utf-8")


def forget_state(root: Path) -> None:
    for name in ("state.json", "state.journal", "state.lock"):
        (root / ".loomta" / name).unlink(missing_ok=True)


def run_cli(root: Path, emulator: EmulatorProcess, *args: str) -> float:
    """Run `loomta-sync -C ROOT ARGS...` as a fresh process and return its wall time."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LOOMTA")}
    environment.update({"LOOMTA_API_URL": emulator.base_url, "LOOMTA_API_KEY": API_KEY})
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "loomta_sync", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"loomta-sync {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def measure_floor(emulator: EmulatorProcess, requests: int, parallelism: int) -> float:
    """Time `requests` GET /platforms calls from `parallelism` threads sharing one client."""
    limits = httpx.Limits(max_connections=parallelism, max_keepalive_connections=parallelism)
    headers = {"Authorization": f"Bearer {API_KEY}"}
    counter = iter(range(requests))
    lock = threading.Lock()

    with httpx.Client(base_url=emulator.base_url, limits=limits, headers=headers) as client:

        def worker() -> None:
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                client.get("/platforms").raise_for_status()

        threads = [threading.Thread(target=worker) for _ in range(parallelism)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started


def measure_wall_time(arguments: argparse.Namespace, folder: Path) -> dict[str, object]:
    root = folder / f"wall-{arguments.posts}"
    write_project(root, arguments.posts)
    ideal = arguments.posts * arguments.latency_ms / 1000 / arguments.parallelism

    with emulator_process("--latency-ms", str(arguments.latency_ms)) as emulator:
        plan_seconds = run_cli(root, emulator, "-q", "plan")
        floors, walls = [], []
        for _ in range(arguments.rounds):
            emulator.admin.reset()
            forget_state(root)
            floors.append(measure_floor(emulator, arguments.posts, arguments.parallelism))
            emulator.admin.reset()
            parallelism = str(arguments.parallelism)
            walls.append(
                run_cli(
                    root, emulator, "-q", "apply", "--yes", "--force", "--parallelism", parallelism
                )
            )
            created = emulator.admin.counters()["groups"]
            if created != arguments.posts:
                raise SystemExit(f"the apply created {created} posts, expected {arguments.posts}")

    wall, floor = statistics.median(walls), statistics.median(floors)
    return {
        "posts": arguments.posts,
        "latency_ms": arguments.latency_ms,
        "parallelism": arguments.parallelism,
        "rounds": arguments.rounds,
        "apply_seconds": [round(value, 2) for value in walls],
        "apply_median_seconds": round(wall, 2),
        "ideal_seconds": round(ideal, 2),
        "ratio_to_ideal": round(wall / ideal, 2),
        "floor_seconds": [round(value, 2) for value in floors],
        "floor_median_seconds": round(floor, 2),
        "ratio_to_floor": round(wall / floor, 2),
        "plan_process_seconds": round(plan_seconds, 2),
    }


def measure_journal(size: int, folder: Path) -> dict[str, object]:
    """Apply `size` targets in this process and return the journal's size before the commit."""
    root = folder / f"journal-{size}"
    write_project(root, size)
    app = AppContext(directory=root)
    store = StateStore(root / ".loomta" / "state.json")

    with emulator_process() as emulator, store.lock("benchmark", 0) as session:
        plan, _result = build_plan(app, session.state)
        client = LoomtaClient(emulator.base_url, API_KEY, max_connections=8)
        started = time.perf_counter()
        with client:
            report = Applier(root, client, session, ApplyOptions(parallelism=8)).run(plan)
        elapsed = time.perf_counter() - started
        journal = journal_path_for(store.state_path)
        journal_bytes = journal.stat().st_size
        records = journal.read_bytes().count(b"\n")
        writes = session.journal_writes
        session.commit()

    created = sum(1 for result in report.results if result.outcome.value == "created")
    if created != size:
        raise SystemExit(f"the apply created {created} targets, expected {size}")
    return {
        "targets": size,
        "journal_bytes": journal_bytes,
        "bytes_per_target": round(journal_bytes / size, 1),
        "records": records,
        "journal_writes": writes,
        "apply_seconds": round(elapsed, 2),
        "state_json_bytes": store.state_path.stat().st_size,
    }


def describe_machine() -> dict[str, object]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--parallelism", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--journal-sizes", default="100,1000,10000")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.journal_sizes.split(",") if size]

    result: dict[str, object] = {"machine_before": describe_machine()}
    with tempfile.TemporaryDirectory(prefix="loomta-apply-bench-") as folder:
        result["wall_time"] = measure_wall_time(arguments, Path(folder))
        result["journal"] = [measure_journal(size, Path(folder)) for size in sizes]
    result["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
