"""The installed-zone check: the same result as zoneinfo.available_timezones(), found faster."""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest

from loomta_sync.calendar import zones

LISTED = sorted(zoneinfo.available_timezones())
UTC_FILE = next(Path(entry, "UTC") for entry in zoneinfo.TZPATH if Path(entry, "UTC").is_file())


def test_zones_every_listed_name_found_on_tzpath() -> None:
    missed = [name for name in LISTED if not zones._found_on_tzpath(name)]

    assert LISTED
    assert missed == []


def files_under_tzpath() -> list[str]:
    """Every file and directory name under the first TZPATH entry, symlinked ones followed."""
    root = next(entry for entry in zoneinfo.TZPATH if os.path.isdir(entry))
    names = []
    for directory, subdirectories, files in os.walk(root, followlinks=True):
        for name in [*subdirectories, *files]:
            names.append(os.path.relpath(os.path.join(directory, name), root))
    return names


@pytest.mark.parametrize(
    "name",
    [
        "posixrules",
        "right/Europe/Berlin",
        "posix/Europe/Berlin",
        "../../etc/passwd",
        "/etc/passwd",
        "Europe/../Europe/Berlin",
        "Europe//Berlin",
        "./UTC",
        "Europe/Berlin/",
        "europe/berlin",
        "",
        "Etc/UTC\0",
        "zone.tab",
        "Europe",
    ],
)
def test_zones_unlisted_name_not_found(name: str) -> None:
    assert not zones._found_on_tzpath(name)
    assert zones.is_installed_zone(name) is (name in LISTED)


def test_zones_fast_check_never_adds_a_name() -> None:
    listed = set(LISTED)
    extra = [name for name in files_under_tzpath() if zones._found_on_tzpath(name)]

    assert [name for name in extra if name not in listed] == []


@pytest.fixture
def own_tzpath(tmp_path: Path) -> Iterator[Path]:
    """Make tmp_path the only TZPATH entry for one test."""
    zoneinfo.reset_tzpath(to=[str(tmp_path)])
    try:
        yield tmp_path
    finally:
        zoneinfo.reset_tzpath()


def test_zones_symlinked_directory_not_followed(own_tzpath: Path) -> None:
    utc = UTC_FILE
    (own_tzpath / "Real").mkdir()
    (own_tzpath / "Real" / "Zone").write_bytes(utc.read_bytes())
    (own_tzpath / "Linked").symlink_to(own_tzpath / "Real", target_is_directory=True)
    (own_tzpath / "NotTzif").write_bytes(b"hello")
    (own_tzpath / "posixrules").write_bytes(utc.read_bytes())

    assert zones._found_on_tzpath("Real/Zone")
    assert not zones._found_on_tzpath("Linked/Zone")
    assert not zones._found_on_tzpath("NotTzif")
    assert not zones._found_on_tzpath("posixrules")
    assert sorted(zoneinfo.available_timezones()) == ["Real/Zone"]
