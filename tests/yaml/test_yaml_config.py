"""load_project: finding loomta.yaml, its schema problems and its value checks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from loomta_sync.config import Config, InputLimits
from loomta_sync.config_loader import load_project
from loomta_sync.errors import ConfigError, ValidationFailed
from tests.yaml.conftest import FIXTURES

HOSTILE_CONFIG = FIXTURES / "config"
PATH_HINT = "use a path inside the project, relative to its root, such as"

# Fixture folder -> every problem, in file order.
REJECTED = {
    "alias_is_uuid": [
        "loomta.yaml:3:3: platform alias '6f1b2c3d-0000-4000-8000-000000000002' is itself a "
        "platform id, which posts would confuse; name the alias after the account, such as `brand`"
    ],
    "ambiguous_value": [
        "loomta.yaml:1:11: timezone 'no' would be read as a boolean by YAML 1.1 tools; "
        "quote it: 'no'"
    ],
    "bad_platform_id": [
        "loomta.yaml:4:8: platform alias 'dev' maps to 'loomta-developers', which is not a "
        "platform id; use the platform's UUID, such as 6f1b2c3d-0000-4000-8000-000000000001"
    ],
    "bad_timezone": [
        "loomta.yaml:1:11: unknown time zone 'Europe/Berlim'; did you mean 'Europe/Berlin'?"
    ],
    "invalid_yaml": [
        "loomta.yaml:4:1: invalid YAML: did not find expected node content while parsing a "
        "flow node"
    ],
    "localtime_zone": [
        "loomta.yaml:1:11: timezone 'localtime' depends on the machine that runs loomta-sync; "
        "use an IANA zone name such as Europe/Berlin"
    ],
    "not_a_mapping": [
        "loomta.yaml:1:1: loomta.yaml must be a mapping of settings, not a sequence; "
        "write settings as key: value lines, such as `timezone: Europe/Berlin`"
    ],
    "path_absolute": [
        "loomta.yaml:3:10: paths.state '/var/lib/loomta/state.json' is an absolute path; "
        f"{PATH_HINT} '.loomta/state.json'"
    ],
    "path_home": [
        "loomta.yaml:3:12: paths.catalog '~/loomta/platforms.json' contains '~', which is not "
        f"expanded to a home directory; {PATH_HINT} '.loomta/platforms.json'"
    ],
    "path_parent": [
        f"loomta.yaml:3:13: paths.calendar '../shared-calendar' contains '..'; {PATH_HINT} "
        "'calendar'"
    ],
    "path_root": [
        f"loomta.yaml:3:13: paths.calendar '.' names the project root itself; {PATH_HINT} "
        "'calendar'"
    ],
    "plain_http_api": [
        "loomta.yaml:2:10: api_url 'http://api.loomta.com/public/v1' is not an https URL, and "
        "requests to it carry the API key; use https://, or http:// only for a local emulator "
        "on 127.0.0.1"
    ],
    "same_state_and_catalog": [
        "loomta.yaml:4:12: paths.state and paths.catalog are the same file '.loomta/data.json'; "
        "give the platform catalog its own file, such as '.loomta/platforms.json'"
    ],
    "unknown_key": [
        "loomta.yaml:1:1: unknown key 'timezon'; did you mean 'timezone'?",
        "loomta.yaml:3:3: unknown key 'calender' in paths; did you mean 'calendar'?",
    ],
    "wrong_types": [
        "loomta.yaml:2:19: min_lead_minutes must be an integer, not the string '5'; "
        "write a whole number without quotes",
        "loomta.yaml:3:12: platforms must be a mapping, not a sequence; "
        "write key: value pairs under it",
        "loomta.yaml:5:26: safety.max_creates_per_apply must be an integer, not the float 2.5; "
        "write a whole number without quotes",
        "loomta.yaml:6:14: safety.allow_now must be true or false, not 'yes', which YAML 1.2 "
        "reads as a string; write true or false without quotes",
        "loomta.yaml:8:14: limits.max_depth is the integer 0, less than the minimum of 1; "
        "use a value of at least 1",
    ],
}

VALID_CONFIG = """\
timezone: Europe/Berlin
api_url: http://127.0.0.1:8765/public/v1
platforms:
  brand: 6f1b2c3d-0000-4000-8000-000000000001
  dev: 6F1B2C3D-0000-4000-8000-000000000002
