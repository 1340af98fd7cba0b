"""What one load shares between posts and targets, and what it leaves the collector to do."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path, PurePosixPath

from hypothesis import given
from hypothesis import strategies as st

from loomta_sync.calendar.entries import _without_suffix
from tests.calendar.calendar_scenarios import BRAND, DEVELOPERS, SCENARIOS, load_scenario

SHARED_POST = """\
platforms: [brand, dev]
content: Same text everywhere.
scheduledFor: 2030-05-0{day}T09:00
media: [media/cover.jpg]
settings: {{privacy_level: PUBLIC_TO_EVERYONE}}
"""

OVERRIDDEN_POST = """\
platforms: [brand, dev]
content: Text for the brand account.
scheduledFor: 2030-05-03T09:00
media: [./media/cover.jpg]
settings: {privacy_level: PUBLIC_TO_EVERYONE}
overrides:
  dev: {content: Text for developers.}
"""


def sharing_project(tmp_path: Path) -> Path:
    """A copy of the valid fixture project whose calendar holds only the posts above."""
    project = tmp_path / "project"
    shutil.copytree(SCENARIOS / "valid", project)
    shutil.rmtree(project / "calendar")
    (project / "calendar").mkdir()
    for day in (1, 2):
        (project / "calendar" / f"shared-{day}.yaml").write_text(SHARED_POST.format(day=day))
    (project / "calendar" / "overridden.yaml").write_text(OVERRIDDEN_POST)
    return project


def test_load_targets_without_override_share_payload(tmp_path: Path) -> None:
    posts = {post.key: post for post in load_scenario(sharing_project(tmp_path)).calendar.posts}

    brand, dev = posts["shared-1"].targets

    assert (brand.platform_id, dev.platform_id) == (BRAND, DEVELOPERS)
    assert brand.payload is dev.payload
    assert brand.payload.full_digest() == dev.payload.full_digest()


def test_load_override_target_gets_own_payload(tmp_path: Path) -> None:
    posts = {post.key: post for post in load_scenario(sharing_project(tmp_path)).calendar.posts}

    brand, dev = posts["overridden"].targets

    assert brand.payload is not dev.payload
    assert brand.payload.content == "Text for the brand account."
    assert dev.payload.content == "Text for developers."
    assert brand.payload.media == dev.payload.media


def test_load_posts_share_media_item_per_path(tmp_path: Path) -> None:
    posts = {post.key: post for post in load_scenario(sharing_project(tmp_path)).calendar.posts}

    first = posts["shared-1"].targets[0].payload.media[0]
    second = posts["shared-2"].targets[0].payload.media[0]
    dotted = posts["overridden"].targets[0].payload.media[0]

    assert first is second
    assert dotted == first
    assert dotted.path == "media/cover.jpg"


def test_load_keeps_objects_the_caller_froze(tmp_path: Path) -> None:
    project = sharing_project(tmp_path)
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        load_scenario(project)

        assert gc.isenabled()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_load_leaves_collector_off_when_caller_paused_it(tmp_path: Path) -> None:
    project = sharing_project(tmp_path)
    gc.disable()
    try:
        load_scenario(project)

        assert not gc.isenabled()
    finally:
        gc.enable()


def test_load_moves_built_objects_to_oldest_generation(tmp_path: Path) -> None:
    project = sharing_project(tmp_path)
    gc.collect()

    result = load_scenario(project)

    # A collection of the two young generations right after the load finds nothing built by
    # it there: every post, target and payload already sits in the oldest generation.
    young = {id(item) for generation in (0, 1) for item in gc.get_objects(generation)}
    built = list(result.calendar.posts) + [
        target for post in result.calendar.posts for target in post.targets
    ]
    assert built
    assert all(id(item) not in young for item in built)


PATH_PARTS = st.text(alphabet="ab.-_ /\u00e9", max_size=6)


@given(st.lists(PATH_PARTS, min_size=1, max_size=4).map("/".join))
def test_entries_suffix_cut_matches_pathlib(calendar_path: str) -> None:
    try:
        expected = str(PurePosixPath(calendar_path).with_suffix(""))
    except ValueError:
        expected = None
    try:
        actual: str | None = _without_suffix(calendar_path)
    except ValueError:
        actual = None

    assert actual == expected
