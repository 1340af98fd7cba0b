"""The YAML loader on hostile files: each is rejected with one exact problem, or read safely."""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from loomta_sync.calendar.yaml_loader import AmbiguousScalar, Mark, load_yaml
from loomta_sync.config import InputLimits
from loomta_sync.errors import ValidationFailed
from tests.yaml.conftest import FIXTURES

HOSTILE_YAML = FIXTURES / "yaml"
ALLOWED_TAGS = "!!str, !!int, !!float, !!bool, !!null, !!map and !!seq"
UNSUPPORTED = f"is not supported; remove it (only {ALLOWED_TAGS} are allowed)"
NO_DOCUMENT = (
    "file contains no YAML document (it is empty or only comments); "
    "add the content or delete the file"
)

# Fixture name -> the one problem it produces, the same with either parser.
REJECTED = {
    "ambiguous_timestamp_key": (
        "2:1: key '2026-07-01' would be read as a timestamp by YAML 1.1 tools; "
        "quote it: '2026-07-01'"
    ),
    "billion_laughs": (
        "5:36: alias *d repeats 11111 nodes, which takes the document past the limit of 100000 "
        "YAML nodes (limits.max_yaml_nodes); write the values out instead of repeating them "
        "with aliases, or split the file"
    ),
    "binary_tag": f"1:8: tag !!binary {UNSUPPORTED}",
    "comments_only": f"1:1: {NO_DOCUMENT}",
    "complex_key": "2:3: mapping key is a mapping, not a string; use a string as the key",
    "control_character": (
        "2:16: control character U+0007 is not allowed in YAML; "
        "remove it, or write it as the escape \\x07 in a double-quoted string"
    ),
    "custom_tag": f"2:10: tag !secret {UNSUPPORTED}",
    "duplicate_key": "4:1: duplicate key 'content', first at line 2, column 1; remove one of them",
    "empty": f"1:1: {NO_DOCUMENT}",
    "int_key": "2:1: mapping key 1 is an integer, not a string; quote it: '1'",
    "leading_zero": (
        "4:21: number 010 has a leading zero, which YAML 1.1 tools read as octal; "
        "remove the leading zeros, or quote it if it is a string"
    ),
    "merge_key": "4:3: merge keys (<<) are not supported; write the fields out in full",
    "non_utf8": "2:13: invalid UTF-8 byte 0xE9; save the file as UTF-8",
    "null_key": "2:1: mapping key is null, not a string; write a key name, or quote it",
    "on_key": "2:1: key 'on' would be read as a boolean by YAML 1.1 tools; quote it: 'on'",
    "python_object_apply": (f"2:10: tag !!python/object/apply:os.system {UNSUPPORTED}"),
    "recursive_alias": (
        "2:26: alias *loop is inside the node anchored as &loop, so it would repeat forever; "
        "remove the alias"
    ),
    "redefined_tag_handle": (f"3:10: tag tag:example.com,2000:str {UNSUPPORTED}"),
    "sequence_key": "2:1: mapping key is a sequence, not a string; use a string as the key",
    "str_tag_on_mapping": "1:11: tag !!str on a mapping; remove the tag",
    "tab_indentation": (
        "3:1: tab character in indentation, but YAML indents with spaces only; "
        "replace the tab with spaces"
    ),
    "two_documents": (
        "3:1: a second YAML document starts here, but a file may contain only one; "
        "move it to its own file or remove the `---` line"
    ),
    "undefined_alias": (
        "2:11: alias *shared refers to no anchor defined before it; "
        "define &shared before using *shared, or remove the alias"
    ),
}

# libyaml and PyYAML word their syntax errors differently.
UNTERMINATED_QUOTE = {
    "libyaml": "4:1: invalid YAML: found unexpected end of stream while scanning a quoted scalar "
    "that starts at line 2, column 10",
    "pure-python": "4:1: invalid YAML: found unexpected end of stream while scanning a quoted "
    "scalar that starts at line 2, column 10",
}


