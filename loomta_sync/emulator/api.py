"""Routes of the public API under `/public/v1`, all behind the API key.

Extensions: a path that matches no route gets 404 `not_found`, and a known path with
another method gets 405 `method_not_allowed` with an Allow header. There is no route to
list or delete posts, because the documented API has none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from loomta_sync.emulator.app import Emulator
from loomta_sync.emulator.auth import authenticate
from loomta_sync.emulator.create import create_posts
from loomta_sync.emulator.media import MediaRecord, read_upload
from loomta_sync.emulator.posts import QUEUE, PostGroup, publish_due, reschedule
from loomta_sync.emulator.protocol import ApiFailure, Request, Response, echo, parse_json_body
from loomta_sync.emulator.validation import validate_schedule_body

API_PREFIX = "/public/v1"

Handler = Callable[[Emulator, Request, Mapping[str, str]], Response]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def route_api(app: Emulator, request: Request) -> Response:
    """Check the key, then run the handler of the route that matches the request."""
    authenticate(request)
    path = request.path.removeprefix(API_PREFIX)

    allowed: list[str] = []
    for route in _ROUTES:
        match = route.pattern.fullmatch(path)
        if match is None:
            continue
        if route.method == request.method:
            return route.handler(app, request, match.groupdict())
        allowed.append(route.method)

    if allowed:
        raise ApiFailure(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed on {request.path}; use {', '.join(allowed)}",
            headers={"Allow": ", ".join(allowed)},
        )
    raise ApiFailure(404, "not_found", f"no route matches {request.method} {request.path}")


def list_platforms(app: Emulator, request: Request, params: Mapping[str, str]) -> Response:
    platforms = [platform.platform_json() for platform in app.platforms.values()]
    return Response(200, {"platforms": platforms})


def get_platform_schema(app: Emulator, request: Request, params: Mapping[str, str]) -> Response:
    platform = app.platforms.get(params["id"])
    if platform is None:
        raise ApiFailure(
            404,
            "platform_not_found",
            f"platform {echo(params['id'])} is not connected to this workspace; "
            "use an id from GET /platforms",
        )
    return Response(200, {"platform": platform.platform_json(), "schema": platform.schema_json()})


def upload_media(app: Emulator, request: Request, params: Mapping[str, str]) -> Response:
    upload = read_upload(request.header("content-type"), request.body)
    with app.store.lock:
        record = MediaRecord(id=app.new_id(), upload=upload, created_at=app.clock.now())
        app.store.media[record.id] = record
    return Response(200, record.to_json())


def list_media(app: Emulator, request: Request, params: Mapping[str, str]) -> Response:
    with app.store.lock:
        media = [record.to_json() for record in app.store.media.values()]
    return Response(200, {"media": media})


def get_post(app: Emulator, request: Request, params: Mapping[str, str]) -> Response:
    with app.store.lock:
        group = _find_group(app, params["id"])
        publish_due(group, app.clock.now())
        return Response(200, group.to_json())


def reschedule_post(app: Emulator, request: Request, params: Mapping[str, str]) -> Response:
    body = parse_json_body(request.body)
    with app.store.lock:
        now = app.clock.now()
        when = validate_schedule_body(body, now)
        group = _find_group(app, params["id"])
        publish_due(group, now)
        # Extension: only a queued post can move; the message names its state.
        if group.root.state != QUEUE:
            raise ApiFailure(
                400,
                "invalid_request",
                f"post {group.root.id} is {group.root.state}, and only a QUEUE post can be "
                "rescheduled",
            )

        reschedule(group, when, now)
        return Response(200, group.to_json())


def _find_group(app: Emulator, post_id: str) -> PostGroup:
    group = app.store.groups_by_post_id.get(post_id)
    if group is None:
        # Extension: the documentation names no code for a missing post.
        raise ApiFailure(
            404, "post_not_found", f"post {echo(post_id)} was not found in this workspace"
        )
    return group


def _route(method: str, pattern: str, handler: Handler) -> Route:
    return Route(method, re.compile(pattern), handler)


_ROUTES: tuple[Route, ...] = (
    _route("GET", r"/platforms", list_platforms),
    _route("GET", r"/platforms/(?P<id>[^/]+)/schema", get_platform_schema),
    _route("POST", r"/media", upload_media),
    _route("GET", r"/media", list_media),
    _route("POST", r"/posts", lambda app, request, params: create_posts(app, request)),
    _route("GET", r"/posts/(?P<id>[^/]+)", get_post),
    _route("PATCH", r"/posts/(?P<id>[^/]+)/schedule", reschedule_post),
)
