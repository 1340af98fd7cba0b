"""Invalid calendars: every problem in every file, each as one exact line with file:line:col.

Each scenario is a small project under tests/fixtures/calendar/. The lists are complete, so a
problem that goes missing or appears twice fails the test.
"""

from __future__ import annotations

from tests.calendar.calendar_scenarios import SCENARIOS, problem_lines


def test_schema_errors_all_files_reported() -> None:
    assert problem_lines(SCENARIOS / "schema_errors") == [
        (
            "calendar/ambiguous.yaml:2:10: ambiguous: `no` would be read as a boolean by YAML "
            "1.1 tools; quote it"
        ),
        (
            "calendar/ambiguous.yaml:5:64: ambiguous: `yes` would be read as a boolean by YAML "
            "1.1 tools; write true or false for a boolean, or quote it for a string"
        ),
        (
            "calendar/ambiguous.yaml:7:14: ambiguous: `2030-04-01` would be read as a timestamp "
            "by YAML 1.1 tools; quote it"
        ),
        (
            "calendar/bad name.yaml:1:1: the file name cannot be a post key: 'bad name'; rename "
            "the file using letters, digits, '.', '_' and '-', or set `id`"
        ),
        (
            "calendar/bad-id.yaml:1:5: post id '../escape' is invalid; use letters, digits, "
            "'.', '_' and '-', in parts separated by '/'"
        ),
        "calendar/empty-list.yaml:1:1: the list of posts is empty; add posts or delete the file",
        (
            "calendar/list.yaml:1:3: a post in a list must have an `id`; add `id:` with a "
            "unique post key"
        ),
        (
            "calendar/list.yaml:6:3: a post must be a mapping of keys and values, not a string "
            "('just text'); see docs/calendar-format.md for the post format"
        ),
        (
            "calendar/missing.yaml:1:1: missing: missing required key 'platforms'; add "
            "`platforms:` with a list of platform aliases or ids"
        ),
        (
            "calendar/missing.yaml:1:1: missing: missing required key 'content'; add `content:` "
            "with the text to publish"
        ),
        (
            "calendar/missing.yaml:3:5: missing: missing required key 'content' in comments[0]; "
            "add `content:` with the text to publish"
        ),
        (
            "calendar/scalar-file.yaml:1:1: a calendar file holds one post or a list of posts, "
            "not a string ('just a sentence'); see docs/calendar-format.md for the post format"
        ),
        (
            "calendar/unknown-key.yaml:2:1: unknown-key: unknown key 'contnet'; did you mean "
            "'content'?"
        ),
        (
            "calendar/unknown-key.yaml:3:1: unknown-key: unknown key 'scheduled_for'; did you "
            "mean 'scheduledFor'?"
        ),
        (
            "calendar/unknown-key.yaml:8:5: unknown-key: unknown key 'delay' in comments[0]; "
            "allowed keys: content, delayInMinutes, settings, media"
        ),
        (
            "calendar/wrong-types.yaml:1:12: wrong-types: platforms must be a list, not a "
            "string ('brand'); write a YAML list such as [a, b]"
        ),
        (
            "calendar/wrong-types.yaml:2:10: wrong-types: content must be a string, not an "
            "integer (123); put the text in quotes"
        ),
        (
            "calendar/wrong-types.yaml:3:7: wrong-types: mode must be one of 'schedule', "
            "'draft' or 'now', not a string ('later'); write schedule, draft or now"
        ),
        (
            "calendar/wrong-types.yaml:5:9: wrong-types: media[0] must be a file path or a "
            "mapping with an id, not an integer (42); write a path such as media/teaser.mp4, or "
            "{id: <media id>}"
        ),
        (
            "calendar/wrong-types.yaml:5:14: wrong-types: unknown key 'idd' in media[1]; did "
            "you mean 'id'?"
        ),
        (
            "calendar/wrong-types.yaml:7:14: wrong-types: comments[0].content is empty; write "
            "the text to publish"
        ),
        (
            "calendar/wrong-types.yaml:8:21: wrong-types: comments[0].delayInMinutes must be 0 "
            "or more, not -1; write 0 or more"
        ),
        (
            "calendar/wrong-types.yaml:9:12: wrong-types: overrides must be a mapping, not a "
            "list; write a YAML mapping of keys and values"
        ),
    ]


