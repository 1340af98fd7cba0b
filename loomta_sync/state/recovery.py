"""Combining state.json with a journal that an interrupted apply left behind.

The journal's records apply on top of the state.json whose serial is their `base_serial`.
Records with an older base serial were folded already if state.json names their journal in
`last_journal_id`. Any other mismatch (another lineage, a newer base serial, an older one
from a journal that state.json does not name) means state.json was replaced or rolled back
while the journal waited. Folding or dropping the events would then lose track of posts, so
it is an error. Targets still in flight afterwards become UNKNOWN, because their process is
gone and no record shows whether the request created them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from loomta_sync.errors import StateError
from loomta_sync.state.fold import apply_event, mark_interrupted
from loomta_sync.state.journal_file import JournalContents, JournalRecord
from loomta_sync.state.model import State

# Maximum number of post keys that an error message lists before "and N more".
MAX_KEYS_LISTED = 5


@dataclass(frozen=True, slots=True)
class Recovered:
    """The state after recovery, and counts of what recovery did."""

    state: State
    applied: int
    discarded: int
    interrupted: int

    @property
    def changed(self) -> bool:
        """Whether the state differs from state.json, so that recovery must write it."""
        return self.applied > 0 or self.interrupted > 0


def recover(
    stored: State | None, contents: JournalContents, state_path: Path, journal_path: Path
) -> Recovered:
    """Fold the journal's pending records into `stored` and mark in-flight targets UNKNOWN.

    `stored` is None when state.json does not exist. Neither argument is changed. Raises
    StateError when the journal does not belong on top of `stored`.
    """
    records = contents.records
    _check_one_journal(records, journal_path)
    base = _base_state(stored, records, state_path, journal_path)

    pending: list[JournalRecord] = []
    discarded = 0
    for record in records:
        if record.base_serial == base.serial:
            pending.append(record)
        elif record.base_serial < base.serial and record.journal_id == base.last_journal_id:
            discarded += 1
        else:
            raise _superseded_error(records, base, state_path, journal_path)

    state = base.model_copy(deep=True)
    for record in pending:
        try:
            apply_event(state, record.event)
        except StateError as exc:
            raise StateError(f"{journal_path}:{record.seq}: {exc}") from exc

    interrupted = mark_interrupted(state)
    return Recovered(
        state=state, applied=len(pending), discarded=discarded, interrupted=interrupted
    )


def _check_one_journal(records: list[JournalRecord], journal_path: Path) -> None:
    if not records:
        return

    first = records[0]
    for record in records[1:]:
        if (record.lineage, record.journal_id) != (first.lineage, first.journal_id):
            raise StateError(
                f"{journal_path}:{record.seq}: record belongs to journal {record.journal_id} "
                f"of lineage {record.lineage}, but line 1 to journal {first.journal_id} of "
                f"lineage {first.lineage}; two journals were concatenated, so split the file "
                "or move it aside"
            )
        if record.base_serial < first.base_serial:
            raise StateError(
                f"{journal_path}:{record.seq}: base serial {record.base_serial} is lower "
                f"than the {first.base_serial} of line 1; the file was edited, so restore it "
                "or move it aside"
            )


def _base_state(
    stored: State | None, records: list[JournalRecord], state_path: Path, journal_path: Path
) -> State:
    if not records:
        return stored if stored is not None else State()

    lineage = records[0].lineage
    if stored is None:
        if records[0].base_serial != 0:
            raise StateError(
                f"{state_path}: file not found, but {journal_path} contains {len(records)} events "
                f"recorded on top of its serial {records[0].base_serial}; restore "
                f"{state_path.name} from git so the journal can be folded"
            )
        return State(lineage=lineage, serial=0)

    if stored.lineage != lineage:
        raise StateError(
            f"{journal_path}: the journal belongs to state lineage {lineage}, but "
            f"{state_path} has lineage {stored.lineage}; restore the state.json that the "
            "journal was written for, so its events are not lost"
        )
    return stored


def _superseded_error(
    records: list[JournalRecord], base: State, state_path: Path, journal_path: Path
) -> StateError:
    keys = sorted({key for record in records for key in _post_keys(record)})
    key_list = ", ".join(keys[:MAX_KEYS_LISTED])
    if len(keys) > MAX_KEYS_LISTED:
        key_list += f" and {len(keys) - MAX_KEYS_LISTED} more"
    base_serial = records[0].base_serial

    if base_serial > base.serial:
        problem = f"is at the older serial {base.serial} (it was rolled back)"
    else:
        problem = (
            f"is at serial {base.serial} and does not contain them (it was replaced, for "
            "example by git pull)"
        )
    return StateError(
        f"{journal_path}: {len(records)} events of an interrupted apply (posts: "
        f"{key_list or 'none'}) apply on top of state serial {base_serial}, but {state_path} "
        f"{problem}. Restore the state.json of serial {base_serial} from git history so that the "
        "next apply or state command folds the journal, then merge the other changes into it"
    )


def _post_keys(record: JournalRecord) -> list[str]:
    event = record.event
    keys = [getattr(event, name, None) for name in ("post_key", "old_key", "new_key")]
    return [key for key in keys if isinstance(key, str)]
