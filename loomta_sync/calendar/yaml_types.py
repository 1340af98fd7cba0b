"""Value types produced by the YAML loader: positions, ambiguous scalars and the loaded document.

`loomta_sync.calendar.yaml_loader` re-exports every name here; import them from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

YamlPath = tuple[str | int, ...]
"""Keys and list indexes from the document root to a node; `()` is the root."""

YAML11_TYPE_NAMES = {
    "bool": "a boolean",
    "timestamp": "a timestamp",
    "int": "an integer",
    "float": "a float",
}
"""The noun for each `AmbiguousScalar.yaml11_type`, as messages use it."""


@dataclass(frozen=True, slots=True)
class Mark:
    """A 1-based line and column (in characters) where a node starts."""

    line: int
    column: int


class AmbiguousScalar(str):
    """A plain (unquoted) scalar that YAML 1.2 reads as a string but YAML 1.1 tools would not.

    `yaml11_type` is the type that a YAML 1.1 reader gives it:

    - "bool": y, n, yes, no, on, off, true or false in any letter case but the YAML 1.2 forms
    - "timestamp": 2026-07-01, 2026-07-01T09:00, 2026-07-01 09:00:00+02:00 and similar
    - "int": 1_000, 0b101, 0x_ff, 1:30
    - "float": 1_000.5, 1:30.5

    The instance compares and hashes equal to the plain string.
    """

    yaml11_type: str

    def __new__(cls, text: str, yaml11_type: str) -> AmbiguousScalar:
        instance = super().__new__(cls, text)
        instance.yaml11_type = yaml11_type
        return instance

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        # str's own __getnewargs__ drops yaml11_type, which copy and pickle need.
        return (str(self), self.yaml11_type)


@dataclass
class YamlDocument:
    """One loaded YAML file: its value and the position of every node in it.

    Nodes copied from an anchor by an alias have no marks of their own, so `mark()` of a path
    inside them returns the position of the alias.

    A partial document (from `load_yaml(..., all_marks=False)`) holds only some marks, each
    equal to the full document's, and `complete_marks` to load the rest. `mark()` and
    `key_mark()` load them on the first lookup that the partial marks cannot resolve.
    """

    path: str
    value: Any
    marks: dict[YamlPath, Mark] = field(default_factory=dict)
    key_marks: dict[YamlPath, Mark] = field(default_factory=dict)
    complete_marks: Callable[[], YamlDocument] | None = field(
        default=None, repr=False, compare=False
    )

    def mark(self, path: YamlPath) -> Mark:
        """Return the mark of the value at `path`, or of its nearest ancestor that has one."""
        if self.complete_marks is not None and path not in self.marks:
            self._load_all_marks()
        for end in range(len(path), -1, -1):
            found = self.marks.get(path[:end])
            if found is not None:
                return found
        return Mark(1, 1)

    def key_mark(self, path: YamlPath) -> Mark:
        """Return the mark of the mapping key that ends `path`, else the mark of its value."""
        if self.complete_marks is not None:
            self._load_all_marks()
        found = self.key_marks.get(path)
        if found is not None:
            return found
        return self.mark(path)

    def _load_all_marks(self) -> None:
        if self.complete_marks is None:
            return
        complete = self.complete_marks()
        self.marks = complete.marks
        self.key_marks = complete.key_marks
        self.complete_marks = None