def test_duplicate_keys_name_both_places() -> None:
    assert problem_lines(SCENARIOS / "duplicates") == [
        (
            "calendar/news/update.yml:1:1: news/update: duplicate post key, also used at "
            "calendar/news/update.yaml:1:1; give one of the posts a different `id`"
        ),
        (
            "calendar/second.yaml:1:5: launch: duplicate post key, also used at "
            "calendar/first.yaml:1:5; give one of the posts a different `id`"
        ),
        (
            "calendar/week.yaml:7:7: monday: duplicate post key, also used at "
            "calendar/week.yaml:1:7; give one of the posts a different `id`"
        ),
    ]


def test_platform_names_checked_against_catalog() -> None:
    assert problem_lines(SCENARIOS / "platforms") == [
        (
            "calendar/aliases.yaml:2:5: aliases: unknown platform 'brnad'; did you mean "
            "'brand'? Aliases in loomta.yaml: archive, brand, dev, events"
        ),
        (
            "calendar/aliases.yaml:3:5: aliases: platform 6f1b2c3d-0000-4000-8000-0000000000ff "
            "is not in the platform catalog; run `loomta-sync platforms pull` if it was "
            "connected recently, or check the id"
        ),
        (
            "calendar/aliases.yaml:4:5: aliases: unknown platform 'twitter'; use an alias from "
            "loomta.yaml (archive, brand, dev, events) or a platform id"
        ),
        (
            "calendar/overrides.yaml:7:3: overrides: override for 'dev', which is not in this "
            "post's platforms; add it to platforms or remove the override"
        ),
        (
            "calendar/overrides.yaml:8:3: overrides: unknown platform 'devv'; did you mean "
            "'dev'? Aliases in loomta.yaml: archive, brand, dev, events"
        ),
        (
            "calendar/twice.yaml:1:20: twice: platform '6F1B2C3D-0000-4000-8000-000000000001' "
            "is listed twice (first as 'brand'); remove one of them"
        ),
        (
            'calendar/unavailable.yaml:1:13: unavailable: platform archive (TikTok "Loomta '
            'Archive") is disabled in Loomta; enable it in Loomta and run `loomta-sync '
            "platforms pull`, or remove it"
        ),
        (
            'calendar/unavailable.yaml:1:22: unavailable: platform events (TikTok "Loomta '
            'Events") needs its login refreshed in Loomta; reconnect the account in Loomta and '
            "run `loomta-sync platforms pull`"
        ),
    ]


