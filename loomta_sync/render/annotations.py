"""GitHub Actions workflow commands that annotate a file and line: `::error file=…,line=…::…`.

The runner reads these from a step's standard output and shows each one on the line it names
in the pull request's diff. Values are escaped the way the runner unescapes them, following
the rules of `@actions/core`. In the message, `%`, CR and LF become `%25`, `%0D` and `%0A`.
In properties, `:` and `,` also become `%3A` and `%2C`. After escaping, user text can neither
end the command nor start a new one on another line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from loomta_sync.errors import Problem

Level = Literal["error", "warning", "notice"]

_DATA_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY_ESCAPES = (*_DATA_ESCAPES, (":", "%3A"), (",", "%2C"))


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command."""
    for char, replacement in _DATA_ESCAPES:
        text = text.replace(char, replacement)
    return text


def escape_property(text: str) -> str:
    """Escape a property value (`file=`, `title=`) of a workflow command."""
    for char, replacement in _PROPERTY_ESCAPES:
        text = text.replace(char, replacement)
    return text


def format_annotation(problem: Problem, *, level: Level = "error", path_prefix: str = "") -> str:
    """Format one problem as a workflow command line, without the trailing newline.

    `path_prefix` is the project directory relative to the repository root (for example
    `social/`), because the runner resolves `file=` from the repository root.
    """
    properties = [f"file={escape_property(path_prefix + problem.path)}"]
    if problem.line is not None:
        properties.append(f"line={problem.line}")
        if problem.column is not None:
            properties.append(f"col={problem.column}")
    title = f"loomta-sync: {problem.post_key}" if problem.post_key else "loomta-sync"
    properties.append(f"title={escape_property(title)}")

    message = problem.message
    if problem.hint:
        message += f"; {problem.hint}"
    return f"::{level} {','.join(properties)}::{escape_data(message)}"


def render_annotations(
    problems: Iterable[Problem], *, level: Level = "error", path_prefix: str = ""
) -> str:
    """Format every problem as a workflow command, one per line, ending with a newline."""
    lines = [
        format_annotation(problem, level=level, path_prefix=path_prefix) for problem in problems
    ]
    return "".join(line + "\n" for line in lines)