def problem_text(path: Path, limits: InputLimits | None = None) -> str:
    """Load `path` as calendar/<name> and return its one problem, formatted."""
    with pytest.raises(ValidationFailed) as caught:
        load_yaml(path, f"calendar/{path.name}", limits or InputLimits())
    problems = caught.value.problems
    assert len(problems) == 1
    return problems[0].format()


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_hostile_fixture_rejected(name: str, parser_name: str) -> None:
    path = HOSTILE_YAML / f"{name}.yaml"

    assert problem_text(path) == f"calendar/{name}.yaml:{REJECTED[name]}"


def test_every_hostile_fixture_has_a_case() -> None:
    accepted = {"bom", "content_timestamp", "id_no"}
    names = {path.stem for path in HOSTILE_YAML.glob("*.yaml")}

    assert names == set(REJECTED) | accepted | {"unterminated_quote"}


def test_unterminated_quote_rejected(parser_name: str) -> None:
    path = HOSTILE_YAML / "unterminated_quote.yaml"

    expected = f"calendar/unterminated_quote.yaml:{UNTERMINATED_QUOTE[parser_name]}"
    assert problem_text(path) == expected


def test_byte_order_mark_accepted(parser_name: str) -> None:
    document = load_yaml(HOSTILE_YAML / "bom.yaml", "calendar/bom.yaml", InputLimits())

    assert document.value == {"id": "launch", "content": "Hello"}
    assert document.key_marks[("id",)].column == 1
    assert document.marks[("content",)].line == 2


def test_id_no_is_ambiguous_bool(parser_name: str) -> None:
    document = load_yaml(HOSTILE_YAML / "id_no.yaml", "calendar/id_no.yaml", InputLimits())

    value = document.value["id"]
    assert isinstance(value, AmbiguousScalar)
    assert value == "no"
    assert value.yaml11_type == "bool"


def test_content_date_is_ambiguous_timestamp(parser_name: str) -> None:
    path = HOSTILE_YAML / "content_timestamp.yaml"
    document = load_yaml(path, "calendar/content_timestamp.yaml", InputLimits())

    value = document.value["content"]
    assert isinstance(value, AmbiguousScalar)
    assert value == "2026-07-01"
    assert value.yaml11_type == "timestamp"


def test_billion_laughs_stays_small() -> None:
    path = HOSTILE_YAML / "billion_laughs.yaml"

    tracemalloc.start()
    try:
        with pytest.raises(ValidationFailed):
            load_yaml(path, "calendar/billion_laughs.yaml", InputLimits())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # A full expansion would be 10**9 strings; the budget stops it near 10**5 nodes.
    assert peak < 20_000_000


def test_deep_nesting_rejected(write_yaml: Callable[[bytes | str], Path], parser_name: str) -> None:
    path = write_yaml("a: " + "[" * 500 + "]" * 500 + "\n")

    expected = (
        f"calendar/{path.name}:1:35: nesting is deeper than 32 levels (limits.max_depth); "
        "flatten the structure or raise the limit in loomta.yaml"
    )
    assert problem_text(path) == expected


def test_very_deep_flow_rejected(
    write_yaml: Callable[[bytes | str], Path], parser_name: str
) -> None:
    path = write_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n")

    # libyaml reaches its own limit of 1000 levels while scanning ahead, before the loader
    # receives the 33rd level. PyYAML's parser does not scan that far ahead.
    column = 1003 if parser_name == "libyaml" else 35
    expected = (
        f"calendar/{path.name}:1:{column}: nesting is deeper than 32 levels (limits.max_depth); "
        "flatten the structure or raise the limit in loomta.yaml"
    )
    assert problem_text(path) == expected


def test_libyaml_depth_over_configured_limit(write_yaml: Callable[[bytes | str], Path]) -> None:
    path = write_yaml("a: " + "[" * 1500 + "]" * 1500 + "\n")

    expected = (
        f"calendar/{path.name}:1:1003: nesting is deeper than 1000 levels, the maximum of "
        "libyaml; flatten the structure or raise the limit in loomta.yaml"
    )
    assert problem_text(path, InputLimits(max_depth=2000)) == expected


def test_deep_block_nesting_rejected(write_yaml: Callable[[bytes | str], Path]) -> None:
    lines = [" " * level + f"k{level}:" for level in range(40)]
    path = write_yaml("\n".join(lines) + " x\n")

    expected = (
        f"calendar/{path.name}:33:33: nesting is deeper than 32 levels (limits.max_depth); "
        "flatten the structure or raise the limit in loomta.yaml"
    )
    assert problem_text(path) == expected


