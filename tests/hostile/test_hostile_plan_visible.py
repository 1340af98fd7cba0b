"""Hidden characters that validation lets through must be visible in the plan a reviewer reads.

Post text with bidirectional controls is rejected, but other values reach the plan. These are
platform aliases from loomta.yaml, media ids, settings and the state file, which a pull request
can edit too. Settings go unchecked when the catalog is missing, and comment settings are never
checked. Each value must show U+202E as a visible marker in the text and Markdown plans, never
as the raw character.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from loomta_sync.calendar.model import Mode
from loomta_sync.state.model import PostRecord, State, TargetRecord, TargetStatus
from loomta_sync.state.state_file import write_state
from tests.hostile.hostile_builders import post_text
from tests.hostile.hostile_cli import cli_environment, run_cli
from tests.hostile.hostile_projects import BRAND, base_project

RLO = "\u202e"
AT = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Scenario:
    name: str
    prepare: Callable[[Path], None]
    # Formats whose renderer does not show the marker yet, with the reason.
    known_bugs: dict[str, str]


def _write_post(root: Path, text: str) -> None:
    (root / "calendar" / "valid.yaml").write_text(text, encoding="utf-8")


def alias_in_config(root: Path) -> None:
    config = root / "loomta.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("brand:", '"br\\u202Eand":'), encoding="utf-8"
    )
    _write_post(root, post_text().replace("[brand]", '["br\\u202Eand"]'))


def media_id(root: Path) -> None:
    _write_post(root, post_text(media='media/cover.jpg, {id: "abc\\u202Edef"}'))


def settings_without_catalog(root: Path) -> None:
    (root / ".loomta" / "platforms.json").unlink()
    _write_post(root, post_text(settings='privacy_level: "SELF\\u202E_ONLY"'))


def comment_settings(root: Path) -> None:
    _write_post(
        root,
        post_text(extra='comments:\n  - content: Link in bio.\n    settings: {x: "a\\u202Eb"}\n'),
    )


def _record(status: TargetStatus, **fields: object) -> TargetRecord:
    return TargetRecord(
        status=status,
        idempotency_key=f"earlier-{status.value}",
        body_digest=status.value[0] * 64,
        mode=Mode.DRAFT,
        first_attempt_at=AT,
        updated_at=AT,
        **fields,  # type: ignore[arg-type]
    )


def failed_attempt_in_state(root: Path) -> None:
    record = _record(
        TargetStatus.FAILED, error_code="rejected", error_message=f"see {RLO}txet neddih"
    )
    state = State(posts={"valid": PostRecord(targets={BRAND: record})})
    write_state(root / ".loomta" / "state.json", state)


def orphan_key_in_state(root: Path) -> None:
    record = _record(TargetStatus.CREATED, root_post_id="9a0b7c6d-0000-4000-8000-00000000abcd")
    state = State(posts={f"old{RLO}post": PostRecord(targets={BRAND: record})})
    write_state(root / ".loomta" / "state.json", state)


SCENARIOS = [
    Scenario("alias_in_config", alias_in_config, {}),
    Scenario("media_id", media_id, {}),
    Scenario("settings_without_catalog", settings_without_catalog, {}),
    Scenario("comment_settings", comment_settings, {}),
    Scenario("failed_attempt_in_state", failed_attempt_in_state, {}),
    Scenario("orphan_key_in_state", orphan_key_in_state, {}),
]


def _params() -> list[Any]:
    params: list[Any] = []
    for scenario in SCENARIOS:
        for output_format in ("text", "markdown"):
            reason = scenario.known_bugs.get(output_format)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(
                pytest.param(
                    scenario, output_format, id=f"{scenario.name}-{output_format}", marks=marks
                )
            )
    return params


@pytest.mark.parametrize(("scenario", "output_format"), _params())
def test_plan_shows_hidden_character(
    scenario: Scenario, output_format: str, tmp_path: Path
) -> None:
    root = base_project(tmp_path)
    scenario.prepare(root)

    result = run_cli(
        root, "plan", "--format", output_format, environment=cli_environment(api_key=None)
    )

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert RLO not in result.stdout
    assert "U+202E" in result.stdout


def test_plan_lists_every_orphan(tmp_path: Path) -> None:
    root = base_project(tmp_path)
    record = _record(TargetStatus.CREATED, root_post_id="9a0b7c6d-0000-4000-8000-00000000abcd")
    twin = record.model_copy(update={"root_post_id": "9a0b7c6d-0000-4000-8000-00000000abce"})
    state = State(
        posts={
            "first-draft": PostRecord(targets={BRAND: record}),
            "second-draft": PostRecord(targets={BRAND: twin}),
        }
    )
    write_state(root / ".loomta" / "state.json", state)

    result = run_cli(root, "plan", environment=cli_environment(api_key=None))

    assert result.returncode == 0, result.stderr
    assert "first-draft" in result.stdout
    assert "second-draft" in result.stdout


def test_missing_catalog_warning_is_one_line(tmp_path: Path) -> None:
    root = base_project(tmp_path)
    (root / ".loomta" / "platforms.json").unlink()

    result = run_cli(root, "validate", environment=cli_environment(api_key=None))

    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "Warning: .loomta/platforms.json: no platform catalog at .loomta/platforms.json; "
        "run `loomta-sync platforms pull`\n"
    )
