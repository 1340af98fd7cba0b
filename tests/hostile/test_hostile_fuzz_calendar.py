"""Fuzzing `validate` and `plan` with mutated copies of the example posts, in process.

Each example replaces one post file of a copy of the example project with a mutated version
and runs both commands through `loomta_sync.cli.main.main`. Whatever the file holds, the CLI
must exit 0 or 1 through its own handler: no other exception, no traceback, no internal
error, and no change to the state directory. Runs are derandomized and keep no example
database, so CI runs the same examples every time.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.hostile.hostile_cli import run_in_process
from tests.hostile.hostile_projects import seed_state, snapshot

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "calendar"
POST_FILES = sorted(
    path.relative_to(EXAMPLE).as_posix() for path in (EXAMPLE / "calendar").rglob("*.yaml")
)
ORIGINALS = {name: (EXAMPLE / name).read_bytes() for name in POST_FILES}

FUZZ_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Byte strings that YAML, the loader or the validators treat specially.
TOKENS = [
    b"&a ",
    b"*a",
    b"*undefined",
    b"&x [*x]",
    b"<<: *a\n",
    b"!!python/object/apply:os.system [id]",
    b"!!binary aGk=",
    b"!custom ",
    b"!!str ",
    b"\n---\n",
    b"%YAML 1.1\n---\n",
    b"\t",
    b"\x00",
    b"\x07",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xe9",
    b"{",
    b"[",
    b"]",
    b"}",
    b'"',
    b"'",
    b": ",
    b"- ",
    b"\n  ",
    b"? ",
    b"|\n",
    b">-\n",
    b"#",
    b"2026-07-01",
    b"no",
    b"on",
    b"010",
    b"0x1F",
    b".nan",
    b"~",
    b"\r",
    "\u202e".encode(),
    "\u200b".encode(),
    "\U0001f469\u200d\U0001f4bb".encode(),
    b"../",
    b"/etc/passwd",
    b"media/../../outside.jpg",
    b"\\e[2J",
    b'"\\u202E"',
    b"[" * 40,
    b"x" * 3000,
]

POST_KEYS = [
    "id",
    "platforms",
    "content",
    "mode",
    "scheduledFor",
    "timezone",
    "media",
    "settings",
    "comments",
    "overrides",
    "privacy_level",
    "delayInMinutes",
]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(
        [
            "no",
            "2030-03-04T09:00",
            "2030-03-31T02:30",
            "2020-01-01T00:00Z",
            "Europe/Berlin",
            "../../etc/passwd",
            "media/launch-poster.jpg",
            "media/release-demo.mp4",
            "a\u202eb",
            "\U0001f469\u200d\U0001f4bb",
            "brand",
            "dev",
            "6f1b2c3d-0000-4000-8000-000000000001",
            "draft",
            "now",
            "schedule",
            "PUBLIC_TO_EVERYONE",
        ]
    ),
)
KEYS = st.one_of(st.sampled_from(POST_KEYS), st.text(max_size=12), st.integers(), st.none())
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=3),
    max_leaves=8,
)


@dataclass(frozen=True)
class FuzzProject:
    root: Path

    @contextlib.contextmanager
    def with_file(self, name: str, data: bytes) -> Iterator[None]:
        """Replace one post file with `data` for the duration of the block."""
        path = self.root / name
        path.write_bytes(data)
        try:
            yield
        finally:
            path.write_bytes(ORIGINALS[name])


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> FuzzProject:
    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(EXAMPLE, root)
    seed_state(root)
    return FuzzProject(root)


@st.composite
def byte_mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    """Return a post file's name and its bytes after a few insertions, deletions and swaps."""
    name = draw(st.sampled_from(POST_FILES))
    data = bytearray(ORIGINALS[name])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(data)))
        operation = draw(st.sampled_from(["token", "token", "delete", "byte"]))
        if operation == "token":
            data[position:position] = draw(st.sampled_from(TOKENS))
        elif operation == "delete":
            data[position : position + draw(st.integers(1, 20))] = b""
        else:
            data[position : position + 1] = bytes([draw(st.integers(0, 255))])
    return name, bytes(data)


@st.composite
def tree_mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    """Return a post file's name and a YAML dump of its posts with keys and values changed."""
    name = draw(st.sampled_from(POST_FILES))
    document: Any = yaml.safe_load(ORIGINALS[name])
    posts = document if isinstance(document, list) else [document]
    for post in posts:
        for key in draw(st.lists(st.sampled_from(POST_KEYS), max_size=2)):
            post.pop(key, None)
        post.update(draw(st.dictionaries(KEYS, VALUES, max_size=3)))
    if draw(st.booleans()):
        document = draw(st.sampled_from([posts, posts[0], [document], {"post": document}]))
    text = yaml.safe_dump(document, allow_unicode=draw(st.booleans()), sort_keys=False)
    return name, text.encode("utf-8")


def check_commands(project: FuzzProject) -> None:
    before = snapshot(project.root / ".loomta")
    for command in (["validate"], ["plan"]):
        code, output = run_in_process("-C", str(project.root), *command)

        assert code in (0, 1), output
        assert "Traceback" not in output
        assert "Internal error" not in output
        event(f"{command[0]} exit code {code}")
    assert snapshot(project.root / ".loomta") == before


@FUZZ_SETTINGS
@given(mutation=byte_mutations())
def test_byte_mutations_handled(fuzz_project: FuzzProject, mutation: tuple[str, bytes]) -> None:
    name, data = mutation
    with fuzz_project.with_file(name, data):
        check_commands(fuzz_project)


@FUZZ_SETTINGS
@given(mutation=tree_mutations())
def test_tree_mutations_handled(fuzz_project: FuzzProject, mutation: tuple[str, bytes]) -> None:
    name, data = mutation
    with fuzz_project.with_file(name, data):
        check_commands(fuzz_project)


def test_unchanged_example_valid(fuzz_project: FuzzProject) -> None:
    code, output = run_in_process("-C", str(fuzz_project.root), "validate")

    assert code == 0, output
    assert "Valid: 12 posts, 16 targets." in output
