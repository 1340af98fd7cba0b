"""Reading and writing `.loomta/platforms.json`, the platform catalog committed with the calendar.

The file is written atomically (temporary file in the same directory, fsync, rename, fsync of the
directory) with sorted keys and a 2-space indent, so a crash never leaves half a catalog and git
diffs stay small.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pydantic import ValidationError

from loomta_sync.catalog.model import CATALOG_FORMAT_VERSION, Catalog
from loomta_sync.errors import Problem, ValidationFailed
from loomta_sync.state.atomic import write_atomic

logger = logging.getLogger(__name__)

_PULL_HINT = "run `loomta-sync platforms pull` to fetch it again"


def load_catalog(path: Path, display_path: str | None = None) -> Catalog | None:
    """Read the catalog, or return None when the file does not exist.

    Raises ValidationFailed when the file is not valid JSON, does not match the catalog model,
    or was written by a newer loomta-sync. `display_path` names the file in those messages.
    """
    display_path = display_path or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            [
                Problem(
                    display_path, None, None, f"cannot read the platform catalog: {exc}", _PULL_HINT
                )
            ]
        ) from exc

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Problem(
            display_path, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}", _PULL_HINT
        )
        raise ValidationFailed([problem]) from exc

    _check_format_version(data, display_path)
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(_model_problems(exc, display_path)) from exc

    logger.debug("read platform catalog %s with %s platforms", display_path, len(catalog.platforms))
    return catalog


def save_catalog(path: Path, catalog: Catalog) -> None:
    """Write the catalog atomically, creating its directory when needed."""
    data = catalog.model_dump(mode="json", by_alias=True)
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    logger.debug("wrote platform catalog %s", path)


def _check_format_version(data: object, display_path: str) -> None:
    if not isinstance(data, dict):
        return
    version = data.get("format_version")
    if isinstance(version, int) and version > CATALOG_FORMAT_VERSION:
        message = (
            f"platform catalog has format_version {version}, "
            f"but this loomta-sync reads only up to {CATALOG_FORMAT_VERSION}"
        )
        raise ValidationFailed([Problem(display_path, None, None, message, "upgrade loomta-sync")])


def _model_problems(exc: ValidationError, display_path: str) -> list[Problem]:
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "the file"
        message = f"invalid platform catalog at {where}: {error['msg']}"
        problems.append(Problem(display_path, None, None, message, _PULL_HINT))
    return problems
