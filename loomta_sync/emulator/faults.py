"""Fault injection (an extension): latency, 5xx, 429, lost responses, and whether
Idempotency-Key is honoured.

Each request in scope draws the same number of values from the seeded random source whatever
the settings are. So with the same seed and the same requests, ids stay the same when only the
fault rates change, and faults fall on the same requests from run to run. Decision order:

1. `rate_limit_burst` > 0: respond with 429 and count the burst down (no randomness).
2. `rate_limit_rate`: respond with 429 before doing anything.
3. `error_rate`: respond with one of `error_statuses` before doing anything.
4. `commit_then_error_rate`: do the work, then respond with one of `commit_error_statuses`.
5. `drop_after_commit_rate`: do the work, then close the connection without a response.
6. `slow_response_rate`: do the work, then wait `slow_response_ms` before responding.

`latency_ms` delays every API request, whatever the scope. `fault_scope` is `create` (only
`POST /posts`) or `api` (every request under the API base path).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from loomta_sync.emulator.protocol import Issue, JsonObject, echo, json_type
from loomta_sync.emulator.randomness import SeededRandom

DEFAULT_ERROR_STATUSES = (500, 502, 503, 504)
DEFAULT_COMMIT_ERROR_STATUSES = (500, 502, 504)
FAULT_SCOPES = ("create", "api")
MAX_DELAY_MS = 600_000
MAX_RETRY_AFTER_SECONDS = 3_600
ROLLS_PER_REQUEST = 7

RATE_SETTINGS = (
    "error_rate",
    "commit_then_error_rate",
    "drop_after_commit_rate",
    "slow_response_rate",
    "rate_limit_rate",
)
STATUS_SETTINGS = ("error_statuses", "commit_error_statuses")
# Integer settings and their maximum values.
INTEGER_SETTINGS = {
    "latency_ms": MAX_DELAY_MS,
    "slow_response_ms": MAX_DELAY_MS,
    "rate_limit_burst": 1_000_000,
    "retry_after_seconds": MAX_RETRY_AFTER_SECONDS,
}


class FaultKind(StrEnum):
    RATE_LIMITED = "rate_limited"
    ERROR = "error"
    COMMIT_THEN_ERROR = "commit_then_error"
    DROP_AFTER_COMMIT = "drop_after_commit"
    SLOW_RESPONSE = "slow_response"


@dataclass(frozen=True, slots=True)
class FaultSettings:
    """Fault settings, readable and writable at run time through `/_emulator/faults`.

    Rates are probabilities from 0 to 1 per request in scope. `rate_limit_burst` is the
    number of requests that still get a 429 response, so it counts down.
    """

    latency_ms: int = 0
    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = DEFAULT_ERROR_STATUSES
    commit_then_error_rate: float = 0.0
    commit_error_statuses: tuple[int, ...] = DEFAULT_COMMIT_ERROR_STATUSES
    drop_after_commit_rate: float = 0.0
    slow_response_rate: float = 0.0
    slow_response_ms: int = 5_000
    rate_limit_burst: int = 0
    rate_limit_rate: float = 0.0
    retry_after_seconds: int = 1
    idempotency: bool = False
    fault_scope: str = "create"

    def to_json(self) -> JsonObject:
        values = dataclasses.asdict(self)
        for name in STATUS_SETTINGS:
            values[name] = list(values[name])
        return values


FAULT_SETTING_NAMES = tuple(item.name for item in dataclasses.fields(FaultSettings))


@dataclass(frozen=True, slots=True)
class FaultDecision:
    """Faults chosen for one request: one before the work, one after it, or none."""

    before: FaultKind | None = None
    after: FaultKind | None = None
    status: int | None = None
    retry_after_seconds: int = 1
    slow_response_ms: int = 0


NO_FAULT = FaultDecision()


class SettingsError(ValueError):
    """Invalid fault settings, with one issue per problem."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(issue.describe() for issue in issues))


def update_settings(current: FaultSettings, changes: Any) -> FaultSettings:
    """Apply a partial JSON object of settings and return the result.

    Raises SettingsError, which carries one issue per problem, when a name is unknown or a
    value is invalid.
    """
    if not isinstance(changes, dict):
        raise SettingsError([Issue((), f"expected a JSON object, received {json_type(changes)}")])

    issues: list[Issue] = []
    values: dict[str, Any] = {}
    for name, value in changes.items():
        checked = _check_setting(name, value, issues)
        if checked is not None:
            values[name] = checked
    if issues:
        raise SettingsError(issues)
    return dataclasses.replace(current, **values)


