"""The YAML loader on valid files: resolved values, node marks and ambiguous scalars."""

from __future__ import annotations

import copy
import math
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from loomta_sync.calendar.yaml_loader import AmbiguousScalar, Mark, YamlDocument, load_yaml
from loomta_sync.config import InputLimits
from loomta_sync.errors import ValidationFailed

WriteYaml = Callable[[bytes | str], Path]


def load_text(write_yaml: WriteYaml, text: str) -> YamlDocument:
    return load_yaml(write_yaml(text), "calendar/post.yaml", InputLimits())


@pytest.mark.parametrize(
    ("plain", "expected"),
    [
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("FALSE", False),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("~", None),
        ("", None),
        ("0", 0),
        ("42", 42),
        ("-17", -17),
        ("+3", 3),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("-.5", -0.5),
        ("1.", 1.0),
        ("1e3", 1000.0),
        ("6.02E+23", 6.02e23),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("+.INF", math.inf),
        ("schedule", "schedule"),
        ("nULL", "nULL"),
        ("0x", "0x"),
        ("0o8", "0o8"),
        ("1.2.3", "1.2.3"),
        ("-x", "-x"),
        (".", "."),
        ("-.", "-."),
        ("._", "._"),
        ("+.5e", "+.5e"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("https://example.com/a#b", "https://example.com/a#b"),
    ],
)
def test_plain_scalar_core_schema(write_yaml: WriteYaml, plain: str, expected: Any) -> None:
    value = load_text(write_yaml, f"value: {plain}\n").value["value"]

    assert value == expected
    assert type(value) is type(expected)


def test_plain_nan(write_yaml: WriteYaml) -> None:
    values = load_text(write_yaml, "[.nan, .NaN, .NAN]\n").value

    assert all(isinstance(value, float) and math.isnan(value) for value in values)


@pytest.mark.parametrize(
    ("plain", "yaml11_type"),
    [
        ("yes", "bool"),
        ("No", "bool"),
        ("OFF", "bool"),
        ("on", "bool"),
        ("y", "bool"),
        ("N", "bool"),
        ("yEs", "bool"),
        ("tRUE", "bool"),
        ("2026-07-01", "timestamp"),
        ("2026-7-1", "timestamp"),
        ("2026-07-01T09:00", "timestamp"),
        ("2026-07-01t09:00:30.5Z", "timestamp"),
        ("2026-07-01 09:00:00+02:00", "timestamp"),
        ("2026-07-01 09:00:00 -5", "timestamp"),
        ("1_000", "int"),
        ("0b1010", "int"),
        ("0x_FF", "int"),
        ("1:30", "int"),
        ("-190:20:30", "int"),
        ("1_000.5", "float"),
        (".5_0", "float"),
        ("1:30.5", "float"),
    ],
)
def test_yaml11_ambiguous_scalar(write_yaml: WriteYaml, plain: str, yaml11_type: str) -> None:
    value = load_text(write_yaml, f"value: {plain}\n").value["value"]

    assert isinstance(value, AmbiguousScalar)
    assert value == plain
    assert value.yaml11_type == yaml11_type


@pytest.mark.parametrize("quoted", ["'yes'", '"no"', "'2026-07-01'", '"1"', "'null'", '"~"'])
def test_quoted_scalar_is_plain_str(write_yaml: WriteYaml, quoted: str) -> None:
    value = load_text(write_yaml, f"value: {quoted}\n").value["value"]

    assert type(value) is str
    assert value == quoted[1:-1]


def test_block_scalar_is_plain_str(write_yaml: WriteYaml) -> None:
    document = load_text(write_yaml, "literal: |\n  yes\n  no\nfolded: >-\n  2026-07-01\n")

    assert document.value == {"literal": "yes\nno\n", "folded": "2026-07-01"}
    assert [type(value) for value in document.value.values()] == [str, str]


@pytest.mark.parametrize(
    ("tagged", "expected"),
    [
        ("!!str yes", "yes"),
        ("!!str 12", "12"),
        ("!!int 0x1F", 31),
        ("!!int '7'", 7),
        ("!!float 3", 3.0),
        ("!!float .inf", math.inf),
        ("!!bool False", False),
        ("!!null ~", None),
        ("!!null", None),
    ],
)
def test_standard_tags(write_yaml: WriteYaml, tagged: str, expected: Any) -> None:
    value = load_text(write_yaml, f"value: {tagged}\n").value["value"]

    assert value == expected
    assert type(value) is type(expected)


def test_collection_tags_accepted(write_yaml: WriteYaml) -> None:
    document = load_text(write_yaml, "--- !!map\nlist: !!seq [a]\nmap: !!map {b: c}\n...\n")

    assert document.value == {"list": ["a"], "map": {"b": "c"}}


def test_post_marks(write_yaml: WriteYaml) -> None:
    text = (
        "id: launch-teaser\n"
        "platforms: [brand, dev]\n"
        "content: |\n"
        "  Our launch is two weeks away.\n"
        "comments:\n"
        "  - content: Link in bio.\n"
        "    delayInMinutes: 5\n"
    )

    document = load_text(write_yaml, text)

    assert document.path == "calendar/post.yaml"
    assert document.value == {
        "id": "launch-teaser",
        "platforms": ["brand", "dev"],
        "content": "Our launch is two weeks away.\n",
        "comments": [{"content": "Link in bio.", "delayInMinutes": 5}],
    }
    assert document.marks == {
        (): Mark(1, 1),
        ("id",): Mark(1, 5),
        ("platforms",): Mark(2, 12),
        ("platforms", 0): Mark(2, 13),
        ("platforms", 1): Mark(2, 20),
        ("content",): Mark(3, 10),
        ("comments",): Mark(6, 3),
        ("comments", 0): Mark(6, 5),
        ("comments", 0, "content"): Mark(6, 14),
        ("comments", 0, "delayInMinutes"): Mark(7, 21),
    }
    assert document.key_marks == {
        ("id",): Mark(1, 1),
        ("platforms",): Mark(2, 1),
        ("content",): Mark(3, 1),
        ("comments",): Mark(5, 1),
        ("comments", 0, "content"): Mark(6, 5),
        ("comments", 0, "delayInMinutes"): Mark(7, 5),
    }


def test_marks_count_characters_not_bytes(write_yaml: WriteYaml) -> None:
    document = load_text(write_yaml, "café: 😀 ok\r\nnext: [é, x]\r\n")

    assert document.marks[("café",)] == Mark(1, 7)
    assert document.marks[("next", 1)] == Mark(2, 11)


def test_mark_of_unknown_path_uses_ancestor(write_yaml: WriteYaml) -> None:
    document = load_text(write_yaml, "settings:\n  privacy_level: SELF_ONLY\n")

    assert document.mark(("settings", "missing", 3)) == Mark(2, 3)
    assert document.mark(("other",)) == Mark(1, 1)
    assert document.key_mark(("settings", "privacy_level")) == Mark(2, 3)
    assert document.key_mark(("settings", "missing")) == Mark(2, 3)


def test_alias_copies_anchor(write_yaml: WriteYaml) -> None:
    text = "base: &base {privacy_level: SELF_ONLY, tags: [a]}\nsettings: *base\n"

    document = load_text(write_yaml, text)

    base = document.value["base"]
    settings = document.value["settings"]
    assert settings == base
    assert settings is not base
    assert settings["tags"] is not base["tags"]
    settings["tags"].append("b")
    assert base["tags"] == ["a"]


def test_alias_inner_marks_point_at_alias(write_yaml: WriteYaml) -> None:
    document = load_text(write_yaml, "base: &base {tags: [a]}\nsettings: *base\n")

    assert document.mark(("settings", "tags", 0)) == Mark(2, 11)
    assert ("settings", "tags") not in document.marks


def test_scalar_alias_and_string_key_alias(write_yaml: WriteYaml) -> None:
    document = load_text(write_yaml, "name: &n brand\n*n : dev\nother: *n\n")

    assert document.value == {"name": "brand", "brand": "dev", "other": "brand"}
    assert document.key_marks[("brand",)] == Mark(2, 1)


def test_alias_at_depth_limit_accepted(write_yaml: WriteYaml) -> None:
    path = write_yaml("a: &deep [[[x]]]\nb: [[*deep]]\n")

    document = load_yaml(path, "calendar/post.yaml", InputLimits(max_depth=6))

    assert document.value["b"] == [[[[["x"]]]]]


def test_null_root_loaded(write_yaml: WriteYaml) -> None:
    document = load_text(write_yaml, "---\n...\n")

    assert document.value is None
    assert document.marks == {(): Mark(2, 1)}


def test_ambiguous_scalar_survives_copy_and_pickle() -> None:
    value = AmbiguousScalar("no", "bool")

    copied = copy.deepcopy(value)
    restored = pickle.loads(pickle.dumps(value))

    for result in (copied, restored):
        assert isinstance(result, AmbiguousScalar)
        assert result == "no"
        assert result.yaml11_type == "bool"
    assert hash(value) == hash("no")


def test_problem_names_display_path(write_yaml: WriteYaml) -> None:
    path = write_yaml("a: [\n")

    with pytest.raises(ValidationFailed) as caught:
        load_yaml(path, "calendar/nested/launch.yaml", InputLimits())

    assert caught.value.problems[0].path == "calendar/nested/launch.yaml"
    assert caught.value.problems[0].line == 2
