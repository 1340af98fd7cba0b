"""Response text made safe for exceptions and logs: one line, bounded, and with no API key.

A server, a proxy or an attacker in between may send anything, including the key itself,
terminal escape sequences or bidirectional-override characters. Every string that leaves a
response for an exception or a log line goes through `Redactor`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pydantic import ValidationError

EXCERPT_CHARS = 200
REDACTED = "[redacted]"

# Key-shaped tokens are removed even when they are not this client's key, and so are bearer
# tokens, because a response that echoes credentials must not spread them.
_CREDENTIAL_PATTERN = re.compile(r"loomta_sk_[A-Za-z0-9_\-]*|(?i:bearer)\s+[A-Za-z0-9._~+/=\-]+")


class Redactor:
    """Removes the given secrets and credential-shaped tokens from response text."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = tuple(secret for secret in secrets if secret)

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} secrets)"

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _CREDENTIAL_PATTERN.sub(REDACTED, text)

    def line(self, text: str, limit: int = EXCERPT_CHARS) -> str:
        """Redact `text`, fold it onto one line of printable characters and cut it to `limit`.

        Redaction runs on the whole text before the cut, so a secret cannot survive by being
        cut in half. Runs of whitespace and control characters become one space.
        """
        output: list[str] = []
        gap = False
        for char in self.redact(text):
            if char.isspace() or _is_control(char):
                gap = bool(output)
                continue
            if gap:
                output.append(" ")
                gap = False
            output.append(char)
            if len(output) > limit:
                return "".join(output[: limit - 1]) + "…"
        return "".join(output)

    def excerpt(self, body: bytes, limit: int = EXCERPT_CHARS) -> str:
        """Return a quotable excerpt of a response body, or `(empty body)`."""
        text = self.line(body.decode("utf-8", errors="replace"), limit)
        return text or "(empty body)"

    def redact_json(self, value: object) -> object:
        """Return a copy of parsed JSON with the secrets removed from every string."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, list):
            return [self.redact_json(item) for item in value]
        if isinstance(value, dict):
            return {self.redact(str(key)): self.redact_json(item) for key, item in value.items()}
        return value


def _is_control(char: str) -> bool:
    # Categories C* are control, format (including bidi overrides), surrogate and unassigned.
    return unicodedata.category(char).startswith("C")


def describe_validation_error(exc: ValidationError, redactor: Redactor) -> str:
    """Return where and why validation failed, without echoing the invalid value."""
    first = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    count = exc.error_count()
    more = f" (and {count - 1} more)" if count > 1 else ""
    return redactor.line(f"{where}: {first['msg']}{more}")
