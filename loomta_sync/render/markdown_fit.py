"""Fitting a Markdown document under a size limit by leaving out whole blocks at its end.

A PR comment is limited to 65,536 characters and a job summary to 1 MiB, so a large plan is cut.
Blocks are never cut in the middle, because half a `<details>` block or half a code fence would
break the rest of the document. The result is always the head, then a prefix of the sections'
blocks in order, then a note that gives how many blocks were left out and where the full
document is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from loomta_sync.render.markdown_escape import measure

SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and its blocks. `noun` and `plural` name the blocks in the cut note."""

    heading: str
    blocks: Sequence[str]
    noun: str
    plural: str


def fit_document(head: str, sections: Sequence[Section], *, max_chars: int, full_note: str) -> str:
    """Join the head and the sections, leaving out trailing blocks so the result fits.

    `max_chars` counts UTF-16 code units. Raises ValueError when even the head and the note
    do not fit.
    """
    whole = _join([head, *_section_parts(sections, [len(s.blocks) for s in sections])])
    if measure(whole) <= max_chars:
        return whole

    worst_note = _cut_note(sections, [len(section.blocks) for section in sections], full_note)
    budget = max_chars - measure(SEPARATOR + worst_note)
    kept_counts = _count_fitting(head, sections, budget)
    omitted = [
        len(section.blocks) - count for section, count in zip(sections, kept_counts, strict=True)
    ]
    text = _join(
        [head, *_section_parts(sections, kept_counts), _cut_note(sections, omitted, full_note)]
    )
    if measure(text) > max_chars:
        raise ValueError(
            f"max_chars={max_chars} is too small for the document's head and cut note "
            f"({measure(text)} characters); allow at least {measure(text)}"
        )
    return text


def _count_fitting(head: str, sections: Sequence[Section], budget: int) -> list[int]:
    """Count the blocks of each section that fit in `budget`, up to the first that does not."""
    used = measure(head.strip("\n")) + 1
    kept_counts = [0] * len(sections)
    for index, section in enumerate(sections):
        for block in section.blocks:
            cost = measure(SEPARATOR + block.strip("\n"))
            if kept_counts[index] == 0:
                cost += measure(SEPARATOR + section.heading)
            if used + cost > budget:
                return kept_counts
            used += cost
            kept_counts[index] += 1
    return kept_counts


def _section_parts(sections: Sequence[Section], kept_counts: Sequence[int]) -> list[str]:
    parts: list[str] = []
    for section, count in zip(sections, kept_counts, strict=True):
        if count == 0:
            continue
        parts.append(section.heading)
        parts.extend(section.blocks[:count])
    return parts


def _cut_note(sections: Sequence[Section], omitted: Sequence[int], full_note: str) -> str:
    counts = []
    for section, count in zip(sections, omitted, strict=True):
        if count:
            noun = section.noun if len(section.blocks) == 1 else section.plural
            counts.append(f"{count} of {len(section.blocks)} {noun}")
    return f"**Not shown here:** {', '.join(counts)}, to stay under the size limit. {full_note}"


def _join(parts: Sequence[str]) -> str:
    return SEPARATOR.join(part.strip("\n") for part in parts) + "\n"
