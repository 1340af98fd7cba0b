"""Checks of loomta.yaml values that its schema cannot express.

- `timezone` names an IANA zone that zoneinfo can load, and not `localtime`, whose meaning
  depends on the machine.
- Each platform alias maps to a platform id in the canonical UUID form, and no alias is itself
  a UUID, which would read as a raw platform id in a post.
- `paths.calendar`, `paths.state` and `paths.catalog` are relative, contain no `..` and no `~`,
  and still lie inside the project root after symbolic links are resolved. The state and the
  catalog are different files.
- `api_url` uses https, or http only to a loopback address such as a local emulator, because
  requests to it carry the API key.
"""

from __future__ import annotations

import difflib
import errno
import ipaddress
import os
import re
import zoneinfo
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from loomta_sync.calendar.yaml_loader import YamlDocument
from loomta_sync.config import Config, Paths
from loomta_sync.errors import Problem

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EXAMPLE_PLATFORM_ID = "6f1b2c3d-0000-4000-8000-000000000001"
_LOOPBACK_NAMES = frozenset({"localhost"})


def check_config(config: Config, document: YamlDocument, root: Path) -> list[Problem]:
    """Return every problem with the values of a schema-valid config; `root` is resolved."""
    problems: list[Problem] = []
    if config.timezone is not None:
        problems.extend(_check_timezone(config.timezone, document))
    problems.extend(_check_platforms(config.platforms, document))
    problems.extend(_check_paths(config.paths, document, root))
    problems.extend(_check_api_url(config.api_url, document))
    return problems


def _check_timezone(name: str, document: YamlDocument) -> list[Problem]:
    if name == "localtime":
        return [
            _problem(
                document,
                ("timezone",),
                "timezone 'localtime' depends on the machine that runs loomta-sync",
                "use an IANA zone name such as Europe/Berlin",
            )
        ]
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        near = difflib.get_close_matches(name, zoneinfo.available_timezones(), n=1)
        hint = (
            f"did you mean {near[0]!r}?" if near else "use an IANA zone name such as Europe/Berlin"
        )
        return [_problem(document, ("timezone",), f"unknown time zone {name!r}", hint)]
    return []


def _check_platforms(platforms: dict[str, str], document: YamlDocument) -> list[Problem]:
    problems = []
    for alias, platform_id in platforms.items():
        if _UUID.fullmatch(alias):
            problems.append(
                Problem(
                    document.path,
                    *_key_position(document, ("platforms", alias)),
                    f"platform alias {alias!r} is itself a platform id, which posts would confuse",
                    "name the alias after the account, such as `brand`",
                )
            )
        if not _UUID.fullmatch(platform_id):
            problems.append(
                _problem(
                    document,
                    ("platforms", alias),
                    f"platform alias {alias!r} maps to {platform_id!r}, which is not a platform id",
                    f"use the platform's UUID, such as {_EXAMPLE_PLATFORM_ID}",
                )
            )
    return problems


def _check_paths(paths: Paths, document: YamlDocument, root: Path) -> list[Problem]:
    problems = []
    resolved: dict[str, Path] = {}
    defaults = Paths()
    for name in ("calendar", "state", "catalog"):
        value: str = getattr(paths, name)
        example: str = getattr(defaults, name)
        found = _path_problem(value, root)
        if found is not None:
            problems.append(
                _problem(
                    document,
                    ("paths", name),
                    f"paths.{name} {value!r} {found}",
                    f"use a path inside the project, relative to its root, such as {example!r}",
                )
            )
        else:
            resolved[name] = (root / value).resolve()

    if "state" in resolved and resolved.get("state") == resolved.get("catalog"):
        problems.append(
            _problem(
                document,
                ("paths", "catalog"),
                f"paths.state and paths.catalog are the same file {paths.state!r}",
                "give the platform catalog its own file, such as '.loomta/platforms.json'",
            )
        )
    return problems


def _path_problem(value: str, root: Path) -> str | None:
    """Return what is wrong with a configured path, or None if it stays inside `root`."""
    pure = PurePosixPath(value)
    if not value or pure == PurePosixPath("."):
        return "names the project root itself"
    if pure.is_absolute():
        return "is an absolute path"
    if "~" in value:
        return "contains '~', which is not expanded to a home directory"
    if ".." in pure.parts:
        return "contains '..'"

    # Path.resolve() raises RuntimeError for a symbolic link loop before Python 3.13 and
    # ignores it from 3.13 on, so stat finds loops the same way on every version.
    try:
        os.stat(root / value)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "cannot be resolved because of a symbolic link loop"
    try:
        target = (root / value).resolve()
    except (OSError, RuntimeError):
        return "cannot be resolved because of a symbolic link loop"
    if not target.is_relative_to(root):
        return f"resolves to {str(target)!r} through a symbolic link, outside the project"
    if target == root:
        return "resolves to the project root itself"
    return None


def _check_api_url(url: str, document: YamlDocument) -> list[Problem]:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return []
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return []
    return [
        _problem(
            document,
            ("api_url",),
            f"api_url {url!r} is not an https URL, and requests to it carry the API key",
            "use https://, or http:// only for a local emulator on 127.0.0.1",
        )
    ]


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _key_position(document: YamlDocument, path: tuple[str, ...]) -> tuple[int, int]:
    mark = document.key_mark(path)
    return mark.line, mark.column


def _problem(document: YamlDocument, path: tuple[str, ...], message: str, hint: str) -> Problem:
    mark = document.mark(path)
    return Problem(document.path, mark.line, mark.column, message, hint)
