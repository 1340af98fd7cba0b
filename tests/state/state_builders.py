"""Events and states with fixed times, shared by the state tests and their child processes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loomta_sync.calendar.model import Mode
from loomta_sync.state import journal
from loomta_sync.state.events import Created, Event, Failed, InFlight
from loomta_sync.state.fold import fold, interrupt_in_flight
from loomta_sync.state.journal_file import journal_path_for
from loomta_sync.state.model import MediaRecord, State
from loomta_sync.state.store import StateStore

T0 = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
WHEN = datetime(2030, 3, 10, 9, 0, tzinfo=UTC)
BRAND = "6f1b2c3d-0000-4000-8000-000000000001"
DEV = "6f1b2c3d-0000-4000-8000-000000000002"
SHA = "a" * 64


def at(step: int) -> datetime:
    return T0 + timedelta(seconds=step)


def media_record(step: int = 0) -> MediaRecord:
    return MediaRecord(
        media_id=f"media-{step}", mime_type="image/jpeg", size=1234, uploaded_at=at(step)
    )


def in_flight(key: str, *platforms: str, step: int = 0) -> InFlight:
    return journal.in_flight(
        key,
        list(platforms or (BRAND,)),
        f"lsync-{key}-{step}",
        "d" * 64,
        WHEN,
        Mode.SCHEDULE,
        f"calendar/{key}.yaml",
        field_digests={"content": "c" * 64},
        at=at(step),
    )


def created(key: str, platform: str = BRAND, step: int = 1) -> Created:
    return journal.created(
        key, platform, f"root-{key}", [f"child-{key}"], "QUEUE", None, at=at(step)
    )


def failed(key: str, platform: str = BRAND, step: int = 1) -> Failed:
    return journal.failed(
        key, platform, "invalid_request", "privacy_level is not allowed", at=at(step)
    )


def scripted_steps(count: int) -> list[tuple[Event, ...]]:
    """Return `count` groups of events, each group one `record` call, that apply in order.

    Every fifth post is left in flight, so a reader sees some targets become unknown.
    """
    steps: list[tuple[Event, ...]] = []
    post = 0
    while len(steps) < count:
        key = f"post-{post:05d}"
        step = len(steps)
        if post % 4 == 0:
            steps.append((journal.media_uploaded(f"{post:064x}", media_record(step), at=at(step)),))
        steps.append((in_flight(key, BRAND, DEV, step=step),))
        if post % 5 != 4:
            steps.append((created(key, BRAND, step=step + 1),))
            steps.append((failed(key, DEV, step=step + 2),))
        post += 1
    return steps[:count]


def flatten(steps: list[tuple[Event, ...]]) -> list[Event]:
    return [event for group in steps for event in group]


def write_initial_state(state_path: Path) -> State:
    """Create state.json at serial 1 with one media record, and return it."""
    with StateStore(state_path).lock("setup", 0) as session:
        session.record(journal.media_uploaded(SHA, media_record(), at=T0))
        return session.commit().model_copy(deep=True)


@dataclass(frozen=True)
class LeftJournal:
    path: Path
    data: bytes
    initial: State
    events: list[Event]

    def state_after(self, count: int) -> State:
        """Return what `read()` must show when the first `count` events are in the journal."""
        return interrupt_in_flight(fold(self.initial, self.events[:count]))


def leave_journal(state_path: Path, count: int) -> LeftJournal:
    """Record `count` steps, then put back state.json and the journal as a crash leaves them."""
    initial = write_initial_state(state_path)
    before = state_path.read_bytes()
    steps = scripted_steps(count)
    with StateStore(state_path).lock("test", 0) as session:
        for events in steps:
            session.record(*events)
        journal = journal_path_for(state_path)
        data = journal.read_bytes()

    state_path.write_bytes(before)
    journal.write_bytes(data)
    return LeftJournal(journal, data, initial, flatten(steps))
