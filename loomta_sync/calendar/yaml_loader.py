"""The safe YAML loader: one document per file, values with line and column marks.

Rules that every calendar file and loomta.yaml follow:

- The file is a regular file of at most `limits.max_file_bytes` bytes (checked before reading),
  in UTF-8; a UTF-8 byte order mark is accepted. An invalid byte is reported at its line and
  column, and so is a control character that YAML forbids.
- It contains exactly one YAML document. An empty file, or one with only comments, is rejected.
- Values are built from libyaml's event stream (PyYAML's pure-Python parser when libyaml is
  absent) without PyYAML's constructor, so no Python object is ever built from a tag.
- Plain scalars resolve by the YAML 1.2 core schema: true/True/TRUE and false/False/FALSE are
  booleans; null/Null/NULL/~ and empty are None; decimal, 0o and 0x integers and floats
  (including .inf and .nan) are numbers; everything else is a string. A plain scalar that YAML
  1.1 reads as a bool, timestamp or number becomes an `AmbiguousScalar` (a str) that the post
  models reject or accept by field. A plain decimal integer with a leading zero is rejected,
  because YAML 1.1 reads it as octal. Quoted and block scalars are always strings.
- Tags: only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq, each on a node of its own
  kind; any other tag (!!python/..., !!binary, !custom, ! ...) is rejected.
- Mapping keys are strings that YAML 1.1 would also read as strings, each at most once per
  mapping; merge keys (<<) are rejected.
- Anchors and aliases are allowed: an alias places a deep copy of the anchored value. The node
  count, with every alias counted as the size of what it repeats, stops at
  `limits.max_yaml_nodes` before any copy is made. Nesting stops at `limits.max_depth`
  collections, and a scalar at `limits.max_scalar_chars` characters.

Every rejection is a `ValidationFailed` with one `Problem` at file:line:col.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import stat
from pathlib import Path
from typing import Any, NoReturn

import yaml

from loomta_sync.calendar.yaml_builder import DocumentBuilder, MarksNotRecorded
from loomta_sync.calendar.yaml_types import (
    YAML11_TYPE_NAMES,
    AmbiguousScalar,
    Mark,
    YamlDocument,
    YamlPath,
)
from loomta_sync.config import InputLimits
from loomta_sync.errors import Problem, ValidationFailed

__all__ = ["YAML11_TYPE_NAMES", "AmbiguousScalar", "Mark", "YamlDocument", "YamlPath", "load_yaml"]

logger = logging.getLogger(__name__)

# libyaml's parser alone: its events are all this loader reads, so it needs none of the
# constructor and resolver that yaml.CSafeLoader adds to it (and sets up for every file).
_Parser: Any = yaml.SafeLoader
if yaml.__with_libyaml__:
    # yaml.cyaml imports CParser at runtime, but the type stubs do not re-export it.
    _Parser = yaml.cyaml.CParser  # type: ignore[attr-defined]

_UTF8_BOM = b"\xef\xbb\xbf"
# libyaml (checked with 0.2.6) stops flow nesting at 1000 levels with this message, sometimes
# before the parser has sent enough events for DocumentBuilder to apply limits.max_depth itself.
_LIBYAML_DEPTH_ERROR = "exceeded maximum nesting depth"
_LIBYAML_MAX_DEPTH = 1000
# Characters outside YAML's printable set (YAML 1.2.2 section 5.1), as UTF-8 bytes: C0 controls
# except tab, LF and CR, DEL, C1 controls except NEL, and U+FFFE and U+FFFF.
_FORBIDDEN_CHARACTER = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x84\x86-\x9f]|\xef\xbf[\xbe\xbf]"
)


def load_yaml(
    file: str | Path, display_path: str, limits: InputLimits, *, all_marks: bool = True
) -> YamlDocument:
    """Read and parse one YAML file by the rules in this module's docstring.

    `display_path` names the file in problems: relative to the project root, posix separators.
    With `all_marks=False` the document is partial (see YamlDocument) and loads the rest of its
    marks from the bytes already read, which saves time and memory when a caller needs few of
    them. Raises ValidationFailed with one Problem.
    """
    data = _read_limited(file, display_path, limits.max_file_bytes)
    _check_utf8(data, display_path)
    if all_marks:
        return _parse(data, display_path, limits, all_marks=True)

    try:
        document = _parse(data, display_path, limits, all_marks=False)
    except MarksNotRecorded:
        # The same checks with every mark recorded raise the problem with its positions.
        return _parse(data, display_path, limits, all_marks=True)
    document.complete_marks = functools.partial(_parse, data, display_path, limits, all_marks=True)
    return document


def _parse(data: bytes, display_path: str, limits: InputLimits, *, all_marks: bool) -> YamlDocument:
    # libyaml skips a leading byte order mark but PyYAML's parser counts it as a column.
    stream = data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data
    parser: Any = None
    try:
        # PyYAML's parser reads its first characters, and may raise, in its constructor.
        parser = _Parser(stream)
        return DocumentBuilder(display_path, limits, all_marks=all_marks).build(parser)
    except yaml.reader.ReaderError as exc:
        # The parser found a character outside YAML's printable set. Its offset differs
        # between libyaml (bytes) and PyYAML (characters), so search again for the position.
        _check_characters(data, display_path)
        raise ValidationFailed([_parser_problem(exc, data, display_path)]) from exc
    except yaml.YAMLError as exc:
        problem = _parser_problem(exc, data, display_path)
        if _LIBYAML_DEPTH_ERROR in problem.message:
            problem = _depth_problem(problem, limits.max_depth)
        raise ValidationFailed([problem]) from exc
    finally:
        if parser is not None:
            parser.dispose()


def _read_limited(file: str | Path, display_path: str, max_bytes: int) -> bytes:
    try:
        descriptor, size = _open_regular(file, display_path, max_bytes)
        try:
            data = _read_to_end(descriptor, size, max_bytes)
        finally:
            os.close(descriptor)
    except OSError as exc:
        logger.debug("cannot read %s", file, exc_info=True)
        _fail_file(display_path, f"cannot be read: {exc.strerror}", "check that it is readable")

    if len(data) > max_bytes:
        _fail_too_large(display_path, len(data), max_bytes)
    return data


def _open_regular(file: str | Path, display_path: str, max_bytes: int) -> tuple[int, int]:
    """Open `file` if it is a regular file within the size limit; return its descriptor and size.

    O_NONBLOCK makes opening a FIFO return at once so that fstat can reject it, and checking
    the opened descriptor, not the path, leaves no gap for the path to change in between.
    """
    descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            _fail_file(display_path, "is not a regular file", "replace it with a file or remove it")
        if info.st_size > max_bytes:
            _fail_too_large(display_path, info.st_size, max_bytes)
        return descriptor, info.st_size
    except BaseException:
        os.close(descriptor)
        raise


def _read_to_end(descriptor: int, size: int, max_bytes: int) -> bytes:
    """Read until the end of the file, or until one byte more than `max_bytes`.

    The first read requests one byte more than fstat found, which shows a file that grew since.
    os.read(n) allocates n bytes first, so n follows the file size rather than the limit.
    """
    data = os.read(descriptor, size + 1)
    while len(data) <= max_bytes:
        more = os.read(descriptor, max_bytes + 1 - len(data))
        if not more:
            break
        data += more
    return data


def _check_utf8(data: bytes, display_path: str) -> None:
    """Reject invalid UTF-8, UTF-16 included, at the line and column of the first bad byte."""
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = data[exc.start]
            line, column = _position_of_byte(data, exc.start)
            raise ValidationFailed(
                [
                    Problem(
                        display_path,
                        line,
                        column,
                        f"invalid UTF-8 byte 0x{bad:02X}",
                        "save the file as UTF-8",
                    )
                ]
            ) from exc


def _check_characters(data: bytes, display_path: str) -> None:
    """Reject the first character outside YAML's printable set at its line and column."""
    found = _FORBIDDEN_CHARACTER.search(data)
    if found is not None:
        code_point = ord(found.group().decode("utf-8"))
        escape = f"\\x{code_point:02x}" if code_point <= 0xFF else f"\\u{code_point:04x}"
        line, column = _position_of_byte(data, found.start())
        raise ValidationFailed(
            [
                Problem(
                    display_path,
                    line,
                    column,
                    f"control character U+{code_point:04X} is not allowed in YAML",
                    f"remove it, or write it as the escape {escape} in a double-quoted string",
                )
            ]
        )


