"""The platform catalog: GET /platforms and each GET /platforms/{id}/schema, cached offline.

Field names follow the API (camelCase) because these models read its responses. Unknown fields
are kept, since the API may add some.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

CATALOG_FORMAT_VERSION = 1


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Platform(ApiModel):
    id: str
    provider: str
    providerName: str | None = None
    providerAccountId: str | None = None
    displayName: str | None = None
    displayHandle: str | None = None
    displayImageUrl: str | None = None
    disabled: bool = False
    refreshNeeded: bool = False
    tokenExpiresAt: str | None = None
    capabilities: Any = None
    metadata: Any = None
    settings: Any = None


class ContentRules(ApiModel):
    required: bool = True
    maxLength: int | None = None


class MediaRules(ApiModel):
    required: bool = False
    allowedTypes: list[str] = Field(default_factory=list)
    minItems: int | None = None
    maxItems: int | None = None
    supportsMixedTypes: bool = True
    rules: list[str] = Field(default_factory=list)


class CommentRules(ApiModel):
    supported: bool = False
    mediaSupported: bool = False
    delayInMinutesSupported: bool = False


class SettingsField(ApiModel):
    name: str
    type: Literal["string", "boolean", "enum"] | str
    required: bool = False
    default: Any = None
    enum: list[str] | None = None
    description: str | None = None


class SettingsRules(ApiModel):
    fields: list[SettingsField] = Field(default_factory=list)


class PlatformSchema(ApiModel):
    content: ContentRules = Field(default_factory=ContentRules)
    media: MediaRules = Field(default_factory=MediaRules)
    comments: CommentRules = Field(default_factory=CommentRules)
    settings: SettingsRules = Field(default_factory=SettingsRules)


class CatalogEntry(ApiModel):
    platform: Platform
    schema_: PlatformSchema = Field(alias="schema")


class Catalog(BaseModel):
    """`.loomta/platforms.json`."""

    model_config = ConfigDict(extra="forbid")

    format_version: int = CATALOG_FORMAT_VERSION
    pulled_at: datetime | None = None
    platforms: list[CatalogEntry] = Field(default_factory=list)

    def entry(self, platform_id: str) -> CatalogEntry | None:
        for entry in self.platforms:
            if entry.platform.id == platform_id:
                return entry
        return None
