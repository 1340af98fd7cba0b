"""Steps that the resilience tests share: run commands, settle unknowns, finish an apply."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.resilience.resilience_checks import (
    check_complete,
    read_state,
    remote_posts,
    unknown_targets,
    wait_for_pending_requests,
)
from tests.resilience.resilience_processes import CliResult, ForkServer, RunningCli
from tests.resilience.resilience_project import ProjectSpec, write_project
from tests.support.emulator import EmulatorAdmin

# A well-formed key that the emulator accepts; it must never be written anywhere.
CANARY_KEY = "loomta_sk_CANARY_resilience_51c0"
NO_CHANGES = "No changes."


class Cli:
    """Runs `loomta-sync` commands for one test, with outputs kept under its temporary folder."""

    def __init__(self, server: ForkServer, folder: Path, api_url: str) -> None:
        self._server = server
        self._runs = folder / "runs"
        self._runs.mkdir()
        temporary = folder / "tmp"
        temporary.mkdir()
        self._count = 0
        self.env = {
            "LOOMTA_API_URL": api_url,
            "LOOMTA_API_KEY": CANARY_KEY,
            "TMPDIR": str(temporary),
        }

    def start(self, project: Path, *args: str, key: str | None = None) -> RunningCli:
        self._count += 1
        folder = self._runs / f"{self._count:04d}-{args[0]}"
        folder.mkdir()
        env = dict(self.env)
        if key is not None:
            env["LOOMTA_API_KEY"] = key
        return self._server.start(project, ("-v", *args), env, folder)

    def run(self, project: Path, *args: str, key: str | None = None) -> CliResult:
        return self.start(project, *args, key=key).wait()


@dataclass(frozen=True)
class Resolution:
    created: int
    not_created: int


def resolve_unknowns(
    cli: Cli, project: Path, admin: EmulatorAdmin, *, settled: bool = False
) -> Resolution:
    """Settle every unknown target with `state resolve`, deciding from the emulator's records.

    A killed process may have requests still on their way into the emulator, so this first
    waits for them unless the caller did (`settled`). Deciding earlier would resolve a post
    as not created just before it is created, and the next apply would post it twice.
    """
    state = read_state(project)
    if not settled:
        wait_for_pending_requests(admin, state)
    remote = {
        (post.idempotency_key, post.platform_id): post.root_id for post in remote_posts(admin)
    }

    created = not_created = 0
    for key, platform, idempotency_key in unknown_targets(state):
        root_id = remote.get((idempotency_key, platform))
        if root_id is None:
            answer: tuple[str, ...] = ("--not-created",)
            not_created += 1
        else:
            answer = ("--created", root_id)
            created += 1
        result = cli.run(project, "state", "resolve", key, "--platform", platform, *answer)
        assert result.code == 0, result.describe()
    return Resolution(created, not_created)


def finish_apply(cli: Cli, project: Path, admin: EmulatorAdmin, spec: ProjectSpec) -> None:
    """Resolve unknowns, apply what is left, and check that the plan then shows no changes."""
    resolve_unknowns(cli, project, admin)
    plan = cli.run(project, "plan")
    if not plan.stdout.strip().endswith(NO_CHANGES):
        apply = cli.run(project, "apply", "--yes", "--parallelism", "8")
        assert apply.code == 0, apply.describe()
        plan = cli.run(project, "plan")

    assert plan.code == 0, plan.describe()
    assert plan.stdout.strip().endswith(NO_CHANGES), plan.describe()
    check_complete(admin, read_state(project), spec.targets())


def new_project(folder: Path, spec: ProjectSpec, name: str = "project") -> Path:
    return write_project(folder / name, spec)


def forget_state(project: Path) -> None:
    """Delete the state, its journal and its lock, so the next apply starts from nothing."""
    for name in ("state.json", "state.journal", "state.lock"):
        (project / ".loomta" / name).unlink(missing_ok=True)
