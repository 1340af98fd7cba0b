"""The text plan as a whole: one block per change, blank lines between, reused payload lines."""

from __future__ import annotations

from datetime import timedelta

from loomta_sync.calendar.model import Calendar, CommentPayload, MediaItem, Mode, TargetPayload
from loomta_sync.planner.model import ChangeKind, Plan
from loomta_sync.planner.planner import make_plan
from loomta_sync.render.summary import summary_lines
from loomta_sync.render.text import render_change, render_plan_text
from tests.planner.builders import BRAND, DEV, LEAD, NOW, WHEN, payload, post, record, state_with

SHARED = TargetPayload(
    content="Shared text 🚀\nsecond line",
    mode=Mode.SCHEDULE,
    scheduled_for=WHEN,
    media=(MediaItem(path="media/a.jpg", sha256="ab" * 32, mime_type="image/jpeg", size=3),),
    settings={"privacy_level": "PUBLIC_TO_EVERYONE"},
    comments=(CommentPayload(content="later", delay_in_minutes=10),),
)


def shared_payload_plan() -> Plan:
    """Two posts whose targets share one payload object, and changes of several kinds."""
    unchanged = payload(content="Unchanged")
    calendar = Calendar(
        posts=(
            post("a-shared", (BRAND, SHARED), (DEV, SHARED)),
            post("b-own", (BRAND, payload(content="Brand text")), (DEV, payload(content="Dev"))),
            post("c-later", (BRAND, payload(when=WHEN + timedelta(hours=1)))),
            post("d-same", (BRAND, unchanged)),
        )
    )
    state = state_with(
        {"c-later": {BRAND: record(payload())}, "d-same": {BRAND: record(unchanged)}}
    )
    return make_plan(calendar, state, NOW, LEAD)


def blocks_joined(plan: Plan, *, show_unchanged: bool) -> str:
    blocks = [
        render_change(change)
        for change in plan.changes
        if show_unchanged or change.kind is not ChangeKind.UNCHANGED
    ]
    return "\n\n".join([*blocks, "\n".join(summary_lines(plan)) + "\n"])


def test_text_plan_is_blocks_and_summary() -> None:
    plan = shared_payload_plan()

    assert render_plan_text(plan) == blocks_joined(plan, show_unchanged=False)
    assert render_plan_text(plan, show_unchanged=True) == blocks_joined(plan, show_unchanged=True)


def test_text_shared_payload_rendered_for_each_target() -> None:
    text = render_plan_text(shared_payload_plan())

    assert text.count("content: Shared text 🚀\n               second line") == 2
    assert text.count("media:   media/a.jpg image/jpeg") == 2
    assert text.count("comment 1 after 10 min: later") == 2
    assert "+ create     a-shared on " + BRAND in text
    assert "+ create     a-shared on " + DEV in text


def test_text_blank_line_between_changes() -> None:
    text = render_plan_text(shared_payload_plan())

    blocks = text.split("\n\n")
    heads = [block.splitlines()[0] for block in blocks[:-1]]

    assert [head.split()[0] for head in heads] == ["+", "+", "+", "+", "~"]
    assert blocks[-1] == "\n".join(summary_lines(shared_payload_plan())) + "\n"
