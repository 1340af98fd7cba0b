"""An emulator of the Loomta public API over real HTTP, for tests, benchmarks and demos.

`start_emulator(EmulatorOptions(...))` serves it in a background thread. The `emulator`
command (`python -m loomta_sync.emulator`) serves it in the foreground. The README in this
folder lists the endpoints, every extension, the fault settings and the admin endpoints.
"""

from loomta_sync.emulator.options import EmulatorOptions
from loomta_sync.emulator.server import RunningEmulator, serve_forever, start_emulator

__all__ = ["EmulatorOptions", "RunningEmulator", "serve_forever", "start_emulator"]
