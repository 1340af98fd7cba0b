"""Find, read and validate loomta.yaml into a `Project`.

The file is read with the calendar's YAML loader, so its problems carry file, line and column
like every other input. Schema problems (unknown keys, wrong types, values out of range) are
all reported together. The checks of values against the outside world (time zone, platform ids,
paths, the API URL) live in `config_checks`, and run only on a config that passed the schema.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from loomta_sync.calendar.yaml_loader import (
    YAML11_TYPE_NAMES,
    AmbiguousScalar,
    YamlDocument,
    YamlPath,
    load_yaml,
)
from loomta_sync.config import CONFIG_FILE_NAME, Config, InputLimits, Project
from loomta_sync.config_checks import check_config
from loomta_sync.errors import ConfigError, Problem, ValidationFailed

logger = logging.getLogger(__name__)

# Pydantic error type -> (what the value must be, how to fix it).
_TYPE_RULES: dict[str, tuple[str, str]] = {
    "int_type": ("must be an integer", "write a whole number without quotes"),
    "int_parsing": ("must be an integer", "write a whole number without quotes"),
    "int_from_float": ("must be an integer", "write a whole number without a decimal point"),
    "bool_type": ("must be true or false", "write true or false without quotes"),
    "string_type": ("must be a string", "quote the value"),
    "dict_type": ("must be a mapping", "write key: value pairs under it"),
    "model_type": ("must be a mapping", "write key: value pairs under it"),
}


def load_project(start: Path, config_file: Path | None = None) -> Project:
    """Read loomta.yaml from `start` (or `config_file` if given) and return the project.

    The project root is the directory that contains the file. Raises ConfigError when the file
    is missing and ValidationFailed with every problem found in it.
    """
    path = _find_config(start, config_file)
    root = path.parent.resolve()
    document = load_yaml(path, path.name, InputLimits())

    config = validate_config(document)
    problems = check_config(config, document, root)
    if problems:
        raise ValidationFailed(sorted(problems, key=_position))

    logger.debug("loaded %s with project root %s", path, root)
    return Project(root, config)


def validate_config(document: YamlDocument) -> Config:
    """Validate a loaded loomta.yaml against the Config model, or raise ValidationFailed."""
    value = document.value
    if not isinstance(value, dict):
        raise ValidationFailed(
            [
                Problem(
                    document.path,
                    1,
                    1,
                    f"{CONFIG_FILE_NAME} must be a mapping of settings, not {_describe(value)}",
                    "write settings as key: value lines, such as `timezone: Europe/Berlin`",
                )
            ]
        )

    problems: list[Problem] = []
    reported: list[YamlPath] = []
    config: Config | None = None
    try:
        # Strict: "5" is not an integer and 1 is not true, as in the JSON Schema of the file.
        config = Config.model_validate(value, strict=True)
    except ValidationError as exc:
        for error in exc.errors():
            location = tuple(error["loc"])
            problems.append(_schema_problem(document, location, error))
            reported.append(location)

    # Pydantic turns an AmbiguousScalar into a plain str, so look for them in the raw value.
    for path, scalar in _ambiguous_scalars(value):
        if not any(path[: len(done)] == done for done in reported):
            problems.append(_ambiguity_problem(document, path, scalar))

    if problems or config is None:
        raise ValidationFailed(sorted(problems, key=_position))
    return config


def _find_config(start: Path, config_file: Path | None) -> Path:
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(
                f"config file {config_file} not found or not a regular file; "
                "check the path, or run `loomta-sync init` to create one"
            )
        return config_file

    if not start.is_dir():
        raise ConfigError(f"project directory {start} not found; check the path")
    candidate = start / CONFIG_FILE_NAME
    if not candidate.is_file():
        raise ConfigError(
            f"no {CONFIG_FILE_NAME} in {start.resolve()}; run `loomta-sync init` to create one, "
            "or name the project with --directory or the file with --config"
        )
    return candidate


def _schema_problem(document: YamlDocument, location: YamlPath, error: Any) -> Problem:
    dotted = _dotted(location)
    if error["type"] == "extra_forbidden":
        mark = document.key_mark(location)
        key = str(location[-1])
        message = f"unknown key {key!r}"
        if len(location) > 1:
            message += f" in {_dotted(location[:-1])}"
        return Problem(document.path, mark.line, mark.column, message, _key_hint(location))

    mark = document.mark(location)
    found = _describe(error.get("input"))
    if error["type"] == "greater_than_equal":
        minimum = error["ctx"]["ge"]
        return Problem(
            document.path,
            mark.line,
            mark.column,
            f"{dotted} is {found}, less than the minimum of {minimum}",
            f"use a value of at least {minimum}",
        )

    requirement, hint = _TYPE_RULES.get(error["type"], (_lower_first(error["msg"]), "fix it"))
    return Problem(
        document.path, mark.line, mark.column, f"{dotted} {requirement}, not {found}", hint
    )


def _ambiguity_problem(document: YamlDocument, path: YamlPath, scalar: AmbiguousScalar) -> Problem:
    mark = document.mark(path)
    kind = YAML11_TYPE_NAMES.get(scalar.yaml11_type, scalar.yaml11_type)
    return Problem(
        document.path,
        mark.line,
        mark.column,
        f"{_dotted(path)} {str(scalar)!r} would be read as {kind} by YAML 1.1 tools",
        f"quote it: '{scalar}'",
    )


def _key_hint(location: YamlPath) -> str:
    known = _known_keys(location[:-1])
    near = difflib.get_close_matches(str(location[-1]), known, n=1)
    if near:
        return f"did you mean {near[0]!r}?"
    return "expected one of: " + ", ".join(sorted(known))


def _known_keys(parent: YamlPath) -> list[str]:
    """Return the field names of the section of Config at `parent`."""
    model: type[BaseModel] = Config
    for part in parent:
        annotation = model.model_fields[str(part)].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def _ambiguous_scalars(value: Any) -> Iterator[tuple[YamlPath, AmbiguousScalar]]:
    pending: list[tuple[YamlPath, Any]] = [((), value)]
    while pending:
        path, node = pending.pop()
        if isinstance(node, AmbiguousScalar):
            yield path, node
        elif isinstance(node, dict):
            pending.extend(((*path, key), child) for key, child in node.items())
        elif isinstance(node, list):
            pending.extend(((*path, index), child) for index, child in enumerate(node))


def _position(problem: Problem) -> tuple[int, int]:
    return problem.line or 0, problem.column or 0


def _dotted(location: YamlPath) -> str:
    return ".".join(str(part) for part in location) or "(top level)"


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the float {value}"
    if isinstance(value, AmbiguousScalar):
        return f"{str(value)!r}, which YAML 1.2 reads as a string"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a sequence"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
