"""Splitting a loaded calendar file into posts with their keys.

A file contains one post (a mapping) or a list of posts. A post's key is its `id`, or for a
single-post file without one, the file's path under the calendar directory without the extension:
`calendar/2030/launch.yaml` has the key `2030/launch`. Posts in a list must each have an `id`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from loomta_sync.calendar.report import PostReporter, YamlPath, describe_value
from loomta_sync.calendar.spec import POST_KEY_MAX_LENGTH, POST_KEY_PATTERN
from loomta_sync.calendar.text import make_visible
from loomta_sync.calendar.yaml_loader import YamlDocument
from loomta_sync.errors import Problem

_POST_KEY = re.compile(POST_KEY_PATTERN)


@dataclass(frozen=True, slots=True)
class PostEntry:
    """One post's raw value in a loaded file, before validation."""

    document: YamlDocument
    prefix: YamlPath  # () for a single-post file, (index,) for a post in a list
    key: str | None  # None when the key is missing or invalid; the problem is reported
    key_path: YamlPath  # where the key is written: ("id",), or () when it comes from the path
    value: Any


def split_posts(
    document: YamlDocument, calendar_path: str, problems: list[Problem]
) -> list[PostEntry]:
    """Return the posts of one file with their keys, reporting files that hold no valid post."""
    value = document.value
    if isinstance(value, dict):
        return [_single_post(document, calendar_path, value, problems)]

    file_reporter = PostReporter(document, (), None, problems)

    if isinstance(value, list):
        if not value:
            file_reporter.error((), "the list of posts is empty", "add posts or delete the file")
        return [_listed_post(document, index, item, problems) for index, item in enumerate(value)]

    file_reporter.error(
        (),
        f"a calendar file holds one post or a list of posts, not {describe_value(value)}",
        "see docs/calendar-format.md for the post format",
    )
    return []


def _single_post(
    document: YamlDocument, calendar_path: str, value: dict[str, Any], problems: list[Problem]
) -> PostEntry:
    post_id = value.get("id")
    if post_id is not None:
        key = post_id if isinstance(post_id, str) and is_valid_post_key(post_id) else None
        return PostEntry(document, (), key, ("id",), value)

    key = _without_suffix(calendar_path)
    if not is_valid_post_key(key):
        PostReporter(document, (), None, problems).error(
            (),
            f"the file name cannot be a post key: '{make_visible(key)}'",
            "rename the file using letters, digits, '.', '_' and '-', or set `id`",
        )
        return PostEntry(document, (), None, (), value)
    return PostEntry(document, (), key, (), value)


def _listed_post(
    document: YamlDocument, index: int, item: Any, problems: list[Problem]
) -> PostEntry:
    post_id = item.get("id") if isinstance(item, dict) else None
    if isinstance(item, dict) and post_id is None:
        PostReporter(document, (index,), None, problems).error(
            (), "a post in a list must have an `id`", "add `id:` with a unique post key"
        )
    key = post_id if isinstance(post_id, str) and is_valid_post_key(post_id) else None
    return PostEntry(document, (index,), key, ("id",), item)


def _without_suffix(calendar_path: str) -> str:
    """Return `calendar_path` without its file name's suffix, as PurePosixPath.with_suffix does.

    Paths from the file system have no empty or '.' parts, so pathlib would not change them
    otherwise, and the suffix is cut here directly. Any other path goes through pathlib.
    """
    parts = calendar_path.split("/")
    if "" in parts or "." in parts:
        return str(PurePosixPath(calendar_path).with_suffix(""))
    name = parts[-1]
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1:
        return calendar_path[: len(calendar_path) - len(name) + dot]
    return calendar_path


def is_valid_post_key(key: str) -> bool:
    return len(key) <= POST_KEY_MAX_LENGTH and _POST_KEY.fullmatch(key) is not None
