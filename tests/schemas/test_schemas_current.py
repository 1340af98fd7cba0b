"""The JSON Schemas under schemas/ match the models they are generated from."""

from __future__ import annotations

from pathlib import Path

import pytest

from loomta_sync.schemas import generate_schemas, render_schema

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"


@pytest.mark.parametrize("name", sorted(generate_schemas()))
def test_schema_file_current(name: str) -> None:
    expected = render_schema(generate_schemas()[name])
    path = SCHEMA_DIR / name
    assert path.exists(), f"{path} is missing; run `python -m loomta_sync.schemas`"
    assert path.read_text(encoding="utf-8") == expected, (
        f"{path} is stale; run `python -m loomta_sync.schemas`"
    )


def test_schema_dir_has_no_extra_files() -> None:
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.json")) == sorted(generate_schemas())
