"""Platform names in posts: aliases from loomta.yaml or raw platform ids.

With a catalog, every name must lead to a platform in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loomta_sync.calendar.report import InputError, excerpt, suggest
from loomta_sync.catalog.model import Catalog
from loomta_sync.catalog.rules import PlatformRules

_PLATFORM_ID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_PULL_HINT = "run `loomta-sync platforms pull` if it was connected recently"


@dataclass(frozen=True, slots=True)
class PlatformRef:
    platform_id: str  # lower case, the form in which the API returns ids
    alias: str | None


class PlatformDirectory:
    """Resolves platform names for one load. Without a catalog, any well-formed id is accepted."""

    def __init__(self, aliases: dict[str, str], catalog: Catalog | None) -> None:
        self._aliases = {alias: platform_id.lower() for alias, platform_id in aliases.items()}
        self._alias_by_id: dict[str, str] = {}
        for alias, platform_id in sorted(self._aliases.items(), reverse=True):
            self._alias_by_id[platform_id] = alias
        # Names that resolved, so each post's platform list costs a lookup per name.
        self._resolved: dict[str, PlatformRef] = {}
        self._entries: dict[str, PlatformRules] | None = None
        if catalog is not None:
            self._entries = {
                entry.platform.id.lower(): PlatformRules(entry) for entry in catalog.platforms
            }

    def resolve(self, name: str) -> PlatformRef:
        """Return the platform that `name` means, or raise InputError with a suggestion."""
        ref = self._resolved.get(name)
        if ref is None:
            ref = self._resolve_uncached(name)
            self._resolved[name] = ref
        return ref

    def _resolve_uncached(self, name: str) -> PlatformRef:
        platform_id = self._aliases.get(name)
        if platform_id is not None:
            if self._entries is not None and platform_id not in self._entries:
                raise InputError(
                    f"platform '{excerpt(name)}' ({platform_id}) is not in the platform catalog",
                    f"{_PULL_HINT}, or fix its id under platforms in loomta.yaml",
                )
            return PlatformRef(platform_id, name)

        if _PLATFORM_ID.fullmatch(name):
            platform_id = name.lower()
            if self._entries is not None and platform_id not in self._entries:
                raise InputError(
                    f"platform {platform_id} is not in the platform catalog",
                    f"{_PULL_HINT}, or check the id",
                )
            return PlatformRef(platform_id, self._alias_by_id.get(platform_id))

        raise InputError(f"unknown platform '{excerpt(name)}'", self._unknown_hint(name))

    def rules(self, platform_id: str) -> PlatformRules | None:
        """Return the platform's rules, or None without a catalog."""
        if self._entries is None:
            return None
        return self._entries.get(platform_id)

    def _unknown_hint(self, name: str) -> str:
        if not self._aliases:
            return "define aliases under platforms in loomta.yaml, or write a platform id"
        available = ", ".join(sorted(self._aliases))
        close = suggest(name, self._aliases)
        if close is not None:
            return f"did you mean '{close}'? Aliases in loomta.yaml: {available}"
        return f"use an alias from loomta.yaml ({available}) or a platform id"