def test_catalog_rules_point_at_written_values() -> None:
    # length-at-limit.yaml contains 2,198 letters and one emoji: 2,200 UTF-16 code units, allowed.
    # length-over-limit.yaml contains one letter more: 2,200 code points but 2,201 code units.
    assert problem_lines(SCENARIOS / "rules") == [
        (
            'calendar/comments.yaml:8:12: comments: brand (TikTok "Loomta Brand") does not '
            "support media in comments; remove the comment's media"
        ),
        (
            "calendar/length-over-limit.yaml:3:10: length-over-limit: content is 2201 UTF-16 "
            'code units long, but brand (TikTok "Loomta Brand") allows at most 2200; shorten it '
            "by 1 UTF-16 code units"
        ),
        (
            "calendar/missing-setting.yaml:1:1: missing-setting: missing setting "
            "'privacy_level' for brand (TikTok \"Loomta Brand\"); add privacy_level: one of "
            "PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, SELF_ONLY"
        ),
        (
            "calendar/mixed.yaml:4:8: mixed: media mix images and videos, which brand (TikTok "
            '"Loomta Brand") does not allow; use only images or only videos'
        ),
        (
            'calendar/no-media.yaml:1:1: no-media: brand (TikTok "Loomta Brand") requires '
            "media; add an image or video"
        ),
        (
            "calendar/override-settings.yaml:9:31: override-settings: setting 'privacy_level' "
            "is 'MUTUAL_FOLLOW_FRIENDS', which dev (TikTok \"Loomta Developers\") does not "
            "allow; use one of PUBLIC_TO_EVERYONE, FOLLOWER_OF_CREATOR, SELF_ONLY"
        ),
        (
            "calendar/privacy.yaml:5:27: privacy: setting 'privacy_level' is "
            "'MUTUAL_FOLLOW_FRIENDS', which dev (TikTok \"Loomta Developers\") does not allow; "
            "use one of PUBLIC_TO_EVERYONE, FOLLOWER_OF_CREATOR, SELF_ONLY"
        ),
        (
            "calendar/settings.yaml:6:3: settings: unknown setting 'privacy_levle' for brand "
            "(TikTok \"Loomta Brand\"); did you mean 'privacy_level'?"
        ),
        (
            "calendar/settings.yaml:7:20: settings: setting 'disable_comment' must be true or "
            "false, not 'yes'; write true or false without quotes"
        ),
        (
            "calendar/settings.yaml:8:3: settings: unknown setting 'allow_downloads' for brand "
            '(TikTok "Loomta Brand"); known settings: brand_content_toggle, disable_comment, '
            "disable_duet, disable_stitch, privacy_level"
        ),
        (
            "calendar/too-many-images.yaml:6:3: too-many-images: 36 media items, but brand "
            '(TikTok "Loomta Brand") allows at most 35; remove 1'
        ),
        (
            'calendar/two-videos.yaml:4:8: two-videos: 2 videos, but brand (TikTok "Loomta '
            'Brand") allows at most 1 per post; split them into separate posts'
        ),
    ]


def test_media_files_checked_by_content() -> None:
    assert problem_lines(SCENARIOS / "media") == [
        (
            "calendar/lying-extension.yaml:5:9: lying-extension: media file 'media/photo.mp4' "
            "has the extension of video/mp4 but contains image/jpeg; rename it to "
            "'media/photo.jpg' or replace the file"
        ),
        (
            "calendar/missing.yaml:5:9: missing: media file 'media/teaser.mp44' not found; did "
            "you mean 'media/teaser.mp4'?"
        ),
        (
            "calendar/nested.yaml:8:13: nested: media file 'media/nope.jpg' not found; did you "
            "mean 'media/cover.jpg'?"
        ),
        (
            "calendar/nested.yaml:11:13: nested: media file 'media/photo.mp4' has the extension "
            "of video/mp4 but contains image/jpeg; rename it to 'media/photo.jpg' or replace "
            "the file"
        ),
        (
            "calendar/not-accepted.yaml:6:5: not-accepted: media file 'media/logo.png' is "
            "image/png, which Loomta does not accept; convert it to one of image/jpeg, "
            "image/webp, video/mp4, video/webm, video/quicktime"
        ),
        (
            "calendar/not-accepted.yaml:7:5: not-accepted: media file 'media/clip.mkv' is "
            "video/x-matroska, which Loomta does not accept; convert it to one of image/jpeg, "
            "image/webp, video/mp4, video/webm, video/quicktime"
        ),
        (
            "calendar/odd-files.yaml:6:5: odd-files: media file 'media/cover.jpeg.bak' contains "
            "image/jpeg but has extension '.bak'; rename it to 'media/cover.jpeg.jpg'"
        ),
        (
            "calendar/odd-files.yaml:7:5: odd-files: media file 'media/empty.jpg' is empty; "
            "replace it with an image or video"
        ),
        (
            "calendar/odd-files.yaml:8:5: odd-files: media file 'media/notes.mp4' is not a "
            "recognised image or video; use one of image/jpeg, image/webp, video/mp4, "
            "video/webm, video/quicktime"
        ),
        (
            "calendar/odd-files.yaml:9:5: odd-files: media path 'media/folder.jpg' is a "
            "directory; point it at an image or video file"
        ),
        (
            "calendar/too-large.yaml:5:8: too-large: media files of this post add up to 151 "
            "bytes, more than limits.max_media_bytes_per_post (100); use smaller files, or "
            "raise the limit in loomta.yaml"
        ),
    ]
