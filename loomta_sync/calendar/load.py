"""Loading the calendar: every post file of a project, validated and resolved into a `Calendar`.

`load_calendar` reads all files before it reports, so one run lists every problem in every file.
It never talks to the network. The platform catalog, when present, adds the platforms' rules.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from loomta_sync.calendar.discover import CalendarFile, find_calendar_files
from loomta_sync.calendar.entries import PostEntry, split_posts
from loomta_sync.calendar.media import MediaResolver
from loomta_sync.calendar.model import Calendar, Post
from loomta_sync.calendar.platforms import PlatformDirectory
from loomta_sync.calendar.report import PostReporter
from loomta_sync.calendar.resolve import ResolveContext, resolve_post
from loomta_sync.calendar.spec_check import validate_post_spec
from loomta_sync.calendar.yaml_loader import load_yaml
from loomta_sync.catalog.model import Catalog
from loomta_sync.config import Project
from loomta_sync.errors import Problem, ValidationFailed
from loomta_sync.gc_pause import garbage_collection_paused
from loomta_sync.state.model import State

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """A valid calendar and the warnings found while loading it."""

    calendar: Calendar
    warnings: tuple[Problem, ...]


def load_calendar(
    project: Project, catalog: Catalog | None, state: State | None, now: datetime
) -> LoadResult:
    """Load, validate and resolve every post of the project.

    `now` must be timezone-aware. Times closer than `min_lead_minutes` to it are errors, but only
    for posts that have no target in `state`. Without a catalog, platform rules are skipped and
    the result carries a warning. Raises ValidationFailed with every problem found in every file.
    """
    if now.tzinfo is None:
        raise ValueError("load_calendar needs a timezone-aware `now`")
    # A load keeps every document and post it builds until it returns, and only cached media
    # errors form reference cycles. On 10,000 posts generated like bench/plan_bench.py's
    # (2 CPU cores), the collector's scans doubled the resolve time.
    with garbage_collection_paused():
        return _load_calendar(project, catalog, state, now)


def _load_calendar(
    project: Project, catalog: Catalog | None, state: State | None, now: datetime
) -> LoadResult:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if catalog is None:
        warnings.append(_missing_catalog_warning(project))

    files = find_calendar_files(project, problems, warnings)
    limit = project.config.limits.max_posts
    if len(files) > limit:
        raise ValidationFailed([*problems, _too_many_posts(project, len(files), "post files")])

    entries = _read_entries(project, files, problems)
    if len(entries) > limit:
        raise ValidationFailed([*problems, _too_many_posts(project, len(entries), "posts")])

    context = ResolveContext(
        config=project.config,
        platforms=PlatformDirectory(project.config.platforms, catalog),
        media=MediaResolver(project.root),
        state=state,
        now=now,
    )
    posts = _resolve_entries(_without_duplicates(entries, problems), context, problems)
    if problems:
        problems.sort(key=_problem_order)
        raise ValidationFailed(problems)

    posts.sort(key=lambda post: post.key)
    logger.debug("loaded %s posts from %s files", len(posts), len(files))
    return LoadResult(Calendar(posts=tuple(posts)), tuple(warnings))


def _read_entries(
    project: Project, files: list[CalendarFile], problems: list[Problem]
) -> list[PostEntry]:
    entries: list[PostEntry] = []
    limits = project.config.limits
    for file in files:
        try:
            # Post locations need only the marks of the file's root and list items. For a file
            # with a problem, the other marks are loaded again from the same bytes.
            document = load_yaml(file.os_path, file.display_path, limits, all_marks=False)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
            continue
        entries.extend(split_posts(document, file.calendar_path, problems))
    return entries


def _without_duplicates(entries: list[PostEntry], problems: list[Problem]) -> list[PostEntry]:
    """Return the entries without the later uses of a key, which are reported as duplicates."""
    first: dict[str, PostEntry] = {}
    unique: list[PostEntry] = []
    for entry in entries:
        if entry.key is None:
            unique.append(entry)
            continue
        earlier = first.get(entry.key)
        if earlier is None:
            first[entry.key] = entry
            unique.append(entry)
            continue

        mark = earlier.document.mark(earlier.prefix + earlier.key_path)
        reporter = PostReporter(entry.document, entry.prefix, entry.key, problems)
        reporter.error(
            entry.key_path,
            f"duplicate post key, also used at {earlier.document.path}:{mark.line}:{mark.column}",
            "give one of the posts a different `id`",
        )
    return unique


def _resolve_entries(
    entries: list[PostEntry], context: ResolveContext, problems: list[Problem]
) -> list[Post]:
    posts: list[Post] = []
    for entry in entries:
        reporter = PostReporter(entry.document, entry.prefix, entry.key, problems)
        spec = validate_post_spec(entry.value, reporter)
        if spec is None or entry.key is None:
            continue
        post = resolve_post(spec, entry, reporter, context)
        if post is not None:
            posts.append(post)
    return posts


def _missing_catalog_warning(project: Project) -> Problem:
    catalog_path = project.config.paths.catalog
    return Problem(
        catalog_path,
        None,
        None,
        f"no platform catalog at {catalog_path}",
        "run `loomta-sync platforms pull`",
    )


def _too_many_posts(project: Project, count: int, counted: str) -> Problem:
    limit = project.config.limits.max_posts
    return Problem(
        project.config.paths.calendar,
        None,
        None,
        f"the calendar has {count} {counted}, more than limits.max_posts ({limit})",
        "split the calendar into several projects, or raise limits.max_posts in loomta.yaml",
    )


def _problem_order(problem: Problem) -> tuple[str, int, int]:
    return (problem.path, problem.line or 0, problem.column or 0)
