"""One symbol per change kind, shared by the text and Markdown renderers."""

from __future__ import annotations

from loomta_sync.planner.model import ChangeKind

SYMBOLS: dict[ChangeKind, str] = {
    ChangeKind.CREATE: "+",
    ChangeKind.RETRY: "^",
    ChangeKind.RESCHEDULE: "~",
    ChangeKind.CONFLICT: "!",
    ChangeKind.UNKNOWN: "?",
    ChangeKind.MOVED: ">",
    ChangeKind.ORPHAN: "-",
    ChangeKind.EXPIRED: "x",
    ChangeKind.UNCHANGED: "=",
}
