"""Hostile inputs: paths that leave the project, special files, hidden text and input limits.

Symlinks and FIFOs cannot live in git, so the tests add them to a copy of the fixture project.
A FIFO is never opened by the loader. If a regression opened one, the open would block until a
writer appears, so a watchdog thread plays that writer after a while to turn the hang into a
failed assertion.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.calendar.calendar_scenarios import (
    HOSTILE,
    SCENARIOS,
    copy_scenario,
    load_scenario,
    problem_lines,
)

# Seconds before the watchdog opens a FIFO's write end; only a hung test ever waits this long.
WATCHDOG_SECONDS = 60.0


@contextlib.contextmanager
def fifo_watchdog(*fifos: Path) -> Iterator[None]:
    """Unblock any reader of `fifos` if the code under test opened one by mistake."""

    def release() -> None:
        for fifo in fifos:
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(WATCHDOG_SECONDS, release)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@pytest.fixture
def hostile_paths(tmp_path: Path) -> Path:
    """The paths scenario plus a symlink out of the project, FIFOs and a dangling symlink."""
    project = copy_scenario(HOSTILE / "paths", tmp_path)
    shutil.copy(project / "media" / "cover.jpg", tmp_path / "outside.jpg")
    (tmp_path / "outside.yaml").write_text(
        "platforms: [brand]\ncontent: Outside.\nmode: draft\n", encoding="utf-8"
    )
    os.symlink("../../outside.jpg", project / "media" / "escape.jpg")
    os.mkfifo(project / "media" / "pipe.mp4")
    os.symlink("../../outside.yaml", project / "calendar" / "linked.yaml")
    os.mkfifo(project / "calendar" / "pipe.yaml")
    os.symlink("missing.yaml", project / "calendar" / "dangling.yaml")
    return project


def test_hostile_paths_rejected(hostile_paths: Path) -> None:
    fifos = (hostile_paths / "media" / "pipe.mp4", hostile_paths / "calendar" / "pipe.yaml")
    with fifo_watchdog(*fifos):
        lines = problem_lines(hostile_paths)

    assert lines == [
        "calendar/dangling.yaml: calendar file is a broken symlink; fix or remove it",
        (
            "calendar/linked.yaml: calendar file is a symlink that resolves outside the "
            "project; copy the file into the project"
        ),
        (
            "calendar/media-paths.yaml:8:11: parent-directory: media path '../outside.jpg' "
            "contains '..'; keep media inside the project directory"
        ),
        (
            "calendar/media-paths.yaml:14:11: parent-inside: media path "
            "'media/../../outside.jpg' contains '..'; keep media inside the project directory"
        ),
        (
            "calendar/media-paths.yaml:20:11: absolute: media path '/etc/hostname' is absolute; "
            "write it relative to the project root"
        ),
        (
            "calendar/media-paths.yaml:26:11: home: media path '~/photo.jpg' starts with '~'; "
            "write it relative to the project root"
        ),
        (
            "calendar/media-paths.yaml:32:11: drive: media path 'C:/media/cover.jpg' is "
            "absolute; write it relative to the project root"
        ),
        (
            "calendar/media-paths.yaml:38:11: backslash: media path 'media\\cover.jpg' contains "
            "'\\'; separate folders with '/'"
        ),
        (
            "calendar/media-paths.yaml:44:11: fullwidth-solidus: media path "
            "'media\uff0fcover.jpg' contains compatibility characters that look like others (it "
            "reads as 'media/cover.jpg' after NFKC); rename the file using plain characters"
        ),
        (
            "calendar/media-paths.yaml:50:11: division-slash: media path contains U+2215 "
            "(DIVISION SLASH) at position 6, which is a non-ASCII symbol or punctuation mark; "
            "rename the file using letters, digits, '-', '_', '.' and '/'"
        ),
        (
            "calendar/media-paths.yaml:56:11: dot-leader: media path "
            "'media/\u2024\u2024/cover.jpg' contains compatibility characters that look like "
            "others (it reads as 'media/../cover.jpg' after NFKC); rename the file using plain "
            "characters"
        ),
        (
            "calendar/media-paths.yaml:62:11: decomposed: media path 'media/cafe\u0301.jpg' is "
            "not in Unicode normalization form NFC; rename the file and write its name again, "
            "so both use composed characters"
        ),
        (
            "calendar/media-paths.yaml:68:11: bidi-name: media path contains U+202E "
            "(RIGHT-TO-LEFT OVERRIDE) at position 7, which is a control, format or separator "
            "character; rename the file using letters, digits, '-', '_', '.' and '/'"
        ),
        (
            "calendar/media-paths.yaml:74:11: zero-width: media path contains U+200B (ZERO "
            "WIDTH SPACE) at position 9, which is a control, format or separator character; "
            "rename the file using letters, digits, '-', '_', '.' and '/'"
        ),
        (
            "calendar/media-paths.yaml:80:11: empty: media path is empty; write a path relative "
            "to the project root"
        ),
        (
            "calendar/media-paths.yaml:86:11: symlink-outside: media path 'media/escape.jpg' "
            "resolves outside the project through a symlink; copy the file into the project"
        ),
        (
            "calendar/media-paths.yaml:92:11: fifo: media path 'media/pipe.mp4' is a FIFO "
            "(named pipe); point it at an image or video file"
        ),
        ("calendar/pipe.yaml: calendar file is a FIFO (named pipe); replace it with a YAML file"),
    ]


def test_composed_accent_path_accepted(hostile_paths: Path) -> None:
    calendar = hostile_paths / "calendar"
    for name in ("media-paths.yaml", "linked.yaml", "pipe.yaml", "dangling.yaml"):
        (calendar / name).unlink()
    (calendar / "cafe.yaml").write_text(
        'platforms: [brand]\ncontent: Coffee.\nmode: draft\nmedia: ["media/caf\\u00e9.jpg"]\n'
        "settings: {privacy_level: PUBLIC_TO_EVERYONE}\n",
        encoding="utf-8",
    )

    (post,) = load_scenario(hostile_paths).calendar.posts

    assert post.targets[0].payload.media[0].path == "media/caf\u00e9.jpg"
    assert post.targets[0].payload.media[0].mime_type == "image/jpeg"


def test_symlink_inside_project_followed(tmp_path: Path) -> None:
    project = copy_scenario(SCENARIOS / "valid", tmp_path)
    os.symlink("../launch-teaser.yaml", project / "calendar" / "2030" / "teaser-link.yaml")
    os.symlink("cover.jpg", project / "media" / "cover-link.jpg")
    post_file = project / "calendar" / "linked-media.yaml"
    post_file.write_text(
        "platforms: [brand]\ncontent: Linked.\nmode: draft\nmedia: [media/cover-link.jpg]\n"
        "settings: {privacy_level: PUBLIC_TO_EVERYONE}\n",
        encoding="utf-8",
    )

    lines = problem_lines(project)

    # The linked copy of launch-teaser.yaml keeps its id, so only the key clashes; the
    # symlinked media file is read like the file it points to.
    assert lines == [
        (
            "calendar/launch-teaser.yaml:2:5: launch-teaser: duplicate post key, also used at "
            "calendar/2030/teaser-link.yaml:2:5; give one of the posts a different `id`"
        ),
    ]


def test_symlinked_directory_not_followed(tmp_path: Path) -> None:
    project = copy_scenario(SCENARIOS / "valid", tmp_path)
    os.symlink("2030", project / "calendar" / "mirror")

    result = load_scenario(project)

    assert [warning.format() for warning in result.warnings] == [
        (
            "calendar/mirror: symlinked directory not read; move its files into the calendar "
            "directory"
        ),
    ]
    assert len(result.calendar.posts) == 4


def test_hidden_characters_in_text_rejected() -> None:
    # The last post of the fixture contains emoji ZWJ sequences, a Persian ZWNJ and a Devanagari
    # ZWJ, tabs and newlines, none of which is reported.
    assert problem_lines(HOSTILE / "text") == [
        (
            "calendar/hidden.yaml:7:12: bidi-override: content contains bidirectional control "
            "U+202E (RIGHT-TO-LEFT OVERRIDE) at text line 1, column 8; remove it, because "
            "readers of the plan cannot see it"
        ),
        (
            "calendar/hidden.yaml:7:12: bidi-override: content contains bidirectional control "
            "U+202C (POP DIRECTIONAL FORMATTING) at text line 1, column 20; remove it, because "
            "readers of the plan cannot see it"
        ),
        (
            "calendar/hidden.yaml:14:12: isolate: content contains bidirectional control U+2067 "
            "(RIGHT-TO-LEFT ISOLATE) at text line 1, column 8; remove it, because readers of "
            "the plan cannot see it"
        ),
        (
            "calendar/hidden.yaml:14:12: isolate: content contains bidirectional control U+2069 "
            "(POP DIRECTIONAL ISOLATE) at text line 1, column 12; remove it, because readers of "
            "the plan cannot see it"
        ),
        (
            "calendar/hidden.yaml:21:12: zero-width-space: content contains invisible character "
            "U+200B (ZERO WIDTH SPACE) at text line 1, column 5 (and 2 more); remove it, "
            "because readers of the plan cannot see it"
        ),
        (
            "calendar/hidden.yaml:28:12: bell: content contains control character U+0007 at "
            "text line 2, column 9; remove it, because readers of the plan cannot see it"
        ),
        (
            "calendar/hidden.yaml:35:12: joiner-in-words: content contains U+200D (ZERO WIDTH "
            "JOINER) outside an emoji sequence or joining script at text line 1, column 5; "
            "remove it, because readers of the plan cannot see it"
        ),
        (
            "calendar/hidden.yaml:35:12: joiner-in-words: content contains U+200C (ZERO WIDTH "
            "NON-JOINER) outside an emoji sequence or joining script at text line 1, column 18; "
            "remove it, because readers of the plan cannot see it"
        ),
        (
            "calendar/hidden.yaml:42:12: byte-order-mark: content contains invisible character "
            "U+FEFF (ZERO WIDTH NO-BREAK SPACE) at text line 1, column 6; remove it, because "
            "readers of the plan cannot see it"
        ),
        (
            "calendar/hidden.yaml:42:12: byte-order-mark: content contains invisible character "
            "U+2060 (WORD JOINER) at text line 1, column 13; remove it, because readers of the "
            "plan cannot see it"
        ),
        (
            "calendar/hidden.yaml:51:16: in-comment-and-override: comments[0].content contains "
            "control character U+001B at text line 1, column 16; remove it, because readers of "
            "the plan cannot see it"
        ),
        (
            "calendar/hidden.yaml:54:16: in-comment-and-override: overrides.brand.content "
            "contains bidirectional control U+202A (LEFT-TO-RIGHT EMBEDDING) at text line 1, "
            "column 17; remove it, because readers of the plan cannot see it"
        ),
    ]


def test_too_many_posts_one_problem() -> None:
    assert problem_lines(HOSTILE / "limits" / "too_many_posts") == [
        (
            "calendar: the calendar has 4 posts, more than limits.max_posts (3); split the "
            "calendar into several projects, or raise limits.max_posts in loomta.yaml"
        ),
    ]


def test_too_many_files_stops_before_parsing() -> None:
    assert problem_lines(HOSTILE / "limits" / "too_many_files") == [
        (
            "calendar: the calendar has 3 post files, more than limits.max_posts (2); split the "
            "calendar into several projects, or raise limits.max_posts in loomta.yaml"
        ),
    ]


def test_oversized_file_does_not_hide_others() -> None:
    assert problem_lines(HOSTILE / "limits" / "file_bytes") == [
        (
            "calendar/big.yaml: file is 414 bytes, more than the limit of 300 "
            "(limits.max_file_bytes); split the file or raise the limit in loomta.yaml"
        ),
        (
            "calendar/small.yaml:1:13: small: unknown platform 'brnad'; did you mean 'brand'? "
            "Aliases in loomta.yaml: brand"
        ),
    ]


def test_long_names_cut_in_messages(tmp_path: Path) -> None:
    project = copy_scenario(SCENARIOS / "no_catalog", tmp_path)
    long_name = "x" * 5000
    long_key = "x" * 1000  # YAML allows at most 1024 characters in a plain key
    (project / "calendar" / "text-only.yaml").write_text(
        f"platforms: [{long_name}]\ncontent: Long names.\nmode: draft\n"
        f"timezone: Europe/{long_name}\n",
        encoding="utf-8",
    )
    (project / "calendar" / "key.yaml").write_text(
        f"platforms: [brand]\ncontent: A long key.\nmode: draft\n{long_key}: 1\n",
        encoding="utf-8",
    )

    lines = problem_lines(project)

    assert lines == [
        f"calendar/key.yaml:4:1: key: unknown key '{'x' * 57}...'; allowed keys: id, platforms, "
        "content, mode, scheduledFor, timezone, media, settings, comments, overrides",
        "calendar/text-only.yaml:1:13: text-only: unknown platform "
        f"'{'x' * 57}...'; use an alias from loomta.yaml (brand) or a platform id",
        f"calendar/text-only.yaml:4:11: text-only: unknown time zone 'Europe/{'x' * 50}...'; "
        "use an IANA name such as Europe/Berlin",
    ]
