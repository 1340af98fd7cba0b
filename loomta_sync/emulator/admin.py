"""Inspection and control endpoints under `/_emulator/` (an extension, no API key).

They serve tests, benchmarks and demos on loopback. Their own keys are snake_case, while the
API objects they embed (posts) keep the API's camelCase.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeGuard

from loomta_sync.emulator.app import Emulator
from loomta_sync.emulator.clock import format_instant
from loomta_sync.emulator.faults import SettingsError
from loomta_sync.emulator.posts import publish_due
from loomta_sync.emulator.protocol import (
    ApiFailure,
    Issue,
    JsonObject,
    Request,
    Response,
    echo,
    invalid_request,
    json_type,
    parse_json_body,
)

ADMIN_PREFIX = "/_emulator"

# About a century, so that the shifted time stays a valid datetime.
MAX_CLOCK_OFFSET_SECONDS = 100 * 366 * 24 * 3600

AdminHandler = Callable[[Emulator, Request], Response]


def route_admin(app: Emulator, request: Request) -> Response:
    path = request.path.removeprefix(ADMIN_PREFIX)
    methods = _ROUTES.get(path)
    if methods is None:
        raise ApiFailure(404, "not_found", f"no admin route matches {request.path}")

    handler = methods.get(request.method)
    if handler is None:
        allowed = ", ".join(methods)
        raise ApiFailure(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed on {request.path}; use {allowed}",
            headers={"Allow": allowed},
        )
    return handler(app, request)


def get_health(app: Emulator, request: Request) -> Response:
    return Response(200, {"status": "ok", "seed": app.seed})


def list_posts(app: Emulator, request: Request) -> Response:
    """List every post group in creation order, with its request's Idempotency-Key."""
    with app.store.lock:
        now = app.clock.now()
        groups: list[JsonObject] = []
        for group in app.store.groups:
            publish_due(group, now)
            groups.append(
                {
                    "platform_id": group.platform_id,
                    "idempotency_key": group.idempotency_key,
                    "create_request": group.create_request,
                    **group.to_json(),
                }
            )
        return Response(200, {"groups": groups, "counters": _counters(app)})


def list_requests(app: Emulator, request: Request) -> Response:
    with app.store.lock:
        entries = [entry.to_json() for entry in app.store.requests]
    return Response(200, {"requests": entries})


def reset(app: Emulator, request: Request) -> Response:
    body = parse_json_body(request.body) if request.body.strip() else {}
    seed = _optional_integer(body, "seed", minimum=None)
    app.reset(seed)
    return Response(200, {"status": "reset", "seed": app.seed})


def get_faults(app: Emulator, request: Request) -> Response:
    return Response(200, app.faults.settings.to_json())


def put_faults(app: Emulator, request: Request) -> Response:
    """Change the named fault settings; the others keep their values."""
    body = parse_json_body(request.body)
    try:
        settings = app.faults.update(body)
    except SettingsError as exc:
        raise invalid_request(exc.issues, subject="fault settings") from exc
    return Response(200, settings.to_json())


def get_quota(app: Emulator, request: Request) -> Response:
    with app.store.lock:
        return Response(200, _quota(app))


def put_quota(app: Emulator, request: Request) -> Response:
    """Set the monthly quota (`limit`, null for none) and optionally the posts `used`."""
    body = parse_json_body(request.body)
    if not isinstance(body, dict) or "limit" not in body:
        issue = Issue(("limit",), "is required; send an integer of 0 or more, or null")
        raise invalid_request([issue], subject="quota")

    limit = _optional_integer(body, "limit", minimum=0)
    used = _optional_integer(body, "used", minimum=0)
    with app.store.lock:
        app.store.quota_limit = limit
        if used is not None:
            app.store.quota_used = used
        return Response(200, _quota(app))


def get_clock(app: Emulator, request: Request) -> Response:
    return Response(200, _clock(app))


def put_clock(app: Emulator, request: Request) -> Response:
    """Set how far the emulator's clock runs ahead of the system clock, in seconds."""
    body = parse_json_body(request.body)
    value = body.get("offset_seconds") if isinstance(body, dict) else None
    if not _is_offset(value):
        issue = Issue(
            ("offset_seconds",),
            f"must be a number of seconds from -{MAX_CLOCK_OFFSET_SECONDS} to "
            f"{MAX_CLOCK_OFFSET_SECONDS}, received {echo(value)}",
        )
        raise invalid_request([issue], subject="clock")

    app.clock.set_offset(float(value))
    return Response(200, _clock(app))


def _is_offset(value: Any) -> TypeGuard[int | float]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and abs(value) <= MAX_CLOCK_OFFSET_SECONDS


def _optional_integer(body: Any, name: str, minimum: int | None) -> int | None:
    if not isinstance(body, dict):
        raise invalid_request([Issue((), f"expected a JSON object, received {json_type(body)}")])

    value = body.get(name)
    if value is None:
        return None
    too_small = minimum is not None and isinstance(value, int) and value < minimum
    if isinstance(value, bool) or not isinstance(value, int) or too_small:
        floor = "" if minimum is None else f" of {minimum} or more"
        issue = Issue((name,), f"expected an integer{floor} or null, received {echo(value)}")
        raise invalid_request([issue])
    return value


def _counters(app: Emulator) -> JsonObject:
    store = app.store
    return {
        **store.counters.to_json(),
        "groups": len(store.groups),
        "posts": sum(len(group.posts()) for group in store.groups),
        "media": len(store.media),
        "quota": _quota(app),
    }


def _quota(app: Emulator) -> JsonObject:
    return {"limit": app.store.quota_limit, "used": app.store.quota_used}


def _clock(app: Emulator) -> JsonObject:
    return {
        "now": format_instant(app.clock.now()),
        "offset_seconds": app.clock.offset_seconds(),
    }


_ROUTES: dict[str, dict[str, AdminHandler]] = {
    "/health": {"GET": get_health},
    "/posts": {"GET": list_posts},
    "/requests": {"GET": list_requests},
    "/reset": {"POST": reset},
    "/faults": {"GET": get_faults, "PUT": put_faults},
    "/quota": {"GET": get_quota, "PUT": put_quota},
    "/clock": {"GET": get_clock, "PUT": put_clock},
}
