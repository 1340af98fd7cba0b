"""Resolution of YAML scalars to Python values by the YAML 1.2 core schema.

Plain scalars follow the core schema: null, bool, int (decimal, 0o, 0x) and float (with .inf and
.nan) in their listed spellings, everything else a string. A plain scalar that the core schema
reads as a string but YAML 1.1 would read as a bool, timestamp or number becomes an
`AmbiguousScalar`. A plain decimal integer with a leading zero is rejected, because YAML 1.1 reads
`010` as octal 8 and YAML 1.2 as 10.
"""

from __future__ import annotations

import math
import re
from typing import Any

from loomta_sync.calendar.yaml_types import AmbiguousScalar

YAML_TAG_PREFIX = "tag:yaml.org,2002:"
STR_TAG = YAML_TAG_PREFIX + "str"
INT_TAG = YAML_TAG_PREFIX + "int"
FLOAT_TAG = YAML_TAG_PREFIX + "float"
BOOL_TAG = YAML_TAG_PREFIX + "bool"
NULL_TAG = YAML_TAG_PREFIX + "null"
MAP_TAG = YAML_TAG_PREFIX + "map"
SEQ_TAG = YAML_TAG_PREFIX + "seq"
SCALAR_TAGS = frozenset({STR_TAG, INT_TAG, FLOAT_TAG, BOOL_TAG, NULL_TAG})

# Core-schema words, exactly as spelled in YAML 1.2.2 section 10.3.2.
_CORE_WORDS: dict[str, Any] = {
    "null": None,
    "Null": None,
    "NULL": None,
    "~": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
}
_YAML11_BOOL_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false"})
_NUMBER_START = frozenset("0123456789+-.")

_CORE_DECIMAL = re.compile(r"[-+]?[0-9]+")
_CORE_OCTAL = re.compile(r"0o[0-7]+")
_CORE_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]")

# YAML 1.1 timestamps, widened to the forms people write by hand: one-digit month, day and hour,
# and a time without seconds.
_YAML11_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]*)?)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?"
)
_YAML11_INT = re.compile(
    r"[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
)
_YAML11_FLOAT = re.compile(
    r"[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
)


class ScalarError(ValueError):
    """A scalar that cannot be resolved; `message` and `hint` become a Problem at its mark."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def short_tag(tag: str) -> str:
    """Return `tag` as written in YAML: `!!str` for the standard tags, else unchanged."""
    if tag.startswith(YAML_TAG_PREFIX):
        return "!!" + tag[len(YAML_TAG_PREFIX) :]
    return tag


def resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar by the core schema, flagging YAML 1.1 ambiguities."""
    if not text:
        return None

    word = _CORE_WORDS.get(text, text)
    if word is not text:
        return word

    if text[0] in _NUMBER_START:
        return _resolve_number_like(text)

    if len(text) <= 5 and text.lower() in _YAML11_BOOL_WORDS:
        return AmbiguousScalar(text, "bool")
    return text


def resolve_tagged(tag: str, text: str) -> Any:
    """Resolve a scalar with one of the standard tags in `SCALAR_TAGS`, or raise ScalarError."""
    if tag == STR_TAG:
        return text

    value = resolve_plain(text)
    if tag == NULL_TAG and value is None:
        return None
    if tag == BOOL_TAG and isinstance(value, bool):
        return value
    if tag == INT_TAG and isinstance(value, int) and not isinstance(value, bool):
        return value
    if tag == FLOAT_TAG and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)

    raise ScalarError(
        f"{short_tag(tag)} tag on {text!r}, which is not a YAML 1.2 {short_tag(tag)[2:]}",
        "fix the value or remove the tag",
    )


def _resolve_number_like(text: str) -> Any:
    if _CORE_DECIMAL.fullmatch(text):
        if _LEADING_ZERO.match(text):
            raise ScalarError(
                f"number {text} has a leading zero, which YAML 1.1 tools read as octal",
                "remove the leading zeros, or quote it if it is a string",
            )
        return _parse_int(text, 10)
    if _CORE_OCTAL.fullmatch(text):
        return _parse_int(text[2:], 8)
    if _CORE_HEX.fullmatch(text):
        return _parse_int(text[2:], 16)
    if _CORE_FLOAT.fullmatch(text):
        return float(text)

    if _YAML11_TIMESTAMP.fullmatch(text):
        return AmbiguousScalar(text, "timestamp")
    if _YAML11_INT.fullmatch(text):
        return AmbiguousScalar(text, "int")
    if _YAML11_FLOAT.fullmatch(text):
        return AmbiguousScalar(text, "float")
    return text


def _parse_int(digits: str, base: int) -> int:
    try:
        return int(digits, base)
    except ValueError as exc:
        # Python limits decimal conversion to 4300 digits by default (sys.int_info).
        raise ScalarError(
            f"integer of {len(digits)} digits is too long to read",
            "quote it if it is a string",
        ) from exc