def check_settings(settings: FaultSettings) -> None:
    """Raise SettingsError when a value set from Python or the command line is invalid."""
    update_settings(settings, settings.to_json())


def _check_setting(name: str, value: Any, issues: list[Issue]) -> Any:
    path = (name,)
    problem: str | None
    if name in RATE_SETTINGS:
        problem = _rate_problem(value)
    elif name in INTEGER_SETTINGS:
        problem = _integer_problem(value, INTEGER_SETTINGS[name])
    elif name in STATUS_SETTINGS:
        problem = _statuses_problem(value)
        value = tuple(value) if problem is None else value
    elif name == "idempotency":
        problem = (
            None if isinstance(value, bool) else f"expected boolean, received {json_type(value)}"
        )
    elif name == "fault_scope":
        problem = (
            None if value in FAULT_SCOPES else f"must be create or api, received {echo(value)}"
        )
    else:
        problem = f"is not a fault setting; known settings: {', '.join(FAULT_SETTING_NAMES)}"

    if problem is not None:
        issues.append(Issue(path, problem))
        return None
    return float(value) if name in RATE_SETTINGS else value


def _rate_problem(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        return f"must be a number from 0 to 1, received {echo(value)}"
    return None


def _integer_problem(value: Any, maximum: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        return f"must be an integer from 0 to {maximum}, received {echo(value)}"
    return None


def _statuses_problem(value: Any) -> str | None:
    if not isinstance(value, list | tuple) or not value:
        return f"must be a non-empty array of HTTP statuses from 500 to 599, received {echo(value)}"
    for status in value:
        if isinstance(status, bool) or not isinstance(status, int) or not 500 <= status <= 599:
            return f"must contain HTTP statuses from 500 to 599, received {echo(status)}"
    return None


class FaultInjector:
    """The live fault settings and the per-request decisions drawn from them."""

    def __init__(self, settings: FaultSettings, random_source: SeededRandom) -> None:
        self._lock = threading.Lock()
        self._settings = settings
        self._random = random_source

    @property
    def settings(self) -> FaultSettings:
        with self._lock:
            return self._settings

    def replace(self, settings: FaultSettings) -> None:
        with self._lock:
            self._settings = settings

    def update(self, changes: Mapping[str, Any]) -> FaultSettings:
        """Apply a partial update atomically; raises SettingsError and keeps the old settings."""
        with self._lock:
            self._settings = update_settings(self._settings, changes)
            return self._settings

    def decide(self, in_scope: bool) -> FaultDecision:
        """Draw the faults for one request; requests out of scope draw nothing."""
        if not in_scope:
            return NO_FAULT

        rolls = self._random.rolls(ROLLS_PER_REQUEST)
        with self._lock:
            settings = self._settings
            if settings.rate_limit_burst > 0:
                burst = settings.rate_limit_burst - 1
                self._settings = dataclasses.replace(settings, rate_limit_burst=burst)
                return _rate_limited(settings)
        return _decide_from_rolls(settings, rolls)


def _decide_from_rolls(settings: FaultSettings, rolls: tuple[float, ...]) -> FaultDecision:
    if rolls[0] < settings.rate_limit_rate:
        return _rate_limited(settings)
    if rolls[1] < settings.error_rate:
        status = _pick(settings.error_statuses, rolls[2])
        return FaultDecision(
            before=FaultKind.ERROR,
            status=status,
            retry_after_seconds=settings.retry_after_seconds,
        )

    if rolls[3] < settings.commit_then_error_rate:
        status = _pick(settings.commit_error_statuses, rolls[4])
        return FaultDecision(after=FaultKind.COMMIT_THEN_ERROR, status=status)
    if rolls[5] < settings.drop_after_commit_rate:
        return FaultDecision(after=FaultKind.DROP_AFTER_COMMIT)
    if rolls[6] < settings.slow_response_rate:
        return FaultDecision(
            after=FaultKind.SLOW_RESPONSE, slow_response_ms=settings.slow_response_ms
        )
    return NO_FAULT


def _rate_limited(settings: FaultSettings) -> FaultDecision:
    return FaultDecision(
        before=FaultKind.RATE_LIMITED,
        status=429,
        retry_after_seconds=settings.retry_after_seconds,
    )


def _pick(statuses: tuple[int, ...], roll: float) -> int:
    return statuses[min(int(roll * len(statuses)), len(statuses) - 1)]
