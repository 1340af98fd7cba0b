"""What the Markdown plan shows about each post: times, lengths, media, weeks, kinds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loomta_sync.calendar.model import CommentPayload, MediaItem, Mode, TargetPayload
from loomta_sync.errors import Problem
from loomta_sync.planner.model import ChangeKind
from loomta_sync.render.markdown import render_plan_markdown

from .markdown_builders import THREADS, WHEN, catalog, change, payload, plan_of, target_record


def test_empty_plan_says_no_changes() -> None:
    markdown = render_plan_markdown(plan_of(), problems=[], catalog=None)

    assert markdown.strip()
    assert "\nNo changes.\n" in markdown
    assert "<details>" not in markdown


def test_unchanged_only_plan_says_no_changes() -> None:
    plan = plan_of(change("same", kind=ChangeKind.UNCHANGED))
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())

    assert "\nNo changes.\n" in markdown
    assert "<details>" not in markdown


def test_summary_line_comes_first() -> None:
    plan = plan_of(change("a"), change("b", kind=ChangeKind.UNCHANGED))
    lines = render_plan_markdown(plan, problems=[], catalog=catalog()).splitlines()

    assert lines[0] == "### loomta-sync plan"
    assert lines[2] == (
        "Plan: 1 to create, 0 to retry, 0 to reschedule, 0 conflicts, 0 unknown, 0 expired."
    )
    assert "1 unchanged target not shown." in lines


def test_title_is_escaped() -> None:
    markdown = render_plan_markdown(plan_of(), problems=[], catalog=None, title="plan for <x> @y")

    assert markdown.startswith("### plan for &#60;x&#62; &#64;&#8203;y\n")


def test_time_in_post_zone_and_utc() -> None:
    markdown = render_plan_markdown(plan_of(change("a")), problems=[], catalog=catalog())

    assert "Mon 2030-03-11 09&#58;00 CET (Europe/Berlin)" in markdown
    assert "2030-03-11 08&#58;00 UTC" in markdown


def test_summer_time_shows_summer_offset() -> None:
    summer = datetime(2030, 7, 1, 7, 30, tzinfo=UTC)
    markdown = render_plan_markdown(
        plan_of(change("a", payload(when=summer))), problems=[], catalog=catalog()
    )

    assert "Mon 2030-07-01 09&#58;30 CEST (Europe/Berlin)" in markdown


def test_unknown_zone_falls_back_to_utc() -> None:
    markdown = render_plan_markdown(
        plan_of(change("a", timezone="Mars/Olympus")), problems=[], catalog=catalog()
    )

    assert "(UTC (zone Mars/Olympus not found))" in markdown


def test_reschedule_shows_previous_time() -> None:
    before = payload(when=WHEN - timedelta(days=1))
    plan = plan_of(change("a", kind=ChangeKind.RESCHEDULE, record=target_record(before)))
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())

    assert "<br>was Sun 2030-03-10 09&#58;00 CET (Europe/Berlin)" in markdown
    assert "<br>was 2030-03-10 08&#58;00 UTC" in markdown


def test_tiktok_length_counts_utf16_units() -> None:
    text = "😀" * 3 + "abc"  # 6 code points, 9 UTF-16 code units
    markdown = render_plan_markdown(
        plan_of(change("a", payload(text))), problems=[], catalog=catalog()
    )

    assert "9 UTF-16 code units / 2,200" in markdown


def test_other_provider_counts_code_points() -> None:
    text = "😀" * 3 + "abc"
    plan = plan_of(change("a", payload(text), platform_id=THREADS, alias="threads"))
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())

    assert "6 characters / 500" in markdown


def test_length_over_limit_is_flagged() -> None:
    plan = plan_of(change("a", payload("x" * 2_300)))
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())

    assert "**2,300 UTF-16 code units / 2,200: 100 over the limit**" in markdown


def test_platform_missing_from_catalog() -> None:
    plan = plan_of(change("a", platform_id="unknown-id", alias=None))
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())

    assert "5 characters / platform not in the catalog" in markdown


def test_media_settings_and_comments_shown() -> None:
    body = TargetPayload(
        content="Watch",
        mode=Mode.SCHEDULE,
        scheduled_for=WHEN,
        media=(
            MediaItem(
                path="media/demo.mp4", sha256="ab" * 32, mime_type="video/mp4", size=3_355_443
            ),
            MediaItem(media_id="media-7"),
        ),
        settings={"privacy_level": "SELF_ONLY"},
        comments=(CommentPayload(content="First comment @team", delay_in_minutes=5),),
    )
    markdown = render_plan_markdown(plan_of(change("a", body)), problems=[], catalog=catalog())

    assert "<code>media/demo.mp4</code> · video/mp4 · 3.2 MiB · sha256 abababababab" in markdown
    assert "existing media <code>media-7</code>" in markdown
    assert "&#34;privacy&#95;level&#34;&#58; &#34;SELF&#95;ONLY&#34;" in markdown
    assert "**Comment 1**, 5 minutes after the post:" in markdown
    assert "```text\nFirst comment @team\n```" in markdown


def test_shared_text_shown_once_per_payload() -> None:
    plan = plan_of(
        change("a", payload("same text")),
        change("a", payload("same text"), platform_id=THREADS, alias="threads"),
    )
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())

    assert markdown.count("same text") == 1
    assert "**Text for brand (tiktok &#64;&#8203;brand), threads (threads)**" in markdown


def test_overridden_text_shown_per_platform() -> None:
    plan = plan_of(
        change("a", payload("long text")),
        change("a", payload("short"), platform_id=THREADS, alias="threads"),
    )
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())

    assert markdown.count("<details>") == 1
    assert "**Text for threads (threads)**" in markdown
    assert "```text\nlong text\n```" in markdown
    assert "```text\nshort\n```" in markdown


def test_week_view_uses_post_zone() -> None:
    sunday_late_utc = datetime(2030, 3, 17, 23, 30, tzinfo=UTC)  # Monday 00:30 in Berlin
    plan = plan_of(
        change("a"),
        change("b", payload(when=WHEN + timedelta(days=2))),
        change("c", payload(when=sunday_late_utc)),
        change("d", payload(mode=Mode.DRAFT, when=None)),
    )
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())

    assert "| 2030-W11 | 11 Mar to 17 Mar 2030 | 2 | Mon 1 · Wed 1 |" in markdown
    assert "| 2030-W12 | 18 Mar to 24 Mar 2030 | 1 | Mon 1 |" in markdown
    assert "Not scheduled: 1 saved as drafts." in markdown


def test_blocking_kinds_show_reason() -> None:
    plan = plan_of(
        change("gone", kind=ChangeKind.EXPIRED, reason="its time passed 3 hours ago"),
        change("edited", kind=ChangeKind.CONFLICT, reason="content changed after creation"),
    )
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())

    assert "its time passed 3 hours ago" in markdown
    assert "content changed after creation" in markdown
    assert "Schedule by week" not in markdown


def test_invalid_calendar_lists_problems_without_plan() -> None:
    problems = [
        Problem("calendar/a.yaml", 4, 7, "unknown key 'contnet'", "did you mean 'content'?", "a"),
        Problem("loomta.yaml", None, None, "timezone is missing"),
    ]
    markdown = render_plan_markdown(None, problems=problems, catalog=None)

    assert "No plan: the calendar has 2 problems to fix first." in markdown
    assert (
        "- <code>calendar/a.yaml&#58;4&#58;7</code> <code>a</code>: unknown key "
        "&#39;contnet&#39;; did you mean &#39;content&#39;?"
    ) in markdown
    assert "- <code>loomta.yaml</code>: timezone is missing" in markdown


def test_warnings_listed_after_problems() -> None:
    warning = Problem("calendar/a.yaml", 1, 1, "media file is large", post_key="a")
    markdown = render_plan_markdown(
        plan_of(change("a")), problems=[], warnings=[warning], catalog=catalog()
    )

    assert "#### Warnings" in markdown
    assert "media file is large" in markdown
