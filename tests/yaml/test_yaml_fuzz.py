"""Mutated YAML never makes the loader raise anything but ValidationFailed."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loomta_sync.calendar.yaml_loader import YamlDocument, load_yaml
from loomta_sync.config import InputLimits
from loomta_sync.errors import ValidationFailed
from tests.yaml.conftest import FIXTURES

SEEDS = [
    b"id: launch\nplatforms: [brand, dev]\ncontent: |\n  Hello\nmode: schedule\n"
    b"scheduledFor: 2030-03-29T09:00\nsettings: {privacy_level: SELF_ONLY}\n",
    b"- id: a\n  content: 'x'\n  comments:\n    - content: \"y\\u00e9\"\n      delayInMinutes: 5\n",
    b"base: &b {k: [1, 2.5, yes, ~]}\nuse: *b\n? complex\n: !!str 7\n",
    "caf\u00e9: \U0001f600\r\nlist: >-\n  folded\n  text\n".encode(),
    *(path.read_bytes() for path in sorted((FIXTURES / "yaml").glob("*.yaml"))),
]
# Small limits so that mutations also reach the limit checks.
LIMITS = InputLimits(max_file_bytes=4096, max_scalar_chars=64, max_depth=6, max_yaml_nodes=200)
SPECIAL_BYTES = b"\t\n\r :-?[]{},&*!|>'\"%@`#\\\x00\x07\x85\xc2\xef\xbb\xbf\xff"

_file_numbers = itertools.count()


@st.composite
def mutated_yaml(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        position = draw(st.integers(min_value=0, max_value=len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "repeat"]))
        byte = draw(
            st.one_of(
                st.sampled_from(SPECIAL_BYTES),
                st.integers(0x20, 0x7E),
                st.integers(0, 255),
            )
        )
        if action == "insert":
            data.insert(position, byte)
        elif action == "delete" and position < len(data):
            del data[position]
        elif action == "replace" and position < len(data):
            data[position] = byte
        elif action == "repeat":
            data[position:position] = data[position : position + 8] * 4
    return bytes(data)


@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("yaml-fuzz")


def load_or_problem(folder: Path, data: bytes) -> YamlDocument | None:
    path = folder / f"case-{next(_file_numbers)}.yaml"
    path.write_bytes(data)
    try:
        return load_yaml(path, "calendar/case.yaml", LIMITS)
    except ValidationFailed as exc:
        assert len(exc.problems) == 1
        assert "\n" not in exc.problems[0].format()
        return None
    finally:
        path.unlink()


def assert_plain_tree(value: Any) -> None:
    """Assert that `value` contains only dict with str keys, list, str, int, float, bool, None."""
    pending = [value]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            assert all(isinstance(key, str) for key in node)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
        else:
            assert node is None or isinstance(node, str | int | float)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_yaml())
def test_mutated_yaml_only_validation_failed(fuzz_folder: Path, data: bytes) -> None:
    document = load_or_problem(fuzz_folder, data)

    if document is not None:
        assert_plain_tree(document.value)
        assert () in document.marks


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_only_validation_failed(fuzz_folder: Path, data: bytes) -> None:
    document = load_or_problem(fuzz_folder, data)

    if document is not None:
        assert_plain_tree(document.value)