paths:
  calendar: posts
  state: .loomta/state.json
safety:
  max_creates_per_apply: 10
  allow_now: true
limits:
  max_posts: 100
min_lead_minutes: 15
"""


def problem_lines(start: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        load_project(start)
    return [problem.format() for problem in caught.value.problems]


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_hostile_config_rejected(name: str) -> None:
    assert problem_lines(HOSTILE_CONFIG / name) == REJECTED[name]


def test_every_hostile_config_has_a_case() -> None:
    names = {path.parent.name for path in HOSTILE_CONFIG.glob("*/loomta.yaml")}

    assert names == set(REJECTED)


def test_valid_config_loaded(tmp_path: Path) -> None:
    (tmp_path / "loomta.yaml").write_text(VALID_CONFIG, encoding="utf-8")

    project = load_project(tmp_path)

    assert project.root == tmp_path.resolve()
    assert project.config.timezone == "Europe/Berlin"
    assert project.config.platforms == {
        "brand": "6f1b2c3d-0000-4000-8000-000000000001",
        "dev": "6F1B2C3D-0000-4000-8000-000000000002",
    }
    assert project.config.safety.allow_now is True
    assert project.config.limits.max_posts == 100
    assert project.config.limits.max_depth == InputLimits().max_depth
    assert project.config.min_lead_minutes == 15
    assert project.calendar_dir == tmp_path.resolve() / "posts"
    assert project.catalog_path == tmp_path.resolve() / ".loomta" / "platforms.json"


def test_minimal_config_uses_defaults(tmp_path: Path) -> None:
    (tmp_path / "loomta.yaml").write_text("timezone: UTC\n", encoding="utf-8")

    project = load_project(tmp_path)

    assert project.config == Config(timezone="UTC")


def test_missing_config_names_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)

    assert str(caught.value) == (
        f"no loomta.yaml in {tmp_path.resolve()}; run `loomta-sync init` to create one, "
        "or name the project with --directory or the file with --config"
    )


def test_missing_start_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path / "absent")

    assert str(caught.value) == f"project directory {tmp_path / 'absent'} not found; check the path"


def test_explicit_config_file(tmp_path: Path) -> None:
    project_dir = tmp_path / "site"
    project_dir.mkdir()
    config_file = project_dir / "staging.yaml"
    config_file.write_text("timezone: Europe/Berlin\n", encoding="utf-8")

    project = load_project(tmp_path, config_file)

    assert project.root == project_dir.resolve()
    assert project.config.timezone == "Europe/Berlin"


def test_explicit_config_file_problems_name_it(tmp_path: Path) -> None:
    config_file = tmp_path / "staging.yaml"
    config_file.write_text("timezone: Mars/Olympus\n", encoding="utf-8")

    with pytest.raises(ValidationFailed) as caught:
        load_project(tmp_path, config_file)

    problem = caught.value.problems[0].format()
    assert problem.startswith("staging.yaml:1:11: unknown time zone 'Mars/Olympus'; ")


def test_missing_explicit_config_file(tmp_path: Path) -> None:
    config_file = tmp_path / "other.yaml"

    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path, config_file)

    assert str(caught.value) == (
        f"config file {config_file} not found or not a regular file; "
        "check the path, or run `loomta-sync init` to create one"
    )


def test_symlink_out_of_project_rejected(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    project_dir = tmp_path / "project"
    project_dir.mkdir()
    (project_dir / "posts").symlink_to(outside, target_is_directory=True)
    (project_dir / "loomta.yaml").write_text(
        "timezone: Europe/Berlin\npaths:\n  calendar: posts\n", encoding="utf-8"
    )

    assert problem_lines(project_dir) == [
        f"loomta.yaml:3:13: paths.calendar 'posts' resolves to '{outside.resolve()}' through a "
        f"symbolic link, outside the project; {PATH_HINT} 'calendar'"
    ]


def test_default_path_through_symlink_rejected(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    project_dir = tmp_path / "project"
    project_dir.mkdir()
    (project_dir / ".loomta").symlink_to(outside, target_is_directory=True)
    (project_dir / "loomta.yaml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")

    # Default paths are not in the file, so their problems point at its first line.
    assert problem_lines(project_dir) == [
        f"loomta.yaml:1:1: paths.state '.loomta/state.json' resolves to "
        f"'{outside.resolve() / 'state.json'}' through a symbolic link, outside the project; "
        f"{PATH_HINT} '.loomta/state.json'",
        f"loomta.yaml:1:1: paths.catalog '.loomta/platforms.json' resolves to "
        f"'{outside.resolve() / 'platforms.json'}' through a symbolic link, outside the project; "
        f"{PATH_HINT} '.loomta/platforms.json'",
    ]


def test_symlink_inside_project_accepted(tmp_path: Path) -> None:
    (tmp_path / "real-posts").mkdir()
    (tmp_path / "posts").symlink_to(tmp_path / "real-posts", target_is_directory=True)
    (tmp_path / "loomta.yaml").write_text("paths:\n  calendar: posts\n", encoding="utf-8")

    project = load_project(tmp_path)

    assert project.config.paths.calendar == "posts"


def test_symlink_loop_rejected(tmp_path: Path) -> None:
    os.symlink("loop-b", tmp_path / "loop-a")
    os.symlink("loop-a", tmp_path / "loop-b")
    (tmp_path / "loomta.yaml").write_text("paths:\n  calendar: loop-a/posts\n", encoding="utf-8")

    assert problem_lines(tmp_path) == [
        "loomta.yaml:2:13: paths.calendar 'loop-a/posts' cannot be resolved because of a "
        f"symbolic link loop; {PATH_HINT} 'calendar'"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://api.loomta.com/public/v1",
        "http://127.0.0.1:9000/public/v1",
        "http://localhost:9000",
        "http://[::1]:9000",
    ],
)
def test_api_url_accepted(tmp_path: Path, url: str) -> None:
    (tmp_path / "loomta.yaml").write_text(f"api_url: '{url}'\n", encoding="utf-8")

    assert load_project(tmp_path).config.api_url == url


@pytest.mark.parametrize("url", ["http://10.0.0.1/v1", "ftp://api.loomta.com", "https://", "api"])
def test_api_url_rejected(tmp_path: Path, url: str) -> None:
    (tmp_path / "loomta.yaml").write_text(f"api_url: '{url}'\n", encoding="utf-8")

    assert problem_lines(tmp_path) == [
        f"loomta.yaml:1:10: api_url {url!r} is not an https URL, and requests to it carry the "
        "API key; use https://, or http:// only for a local emulator on 127.0.0.1"
    ]


def test_unknown_key_without_near_match(tmp_path: Path) -> None:
    (tmp_path / "loomta.yaml").write_text("safety:\n  zzz: 1\n", encoding="utf-8")

    assert problem_lines(tmp_path) == [
        "loomta.yaml:2:3: unknown key 'zzz' in safety; "
        "expected one of: allow_now, max_creates_per_apply"
    ]


def test_config_yaml_rules_apply(tmp_path: Path) -> None:
    (tmp_path / "loomta.yaml").write_text("timezone: UTC\ntimezone: UTC\n", encoding="utf-8")

    assert problem_lines(tmp_path) == [
        "loomta.yaml:2:1: duplicate key 'timezone', first at line 1, column 1; remove one of them"
    ]
