"""Run the emulator on its own: `python -m loomta_sync.emulator --port 0`."""

import logging

from loomta_sync.emulator.cli import emulator_command

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
emulator_command(prog_name="python -m loomta_sync.emulator")
