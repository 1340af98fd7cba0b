"""The journal file: append-only JSON Lines, one checksummed record per event.

A line is `{"crc32":"<8 hex digits>","record":<JSON>}` followed by a newline, where the CRC-32
covers the exact bytes of `<JSON>`. A record carries the state's `lineage`, the `base_serial`
of the state.json it applies on top of, the random `journal_id` of its file, its 1-based `seq`
in the file, and one event. State.json stores the `journal_id` of the last journal folded into
it, so recovery can tell a journal that was already folded from one that a replaced
state.json lacks.

`JournalWriter.encode` numbers and encodes records, and `JournalWriter.write` writes the bytes
of one or more `encode` calls and fsyncs before it returns, so an event whose write returned
survives a crash. A crash during the write can leave a torn last line: it is detected by the
missing newline or a CRC mismatch and ignored, because its write never returned. A bad line
with valid lines after it cannot come from a crash, so it is an error.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from loomta_sync.errors import StateError
from loomta_sync.state.atomic import fsync_directory, read_regular_file
from loomta_sync.state.events import AnyEvent, Event

logger = logging.getLogger(__name__)

JOURNAL_FORMAT_VERSION = 1

_LINE = re.compile(rb'\{"crc32":"([0-9a-f]{8})","record":(.*)\}')


class JournalRecord(BaseModel):
    """One journal line's content."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format_version: int = JOURNAL_FORMAT_VERSION
    lineage: str
    base_serial: int = Field(ge=0)
    journal_id: str
    seq: int = Field(ge=1)
    event: AnyEvent


@dataclass(frozen=True, slots=True)
class JournalContents:
    """The valid records of a journal file, and whether bytes after them were ignored."""

    records: list[JournalRecord]
    torn_tail: bool

    @property
    def journal_id(self) -> str | None:
        return self.records[0].journal_id if self.records else None


def journal_path_for(state_path: Path) -> Path:
    """Return the journal of a state file: `<dir>/<name>.journal` for `<dir>/<name>.json`."""
    return state_path.with_name(f"{state_path.stem}.journal")


