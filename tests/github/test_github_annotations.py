"""`::error file=…::` annotations, read back the way the Actions runner reads them."""

from __future__ import annotations

import pytest

from loomta_sync.errors import Problem
from loomta_sync.render.annotations import format_annotation, render_annotations


def _unescape(text: str, *, property_value: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")]
    if property_value:
        pairs += [("%3A", ":"), ("%2C", ",")]
    for escaped, char in pairs:
        text = text.replace(escaped, char)
    return text.replace("%25", "%")


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    """Split a workflow command as the runner does: `::name props::message`."""
    assert line.startswith("::")
    command, _, message = line[2:].partition("::")
    name, _, raw_properties = command.partition(" ")
    properties = {}
    for pair in raw_properties.split(","):
        key, _, value = pair.partition("=")
        properties[key] = _unescape(value, property_value=True)
    return name, properties, _unescape(message, property_value=False)


def test_problem_becomes_error_with_position() -> None:
    problem = Problem("calendar/a.yaml", 4, 7, "unknown key 'x'", "remove it", post_key="a")
    name, properties, message = _parse(format_annotation(problem))

    assert name == "error"
    assert properties == {
        "file": "calendar/a.yaml",
        "line": "4",
        "col": "7",
        "title": "loomta-sync: a",
    }
    assert message == "unknown key 'x'; remove it"


@pytest.mark.parametrize(
    "hostile",
    [
        "100% sure",
        "two\nlines\r\n::set-output name=x::y",
        "a:b,c=d::e",
        "%0A already escaped %25",
    ],
)
def test_hostile_values_round_trip(hostile: str) -> None:
    problem = Problem(f"calendar/{hostile}.yaml", 1, None, hostile, post_key=hostile)
    line = format_annotation(problem, path_prefix="social/")
    name, properties, message = _parse(line)

    assert "\n" not in line
    assert "\r" not in line
    assert name == "error"
    assert properties["file"] == f"social/calendar/{hostile}.yaml"
    assert properties["title"] == f"loomta-sync: {hostile}"
    assert "col" not in properties
    assert message == hostile


def test_problem_without_line_annotates_file() -> None:
    _, properties, _ = _parse(format_annotation(Problem("loomta.yaml", None, 3, "missing")))

    assert properties == {"file": "loomta.yaml", "title": "loomta-sync"}


def test_render_annotations_one_line_each() -> None:
    problems = [Problem("a.yaml", 1, 1, "first"), Problem("b.yaml", 2, 2, "second\nline")]
    text = render_annotations(problems, level="warning")

    assert text.endswith("\n")
    assert text.count("\n") == 2
    assert all(line.startswith("::warning file=") for line in text.splitlines())


def test_render_annotations_empty() -> None:
    assert render_annotations([]) == ""
