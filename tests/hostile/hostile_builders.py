"""Building the project of each hostile case: a copied fixture project plus the hostile part.

Setups add what git cannot hold (symlinks, FIFOs, sockets) to the copy in the temporary
directory, never to the fixtures themselves.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

from tests.hostile.hostile_projects import (
    HOSTILE,
    TEXT_PROJECT,
    base_project,
    copy_project,
    keep_one_post,
    seed_state,
)

# Builds a project under the given temporary directory and returns its root.
Builder = Callable[[Path], Path]

YAML_FIXTURES = HOSTILE / "yaml"
CONFIG_FIXTURES = HOSTILE / "config"
LIMIT_FIXTURES = HOSTILE / "limits"
MEDIA_PATHS_FILE = "calendar/media-paths.yaml"
HIDDEN_TEXT_FILE = "calendar/hidden.yaml"

# The first bytes of each file type; the loader reads types from bytes, never from names.
JPEG_BYTES = (TEXT_PROJECT / "media" / "cover.jpg").read_bytes()
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(32)
MP4_BYTES = b"\x00\x00\x00\x18ftypisom" + bytes(32)
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
ZIP_BYTES = b"PK\x03\x04" + bytes(26)
HTML_BYTES = b"<!DOCTYPE html><html><script>fetch('/steal')</script></html>\n"


def post_text(
    media: str = "media/cover.jpg",
    content: str = "Hello.",
    settings: str = "privacy_level: SELF_ONLY",
    extra: str = "",
) -> str:
    """Return a one-post file for the brand account; `extra` adds lines at line 6 and later."""
    return (
        f"platforms: [brand]\nmode: draft\ncontent: {content}\nmedia: [{media}]\n"
        f"settings: {{{settings}}}\n{extra}"
    )


def calendar_file(name: str, data: bytes | str, *setups: Callable[[Path], None]) -> Builder:
    """Add one calendar file to the base project, after running `setups` on its root."""

    def build(directory: Path) -> Path:
        root = base_project(directory)
        for setup in setups:
            setup(root)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        (root / "calendar" / name).write_bytes(raw)
        return root

    return build


def yaml_fixture(name: str, completion: str = "") -> Builder:
    """Copy a YAML fixture as a calendar file, with `completion` lines appended."""
    data = (YAML_FIXTURES / f"{name}.yaml").read_bytes() + completion.encode("utf-8")
    return calendar_file(f"{name}.yaml", data)


def one_fixture_post(
    source: Path, relative: str, post_id: str, *setups: Callable[[Path, Path], None]
) -> Builder:
    """Copy a fixture project whose list file keeps only `post_id`, at its original lines."""

    def build(directory: Path) -> Path:
        root = copy_project(source, directory)
        list_file = root / relative
        list_file.write_text(
            keep_one_post(list_file.read_text(encoding="utf-8"), post_id), encoding="utf-8"
        )
        (root / "calendar" / "valid.yaml").write_text(post_text(), encoding="utf-8")
        seed_state(root)
        for setup in setups:
            setup(root, directory)
        return root

    return build


def config_fixture(name: str) -> Builder:
    def build(directory: Path) -> Path:
        root = base_project(directory)
        shutil.copyfile(CONFIG_FIXTURES / name / "loomta.yaml", root / "loomta.yaml")
        return root

    return build


def limit_fixture(name: str) -> Builder:
    def build(directory: Path) -> Path:
        root = copy_project(LIMIT_FIXTURES / name, directory)
        seed_state(root)
        return root

    return build


def with_project_setup(setup: Callable[[Path, Path], None]) -> Builder:
    """Run `setup(root, directory)` on the base project; for changes outside calendar/."""

    def build(directory: Path) -> Path:
        root = base_project(directory)
        setup(root, directory)
        return root

    return build


# Setups: files that git cannot hold, made in the copied project ------------------------------


def outside_symlink_to_jpeg(root: Path, directory: Path) -> None:
    shutil.copyfile(root / "media" / "cover.jpg", directory / "outside.jpg")
    os.symlink("../../outside.jpg", root / "media" / "escape.jpg")


def fifo_media(root: Path, directory: Path) -> None:
    os.mkfifo(root / "media" / "pipe.mp4")


def socket_media(root: Path) -> None:
    # A bound Unix socket leaves its file behind after the socket is closed.
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(os.fspath(root / "media" / "live.jpg"))


def device_media(root: Path) -> None:
    # Creating a device node needs privileges, so the post reaches one through a symlink.
    os.symlink("/dev/zero", root / "media" / "zero.jpg")


def media_file(name: str, data: bytes) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        (root / "media" / name).write_bytes(data)

    return setup


def calendar_symlink_outside(root: Path, directory: Path) -> None:
    (directory / "outside.yaml").write_text(post_text(), encoding="utf-8")
    os.symlink("../../outside.yaml", root / "calendar" / "linked.yaml")


def calendar_fifo(root: Path, directory: Path) -> None:
    os.mkfifo(root / "calendar" / "pipe.yaml")


def calendar_dangling_symlink(root: Path, directory: Path) -> None:
    os.symlink("missing.yaml", root / "calendar" / "dangling.yaml")


def calendar_non_utf8_name(root: Path, directory: Path) -> None:
    name = os.fsdecode(b"caf\xe9.yaml")
    (root / "calendar" / name).write_text(post_text(), encoding="utf-8")


def calendar_hidden_name(root: Path, directory: Path) -> None:
    (root / "calendar" / "invoice\u202egpj.yaml").write_text(post_text(), encoding="utf-8")


def state_directory_outside(root: Path, directory: Path) -> None:
    elsewhere = directory / "elsewhere"
    shutil.move(root / ".loomta", elsewhere)
    os.symlink(elsewhere, root / ".loomta")


def state_file_outside(root: Path, directory: Path) -> None:
    state = root / ".loomta" / "state.json"
    shutil.move(state, directory / "state.json")
    os.symlink(directory / "state.json", state)


def catalog_file_outside(root: Path, directory: Path) -> None:
    catalog = root / ".loomta" / "platforms.json"
    shutil.move(catalog, directory / "platforms.json")
    os.symlink("../../platforms.json", catalog)


def calendar_directory_outside(root: Path, directory: Path) -> None:
    outside = directory / "outside-calendar"
    outside.mkdir()
    (outside / "post.yaml").write_text(post_text(), encoding="utf-8")
    with (root / "loomta.yaml").open("a", encoding="utf-8") as config:
        config.write("paths:\n  calendar: posts\n")
    os.symlink(outside, root / "posts")


def lower_limits(**limits: int) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        lines = "".join(f"  {name}: {value}\n" for name, value in limits.items())
        with (root / "loomta.yaml").open("a", encoding="utf-8") as config:
            config.write("limits:\n" + lines)

    return setup