def _parser_problem(exc: yaml.YAMLError, data: bytes, display_path: str) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = Mark(exc.problem_mark.line + 1, exc.problem_mark.column + 1)
        if _is_tab_at(data, mark):
            return Problem(
                display_path,
                mark.line,
                mark.column,
                "tab character in indentation, but YAML indents with spaces only",
                "replace the tab with spaces",
            )
        return Problem(display_path, mark.line, mark.column, _describe(exc, mark))

    if isinstance(exc, yaml.reader.ReaderError):
        # NOTE: reached only if the parser rejects a character that _check_characters allows.
        # The position is then a byte offset for libyaml but a character offset for PyYAML.
        line, column = _position_of_byte(data, min(exc.position, len(data)))
        return Problem(display_path, line, column, f"invalid YAML: {exc.reason}")

    return Problem(display_path, 1, 1, f"invalid YAML: {exc}")


def _describe(exc: yaml.MarkedYAMLError, problem_mark: Mark) -> str:
    text = f"invalid YAML: {exc.problem}"
    if exc.context:
        text += f" {exc.context}"
        start = exc.context_mark
        if start is not None and Mark(start.line + 1, start.column + 1) != problem_mark:
            text += f" that starts at line {start.line + 1}, column {start.column + 1}"
    return text


def _depth_problem(problem: Problem, max_depth: int) -> Problem:
    """Reword libyaml's own limit on flow nesting, which it checks while scanning ahead."""
    if max_depth < _LIBYAML_MAX_DEPTH:
        message = f"nesting is deeper than {max_depth} levels (limits.max_depth)"
    else:
        message = f"nesting is deeper than {_LIBYAML_MAX_DEPTH} levels, the maximum of libyaml"
    hint = "flatten the structure or raise the limit in loomta.yaml"
    return Problem(problem.path, problem.line, problem.column, message, hint)


def _is_tab_at(data: bytes, mark: Mark) -> bool:
    lines = data.split(b"\n", mark.line)
    if len(lines) < mark.line:
        return False
    text = lines[mark.line - 1].decode("utf-8", errors="replace").lstrip("\ufeff")
    index = mark.column - 1
    return index < len(text) and text[index] == "\t"


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based line and character column of the byte at `offset`."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    prefix = data[line_start:offset]
    if line == 1 and prefix.startswith(_UTF8_BOM):
        prefix = prefix[len(_UTF8_BOM) :]
    return line, len(prefix.decode("utf-8", errors="replace")) + 1


def _fail_file(display_path: str, problem: str, hint: str) -> NoReturn:
    raise ValidationFailed([Problem(display_path, None, None, f"file {problem}", hint)])


def _fail_too_large(display_path: str, size: int, max_bytes: int) -> NoReturn:
    raise ValidationFailed(
        [
            Problem(
                display_path,
                None,
                None,
                f"file is {size} bytes, more than the limit of {max_bytes} (limits.max_file_bytes)",
                "split the file or raise the limit in loomta.yaml",
            )
        ]
    )
