"""`loomta-sync platforms pull|list`: the cached platform catalog."""

from __future__ import annotations

import click

from loomta_sync.catalog.model import Catalog, CatalogEntry
from loomta_sync.catalog.store import save_catalog
from loomta_sync.cli.context import AppContext
from loomta_sync.errors import LoomtaSyncError


@click.group("platforms")
def platforms_group() -> None:
    """Fetch and show the connected accounts and their posting rules."""


@platforms_group.command("pull")
@click.pass_obj
def pull_command(app: AppContext) -> int:
    """Store GET /platforms and each platform's schema in the catalog file."""
    project = app.project()
    with app.client() as client:
        entries = [client.get_platform_schema(platform.id) for platform in client.list_platforms()]

    catalog = Catalog(pulled_at=app.now(), platforms=sorted(entries, key=lambda e: e.platform.id))
    save_catalog(project.catalog_path, catalog)
    relative = project.catalog_path.relative_to(project.root)
    click.echo(f"Pulled {len(entries)} platforms into {relative}.")
    return 0


@platforms_group.command("list")
@click.pass_obj
def list_command(app: AppContext) -> int:
    """Show the cached platforms with their aliases and posting rules."""
    catalog = app.catalog()
    if catalog is None:
        raise LoomtaSyncError(
            "no platform catalog yet; run `loomta-sync platforms pull` with LOOMTA_API_KEY set"
        )
    aliases = _aliases_by_id(app.project().config.platforms)
    for entry in catalog.platforms:
        click.echo(_describe(entry, aliases.get(entry.platform.id, [])))
    return 0


def _aliases_by_id(aliases: dict[str, str]) -> dict[str, list[str]]:
    by_id: dict[str, list[str]] = {}
    for alias, platform_id in sorted(aliases.items()):
        by_id.setdefault(platform_id, []).append(alias)
    return by_id


def _describe(entry: CatalogEntry, aliases: list[str]) -> str:
    platform = entry.platform
    schema = entry.schema_
    flags = [
        name
        for name, on in (
            ("disabled", platform.disabled),
            ("refresh needed", platform.refreshNeeded),
        )
        if on
    ]
    alias_text = ", ".join(aliases) if aliases else "(no alias)"
    lines = [
        f"{platform.id}  {platform.provider}  {platform.displayName or ''} "
        f"{platform.displayHandle or ''}  aliases: {alias_text}"
        + (f"  [{', '.join(flags)}]" if flags else ""),
        f"    content: max {schema.content.maxLength} characters"
        f"{', required' if schema.content.required else ''}",
        f"    media: {', '.join(schema.media.allowedTypes) or 'none'}, "
        f"{schema.media.minItems}-{schema.media.maxItems} items"
        f"{', required' if schema.media.required else ''}"
        f"{', no mixing' if not schema.media.supportsMixedTypes else ''}",
    ]
    for field in schema.settings.fields:
        values = f": {', '.join(field.enum)}" if field.enum else ""
        required = " (required)" if field.required else ""
        lines.append(f"    setting {field.name} {field.type}{required}{values}")
    return "\n".join(lines)