def test_nesting_at_limit_accepted(write_yaml: Callable[[bytes | str], Path]) -> None:
    path = write_yaml("[" * 32 + "]" * 32)

    document = load_yaml(path, "calendar/deep.yaml", InputLimits())

    innermost = document.value
    for _ in range(31):
        innermost = innermost[0]
    assert innermost == []
    assert document.marks[(0,) * 31] == Mark(1, 32)
    assert document.mark((0,) * 40) == Mark(1, 32)


def test_alias_past_depth_rejected(write_yaml: Callable[[bytes | str], Path]) -> None:
    path = write_yaml("a: &deep [[[x]]]\nb: [[*deep]]\n")
    limits = InputLimits(max_depth=5)

    expected = (
        f"calendar/{path.name}:2:6: nesting is deeper than 5 levels (limits.max_depth); "
        "flatten the structure or raise the limit in loomta.yaml"
    )
    assert problem_text(path, limits) == expected


def test_huge_scalar_rejected(write_yaml: Callable[[bytes | str], Path], parser_name: str) -> None:
    path = write_yaml("id: launch\ncontent: " + "x" * 70_000 + "\n")

    expected = (
        f"calendar/{path.name}:2:10: scalar of 70000 characters is longer than the limit of "
        "65536 (limits.max_scalar_chars); shorten it or raise the limit in loomta.yaml"
    )
    assert problem_text(path) == expected


def test_huge_key_rejected(write_yaml: Callable[[bytes | str], Path]) -> None:
    path = write_yaml("k" * 11 + ": x\n")

    expected = (
        f"calendar/{path.name}:1:1: scalar of 11 characters is longer than the limit of "
        "10 (limits.max_scalar_chars); shorten it or raise the limit in loomta.yaml"
    )
    assert problem_text(path, InputLimits(max_scalar_chars=10)) == expected


def test_huge_file_rejected(write_yaml: Callable[[bytes | str], Path]) -> None:
    path = write_yaml("content: " + "x" * 2_000_000 + "\n")

    expected = (
        f"calendar/{path.name}: file is 2000010 bytes, more than the limit of 1048576 "
        "(limits.max_file_bytes); split the file or raise the limit in loomta.yaml"
    )
    assert problem_text(path) == expected


def test_file_at_size_limit_accepted(write_yaml: Callable[[bytes | str], Path]) -> None:
    path = write_yaml("a: " + "x" * 7 + "\n")

    document = load_yaml(path, "calendar/small.yaml", InputLimits(max_file_bytes=11))

    assert document.value == {"a": "xxxxxxx"}


def test_many_nodes_rejected(write_yaml: Callable[[bytes | str], Path]) -> None:
    path = write_yaml("[" + ", ".join(["1"] * 30) + "]\n")

    expected = (
        f"calendar/{path.name}:1:59: document has more than 20 YAML nodes "
        "(limits.max_yaml_nodes); split the file or raise the limit in loomta.yaml"
    )
    assert problem_text(path, InputLimits(max_yaml_nodes=20)) == expected


def test_alias_counts_its_nodes(write_yaml: Callable[[bytes | str], Path]) -> None:
    # The root, key a and the anchored list of 4 nodes make 6. Keys b and c add 1 each, and
    # each alias adds the 4 nodes it repeats: 16 in all.
    path = write_yaml("a: &x [1, 2, 3]\nb: *x\nc: *x\n")

    limits_fit = InputLimits(max_yaml_nodes=16)
    assert load_yaml(path, "calendar/a.yaml", limits_fit).value["c"] == [1, 2, 3]

    expected = (
        f"calendar/{path.name}:3:4: alias *x repeats 4 nodes, which takes the document past the "
        "limit of 15 YAML nodes (limits.max_yaml_nodes); write the values out instead of "
        "repeating them with aliases, or split the file"
    )
    assert problem_text(path, InputLimits(max_yaml_nodes=15)) == expected


