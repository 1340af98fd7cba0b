"""`loomta.yaml`: the project's settings.

Only the model lives here. `loomta_sync.config_loader.load_project` reads the file with the
calendar's YAML loader, so its errors carry file, line and column like every other input error.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

CONFIG_FILE_NAME = "loomta.yaml"
DEFAULT_API_URL = "https://api.loomta.com/public/v1"


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Paths(Section):
    """Locations relative to the directory that contains loomta.yaml; none may leave it."""

    calendar: str = "calendar"
    state: str = ".loomta/state.json"
    catalog: str = ".loomta/platforms.json"


class SafetyLimits(Section):
    """Limits that stop an apply unless it runs with --force."""

    max_creates_per_apply: int = Field(default=50, ge=0)
    allow_now: bool = False


class InputLimits(Section):
    """Limits on the input files, so a hostile calendar cannot exhaust time or memory."""

    max_posts: int = Field(default=10_000, ge=1)
    max_file_bytes: int = Field(default=1_048_576, ge=1)
    max_scalar_chars: int = Field(default=65_536, ge=1)
    max_depth: int = Field(default=32, ge=1)
    max_yaml_nodes: int = Field(default=100_000, ge=1)
    max_media_bytes_per_post: int = Field(default=4_294_967_296, ge=1)


class Config(Section):
    """The whole of loomta.yaml."""

    timezone: str | None = None
    api_url: str = DEFAULT_API_URL
    platforms: dict[str, str] = Field(default_factory=dict)
    paths: Paths = Field(default_factory=Paths)
    safety: SafetyLimits = Field(default_factory=SafetyLimits)
    limits: InputLimits = Field(default_factory=InputLimits)
    min_lead_minutes: int = Field(default=5, ge=0)


class Project:
    """A loaded project: its root directory and its config."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.config = config

    @property
    def calendar_dir(self) -> Path:
        return self.root / self.config.paths.calendar

    @property
    def state_path(self) -> Path:
        return self.root / self.config.paths.state

    @property
    def catalog_path(self) -> Path:
        return self.root / self.config.paths.catalog
