"""The Markdown plan under a size limit: whole blocks are cut and a note counts them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loomta_sync.calendar.text import make_visible
from loomta_sync.errors import Problem
from loomta_sync.render.markdown import render_plan_markdown
from loomta_sync.render.markdown_escape import measure

from .markdown_builders import WHEN, catalog, change, payload, plan_of
from .markdown_structure import html_tags, read_structure


def _big_plan(posts: int, chars_per_post: int) -> list:
    text = ("Launch day is here! " * (chars_per_post // 20 + 1))[:chars_per_post]
    return [
        change(f"post-{index:03d}", payload(f"{index} {text}", when=WHEN + timedelta(days=index)))
        for index in range(posts)
    ]


def test_plan_over_limit_is_cut_to_whole_blocks() -> None:
    plan = plan_of(*_big_plan(posts=70, chars_per_post=1_000))
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())
    structure = read_structure(markdown)
    tags = html_tags(structure.outside_text)

    assert measure(markdown) <= 65_000
    assert not structure.unclosed
    assert tags.count("details") == tags.count("/details")
    note = re.search(r"Not shown here:\*\* (\d+) of 70 posts", markdown)
    assert note is not None
    assert int(note.group(1)) + tags.count("details") == 70
    assert "Run `loomta-sync plan` to see the full plan." in markdown


def test_uncut_plan_has_no_note() -> None:
    plan = plan_of(*_big_plan(posts=3, chars_per_post=100))
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog())

    assert "Not shown here" not in markdown
    assert markdown.count("<details>") == 3


def test_cut_note_names_where_full_plan_is() -> None:
    plan = plan_of(*_big_plan(posts=20, chars_per_post=500))
    note = "The full plan is in [the job summary](https://example.invalid/run/1)."
    markdown = render_plan_markdown(
        plan, problems=[], catalog=catalog(), max_chars=4_000, full_plan_note=note
    )

    assert measure(markdown) <= 4_000
    assert markdown.rstrip().endswith(note)


def test_summary_line_survives_any_cut() -> None:
    plan = plan_of(*_big_plan(posts=20, chars_per_post=2_000))
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog(), max_chars=1_500)

    assert "Plan: 20 to create, 0 to retry" in markdown.splitlines()[2]
    assert measure(markdown) <= 1_500


def test_many_problems_are_cut_with_count() -> None:
    problems = [
        Problem(f"calendar/p{index}.yaml", index, 1, message="x" * 200) for index in range(1_000)
    ]
    markdown = render_plan_markdown(None, problems=problems, catalog=None)

    assert measure(markdown) <= 65_000
    assert re.search(r"\d+ of 1000 problems", markdown)
    assert "No plan: the calendar has 1000 problems to fix first." in markdown


def test_astral_characters_count_twice() -> None:
    emoji_text = "😀" * 6_000  # 6,000 code points, 12,000 UTF-16 code units
    plan = plan_of(*[change(f"e{index}", payload(emoji_text)) for index in range(10)])
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog(), max_chars=65_000)

    assert len(markdown.encode("utf-16-le")) // 2 <= 65_000
    assert "Not shown here" in markdown


def test_too_small_limit_raises() -> None:
    plan = plan_of(*_big_plan(posts=2, chars_per_post=100))

    with pytest.raises(ValueError, match="max_chars=100 is too small"):
        render_plan_markdown(plan, problems=[], catalog=catalog(), max_chars=100)


hostile_text = st.text(
    alphabet=st.sampled_from(list("ab `~<>/@#|*_\n\r&;\u202e\u200b😀")), max_size=300
)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(hostile_text, min_size=1, max_size=8), max_chars=st.integers(1_200, 8_000))
def test_any_text_renders_closed_and_under_limit(texts: list[str], max_chars: int) -> None:
    plan = plan_of(*[change(f"k{index}", payload(text or "x")) for index, text in enumerate(texts)])
    markdown = render_plan_markdown(plan, problems=[], catalog=catalog(), max_chars=max_chars)
    structure = read_structure(markdown)
    tags = html_tags(structure.outside_text)

    assert measure(markdown) <= max_chars
    assert not structure.unclosed
    assert tags.count("details") == tags.count("/details")
    shown_posts = tags.count("details")
    for index, text in enumerate(texts[:shown_posts]):
        normalised = make_visible((text or "x").replace("\r\n", "\n").replace("\r", "\n"))
        assert normalised.rstrip("\n") in [fence.rstrip("\n") for fence in structure.fences], index
