"""The emulated workspace as one object: options, platforms, store, clock, randomness, faults."""

from __future__ import annotations

import threading

from loomta_sync.emulator.clock import Clock
from loomta_sync.emulator.faults import FaultInjector
from loomta_sync.emulator.options import EmulatorOptions
from loomta_sync.emulator.randomness import SeededRandom
from loomta_sync.emulator.seeds import SEED_PLATFORMS, EmulatedPlatform
from loomta_sync.emulator.store import Store


class Emulator:
    """State shared by every request thread of one emulator."""

    def __init__(self, options: EmulatorOptions) -> None:
        self.options = options
        self.seed = options.seed
        self.random = SeededRandom(options.seed)
        self.clock = Clock()
        self.platforms: dict[str, EmulatedPlatform] = {item.id: item for item in SEED_PLATFORMS}
        self.store = Store(options.quota, options.request_log_size)
        self.faults = FaultInjector(options.fault_settings(), self.random)
        # Set on shutdown, so that injected delays end at once instead of holding threads.
        self.stopping = threading.Event()

    def new_id(self) -> str:
        return self.random.uuid4()

    def pause(self, milliseconds: int) -> None:
        """Sleep for an injected delay, or less if the emulator stops meanwhile."""
        if milliseconds > 0:
            self.stopping.wait(milliseconds / 1000)

    def reset(self, seed: int | None = None) -> None:
        """Drop all stored data and return to the start-up settings, optionally with a new seed."""
        with self.store.lock:
            self.seed = self.options.seed if seed is None else seed
            self.random.reseed(self.seed)
            self.store.clear(self.options.quota)
            self.faults.replace(self.options.fault_settings())
            self.clock.set_offset(0)
