"""The Markdown apply report: each platform's result as the state recorded it."""

from __future__ import annotations

from datetime import timedelta

from loomta_sync.planner.model import ChangeKind
from loomta_sync.render.markdown import render_apply_markdown
from loomta_sync.state.model import TargetStatus

from .markdown_builders import (
    PLANNED_AT,
    THREADS,
    TIKTOK,
    WHEN,
    catalog,
    change,
    payload,
    plan_of,
    state_of,
    target_record,
)
from .markdown_structure import MENTION, read_structure


def test_created_target_shows_ids_and_link() -> None:
    body = payload("Hello")
    plan = plan_of(change("a", body))
    state = state_of(
        {("a", TIKTOK): target_record(body, release_url="https://www.tiktok.com/@brand/video/1")}
    )
    markdown = render_apply_markdown(plan, state, catalog=catalog())

    assert (
        "Apply: 1 created, 0 rescheduled, 0 failed, 0 unknown, 0 not sent, 0 blocked." in markdown
    )
    assert "<code>post-1</code> <code>post-2</code>" in markdown
    assert '<a href="https://www.tiktok.com/@brand/video/1">open</a>' in markdown
    assert "<b>created</b> (QUEUE)" in markdown
    assert "<details>\n" in markdown


def test_failed_target_shows_error_and_opens_block() -> None:
    body = payload("Hello")
    plan = plan_of(change("a", body))
    record = target_record(
        body,
        TargetStatus.FAILED,
        error_code="invalid_request",
        error_message="privacy_level <SELF_ONLY> is not allowed for @brand",
    )
    markdown = render_apply_markdown(plan, state_of({("a", TIKTOK): record}), catalog=catalog())

    assert "<details open>" in markdown
    assert "<code>invalid&#95;request</code> privacy&#95;level &#60;SELF&#95;ONLY&#62;" in markdown
    assert MENTION.search(read_structure(markdown).rendered_outside) is None
    assert "0 created, 0 rescheduled, 1 failed" in markdown


def test_record_older_than_plan_is_not_sent() -> None:
    body = payload("Hello")
    plan = plan_of(change("a", body, kind=ChangeKind.RETRY))
    old = target_record(body, TargetStatus.FAILED, updated_at=PLANNED_AT - timedelta(days=1))
    markdown = render_apply_markdown(plan, state_of({("a", TIKTOK): old}), catalog=catalog())

    assert "<b>not sent</b>" in markdown
    assert "the apply stopped before sending this target" in markdown
    assert "0 not sent" not in markdown


def test_missing_record_is_not_sent() -> None:
    plan = plan_of(change("a"))
    markdown = render_apply_markdown(plan, state_of({}), catalog=catalog())

    assert "1 not sent" in markdown


def test_unknown_outcome_reported() -> None:
    body = payload("Hello")
    plan = plan_of(change("a", body))
    record = target_record(body, TargetStatus.UNKNOWN, error_code="timeout")
    markdown = render_apply_markdown(plan, state_of({("a", TIKTOK): record}), catalog=catalog())

    assert "<b>unknown</b>" in markdown
    assert "1 unknown" in markdown


def test_reschedule_checks_recorded_time() -> None:
    new = payload("Hello", when=WHEN + timedelta(hours=2))
    plan = plan_of(
        change("a", new, kind=ChangeKind.RESCHEDULE),
        change("b", new, kind=ChangeKind.RESCHEDULE, platform_id=THREADS),
    )
    state = state_of(
        {
            ("a", TIKTOK): target_record(new),
            ("b", THREADS): target_record(payload("Hello")),
        }
    )
    markdown = render_apply_markdown(plan, state, catalog=catalog())

    assert "1 rescheduled, 1 failed" in markdown


def test_blocked_change_shows_reason() -> None:
    plan = plan_of(change("a", kind=ChangeKind.CONFLICT, reason="content changed; revert it"))
    markdown = render_apply_markdown(plan, state_of({}), catalog=catalog())

    assert "<b>blocked</b>" in markdown
    assert "content changed; revert it" in markdown


def test_unsafe_release_url_is_not_linked() -> None:
    body = payload("Hello")
    plan = plan_of(change("a", body), change("b", body, platform_id=THREADS))
    state = state_of(
        {
            ("a", TIKTOK): target_record(body, release_url="javascript:alert(1)"),
            ("b", THREADS): target_record(body, release_url='https://x.test/"><script>|'),
        }
    )
    markdown = render_apply_markdown(plan, state, catalog=catalog())

    assert "javascript&#58;alert(1)" in markdown
    assert "<a href" in markdown
    assert '<a href="https://x.test/%22%3E%3Cscript%3E%7C">open</a>' in markdown
    assert "<script>" not in markdown


def test_apply_report_is_cut_under_limit() -> None:
    body = payload("Hello")
    changes = [change(f"post-{index:04d}", body) for index in range(600)]
    records = {(f"post-{index:04d}", TIKTOK): target_record(body) for index in range(600)}
    markdown = render_apply_markdown(
        plan_of(*changes), state_of(records), catalog=catalog(), max_chars=20_000
    )

    assert len(markdown) <= 20_000
    assert "of 600 posts" in markdown
    assert "Apply: 600 created" in markdown
