"""Validating one post's YAML value against `PostSpec`, with one readable problem per mistake.

Two passes. The first finds plain scalars that YAML 1.1 tools read differently, such as `no` (as
false) and `2030-03-29` (as a date). Such a value is an error wherever a string is expected,
because another tool in the team's chain could read the file differently. Only `scheduledFor`
accepts an unquoted timestamp. The second pass runs pydantic and rewrites each of its errors as
a message that names the field as written, with a suggestion for misspelled keys.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from loomta_sync.calendar.report import (
    PostReporter,
    YamlPath,
    describe_value,
    excerpt,
    format_field,
    suggest,
)
from loomta_sync.calendar.spec import (
    COMMENT_KEYS,
    MEDIA_ENTRY_ERROR,
    MEDIA_ID_KEYS,
    MEDIA_TAGS,
    OVERRIDE_KEYS,
    POST_ADAPTER,
    POST_KEY_MAX_LENGTH,
    POST_KEYS,
    PostSpec,
)
from loomta_sync.calendar.yaml_loader import AmbiguousScalar

_TIMESTAMP_FIELDS: frozenset[YamlPath] = frozenset({("scheduledFor",)})

_YAML11_TYPE_NAMES = {
    "bool": "a boolean",
    "timestamp": "a timestamp",
    "int": "an integer",
    "float": "a number",
}

# pydantic error type -> (what the field must be, how to fix it)
_EXPECTED_TYPES: dict[str, tuple[str, str]] = {
    "string_type": ("a string", "put the text in quotes"),
    "int_type": ("an integer", "write a whole number such as 5"),
    "int_from_float": ("an integer", "write a whole number such as 5"),
    "bool_type": ("true or false", "write true or false without quotes"),
    "list_type": ("a list", "write a YAML list such as [a, b]"),
    "dict_type": ("a mapping", "write a YAML mapping of keys and values"),
    "model_type": ("a mapping", "write a YAML mapping of keys and values"),
    "model_attributes_type": ("a mapping", "write a YAML mapping of keys and values"),
}

_MISSING_HINTS = {
    "platforms": "add `platforms:` with a list of platform aliases or ids",
    "content": "add `content:` with the text to publish",
    "id": "add `id:` with the media id from Loomta",
}

_POST_ID_RULE = "use letters, digits, '.', '_' and '-', in parts separated by '/'"


def validate_post_spec(value: Any, reporter: PostReporter) -> PostSpec | None:
    """Return the post's validated spec, or None after reporting every problem found in it."""
    if not isinstance(value, dict):
        reporter.error(
            (),
            f"a post must be a mapping of keys and values, not {describe_value(value)}",
            "see docs/calendar-format.md for the post format",
        )
        return None

    ambiguous = find_ambiguous_scalars(value)
    try:
        spec = POST_ADAPTER.validate_python(value)
    except ValidationError as exc:
        errors = [(_clean_location(error["loc"]), error) for error in exc.errors(include_url=False)]
        _report_problems(reporter, ambiguous, errors)
        return None

    if ambiguous:
        _report_problems(reporter, ambiguous, [])
        return None
    return spec


def _report_problems(
    reporter: PostReporter,
    ambiguous: list[tuple[YamlPath, AmbiguousScalar, bool]],
    errors: list[tuple[YamlPath, ErrorDetails]],
) -> None:
    # A misspelled key is the real mistake, so the ambiguity of it or its value and the
    # "missing" error for the key it was meant to be are left out.
    unknown = {path for path, error in errors if error["type"] == "extra_forbidden"}
    meant = {(*path[:-1], _suggest_key(path)) for path in unknown}
    for path, scalar, at_key in ambiguous:
        if not any(path[: len(key)] == key for key in unknown):
            _report_ambiguous(reporter, path, scalar, at_key=at_key)

    ambiguous_paths = {path for path, _, _ in ambiguous}
    for path, error in errors:
        if path in ambiguous_paths and path not in unknown:
            continue
        if error["type"] == "missing" and path in meant:
            continue
        _report_error(reporter, path, error)


def find_ambiguous_scalars(value: dict[str, Any]) -> list[tuple[YamlPath, AmbiguousScalar, bool]]:
    """Return each YAML 1.1 ambiguous scalar in the post: its path, itself, and whether it is a key.

    The walk uses an explicit stack, so a deeply nested value cannot exhaust the recursion limit.
    Paths are built only for containers and for the rare hit, because this runs on every post.
    Most keys and values are plain str, which a type test rules out before any isinstance.
    """
    found: list[tuple[YamlPath, AmbiguousScalar, bool]] = []
    stack: list[tuple[YamlPath, dict[str, Any] | list[Any]]] = [((), value)]
    while stack:
        path, container = stack.pop()
        if isinstance(container, dict):
            for key, child in container.items():
                if type(key) is not str and isinstance(key, AmbiguousScalar):
                    found.append(((*path, key), key, True))
                if type(child) is not str:
                    _visit_child(path, key, child, stack, found)
        else:
            for index, child in enumerate(container):
                if type(child) is not str:
                    _visit_child(path, index, child, stack, found)
    return found


