"""A rate limiter shared by every thread of one apply.

Each request first calls `wait()`. A 429 from the server makes the client call `pause_for()`,
which holds back every caller until the Retry-After instant, not only the thread that got the
429. An optional token bucket also caps the rate at `requests_per_second`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Thread-safe pause and token bucket; times are seconds on `clock`, a monotonic clock.

    `burst` is the bucket's capacity: how many requests may start at once after an idle spell.
    """

    def __init__(
        self,
        requests_per_second: float | None = None,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if requests_per_second is not None and not requests_per_second > 0:
            raise ValueError(f"requests_per_second is {requests_per_second}; it must be above 0")
        if burst < 1:
            raise ValueError(f"burst is {burst}; it must be at least 1")

        self.requests_per_second = requests_per_second
        self.burst = burst
        self.clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._paused_until = float("-inf")
        self._tokens = float(burst)
        self._refilled_at = clock()

    def __repr__(self) -> str:
        return f"RateLimiter(requests_per_second={self.requests_per_second}, burst={self.burst})"

    @property
    def paused_until(self) -> float:
        """The `clock` instant before which no request may start."""
        with self._lock:
            return self._paused_until

    def pause_until(self, instant: float) -> None:
        """Hold back every caller until `instant`, unless a later pause is already set."""
        with self._lock:
            self._paused_until = max(self._paused_until, instant)

    def pause_for(self, seconds: float) -> None:
        self.pause_until(self.clock() + seconds)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a request may start, and take its token.

        Returns False without waiting further, and without taking a token, when the pause or
        the bucket would keep the caller waiting past `timeout` seconds from now.
        """
        deadline = None if timeout is None else self.clock() + timeout
        while True:
            with self._lock:
                now = self.clock()
                delay = self._paused_until - now
                if delay <= 0:
                    delay = self._take_token(now)
                    if delay <= 0:
                        return True

            if deadline is not None and now + delay > deadline:
                return False
            self._sleep(delay)

    def _take_token(self, now: float) -> float:
        """Take a token and return 0, or return how long until one is available."""
        rate = self.requests_per_second
        if rate is None:
            return 0.0

        elapsed = max(now - self._refilled_at, 0.0)
        self._tokens = min(float(self.burst), self._tokens + elapsed * rate)
        self._refilled_at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / rate