def encode_record(record: JournalRecord) -> bytes:
    """Return the journal line for `record`, newline included."""
    body = json.dumps(
        record.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
    checksum = zlib.crc32(body)
    return b'{"crc32":"%08x","record":%b}\n' % (checksum, body)


def read_journal(path: Path) -> JournalContents:
    """Read the valid records of the journal at `path`, none when the file does not exist.

    Raises StateError for a corrupt line that is not the last, a sequence gap, or a record
    written by a newer loomta-sync.
    """
    try:
        data = read_regular_file(path)
    except FileNotFoundError:
        return JournalContents(records=[], torn_tail=False)
    except OSError as exc:
        raise StateError(
            f"{path}: cannot read the journal ({exc}); it must be a regular file, so remove it "
            "if it is a symlink or anything else"
        ) from exc

    segments = data.split(b"\n")
    # The part after the last newline is a line whose write did not finish.
    complete, tail = segments[:-1], segments[-1]

    records: list[JournalRecord] = []
    for number, line in enumerate(complete, start=1):
        try:
            records.append(_decode_line(path, number, line, expected_seq=len(records) + 1))
        except _CorruptLine as exc:
            if _is_blank(complete[number:]) and _is_blank([tail]):
                logger.debug("%s:%d: ignoring a torn last line: %s", path, number, exc)
                return JournalContents(records=records, torn_tail=True)
            raise StateError(
                f"{path}:{number}: corrupt journal line ({exc}) with valid lines after it; "
                "a crash cannot cause this, so the file was edited or damaged. Restore it or "
                "move it aside, then check the posts of its records in Loomta"
            ) from None

    if tail:
        logger.debug("%s: ignoring a torn last line of %d bytes", path, len(tail))
    return JournalContents(records=records, torn_tail=bool(tail))


class _CorruptLine(Exception):
    pass


def _decode_line(path: Path, number: int, line: bytes, expected_seq: int) -> JournalRecord:
    match = _LINE.fullmatch(line)
    if match is None:
        raise _CorruptLine("not a checksummed journal record")

    body = match.group(2)
    if int(match.group(1), 16) != zlib.crc32(body):
        raise _CorruptLine("CRC-32 mismatch")

    try:
        raw = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _CorruptLine(f"invalid JSON: {exc}") from exc

    version = raw.get("format_version") if isinstance(raw, dict) else None
    if isinstance(version, int) and version > JOURNAL_FORMAT_VERSION:
        raise StateError(
            f"{path}:{number}: journal record format_version {version} was written by a newer "
            f"loomta-sync (this one reads up to {JOURNAL_FORMAT_VERSION}); upgrade loomta-sync"
        )

    try:
        record = JournalRecord.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise StateError(
            f"{path}:{number}: journal record does not match the format at {where}: "
            f"{first['msg']}. Its checksum is valid, so another version of loomta-sync wrote "
            "it; upgrade loomta-sync or move the journal aside"
        ) from None

    if record.seq != expected_seq:
        raise StateError(
            f"{path}:{number}: journal record has sequence number {record.seq}, expected "
            f"{expected_seq}; lines are missing or repeated, so restore the file or move it aside"
        )
    return record


def _is_blank(lines: Sequence[bytes]) -> bool:
    """Return whether `lines` contain only whitespace or the NUL bytes a crash can leave."""
    return all(not line.strip(b" \t\r\x00") for line in lines)


class JournalWriter:
    """Appends records to a journal file that it creates.

    Calls of `encode` must not overlap each other, and neither may calls of `write`. One
    `encode` may run while a `write` of earlier bytes is under way, which is what group commit
    does. `delete` and `close` must not overlap any other call.
    """

    def __init__(self, path: Path, lineage: str) -> None:
        self._path = path
        self._lineage = lineage
        self._fd: int | None = None
        self._journal_id: str | None = None
        self._seq = 0

    @property
    def path(self) -> Path:
        return self._path

    @property
    def journal_id(self) -> str | None:
        """The id of the journal file this writer created, or None before the first append."""
        return self._journal_id

    def append(self, base_serial: int, events: Sequence[Event]) -> None:
        """Append one record per event with a single write, then fsync.

        Raises StateError when the write or fsync fails. After that the file may end in a
        torn line, so the caller must not append again.
        """
        if events:
            self.write(self.encode(base_serial, events))

    def encode(self, base_serial: int, events: Sequence[Event]) -> bytes:
        """Return the lines of one record per event, numbered after every line encoded so far.

        Creates the journal file on the first call. The caller must `write` the bytes of its
        `encode` calls in the order of those calls, because the sequence numbers follow it.
        Raises StateError when the file cannot be created.
        """
        if not events:
            return b""

        journal_id = self._open()[1]
        first_seq = self._seq + 1
        lines = [
            encode_record(
                # Validation checks that `event` is one of the AnyEvent types.
                JournalRecord.model_validate(
                    {
                        "lineage": self._lineage,
                        "base_serial": base_serial,
                        "journal_id": journal_id,
                        "seq": first_seq + offset,
                        "event": event,
                    }
                )
            )
            for offset, event in enumerate(events)
        ]
        self._seq += len(events)
        return b"".join(lines)

    def write(self, data: bytes) -> None:
        """Write `data`, the output of `encode`, at the end of the journal, then fsync.

        Raises StateError when the write or fsync fails. After that the file may end in a
        torn line, so the caller must not write again.
        """
        if not data:
            return
        fd = self._open()[0]

        try:
            view = memoryview(data)
            while view:
                # Linux writes a whole buffer to a regular file unless the disk fills up or a
                # signal interrupts the write, so this loop rarely runs twice.
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        except OSError as exc:
            records = data.count(b"\n")
            raise StateError(
                f"{self._path}: cannot append {records} journal records: {exc}; the apply "
                "stops here and the next run reads the records written so far"
            ) from exc

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def delete(self) -> None:
        """Close and delete the journal; the next `append` starts a new file at seq 1."""
        self.close()
        try:
            self._path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StateError(f"{self._path}: cannot delete the folded journal: {exc}") from exc
        self._journal_id = None
        self._seq = 0

    def _open(self) -> tuple[int, str]:
        if self._fd is not None and self._journal_id is not None:
            return self._fd, self._journal_id

        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
        try:
            self._fd = os.open(self._path, flags, 0o644)
        except FileExistsError:
            raise StateError(
                f"{self._path}: a journal exists that this session did not fold; "
                "another process wrote it without holding the lock"
            ) from None
        except OSError as exc:
            raise StateError(f"{self._path}: cannot create the journal: {exc}") from exc

        # The new directory entry must be durable before the first record counts as durable.
        fsync_directory(self._path.parent)
        self._journal_id = secrets.token_hex(8)
        return self._fd, self._journal_id