def _visit_child(
    path: YamlPath,
    key: str | int,
    child: Any,
    stack: list[tuple[YamlPath, dict[str, Any] | list[Any]]],
    found: list[tuple[YamlPath, AmbiguousScalar, bool]],
) -> None:
    if isinstance(child, dict | list):
        stack.append(((*path, key), child))
    elif isinstance(child, AmbiguousScalar):
        child_path = (*path, key)
        if child.yaml11_type != "timestamp" or child_path not in _TIMESTAMP_FIELDS:
            found.append((child_path, child, False))


def _report_ambiguous(
    reporter: PostReporter, path: YamlPath, scalar: AmbiguousScalar, *, at_key: bool
) -> None:
    kind = _YAML11_TYPE_NAMES.get(scalar.yaml11_type, f"a {scalar.yaml11_type}")
    hint = "quote it"
    if scalar.yaml11_type == "bool" and not at_key and "settings" in path:
        hint = "write true or false for a boolean, or quote it for a string"
    reporter.error(
        path, f"`{scalar}` would be read as {kind} by YAML 1.1 tools", hint, at_key=at_key
    )


def _clean_location(location: tuple[int | str, ...]) -> YamlPath:
    return tuple(part for part in location if part not in MEDIA_TAGS)


def _report_error(reporter: PostReporter, path: YamlPath, error: ErrorDetails) -> None:
    kind = error["type"]
    value = error["input"]
    field = format_field(path)

    if kind == "extra_forbidden":
        _report_unknown_key(reporter, path)
    elif kind == "missing":
        name = str(path[-1])
        where = f" in {format_field(path[:-1])}" if path[:-1] else ""
        hint = _MISSING_HINTS.get(name, f"add `{name}:`")
        reporter.error(path[:-1], f"missing required key '{name}'{where}", hint)
    elif kind in _EXPECTED_TYPES:
        expected, hint = _EXPECTED_TYPES[kind]
        reporter.error(path, f"{field} must be {expected}, not {describe_value(value)}", hint)
    elif kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        unquoted = allowed.replace("'", "")
        reporter.error(
            path,
            f"{field} must be one of {allowed}, not {describe_value(value)}",
            f"write {unquoted}",
        )
    elif kind in ("string_too_short", "too_short"):
        reporter.error(path, f"{field} is empty", _empty_hint(path))
    elif kind == "greater_than_equal":
        reporter.error(path, f"{field} must be 0 or more, not {value}", "write 0 or more")
    elif kind == "string_pattern_mismatch":
        reporter.error(path, f"post id {excerpt(repr(value))} is invalid", _POST_ID_RULE)
    elif kind == "string_too_long":
        reporter.error(
            path,
            f"post id is {len(value)} characters long, more than {POST_KEY_MAX_LENGTH}",
            "shorten it",
        )
    elif kind == MEDIA_ENTRY_ERROR:
        reporter.error(
            path,
            f"{field} must be a file path or a mapping with an id, not {describe_value(value)}",
            "write a path such as media/teaser.mp4, or {id: <media id>}",
        )
    else:
        reporter.error(path, f"{field}: {error['msg']}")


def _suggest_key(path: YamlPath) -> str | None:
    return suggest(str(path[-1]), _allowed_keys(path[:-1]))


def _report_unknown_key(reporter: PostReporter, path: YamlPath) -> None:
    name = str(path[-1])
    parent = path[:-1]
    allowed = _allowed_keys(parent)
    where = f" in {format_field(parent)}" if parent else ""
    close = _suggest_key(path)
    hint = f"did you mean '{close}'?" if close else f"allowed keys: {', '.join(allowed)}"
    reporter.error(path, f"unknown key '{excerpt(name)}'{where}", hint, at_key=True)


def _allowed_keys(parent: YamlPath) -> tuple[str, ...]:
    if not parent:
        return POST_KEYS
    if len(parent) >= 2 and parent[-2] == "media":
        return MEDIA_ID_KEYS
    if len(parent) == 2 and parent[0] == "comments":
        return COMMENT_KEYS
    if len(parent) == 2 and parent[0] == "overrides":
        return OVERRIDE_KEYS
    return ()


def _empty_hint(path: YamlPath) -> str:
    if path == ("platforms",):
        return "list at least one platform alias or id"
    if path and path[-1] == "id":
        return "write the media id from Loomta"
    return "write the text to publish"
