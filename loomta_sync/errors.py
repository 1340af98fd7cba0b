"""The project's exception tree and the one-line problem report.

LoomtaSyncError                 base of every expected failure: one line from the CLI, exit 1
├── ConfigError                 loomta.yaml is missing or invalid
├── ValidationFailed            the calendar has problems; carries a list of Problem
├── StateError                  the state file or journal cannot be read or written
│   ├── LockHeld                another process holds the state lock
│   └── StalePlan               a saved plan no longer matches the state or the calendar
├── SafetyLimitExceeded         an apply would pass a limit from loomta.yaml without --force
└── ApiError                    defined in loomta_sync.client.errors, one subclass per error code

Any other exception is a bug: the CLI reports it with exit code 4 and the log path.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem, printed as `path:line:col: post-key: message; hint`."""

    path: str
    line: int | None
    column: int | None
    message: str
    hint: str | None = None
    post_key: str | None = None

    def format(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        subject = f"{where}: {self.post_key}: " if self.post_key else f"{where}: "
        text = subject + self.message
        if self.hint:
            text += f"; {self.hint}"
        return text.replace("\n", " ")


class LoomtaSyncError(Exception):
    """Base of every expected failure: the message is one line, shown to the user as is."""


class ConfigError(LoomtaSyncError):
    """loomta.yaml is missing, unreadable or invalid."""


class ValidationFailed(LoomtaSyncError):
    """The calendar, config or catalog has problems that stop planning."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(f"validation failed with {count} problem{'s' if count != 1 else ''}")


class StateError(LoomtaSyncError):
    """The state file or its journal cannot be read or written."""


class LockHeld(StateError):
    """Another process holds the state lock."""


class StalePlan(StateError):
    """A saved plan no longer matches the current state or calendar."""


class SafetyLimitExceeded(LoomtaSyncError):
    """An apply would pass a safety limit from loomta.yaml without --force."""
