"""Whether a time zone name is installed, without listing every installed zone.

`zoneinfo.available_timezones()` walks the whole zone database and opens each of its files,
several hundred of them, which made that walk the largest part of planning a small calendar.
A name written in a calendar is looked up along the same walk instead: from a `zoneinfo.TZPATH`
directory through the directory listing of each part of the name down to a file that starts with
the TZif magic. The lookup returns True only for a name that the full walk would also list, and
it touches only directories and files that the listings name, so a name such as
`../../etc/passwd` never reaches the file system. Any other name is decided by the full list.
"""

from __future__ import annotations

import functools
import os
import zoneinfo

# The full walk skips these directories at the top of each TZPATH entry, and this name.
_SKIPPED_TOP_DIRECTORIES = frozenset({"right", "posix"})
_SKIPPED_NAME = "posixrules"
_TZIF_MAGIC = b"TZif"


def is_installed_zone(name: str) -> bool:
    """Return whether `name` is in `zoneinfo.available_timezones()`."""
    return _found_on_tzpath(name) or name in installed_zone_names()


@functools.cache
def installed_zone_names() -> frozenset[str]:
    """Return every installed zone name; the first call walks the whole zone database."""
    return frozenset(zoneinfo.available_timezones())


def _found_on_tzpath(name: str) -> bool:
    """Return True if the full walk would list `name`, and False if only the full list can tell."""
    parts = name.split("/")
    if name == _SKIPPED_NAME or parts[0] in _SKIPPED_TOP_DIRECTORIES:
        return False
    if any(part in ("", ".", "..") or "\0" in part for part in parts):
        return False
    for root in zoneinfo.TZPATH:
        try:
            if _walk_reaches(root, parts):
                return True
        except (OSError, ValueError):
            continue
    return False


def _walk_reaches(root: str, parts: list[str]) -> bool:
    # Like the full walk (os.walk without following links), the path may pass only through
    # real directories, and the name's case must match the listing exactly.
    directory = root
    for part in parts[:-1]:
        path = os.path.join(directory, part)
        if part not in os.listdir(directory) or os.path.islink(path) or not os.path.isdir(path):
            return False
        directory = path

    path = os.path.join(directory, parts[-1])
    if parts[-1] not in os.listdir(directory) or not os.path.isfile(path):
        return False
    with open(path, "rb") as file:
        return file.read(len(_TZIF_MAGIC)) == _TZIF_MAGIC
