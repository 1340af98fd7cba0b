"""`loomta-sync state ...`: inspect the state and change it without editing state.json by hand."""

from __future__ import annotations

import json

import click

from loomta_sync.cli.context import AppContext
from loomta_sync.client.errors import PostNotFound
from loomta_sync.errors import LoomtaSyncError
from loomta_sync.state import journal
from loomta_sync.state.lock import break_lock
from loomta_sync.state.model import PostRecord, State, TargetStatus
from loomta_sync.state.store import StateStore

LOCK_TIMEOUT_OPTION = click.option(
    "--lock-timeout",
    type=click.FloatRange(0),
    default=0.0,
    show_default=True,
    help="Seconds to wait for a running apply to release the state lock.",
)


@click.group("state")
def state_group() -> None:
    """Show the state, or settle, rename, accept and forget entries in it."""


@state_group.command("show")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table; json: the whole state, as in state.json.",
)
@click.pass_obj
def show_command(app: AppContext, output_format: str) -> int:
    """Print every post and platform recorded in the state."""
    state = StateStore(app.project().state_path).read()
    if output_format == "json":
        click.echo(json.dumps(state.model_dump(mode="json"), indent=2, sort_keys=True))
        return 0
    media_count = len(state.media)
    click.echo(
        f"lineage {state.lineage}, serial {state.serial}, "
        f"{media_count} media file{'' if media_count == 1 else 's'}"
    )
    rows: list[tuple[str, ...]] = []
    for key in sorted(state.posts):
        for platform_id, record in sorted(state.posts[key].targets.items()):
            when = record.scheduled_for.isoformat() if record.scheduled_for else "-"
            detail = record.release_url or ""
            if record.error_code:
                detail = f"{record.error_code}: {record.error_message}"
            rows.append(
                (
                    key,
                    app.platform_label(platform_id),
                    record.status.value,
                    record.root_post_id or "-",
                    when,
                    detail,
                )
            )
    click.echo(_table(("POST", "PLATFORM", "STATUS", "POST ID", "SCHEDULED FOR", ""), rows))
    return 0


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines)


@state_group.command("forget")
@click.argument("post_key")
@click.option(
    "--platform", "platform_id", help="Only this platform (alias or id); default: every platform."
)
@LOCK_TIMEOUT_OPTION
@click.pass_obj
def forget_command(
    app: AppContext, post_key: str, platform_id: str | None, lock_timeout: float
) -> int:
    """Drop POST_KEY from the state; nothing is deleted in Loomta."""
    platform_id = app.platform_id(platform_id) if platform_id else None
    with StateStore(app.project().state_path).lock("state forget", lock_timeout) as session:
        _require_post(session.state, post_key, platform_id)
        session.record(journal.forgotten(post_key, platform_id))
        session.commit()
    click.echo(f"Forgot {post_key}{' on ' + platform_id if platform_id else ''}.")
    return 0


@state_group.command("mv")
@click.argument("old_key")
@click.argument("new_key")
@LOCK_TIMEOUT_OPTION
@click.pass_obj
def move_command(app: AppContext, old_key: str, new_key: str, lock_timeout: float) -> int:
    """Rename a post key in the state, after renaming its file or id in the calendar."""
    with StateStore(app.project().state_path).lock("state mv", lock_timeout) as session:
        post = _require_post(session.state, old_key, None)
        if new_key in session.state.posts:
            raise LoomtaSyncError(f"{new_key} is already in the state; forget it first")
        for platform_id in sorted(post.targets):
            session.record(journal.moved(old_key, new_key, platform_id))
        session.commit()
    click.echo(f"Moved {old_key} to {new_key}.")
    return 0


