"""Generate the JSON Schemas under `schemas/` from the pydantic models.

Run `python -m loomta_sync.schemas` after changing a model; a test fails while the files are
stale. Editors use `post.schema.json` and `loomta.schema.json` through a first-line comment
`# yaml-language-server: $schema=...` in the YAML files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from loomta_sync.calendar.spec import calendar_file_schema
from loomta_sync.catalog.model import Catalog
from loomta_sync.config import Config
from loomta_sync.planner.model import Plan
from loomta_sync.state.model import State

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _model_schema(
    model: Any, title: str, description: str, mode: str = "validation"
) -> dict[str, Any]:
    schema: dict[str, Any] = model.model_json_schema(by_alias=True, mode=mode)
    return {"$schema": DRAFT, **schema, "title": title, "description": description}


def _plan_schema() -> dict[str, Any]:
    schema = _model_schema(
        Plan,
        "loomta-sync plan",
        "The JSON plan of `loomta-sync plan --format json` and `plan --out`. Fields are only "
        "ever added; format_version changes when one is not.",
        mode="serialization",
    )
    schema["properties"]["summary"] = {
        "type": "object",
        "description": "Number of targets per change kind.",
        "additionalProperties": {"type": "integer"},
    }
    return schema


def generate_schemas() -> dict[str, dict[str, Any]]:
    """Return every schema by its file name under `schemas/`."""
    return {
        "post.schema.json": calendar_file_schema(),
        "loomta.schema.json": _model_schema(Config, "loomta.yaml", "loomta-sync project settings."),
        "state.schema.json": _model_schema(
            State, "loomta-sync state", "The state file .loomta/state.json.", mode="serialization"
        ),
        "platforms.schema.json": _model_schema(
            Catalog,
            "loomta-sync platform catalog",
            "The cached catalog .loomta/platforms.json written by `platforms pull`.",
            mode="serialization",
        ),
        "plan.schema.json": _plan_schema(),
    }


def render_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in generate_schemas().items():
        path = directory / name
        path.write_text(render_schema(schema), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schemas")
    for path in write_schemas(target):
        print(path)


if __name__ == "__main__":
    main()
