"""The command context: the project, its catalog and state, the clock and an API client."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from loomta_sync.calendar.load import LoadResult, load_calendar
from loomta_sync.catalog.model import Catalog
from loomta_sync.catalog.store import load_catalog
from loomta_sync.client.credentials import api_key_from_env
from loomta_sync.client.http import LoomtaClient
from loomta_sync.config import Project
from loomta_sync.config_loader import load_project
from loomta_sync.state.model import State

API_KEY_VARIABLE = "LOOMTA_API_KEY"
API_URL_VARIABLE = "LOOMTA_API_URL"


@dataclass
class AppContext:
    directory: Path
    config_file: Path | None = None
    verbose: int = 0
    quiet: bool = False
    _project: Project | None = field(default=None, init=False, repr=False)

    def project(self) -> Project:
        if self._project is None:
            self._project = load_project(self.directory, self.config_file)
        return self._project

    def catalog(self) -> Catalog | None:
        project = self.project()
        return load_catalog(project.catalog_path, project.config.paths.catalog)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def load_calendar(self, state: State | None) -> LoadResult:
        return load_calendar(self.project(), self.catalog(), state, self.now())

    def platform_id(self, name: str) -> str:
        """Return the platform id for an alias from loomta.yaml, or `name` itself."""
        return self.project().config.platforms.get(name, name)

    def platform_label(self, platform_id: str) -> str:
        """Return `alias (id)` when loomta.yaml names the platform, else the id."""
        for alias, known_id in sorted(self.project().config.platforms.items()):
            if known_id == platform_id:
                return alias
        return platform_id

    def api_url(self) -> str:
        return os.environ.get(API_URL_VARIABLE) or self.project().config.api_url

    def client(self, key_variable: str = API_KEY_VARIABLE, **options: object) -> LoomtaClient:
        key = api_key_from_env(key_variable)
        return LoomtaClient(self.api_url(), key, **options)  # type: ignore[arg-type]

    @staticmethod
    def redact(text: str) -> str:
        """Remove the API key from text that may be written out, such as a traceback."""
        key = os.environ.get(API_KEY_VARIABLE)
        if key and len(key) >= 4:
            text = text.replace(key, "[redacted]")
        return text
