"""The JSON plan: the `Plan` model plus a `summary` of counts per kind.

This is both `plan --format json` and the file `plan --out` writes, so a saved plan can be read
back with `load_plan`. Fields are only ever added; `format_version` changes when one is not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from loomta_sync.errors import LoomtaSyncError
from loomta_sync.planner.model import PLAN_FORMAT_VERSION, Plan


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    data = plan.model_dump(mode="json")
    data["summary"] = {kind.value: count for kind, count in plan.counts().items()}
    return data


def render_plan_json(plan: Plan) -> str:
    return json.dumps(plan_to_dict(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_plan(path: Path) -> Plan:
    """Read a plan written by `plan --out`, rejecting a file that is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LoomtaSyncError(f"{path}: plan file not found") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoomtaSyncError(f"{path}: not a readable plan file ({exc})") from exc

    if not isinstance(data, dict):
        raise LoomtaSyncError(f"{path}: not a plan file; write one with `loomta-sync plan --out`")
    version = data.get("format_version")
    if version != PLAN_FORMAT_VERSION:
        raise LoomtaSyncError(
            f"{path}: plan format_version {version!r} is not {PLAN_FORMAT_VERSION}; "
            "make the plan again with this version of loomta-sync"
        )
    data.pop("summary", None)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise LoomtaSyncError(f"{path}: invalid plan file at {where}: {first['msg']}") from exc

    if plan.checksum != plan.compute_checksum():
        raise LoomtaSyncError(
            f"{path}: plan checksum does not match its content; the file was edited after "
            "`loomta-sync plan --out` wrote it, so make the plan again"
        )
    return plan
