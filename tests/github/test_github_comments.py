"""The plan comment: found by its marker on any page, created once, then edited in place."""

from __future__ import annotations

import httpx
import pytest

from loomta_sync.github.api import GitHubApiError, GitHubClient
from loomta_sync.github.comments import plan_marker, token_login, upsert_pr_comment

from .fake_github import FakeGitHub

REPO = "acme/social"
MARKER = plan_marker("calendar")


def test_first_run_creates_comment(fake_github: FakeGitHub, github_client: GitHubClient) -> None:
    result = upsert_pr_comment(github_client, REPO, 7, "Plan: 1 to create", MARKER)

    assert result.action == "created"
    assert fake_github.bodies(REPO, 7) == [f"{MARKER}\nPlan: 1 to create"]


def test_second_run_edits_same_comment(
    fake_github: FakeGitHub, github_client: GitHubClient
) -> None:
    first = upsert_pr_comment(github_client, REPO, 7, "one", MARKER, author="github-actions[bot]")
    second = upsert_pr_comment(github_client, REPO, 7, "two", MARKER, author="github-actions[bot]")

    assert second.action == "updated"
    assert second.comment_id == first.comment_id
    assert fake_github.bodies(REPO, 7) == [f"{MARKER}\ntwo"]


def test_same_body_is_not_sent_again(fake_github: FakeGitHub, github_client: GitHubClient) -> None:
    upsert_pr_comment(github_client, REPO, 7, "same", MARKER)
    result = upsert_pr_comment(github_client, REPO, 7, "same", MARKER)

    assert result.action == "unchanged"
    assert [method for method, _ in fake_github.requests].count("PATCH") == 0


def test_comment_on_third_page_is_found(
    fake_github: FakeGitHub, github_client: GitHubClient
) -> None:
    fake_github.max_page_size = 2
    for index in range(4):
        fake_github.add_comment(REPO, 9, f"review comment {index}", "alice")
    ours = fake_github.add_comment(REPO, 9, f"{MARKER}\nold plan", "github-actions[bot]")
    fake_github.add_comment(REPO, 9, "later comment", "bob")

    result = upsert_pr_comment(github_client, REPO, 9, "new plan", MARKER)

    assert result.action == "updated"
    assert result.comment_id == ours["id"]
    assert len(fake_github.bodies(REPO, 9)) == 6
    pages = [path for method, path in fake_github.requests if method == "GET"]
    assert len(pages) == 3
    assert "page=3" in pages[2]


def test_marker_in_other_authors_comment_is_ignored(
    fake_github: FakeGitHub, github_client: GitHubClient
) -> None:
    fake_github.add_comment(REPO, 3, f"{MARKER}\nquoted by a reviewer", "mallory")

    result = upsert_pr_comment(
        github_client, REPO, 3, "real plan", MARKER, author="github-actions[bot]"
    )

    assert result.action == "created"
    assert fake_github.bodies(REPO, 3)[0] == f"{MARKER}\nquoted by a reviewer"


def test_other_calendar_marker_is_not_matched(
    fake_github: FakeGitHub, github_client: GitHubClient
) -> None:
    other = plan_marker("social/calendar")
    upsert_pr_comment(github_client, REPO, 4, "other plan", other)

    result = upsert_pr_comment(github_client, REPO, 4, "this plan", MARKER)

    assert result.action == "created"
    assert len(fake_github.bodies(REPO, 4)) == 2


def test_token_login_for_actions_token(
    fake_github: FakeGitHub, github_client: GitHubClient
) -> None:
    assert token_login(github_client) is None


def test_token_login_for_personal_token(
    fake_github: FakeGitHub, github_client: GitHubClient
) -> None:
    fake_github.user_login = "release-bot"

    assert token_login(github_client) == "release-bot"


def test_bad_token_error_hides_token(fake_github: FakeGitHub) -> None:
    client = GitHubClient(fake_github.url, "ghp_secret_value")
    with client, pytest.raises(GitHubApiError) as caught:
        upsert_pr_comment(client, REPO, 1, "body", MARKER)

    assert caught.value.status == 401
    assert "Bad credentials" in str(caught.value)
    assert "ghp_secret_value" not in str(caught.value)


def test_forbidden_write_reports_403(fake_github: FakeGitHub, github_client: GitHubClient) -> None:
    fake_github.forbid_writes = True

    with pytest.raises(GitHubApiError) as caught:
        upsert_pr_comment(github_client, REPO, 1, "body", MARKER)

    assert caught.value.status == 403


def test_unreachable_api_raises_api_error() -> None:
    server = FakeGitHub().start()
    url = server.url
    server.stop()

    with (
        GitHubClient(url, "token") as client,
        pytest.raises(GitHubApiError, match="request failed"),
    ):
        client.request("GET", "/user")


def test_next_link_to_other_origin_is_rejected() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        link = '<https://attacker.invalid/steal?page=2>; rel="next"'
        return httpx.Response(200, json=[{"id": 1}], headers={"Link": link})

    transport = httpx.MockTransport(handler)
    with GitHubClient("https://api.github.test", "token", transport=transport) as client:
        items = client.paginate("/repos/acme/social/issues/1/comments")
        assert next(items) == {"id": 1}
        with pytest.raises(GitHubApiError, match="only sent to GITHUB_API_URL"):
            next(items)


def test_non_list_page_is_rejected() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"message": "x"}))
    client = GitHubClient("https://api.github.test", "token", transport=transport)
    with client, pytest.raises(GitHubApiError, match="expected a JSON list"):
        list(client.paginate("/repos/acme/social/issues/1/comments"))


def test_marker_cannot_end_html_comment() -> None:
    marker = plan_marker("my--calendar -->x")

    assert marker.startswith("<!-- loomta-sync plan: ")
    assert marker.endswith(" -->")
    assert "--" not in marker[len("<!-- ") : -len(" -->")]


def test_client_from_env_needs_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)

    with pytest.raises(GitHubApiError, match="no GitHub token"):
        GitHubClient.from_env()