@state_group.command("resolve")
@click.argument("post_key")
@click.option(
    "--platform", "platform_id", required=True, help="Platform of the target: alias or id."
)
@click.option("--created", "post_id", help="The id of the post that exists in Loomta.")
@click.option("--not-created", is_flag=True, help="The post does not exist in Loomta.")
@LOCK_TIMEOUT_OPTION
@click.pass_obj
def resolve_command(
    app: AppContext,
    post_key: str,
    platform_id: str,
    post_id: str | None,
    not_created: bool,
    lock_timeout: float,
) -> int:
    """Settle a target whose outcome is unknown, after looking for it in Loomta."""
    platform_id = app.platform_id(platform_id)
    if (post_id is None) == (not not_created):
        raise click.UsageError("pass exactly one of --created POST_ID and --not-created")

    with StateStore(app.project().state_path).lock("state resolve", lock_timeout) as session:
        post = _require_post(session.state, post_key, platform_id)
        record = post.targets[platform_id]
        if record.status not in (TargetStatus.UNKNOWN, TargetStatus.IN_FLIGHT):
            raise LoomtaSyncError(
                f"{post_key} on {platform_id} is {record.status.value}, not unknown; "
                "only unknown targets can be resolved"
            )
        if not_created:
            session.record(journal.resolved_not_created(post_key, platform_id))
        else:
            assert post_id is not None
            session.record(_resolved_created(app, post_key, platform_id, post_id))
        session.commit()
    outcome = "not created" if not_created else f"created as {post_id}"
    click.echo(f"Resolved {post_key} on {platform_id}: {outcome}.")
    return 0


def _resolved_created(
    app: AppContext, post_key: str, platform_id: str, post_id: str
) -> journal.Event:
    with app.client() as client:
        try:
            group = client.get_post(post_id)
        except PostNotFound as exc:
            raise LoomtaSyncError(
                f"post {post_id} was not found in Loomta; check the id, or use --not-created"
            ) from exc
    root = group.root
    if root.integration_id and root.integration_id != platform_id:
        raise LoomtaSyncError(
            f"post {post_id} belongs to platform {root.integration_id}, not {platform_id}"
        )
    children = [child.id for child in group.children]
    return journal.resolved_created(
        post_key, platform_id, root.id, children, root.state, root.release_url
    )


@state_group.command("accept")
@click.argument("post_key")
@click.option(
    "--platform", "platform_id", help="Only this platform (alias or id); default: every platform."
)
@LOCK_TIMEOUT_OPTION
@click.pass_obj
def accept_command(
    app: AppContext, post_key: str, platform_id: str | None, lock_timeout: float
) -> int:
    """Accept the calendar's version of a conflicting post after making the same edit in Loomta."""
    platform_id = app.platform_id(platform_id) if platform_id else None
    with StateStore(app.project().state_path).lock("state accept", lock_timeout) as session:
        post = _require_post(session.state, post_key, platform_id)
        calendar = app.load_calendar(session.state).calendar
        targets = {
            target.platform_id: target
            for entry in calendar.posts
            if entry.key == post_key
            for target in entry.targets
        }
        chosen = [platform_id] if platform_id else sorted(post.targets)
        for target_id in chosen:
            target = targets.get(target_id)
            if target is None:
                raise LoomtaSyncError(f"{post_key} on {target_id} is not in the calendar")
            payload = target.payload
            session.record(
                journal.accepted(
                    post_key, target_id, payload.body_digest(), payload.field_digests()
                )
            )
        session.commit()
    click.echo(f"Accepted the calendar's version of {post_key}.")
    return 0


@state_group.command("unlock")
@click.pass_obj
def unlock_command(app: AppContext) -> int:
    """Remove a lock left by an apply that died; refuses while the holder is alive."""
    holder = break_lock(app.project().state_path)
    if holder is None:
        click.echo("The state was not locked.")
    else:
        click.echo(f"Removed the lock left by {holder}.")
    return 0


def _require_post(state: State, post_key: str, platform_id: str | None) -> PostRecord:
    post = state.posts.get(post_key)
    if post is None:
        raise LoomtaSyncError(
            f"{post_key} is not in the state; run `loomta-sync state show` to list the keys"
        )
    if platform_id is not None and platform_id not in post.targets:
        known = ", ".join(sorted(post.targets))
        raise LoomtaSyncError(
            f"{post_key} has no target on platform {platform_id}; it has: {known} "
            "(pass an alias from loomta.yaml or one of these ids)"
        )
    return post
