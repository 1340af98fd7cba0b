"""Inputs that look hostile but are legitimate: the CLI accepts them and sends them unchanged."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.hostile.hostile_builders import (
    HIDDEN_TEXT_FILE,
    MEDIA_PATHS_FILE,
    calendar_file,
    one_fixture_post,
    post_text,
    yaml_fixture,
)
from tests.hostile.hostile_cases import (
    ACCEPTED_PATH_POSTS,
    ACCEPTED_TEXT_POSTS,
    ACCEPTED_YAML_FIXTURES,
)
from tests.hostile.hostile_cli import cli_environment, run_cli
from tests.hostile.hostile_projects import PATHS_PROJECT, TEXT_PROJECT
from tests.support.emulator import TEST_API_KEY, EmulatorProcess

# The example post of the emoji rule: woman, ZERO WIDTH JOINER, laptop.
TECHNOLOGIST = "\U0001f469\u200d\U0001f4bb"


def validate(root: Path) -> tuple[int, str, str]:
    result = run_cli(root, "validate", environment=cli_environment(api_key=None))
    return result.returncode, result.stdout, result.stderr


def test_byte_order_mark_accepted(tmp_path: Path) -> None:
    (name, completion), *_ = ACCEPTED_YAML_FIXTURES.items()
    root = yaml_fixture(name, completion)(tmp_path)
    assert (root / "calendar" / f"{name}.yaml").read_bytes().startswith(b"\xef\xbb\xbf")

    code, stdout, stderr = validate(root)

    assert code == 0, stderr
    assert stdout == "Valid: 2 posts, 2 targets.\n"


def test_composed_accent_path_accepted(tmp_path: Path) -> None:
    (post_id,) = ACCEPTED_PATH_POSTS
    root = one_fixture_post(PATHS_PROJECT, MEDIA_PATHS_FILE, post_id)(tmp_path)

    code, stdout, stderr = validate(root)

    assert code == 0, stderr
    assert stdout == "Valid: 2 posts, 2 targets.\n"


def test_windows_line_endings_accepted(tmp_path: Path) -> None:
    text = post_text().replace("\n", "\r\n")
    root = calendar_file("post.yaml", text.encode("utf-8"))(tmp_path)

    code, stdout, stderr = validate(root)

    assert code == 0, stderr
    assert stdout == "Valid: 2 posts, 2 targets.\n"


def test_joiners_in_text_sent_unchanged(tmp_path: Path, quiet_emulator: EmulatorProcess) -> None:
    (post_id,) = ACCEPTED_TEXT_POSTS
    root = one_fixture_post(TEXT_PROJECT, HIDDEN_TEXT_FILE, post_id)(tmp_path)
    posts = yaml.safe_load((root / HIDDEN_TEXT_FILE).read_text(encoding="utf-8"))
    (content,) = [post["content"] for post in posts if post]
    assert TECHNOLOGIST in content
    environment = cli_environment(api_url=quiet_emulator.base_url, api_key=TEST_API_KEY)

    plan = run_cli(root, "plan", environment=environment)
    apply = run_cli(root, "apply", "--yes", environment=environment)

    assert plan.returncode == 0, plan.stderr
    assert TECHNOLOGIST in plan.stdout
    assert "U+200D" not in plan.stdout
    assert "U+200C" not in plan.stdout
    assert apply.returncode == 0, apply.stdout + apply.stderr
    sent = {group["root"]["content"] for group in quiet_emulator.admin.groups()}
    assert content in sent
