"""Partial documents (`all_marks=False`): the same values and problems, marks loaded on demand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from loomta_sync.calendar.yaml_loader import Mark, YamlDocument, YamlPath, load_yaml
from loomta_sync.config import InputLimits
from loomta_sync.errors import ValidationFailed

WriteYaml = Callable[[bytes | str], Path]

DOCUMENTS = {
    "single post": """\
# a comment first, so the root does not start at 1:1
id: launch
platforms: [brand, dev]
content: |
  Text
settings: {privacy_level: PUBLIC, tags: [a, b]}
comments:
  - content: later
    delayInMinutes: 5
""",
    "list of posts": """\
- id: one
  platforms: [brand]
  media:
    - media/a.jpg
-   id: two
    content: !!str 123
    settings: &shared {x: [1, 2]}
- *shared
- plain scalar
- [nested, [deeper]]
""",
    "aliases": """\
base: &base
  mode: draft
  tags: [x, y]
copy: *base
list: [*base, *base]
""",
    "scalar root": "just text\n",
}


def load(write_yaml: WriteYaml, text: str, *, all_marks: bool) -> YamlDocument:
    return load_yaml(write_yaml(text), "calendar/post.yaml", InputLimits(), all_marks=all_marks)


def probe_paths(document: YamlDocument) -> list[YamlPath]:
    """Every recorded path, each with a missing child, plus paths that match nothing."""
    paths: list[YamlPath] = [(), ("missing",), (99,), ("copy", "tags", 1, "deeper")]
    for path in [*document.marks, *document.key_marks]:
        paths += [path, (*path, "missing"), (*path, 0)]
    return paths


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_partial_marks_match_full_document(
    write_yaml: WriteYaml, parser_name: str, name: str
) -> None:
    full = load(write_yaml, DOCUMENTS[name], all_marks=True)
    for path in probe_paths(full):
        partial = load(write_yaml, DOCUMENTS[name], all_marks=False)
        assert partial.value == full.value
        assert partial.mark(path) == full.mark(path), path
        assert partial.key_mark(path) == full.key_mark(path), path


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_partial_marks_are_subset_of_full(
    write_yaml: WriteYaml, parser_name: str, name: str
) -> None:
    full = load(write_yaml, DOCUMENTS[name], all_marks=True)
    partial = load(write_yaml, DOCUMENTS[name], all_marks=False)

    assert partial.complete_marks is not None
    assert partial.key_marks == {}
    for path, mark in partial.marks.items():
        assert full.marks[path] == mark


def test_partial_keeps_list_item_marks(write_yaml: WriteYaml) -> None:
    partial = load(write_yaml, DOCUMENTS["list of posts"], all_marks=False)

    assert partial.marks == {
        (): Mark(1, 1),
        (0,): Mark(1, 3),
        (1,): Mark(5, 5),
        (2,): Mark(8, 3),
        (3,): Mark(9, 3),
        (4,): Mark(10, 3),
    }


def test_partial_location_needs_no_reload(write_yaml: WriteYaml) -> None:
    partial = load(write_yaml, DOCUMENTS["single post"], all_marks=False)

    assert partial.mark(()) == Mark(2, 1)
    assert partial.complete_marks is not None


def test_partial_loads_marks_once_for_deep_path(write_yaml: WriteYaml) -> None:
    partial = load(write_yaml, DOCUMENTS["single post"], all_marks=False)

    assert partial.mark(("settings", "tags", 1)) == Mark(6, 45)
    assert partial.complete_marks is None
    assert partial.key_marks[("settings",)] == Mark(6, 1)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb:\n  c: 1\n  c: 2\n",
        "- x: 1\n  x: 2\n",
        "a: &k key\nb:\n  key: 1\n  *k : 2\n",
        "a: 1\na: 2\n",
    ],
)
def test_partial_duplicate_key_problem_matches_full(
    write_yaml: WriteYaml, parser_name: str, text: str
) -> None:
    with pytest.raises(ValidationFailed) as full:
        load(write_yaml, text, all_marks=True)
    with pytest.raises(ValidationFailed) as partial:
        load(write_yaml, text, all_marks=False)

    assert partial.value.problems == full.value.problems
    assert "duplicate key" in partial.value.problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "a:\n  b: !!binary aGk=\n",
        "a:\n  - <<: {x: 1}\n",
        "a: [1, *missing]\n",
        "a:\n  b: yes\n  yes: 1\n",
    ],
)
def test_partial_other_problems_match_full(
    write_yaml: WriteYaml, parser_name: str, text: str
) -> None:
    with pytest.raises(ValidationFailed) as full:
        load(write_yaml, text, all_marks=True)
    with pytest.raises(ValidationFailed) as partial:
        load(write_yaml, text, all_marks=False)

    assert partial.value.problems == full.value.problems
