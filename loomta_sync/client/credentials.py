"""The API key: read from the environment and checked, never shown.

Messages here name the variable and the problem, but never contain any part of the key.
"""

from __future__ import annotations

import os

from loomta_sync.errors import LoomtaSyncError

DEFAULT_KEY_VARIABLE = "LOOMTA_API_KEY"
KEY_PREFIX = "loomta_sk_"


def api_key_from_env(variable: str = DEFAULT_KEY_VARIABLE) -> str:
    """Return the API key stored in the environment variable `variable`.

    Surrounding whitespace is removed, because secrets pasted into CI settings often end in a
    newline. Raises LoomtaSyncError when the variable is unset, empty or not a usable header value.
    """
    key = os.environ.get(variable, "").strip()
    if not key:
        raise LoomtaSyncError(
            f"environment variable {variable} is not set or empty; "
            f"set it to your Loomta API key (it starts with {KEY_PREFIX})"
        )
    check_api_key(key, source=f"environment variable {variable}")
    return key


def check_api_key(key: str, *, source: str = "the API key") -> None:
    """Raise LoomtaSyncError unless `key` can be sent in an Authorization header.

    The key must be printable ASCII without spaces, so it can neither break the header nor be
    altered on the way. The format after the prefix is not checked, because the server does that.
    """
    if not key:
        raise LoomtaSyncError(f"{source} is empty; set it to your Loomta API key")
    if not all("!" <= char <= "~" for char in key):
        raise LoomtaSyncError(
            f"{source} contains spaces, control or non-ASCII characters ({len(key)} characters "
            "in all); copy the key again from Loomta"
        )
