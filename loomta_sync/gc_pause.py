"""Pausing Python's cyclic garbage collector while a step builds large, long-lived data.

Loading and planning a calendar build a few hundred thousand container objects (dicts, lists,
pydantic models) that live until the command ends. The cyclic collector would scan them again
and again while they are being built and find almost nothing to free, because they form no
reference cycles. Reference counting still frees everything else at once while the collector
is paused.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause the cyclic collector, and afterwards move what survived to its oldest generation.

    Without the move, the first young collection after the pause would scan every object built
    during it. Nested pauses leave the collector off until the outermost one ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _promote_tracked_objects()
            gc.enable()


def _promote_tracked_objects() -> None:
    # gc.freeze() moves every tracked object to the permanent generation without scanning it,
    # and gc.unfreeze() moves them all to the oldest generation. Objects the caller froze on
    # purpose would be released by unfreeze, so then nothing is moved.
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
