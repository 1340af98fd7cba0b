"""Valid calendars resolve into posts with UTC times, overrides applied and media hashed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from loomta_sync.calendar.model import (
    CommentPayload,
    MediaItem,
    Mode,
    Post,
    SourceLocation,
    Target,
    TargetPayload,
)
from loomta_sync.state.model import State
from tests.calendar.calendar_scenarios import (
    BRAND,
    DEVELOPERS,
    SCENARIOS,
    copy_scenario,
    load_scenario,
    problem_lines,
)

VALID = SCENARIOS / "valid"

# sha256 of the fixture files under tests/fixtures/calendar/valid/media.
TEASER = MediaItem(
    path="media/teaser.mp4",
    sha256="bac7c927d410a256e7dd66eb0d9ea813e8049de54bde165300e684ddddd1c6cc",
    mime_type="video/mp4",
    size=50,
)
COVER = MediaItem(
    path="media/cover.jpg",
    sha256="a9976fb8498ad89ea47619d03ad800249aa231a2b6d313bd7fe997d2cad1d622",
    mime_type="image/jpeg",
    size=41,
)
DETAIL = MediaItem(
    path="media/detail.webp",
    sha256="ada6e75a8d67baeeacb2de7ebe5322a53a35efa5148e06387a63295ca19e7f18",
    mime_type="image/webp",
    size=44,
)
CLIP = MediaItem(
    path="media/clip.webm",
    sha256="da584f806bb01a8006229d9b7bfa5d3909bccd8d110c686c8727c625cb987291",
    mime_type="video/webm",
    size=60,
)
BEHIND_THE_SCENES = MediaItem(
    path="media/behind-the-scenes.mov",
    sha256="f56b54684ac04dbe8595afd83801c891f5b7108d559adb77d951e820e1fdbaa3",
    mime_type="video/quicktime",
    size=46,
)


def _posts_by_key(directory: Path = VALID) -> dict[str, Post]:
    result = load_scenario(directory)
    return {post.key: post for post in result.calendar.posts}


def test_valid_posts_sorted_by_key() -> None:
    result = load_scenario(VALID)

    keys = [post.key for post in result.calendar.posts]

    assert keys == ["april-draft", "april-photos", "evergreen/tips", "launch-teaser"]
    assert result.warnings == ()


def test_valid_single_post_file_resolves_fully() -> None:
    post = _posts_by_key()["launch-teaser"]
    when = datetime(2030, 3, 29, 8, 0, tzinfo=UTC)  # 09:00 in Berlin, still on +01:00
    comments = (CommentPayload(content="Link in bio.", delay_in_minutes=5),)

    expected = Post(
        key="launch-teaser",
        location=SourceLocation(path="calendar/launch-teaser.yaml", line=2, column=1),
        mode=Mode.SCHEDULE,
        scheduled_for=when,
        timezone="Europe/Berlin",
        targets=(
            Target(
                post_key="launch-teaser",
                platform_id=BRAND,
                platform_alias="brand",
                payload=TargetPayload(
                    content="Our launch is two weeks away.\n",
                    mode=Mode.SCHEDULE,
                    scheduled_for=when,
                    media=(TEASER,),
                    settings={"privacy_level": "PUBLIC_TO_EVERYONE"},
                    comments=comments,
                ),
            ),
            Target(
                post_key="launch-teaser",
                platform_id=DEVELOPERS,
                platform_alias="dev",
                payload=TargetPayload(
                    content="Developers: our launch is two weeks away.",
                    mode=Mode.SCHEDULE,
                    scheduled_for=when,
                    media=(TEASER,),
                    settings={"privacy_level": "PUBLIC_TO_EVERYONE", "disable_duet": True},
                    comments=comments,
                ),
            ),
        ),
    )
    assert post == expected


def test_valid_offset_time_wins_over_zone() -> None:
    post = _posts_by_key()["april-photos"]

    assert post.scheduled_for == datetime(2030, 4, 2, 16, 30, tzinfo=UTC)
    assert post.timezone == "America/New_York"
    assert post.location == SourceLocation(path="calendar/2030/april.yaml", line=1, column=3)


def test_valid_media_paths_normalised_and_hashed() -> None:
    post = _posts_by_key()["april-photos"]

    (target,) = post.targets

    # The third entry is written `./media/cover.jpg`: the same file, the same item.
    assert target.payload.media == (COVER, DETAIL, COVER)
    assert target.payload.settings == {
        "privacy_level": "FOLLOWER_OF_CREATOR",
        "disable_comment": True,
    }


def test_valid_draft_with_media_id() -> None:
    post = _posts_by_key()["april-draft"]

    (target,) = post.targets

    assert post.mode is Mode.DRAFT
    assert post.scheduled_for is None
    assert target.platform_id == DEVELOPERS
    assert target.payload.media == (MediaItem(media_id="9c8b7a6d-0000-4000-8000-00000000abcd"),)


def test_valid_path_key_and_media_override() -> None:
    post = _posts_by_key()["evergreen/tips"]
    brand, developers = post.targets

    # Iran has kept +03:30 all year since 2022, so 12:00 local is 08:30 UTC.
    assert post.scheduled_for == datetime(2030, 5, 1, 8, 30, tzinfo=UTC)
    assert brand.payload.media == (BEHIND_THE_SCENES,)
    assert developers.payload.media == (CLIP,)


def test_valid_legitimate_joiners_kept() -> None:
    post = _posts_by_key()["evergreen/tips"]
    payload = post.targets[0].payload

    assert payload.content == "Tip: 👩\u200d💻 pair on reviews."
    # Persian: the ZWNJ inside "می‌خواهم" is spelling, not a hidden character.
    assert payload.comments[0].content == "می\u200cخواهم بیشتر بدانم"  # noqa: RUF001


def test_valid_past_time_allowed_once_created(tmp_path: Path) -> None:
    project = copy_scenario(VALID, tmp_path)
    past = project / "calendar" / "history.yaml"
    past.write_text(
        "platforms: [brand]\n"
        "content: Published last year.\n"
        "scheduledFor: 2029-06-01T09:00\n"
        "media: [media/cover.jpg]\n"
        "settings: {privacy_level: PUBLIC_TO_EVERYONE}\n",
        encoding="utf-8",
    )
    state = State.model_validate(
        {
            "posts": {
                "history": {
                    "targets": {
                        BRAND: {
                            "status": "created",
                            "idempotency_key": "k",
                            "body_digest": "d",
                            "mode": "schedule",
                            "first_attempt_at": "2029-05-01T00:00:00Z",
                            "updated_at": "2029-05-01T00:00:00Z",
                        }
                    }
                }
            }
        }
    )

    without_state = problem_lines(project)
    posts = {post.key: post for post in load_scenario(project, state).calendar.posts}

    assert without_state == [
        "calendar/history.yaml:3:15: history: scheduledFor 2029-06-01T09:00 "
        "(2029-06-01T07:00Z) is in the past (now is 2030-01-01T00:00Z); pick a later time"
    ]
    assert posts["history"].scheduled_for == datetime(2029, 6, 1, 7, 0, tzinfo=UTC)


def test_no_catalog_skips_rules_with_warning() -> None:
    result = load_scenario(SCENARIOS / "no_catalog")

    (post,) = result.calendar.posts
    (warning,) = result.warnings

    assert warning.format() == (
        ".loomta/platforms.json: no platform catalog at .loomta/platforms.json; "
        "run `loomta-sync platforms pull`"
    )
    assert [target.platform_id for target in post.targets] == [
        BRAND,
        "6f1b2c3d-0000-4000-8000-0000000000ff",
    ]
    assert post.targets[0].payload.media == ()


def test_no_catalog_aliases_still_checked(tmp_path: Path) -> None:
    project = copy_scenario(SCENARIOS / "no_catalog", tmp_path)
    (project / "calendar" / "typo.yaml").write_text(
        "platforms: [brnad]\ncontent: A typo.\nmode: draft\n", encoding="utf-8"
    )

    assert problem_lines(project) == [
        "calendar/typo.yaml:1:13: typo: unknown platform 'brnad'; "
        "did you mean 'brand'? Aliases in loomta.yaml: brand"
    ]
