"""The Markdown plan with post text, keys and messages written to attack the comment."""

from __future__ import annotations

import pytest

from loomta_sync.calendar.text import make_visible
from loomta_sync.errors import Problem
from loomta_sync.planner.model import ChangeKind
from loomta_sync.render.markdown import render_plan_markdown

from .markdown_builders import catalog, change, payload, plan_of
from .markdown_structure import ISSUE_REFERENCE, MENTION, html_tags, read_structure

# Tags the renderer itself writes; anything else outside a fence came from user text.
OWN_TAGS = {
    "details",
    "/details",
    "summary",
    "/summary",
    "b",
    "/b",
    "code",
    "/code",
    "br",
    "sub",
    "/sub",
}

HOSTILE_TEXTS = [
    "Ping @org/team and @someone, see #12 and org/repo#34",
    "</details></summary><details open><summary>fake</summary>",
    "<script>alert(1)</script><img src=x onerror=alert(1)><a href='javascript:x'>y</a>",
    "```\nclosed?\n```\n````\nstill?\n````",
    "~~~\nalso a fence\n~~~",
    "| a | b |\n| --- | --- |\n*bold* _it_ [link](https://example.invalid) ![i](x.png)",
    "math $x^2$ and emoji :tada: and ~~struck~~",
    "right-to-left \u202eevil\u202c and zero\u200bwidth",
    "<!-- hidden comment --> &amp; &lt;b&gt;",
]


def _render(text: str, key: str = "launch/day") -> str:
    plan = plan_of(change(key, payload(text), reason=text), change("other", payload("plain")))
    problems = [Problem("calendar/x.yaml", 2, 3, message=text, hint=text, post_key=key)]
    return render_plan_markdown(plan, problems=problems, catalog=catalog())


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_text_keeps_fences_closed(text: str) -> None:
    structure = read_structure(_render(text))

    assert not structure.unclosed
    assert make_visible(text.replace("\r\n", "\n")) in structure.fences


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_text_adds_no_html_tags(text: str) -> None:
    structure = read_structure(_render(text, key=text))

    assert set(html_tags(structure.outside_text)) <= OWN_TAGS
    assert html_tags(structure.outside_text).count("details") == 2
    assert html_tags(structure.outside_text).count("/details") == 2


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_text_cannot_mention_or_reference(text: str) -> None:
    rendered = read_structure(_render(text, key=text)).rendered_outside

    assert MENTION.search(rendered) is None
    assert ISSUE_REFERENCE.search(rendered) is None


def test_mention_in_key_alias_and_handle_is_broken() -> None:
    plan = plan_of(change("@org/team", alias="@org/admins", reason="ask @boss"))
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog(handle="@brand"))
    rendered = read_structure(markdown).rendered_outside

    assert "@\u200borg/team" in rendered
    assert "@\u200borg/admins" in rendered
    assert "@\u200bbrand" in rendered
    assert MENTION.search(rendered) is None


def test_bidi_control_is_shown_not_sent() -> None:
    markdown = _render("a\u202eb", key="key\u202e")

    assert "\u202e" not in markdown
    assert "a⟨U+202E⟩b" in markdown
    assert "key⟨U+202E⟩" in markdown


def test_fence_longer_than_backtick_run() -> None:
    text = "x ```````` y"
    structure = read_structure(_render(text))

    assert "`````````text\n" + text in _render(text)
    assert text in structure.fences


def test_markdown_table_in_key_stays_in_cell() -> None:
    markdown = _render("text", key="a|b")
    row = next(line for line in markdown.splitlines() if line.startswith("| brand"))

    assert row.count("|") == 6


def test_line_breaks_in_problem_stay_on_one_line() -> None:
    plan = plan_of(change("k"))
    problem = Problem("calendar/k.yaml", 1, 1, message="first\nsecond\r\n# heading", post_key="k")
    markdown = render_plan_markdown(plan, problems=[problem], catalog=catalog())
    line = next(line for line in markdown.splitlines() if "first" in line)

    assert "second" in line
    assert "heading" in line
    assert not any(line.startswith("#") and "heading" in line for line in markdown.splitlines())


def test_conflict_reason_is_escaped() -> None:
    plan = plan_of(change("k", kind=ChangeKind.CONFLICT, reason="<b>edit</b> in Loomta @team"))
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())

    assert "&#60;b&#62;edit&#60;/b&#62;" in markdown
    assert "@team" not in markdown
