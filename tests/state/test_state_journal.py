"""The journal file: checksummed lines, torn tails, corrupt lines and constant record size."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from loomta_sync.errors import StateError
from loomta_sync.state.fold import fold, interrupt_in_flight
from loomta_sync.state.journal_file import (
    JOURNAL_FORMAT_VERSION,
    JournalWriter,
    journal_path_for,
    read_journal,
)
from loomta_sync.state.store import StateStore
from tests.state.state_builders import (
    created,
    flatten,
    in_flight,
    leave_journal,
    scripted_steps,
    write_initial_state,
)


def test_journal_lines_are_json_with_crc(state_path: Path) -> None:
    left = leave_journal(state_path, 3)

    lines = left.data.decode("utf-8").splitlines()
    assert len(lines) == 3
    for number, line in enumerate(lines, start=1):
        parsed = json.loads(line)
        assert len(parsed["crc32"]) == 8
        assert parsed["record"]["seq"] == number
        assert parsed["record"]["base_serial"] == 1
        assert parsed["record"]["format_version"] == JOURNAL_FORMAT_VERSION


def test_journal_read_returns_every_record(state_path: Path) -> None:
    left = leave_journal(state_path, 12)

    contents = read_journal(left.path)

    assert [record.event for record in contents.records] == left.events
    assert not contents.torn_tail
    assert StateStore(state_path).read() == left.state_after(12)


def test_journal_fold_equals_session_state(state_path: Path) -> None:
    write_initial_state(state_path)
    store = StateStore(state_path)
    initial = store.read()

    with store.lock("test", 0) as session:
        for events in scripted_steps(40):
            session.record(*events)
        in_memory = session.snapshot()
        from_disk = store.read()

    assert from_disk.posts == interrupt_in_flight(in_memory).posts
    assert from_disk.media == in_memory.media
    assert from_disk == interrupt_in_flight(fold(initial, flatten(scripted_steps(40))))


def test_journal_torn_last_line_ignored(state_path: Path) -> None:
    left = leave_journal(state_path, 4)
    last_start = left.data.rstrip(b"\n").rfind(b"\n") + 1
    expected = left.state_after(3)

    cuts = range(last_start, len(left.data))
    for cut in cuts:
        left.path.write_bytes(left.data[:cut])

        contents = read_journal(left.path)
        assert len(contents.records) == 3, f"cut at byte {cut}"
        assert contents.torn_tail == (cut > last_start), f"cut at byte {cut}"
        if cut in (cuts[0], cuts[len(cuts) // 2], cuts[-1]):
            assert StateStore(state_path).read() == expected, f"cut at byte {cut}"


def test_journal_crc_mismatch_in_last_line_ignored(state_path: Path) -> None:
    left = leave_journal(state_path, 3)
    position = len(left.data) - 10
    damaged = bytearray(left.data)
    damaged[position] ^= 0x01

    left.path.write_bytes(bytes(damaged))
    contents = read_journal(left.path)

    assert len(contents.records) == 2
    assert contents.torn_tail
    assert StateStore(state_path).read() == left.state_after(2)


def test_journal_nul_tail_ignored(state_path: Path) -> None:
    left = leave_journal(state_path, 3)

    left.path.write_bytes(left.data + b"\x00" * 4096)
    contents = read_journal(left.path)

    assert len(contents.records) == 3
    assert StateStore(state_path).read() == left.state_after(3)


def test_journal_torn_middle_line_rejected(state_path: Path) -> None:
    left = leave_journal(state_path, 4)
    lines = left.data.split(b"\n")
    lines[1] = lines[1][: len(lines[1]) // 2]

    left.path.write_bytes(b"\n".join(lines))

    with pytest.raises(StateError, match=r"state\.journal:2: corrupt journal line") as raised:
        StateStore(state_path).read()
    assert "valid lines after it" in str(raised.value)


def test_journal_missing_line_rejected(state_path: Path) -> None:
    left = leave_journal(state_path, 4)
    lines = left.data.split(b"\n")
    del lines[1]

    left.path.write_bytes(b"\n".join(lines))

    with pytest.raises(StateError, match=r"state\.journal:2: .*sequence number 3, expected 2"):
        read_journal(left.path)


def test_journal_newer_format_rejected(tmp_path: Path) -> None:
    journal = tmp_path / "state.journal"
    writer = JournalWriter(journal, "lineage-1")
    writer.append(0, [in_flight("post-a")])
    writer.close()
    record = json.loads(journal.read_text())["record"]
    record["format_version"] = JOURNAL_FORMAT_VERSION + 1
    body = json.dumps(record, sort_keys=True, separators=(",", ":")).encode()
    journal.write_bytes(b'{"crc32":"%08x","record":%b}\n' % (zlib.crc32(body), body))

    with pytest.raises(StateError, match="written by a newer loomta-sync") as raised:
        read_journal(journal)
    assert "upgrade" in str(raised.value)


def test_journal_bytes_per_record_constant(tmp_path: Path) -> None:
    # Each call records 50 events with one fsync. Batching changes no byte of the file.
    sizes = {}
    for count in (100, 10_000):
        state_path = tmp_path / str(count) / "state.json"
        with StateStore(state_path).lock("test", 0) as session:
            for batch in range(count // 50):
                keys = [f"post-{batch:04d}-{index:02d}" for index in range(25)]
                session.record(*[event for key in keys for event in (in_flight(key), created(key))])
            sizes[count] = journal_path_for(state_path).stat().st_size

    ratio = sizes[10_000] / sizes[100]
    assert 97 <= ratio <= 103, f"{sizes}: 10,000 records take {ratio:.1f} times 100 records"