def test_fifo_rejected_without_opening(tmp_path: Path) -> None:
    fifo = tmp_path / "post.yaml"
    os.mkfifo(fifo)

    # Opening a FIFO for reading would block this test forever.
    expected = "calendar/post.yaml: file is not a regular file; replace it with a file or remove it"
    assert problem_text(fifo) == expected


def test_directory_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "post.yaml"
    folder.mkdir()

    expected = "calendar/post.yaml: file is not a regular file; replace it with a file or remove it"
    assert problem_text(folder) == expected


def test_missing_file_rejected(tmp_path: Path) -> None:
    expected = (
        "calendar/gone.yaml: file cannot be read: No such file or directory; "
        "check that it is readable"
    )
    assert problem_text(tmp_path / "gone.yaml") == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a: \xc2\x85b\x7f\n", "1:6: control character U+007F"),
        (b"a: \xc2\x9f\n", "1:4: control character U+009F"),
        (b"a: \xef\xbf\xbe\n", "1:4: control character U+FFFE"),
        (b"\xff\xfea\x00", "1:1: invalid UTF-8 byte 0xFF"),
        ("é: ok\nb: ".encode() + b"\xed\xa0\x80\n", "2:4: invalid UTF-8 byte 0xED"),
    ],
)
def test_bad_character_positions(
    write_yaml: Callable[[bytes | str], Path], content: bytes, expected: str, parser_name: str
) -> None:
    path = write_yaml(content)

    assert problem_text(path).startswith(f"calendar/{path.name}:{expected}")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a: !!map x\n", "1:4: tag !!map on a scalar; remove the tag"),
        ("a: !!int [1]\n", "1:4: tag !!int on a sequence; remove the tag"),
        ("a: ! x\n", f"1:4: tag ! {UNSUPPORTED}"),
        (
            "a: !!int 1.5\n",
            "1:4: !!int tag on '1.5', which is not a YAML 1.2 int; fix the value or remove the tag",
        ),
        (
            "a: !!bool yes\n",
            "1:4: !!bool tag on 'yes', which is not a YAML 1.2 bool; "
            "fix the value or remove the tag",
        ),
        (
            "x: !!set {a}\n",
            f"1:4: tag !!set {UNSUPPORTED}",
        ),
    ],
)
def test_tag_misuse_rejected(
    write_yaml: Callable[[bytes | str], Path], content: str, expected: str
) -> None:
    path = write_yaml(content)

    assert problem_text(path) == f"calendar/{path.name}:{expected}"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("true: x\n", "1:1: mapping key true is a boolean, not a string; quote it: 'true'"),
        ("0x1F: x\n", "1:1: mapping key 0x1F is an integer, not a string; quote it: '0x1F'"),
        ("1.5: x\n", "1:1: mapping key 1.5 is a float, not a string; quote it: '1.5'"),
        ("~: x\n", "1:1: mapping key is null, not a string; write a key name, or quote it"),
        (
            "Yes: x\n",
            "1:1: key 'Yes' would be read as a boolean by YAML 1.1 tools; quote it: 'Yes'",
        ),
        (
            "1:30: x\n",
            "1:1: key '1:30' would be read as an integer by YAML 1.1 tools; quote it: '1:30'",
        ),
        ("a: 1\n? a\n", "2:3: duplicate key 'a', first at line 1, column 1; remove one of them"),
        (
            "a: &k b\n*k : 1\nb: 2\n",
            "3:1: duplicate key 'b', first at line 2, column 1; remove one of them",
        ),
        (
            "a: &n [1]\n*n : 1\n",
            "2:1: mapping key is a sequence, not a string; use a string as the key",
        ),
        ("a: &n 5\n*n : 1\n", "2:1: mapping key 5 is an integer, not a string; quote it: '5'"),
    ],
)
def test_bad_keys_rejected(
    write_yaml: Callable[[bytes | str], Path], content: str, expected: str
) -> None:
    path = write_yaml(content)

    assert problem_text(path) == f"calendar/{path.name}:{expected}"


def test_quoted_merge_key_accepted(write_yaml: Callable[[bytes | str], Path]) -> None:
    path = write_yaml("'<<': x\n\"on\": z\n")

    document = load_yaml(path, "calendar/a.yaml", InputLimits())

    assert document.value == {"<<": "x", "on": "z"}
    assert [type(key) for key in document.value] == [str, str]
