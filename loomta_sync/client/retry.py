"""When to send a request again, and how long to wait first.

A request is repeated only when it certainly had no effect: it was never sent, or the server
responded with 429, or with 503 and Retry-After. A read (GET) is also repeated after a timeout,
a lost connection or a 5xx, because reading twice is harmless. Nothing else is repeated. A 400,
401, 404 or 409 would fail the same way again, a body of the wrong shape would most likely come
back the same, and a create that may have reached the server could publish twice.

Waits use exponential backoff with full jitter, and never less than the server's Retry-After.
Each call has a time budget. A retry whose wait would end after the budget is not made, and
the last error is raised instead.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from loomta_sync.client.errors import (
    ApiError,
    InvalidResponse,
    OutcomeUnknown,
    RateLimited,
    RequestNotSent,
    ServiceUnavailable,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Retry-After is delay-seconds (RFC 9110 section 10.2.3) or an HTTP-date. Fractions are
# accepted because some servers send them; more than nine digits is treated as garbage.
_DELAY_SECONDS = re.compile(r"\d{1,9}(\.\d{1,6})?")
_MAX_BACKOFF_EXPONENT = 60


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RetryPolicy:
    """Limits and timing for repeating one call; `sleep`, `random` and the clocks are injectable.

    Times are in seconds. `clock` is monotonic and measures the budget. `wall_clock` is only
    used to turn a Retry-After HTTP-date into a delay.
    """

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    budget: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    wall_clock: Callable[[], datetime] = field(default=_utc_now, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts is {self.max_attempts}; it must be at least 1")
        for name in ("base_delay", "max_delay", "budget"):
            value = getattr(self, name)
            if not value >= 0:
                raise ValueError(f"{name} is {value}; it must be zero or more seconds")

    def backoff(self, attempt: int) -> float:
        """Return a random wait in [0, min(max_delay, base_delay * 2**(attempt - 1)))."""
        exponent = min(attempt - 1, _MAX_BACKOFF_EXPONENT)
        ceiling = min(self.max_delay, self.base_delay * 2.0**exponent)
        return self.random() * ceiling

    def run(
        self,
        operation: Callable[[float], T],
        *,
        method: str,
        path: str,
        idempotent: bool,
    ) -> T:
        """Call `operation(deadline)` until it succeeds or may not be repeated.

        `deadline` is the `clock` value at which the budget ends. Raises the last ApiError.
        """
        deadline = self.clock() + self.budget
        attempt = 1
        while True:
            try:
                return operation(deadline)
            except ApiError as error:
                delay = self._delay_before_retry(error, attempt, deadline, idempotent)
                if delay is None:
                    raise
                logger.warning(
                    "%s %s: attempt %d of %d failed (%s); retrying in %.2f s",
                    method,
                    path,
                    attempt,
                    self.max_attempts,
                    describe_failure(error),
                    delay,
                )
                self.sleep(delay)
                attempt += 1

    def _delay_before_retry(
        self, error: ApiError, attempt: int, deadline: float, idempotent: bool
    ) -> float | None:
        if not is_retryable(error, idempotent=idempotent):
            return None

        if attempt >= self.max_attempts:
            logger.warning(
                "%s %s: giving up after %d attempts (%s)",
                error.method,
                error.path,
                attempt,
                describe_failure(error),
            )
            return None

        delay = max(self.backoff(attempt), error.retry_after or 0.0)
        remaining = deadline - self.clock()
        if delay > remaining:
            logger.warning(
                "%s %s: giving up after %d attempts: the next wait of %.2f s exceeds the "
                "remaining budget of %.2f s (%s)",
                error.method,
                error.path,
                attempt,
                delay,
                max(remaining, 0.0),
                describe_failure(error),
            )
            return None

        return delay


def is_retryable(error: ApiError, *, idempotent: bool) -> bool:
    """Tell whether sending the request again is safe and may succeed."""
    if isinstance(error, RequestNotSent | RateLimited | ServiceUnavailable):
        return True
    # A body that is not the documented shape would most likely come back the same.
    return (
        idempotent and isinstance(error, OutcomeUnknown) and not isinstance(error, InvalidResponse)
    )


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Return the wait in seconds that a Retry-After header requests, or None if unusable.

    A date in the past gives 0. A date without a zone is read as UTC, because HTTP-dates are
    always in GMT.
    """
    if value is None:
        return None

    text = value.strip()
    if _DELAY_SECONDS.fullmatch(text):
        return float(text)

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


def describe_failure(error: ApiError) -> str:
    """Return a short reason for logs: the class and, when known, the status and code."""
    details = [type(error).__name__]
    if error.status is not None:
        details.append(f"HTTP {error.status}")
    if error.code is not None:
        details.append(error.code)
    if error.retry_after is not None:
        details.append(f"Retry-After {error.retry_after:g} s")
    return ", ".join(details)
