"""The apply report: one result per target, for the CLI's output and exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    CREATED = "created"
    RESCHEDULED = "rescheduled"
    MOVED = "moved"
    FAILED = "failed"
    UNKNOWN = "unknown"
    NOT_ATTEMPTED = "not attempted"


@dataclass(frozen=True, slots=True)
class TargetResult:
    """One target's result; `detail` is a post id, an error code and message, or a reason."""

    post_key: str
    platform_id: str
    outcome: Outcome
    detail: str = ""

    def format(self) -> str:
        text = f"{self.outcome.value}: {self.post_key} on {self.platform_id}"
        return f"{text} ({self.detail})" if self.detail else text


@dataclass
class ApplyReport:
    results: list[TargetResult] = field(default_factory=list)
    stop_reason: str | None = None
    authentication_failed: bool = False  # a 401 stopped the apply: an error, not a partial apply
    blocked: int = 0  # conflicts, unknowns and expired targets that the plan left for a person

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def complete(self) -> bool:
        """True when every target succeeded and nothing was left for a person."""
        bad = (Outcome.FAILED, Outcome.UNKNOWN, Outcome.NOT_ATTEMPTED)
        return self.blocked == 0 and not any(r.outcome in bad for r in self.results)

    def summary_line(self) -> str:
        """Return the fixed closing line of an apply, e.g. `Apply complete: 3 created, ...`."""
        state = "complete" if self.complete else "incomplete"
        return (
            f"Apply {state}: {self.count(Outcome.CREATED)} created, "
            f"{self.count(Outcome.RESCHEDULED)} rescheduled, {self.count(Outcome.MOVED)} moved, "
            f"{self.count(Outcome.FAILED)} failed, {self.count(Outcome.UNKNOWN)} unknown, "
            f"{self.count(Outcome.NOT_ATTEMPTED)} not attempted."
        )
