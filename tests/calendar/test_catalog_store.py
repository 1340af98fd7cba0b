"""The catalog file: round trip, atomic write, readable JSON and clear errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from loomta_sync.catalog.model import Catalog, CatalogEntry
from loomta_sync.catalog.store import load_catalog, save_catalog
from loomta_sync.emulator.seeds import SEED_PLATFORMS
from loomta_sync.errors import ValidationFailed
from tests.calendar.calendar_scenarios import FIXTURES


def _seed_catalog() -> Catalog:
    entries = [
        CatalogEntry.model_validate(
            {"platform": seed.platform_json(), "schema": seed.schema_json()}
        )
        for seed in SEED_PLATFORMS
    ]
    return Catalog(pulled_at=datetime(2030, 1, 1, tzinfo=UTC), platforms=entries)


def test_save_then_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / ".loomta" / "platforms.json"
    catalog = _seed_catalog()

    save_catalog(path, catalog)

    assert load_catalog(path) == catalog
    assert [entry.name for entry in path.parent.iterdir()] == ["platforms.json"]


def test_saved_json_sorted_and_indented(tmp_path: Path) -> None:
    path = tmp_path / "platforms.json"

    save_catalog(path, _seed_catalog())

    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert '\n  "format_version": 1,' in text
    assert "schema_" not in text


def test_save_replaces_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "platforms.json"
    path.write_text("old", encoding="utf-8")

    save_catalog(path, Catalog())

    assert load_catalog(path) == Catalog()


def test_missing_catalog_is_none(tmp_path: Path) -> None:
    assert load_catalog(tmp_path / "absent.json") is None


def test_invalid_json_points_at_position(tmp_path: Path) -> None:
    path = tmp_path / "platforms.json"
    path.write_text('{\n  "platforms": [,]\n}\n', encoding="utf-8")

    with pytest.raises(ValidationFailed) as caught:
        load_catalog(path, ".loomta/platforms.json")

    assert [problem.format() for problem in caught.value.problems] == [
        ".loomta/platforms.json:2:17: invalid JSON: Expecting value; "
        "run `loomta-sync platforms pull` to fetch it again"
    ]


def test_model_mismatch_names_field(tmp_path: Path) -> None:
    path = tmp_path / "platforms.json"
    path.write_text('{"platforms": [{"platform": {"id": 5}}]}', encoding="utf-8")

    with pytest.raises(ValidationFailed) as caught:
        load_catalog(path, "platforms.json")

    messages = [problem.message for problem in caught.value.problems]
    assert messages == [
        "invalid platform catalog at platforms.0.platform.id: Input should be a valid string",
        "invalid platform catalog at platforms.0.platform.provider: Field required",
        "invalid platform catalog at platforms.0.schema: Field required",
    ]


def test_newer_format_version_rejected(tmp_path: Path) -> None:
    path = tmp_path / "platforms.json"
    path.write_text('{"format_version": 2, "platforms": []}', encoding="utf-8")

    with pytest.raises(ValidationFailed) as caught:
        load_catalog(path, "platforms.json")

    assert [problem.format() for problem in caught.value.problems] == [
        "platforms.json: platform catalog has format_version 2, but this loomta-sync reads only "
        "up to 1; upgrade loomta-sync"
    ]


def test_fixture_catalogs_match_emulator_seeds() -> None:
    # Every scenario's catalog is the emulator's seeded workspace, so rules tested offline are
    # the rules the emulator enforces.
    catalogs = sorted(FIXTURES.glob("**/.loomta/platforms.json"))

    assert len(catalogs) >= 10
    for path in catalogs:
        assert load_catalog(path) == _seed_catalog(), path
