"""One pull-request comment per calendar, found again by a hidden marker and edited in place.

The marker is an HTML comment at the start of the body, `<!-- loomta-sync plan: calendar -->`,
which GitHub does not display. Every page of the pull request's comments is searched, because a
busy pull request pushes the plan comment past the first page. Only comments written by the
expected author count, so a comment that quotes the marker cannot make the job edit it.
"""

from __future__ import annotations

import logging
import urllib.parse
from dataclasses import dataclass
from typing import Any, Literal

from loomta_sync.github.api import GitHubApiError, GitHubClient

logger = logging.getLogger(__name__)

# The login of comments made with the workflow's GITHUB_TOKEN.
ACTIONS_BOT_LOGIN = "github-actions[bot]"


@dataclass(frozen=True, slots=True)
class CommentResult:
    """The outcome of `upsert_pr_comment`: the action taken, the comment's id and address."""

    action: Literal["created", "updated", "unchanged"]
    comment_id: int
    html_url: str | None


def plan_marker(calendar_path: str) -> str:
    """Return the hidden marker for one calendar's comment.

    Hyphens are percent-encoded so no path can contain `--`, which would end the HTML comment.
    """
    quoted = urllib.parse.quote(calendar_path, safe="/").replace("-", "%2D")
    return f"<!-- loomta-sync plan: {quoted} -->"


def upsert_pr_comment(
    client: GitHubClient,
    repo: str,
    pr_number: int,
    body: str,
    marker: str,
    *,
    author: str | None = None,
) -> CommentResult:
    """Edit the pull request's comment that starts with `marker`, or create it.

    `body` gets the marker prepended. `author` limits the search to comments by that login,
    and None accepts any author. When several comments match, the oldest is edited.
    """
    full_body = f"{marker}\n{body}"
    existing = find_marked_comment(client, repo, pr_number, marker, author=author)
    if existing is None:
        created = client.request(
            "POST", f"/repos/{repo}/issues/{pr_number}/comments", json={"body": full_body}
        )
        logger.info("created plan comment %s on %s#%s", created.get("id"), repo, pr_number)
        return CommentResult("created", int(created["id"]), created.get("html_url"))

    comment_id = int(existing["id"])
    if existing.get("body") == full_body:
        return CommentResult("unchanged", comment_id, existing.get("html_url"))
    updated = client.request(
        "PATCH", f"/repos/{repo}/issues/comments/{comment_id}", json={"body": full_body}
    )
    logger.info("updated plan comment %s on %s#%s", comment_id, repo, pr_number)
    return CommentResult("updated", comment_id, updated.get("html_url"))


def find_marked_comment(
    client: GitHubClient, repo: str, pr_number: int, marker: str, *, author: str | None = None
) -> dict[str, Any] | None:
    """Return the oldest comment whose body starts with `marker`, searching every page."""
    for comment in client.paginate(f"/repos/{repo}/issues/{pr_number}/comments"):
        if not isinstance(comment, dict):
            continue
        body = comment.get("body") or ""
        login = (comment.get("user") or {}).get("login")
        if body.startswith(marker) and (author is None or login == author):
            return comment
    return None


def token_login(client: GitHubClient) -> str | None:
    """Return the login that owns the token, or None for a token that may not read `/user`.

    A personal access token may read `/user`. The workflow's GITHUB_TOKEN and GitHub App
    tokens get 403, and their comments are written by a bot account.
    """
    try:
        user = client.request("GET", "/user")
    except GitHubApiError as exc:
        if exc.status in (401, 403, 404):
            return None
        raise
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) else None
