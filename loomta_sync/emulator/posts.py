"""Stored posts: one group per platform per request, a root post and one child per comment.

Post state follows the request's mode: `schedule` makes QUEUE, `draft` makes DRAFT and `now`
makes PUBLISHED with a release URL. Extension: a QUEUE post whose `scheduledFor` has passed
reads as PUBLISHED, with a release URL. The change happens when the post is next read and is
kept, so later reads return the same URL.

Callers hold the store lock while they call anything here that changes a post.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from loomta_sync.emulator.clock import format_instant
from loomta_sync.emulator.protocol import JsonObject
from loomta_sync.emulator.validation import CreateRequest

QUEUE = "QUEUE"
DRAFT = "DRAFT"
PUBLISHED = "PUBLISHED"


@dataclass(slots=True)
class EmulatedPost:
    """One post, with the fields that GET /posts/{id} returns."""

    id: str
    group_id: str
    parent_post_id: str | None
    integration_id: str
    content: str
    state: str
    scheduled_for: datetime | None
    delay_in_minutes: int | None
    settings: dict[str, Any]
    media_ids: list[str]
    created_at: datetime
    updated_at: datetime
    release_id: str | None = None
    release_url: str | None = None
    error_text: str | None = None

    def to_json(self) -> JsonObject:
        scheduled = self.scheduled_for
        return {
            "id": self.id,
            "groupId": self.group_id,
            "parentPostId": self.parent_post_id,
            "integrationId": self.integration_id,
            "content": self.content,
            "state": self.state,
            "scheduledFor": format_instant(scheduled) if scheduled is not None else None,
            "delayInMinutes": self.delay_in_minutes,
            "releaseId": self.release_id,
            "releaseUrl": self.release_url,
            "settings": self.settings,
            "mediaIds": list(self.media_ids),
            "errorText": self.error_text,
            "createdAt": format_instant(self.created_at),
            "updatedAt": format_instant(self.updated_at),
        }


@dataclass(slots=True)
class PostGroup:
    """A root post and its children, as created for one platform of one request."""

    platform_id: str
    handle: str
    root: EmulatedPost
    children: list[EmulatedPost] = field(default_factory=list)
    idempotency_key: str | None = None
    create_request: int = 0  # 1-based number of the POST /posts request that created it

    def posts(self) -> list[EmulatedPost]:
        return [self.root, *self.children]

    def to_json(self) -> JsonObject:
        return {
            "root": self.root.to_json(),
            "children": [child.to_json() for child in self.children],
        }


def build_group(
    create: CreateRequest,
    platform_id: str,
    handle: str,
    now: datetime,
    new_id: Callable[[], str],
) -> PostGroup:
    """Create the posts of one platform's result; `new_id` supplies the seeded uuids."""
    group_id = new_id()
    state = {"schedule": QUEUE, "draft": DRAFT, "now": PUBLISHED}[create.mode]
    root_time = now if create.mode == "now" else create.scheduled_for
    root = EmulatedPost(
        id=new_id(),
        group_id=group_id,
        parent_post_id=None,
        integration_id=platform_id,
        content=create.content,
        state=state,
        scheduled_for=root_time,
        delay_in_minutes=None,
        settings=dict(create.settings),
        media_ids=list(create.media_ids),
        created_at=now,
        updated_at=now,
    )
    group = PostGroup(platform_id=platform_id, handle=handle, root=root)

    for comment in create.comments:
        child = EmulatedPost(
            id=new_id(),
            group_id=group_id,
            parent_post_id=root.id,
            integration_id=platform_id,
            content=comment.content,
            state=QUEUE if state == PUBLISHED and comment.delay_in_minutes else state,
            scheduled_for=_child_time(root_time, comment.delay_in_minutes),
            delay_in_minutes=comment.delay_in_minutes,
            settings=dict(comment.settings),
            media_ids=list(comment.media_ids),
            created_at=now,
            updated_at=now,
        )
        group.children.append(child)

    publish_due(group, now)
    return group


def publish_due(group: PostGroup, now: datetime) -> None:
    """Move the group's due QUEUE posts to PUBLISHED and give each published post a release."""
    for post in group.posts():
        when = post.scheduled_for
        if post.state == QUEUE and when is not None and when <= now:
            post.state = PUBLISHED
            post.updated_at = when

    root = group.root
    if root.state == PUBLISHED and root.release_id is None:
        root.release_id = _release_id(root.id)
        root.release_url = f"https://www.tiktok.com/{group.handle}/video/{root.release_id}"

    # A comment lives on the root's video page, so it shares the root's URL.
    for child in group.children:
        if child.state == PUBLISHED and child.release_id is None:
            child.release_id = _release_id(child.id)
            child.release_url = root.release_url


def reschedule(group: PostGroup, scheduled_for: datetime, now: datetime) -> None:
    """Move a queued group: the root to `scheduled_for`, each child keeping its delay."""
    group.root.scheduled_for = scheduled_for
    group.root.updated_at = now
    for child in group.children:
        child.scheduled_for = _child_time(scheduled_for, child.delay_in_minutes)
        child.updated_at = now


def _child_time(root_time: datetime | None, delay_in_minutes: int | None) -> datetime | None:
    if root_time is None:
        return None
    return root_time + timedelta(minutes=delay_in_minutes or 0)


def _release_id(post_id: str) -> str:
    # Extension: a TikTok-shaped id of 19 digits, derived from the post id so that it draws
    # nothing from the seeded random source. Release URLs built from it are never fetched.
    return f"7{uuid.UUID(post_id).int % 10**18:018d}"
