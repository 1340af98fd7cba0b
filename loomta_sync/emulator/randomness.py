"""The emulator's one source of randomness: a seeded `random.Random` behind a lock.

Ids and fault decisions both draw from it, so a run that sends the same requests in the same
order with the same seed gets the same ids and the same faults. Concurrent requests draw in the
order they reach the lock, which the emulator cannot make reproducible.
"""

from __future__ import annotations

import random
import threading
import uuid


class SeededRandom:
    """A lock-guarded `random.Random` that can be reseeded by a reset."""

    def __init__(self, seed: int) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._random.seed(seed)

    def uuid4(self) -> str:
        with self._lock:
            bits = self._random.getrandbits(128)
        return str(uuid.UUID(int=bits, version=4))

    def rolls(self, count: int) -> tuple[float, ...]:
        """Draw `count` floats in [0, 1) at once, so no other request interleaves with them."""
        with self._lock:
            return tuple(self._random.random() for _ in range(count))
