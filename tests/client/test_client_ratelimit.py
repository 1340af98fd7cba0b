"""The shared rate limiter: pauses seen by every thread, and the token bucket."""

from __future__ import annotations

import threading

import httpx
import pytest

from loomta_sync.client import RateLimited, RateLimiter, RequestNotSent
from tests.client.client_fakes import (
    POST_ID,
    FakeClock,
    Recorder,
    error_body,
    make_client,
    make_policy,
    remote_post,
)


def limiter_on(clock: FakeClock, **kwargs: float) -> RateLimiter:
    return RateLimiter(clock=clock.monotonic, sleep=clock.sleep, **kwargs)  # type: ignore[arg-type]


def run_in_thread(name: str, target: object) -> None:
    errors: list[BaseException] = []

    def guarded() -> None:
        try:
            target()  # type: ignore[operator]
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=guarded, name=name)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    if errors:
        raise errors[0]


def test_pause_holds_back_other_thread(clock: FakeClock) -> None:
    limiter = limiter_on(clock)
    limiter.pause_until(clock.monotonic() + 5.0)
    results: list[bool] = []

    run_in_thread("worker", lambda: results.append(limiter.wait()))

    assert results == [True]
    assert clock.sleeps == [("worker", 5.0)]


def test_later_pause_wins(clock: FakeClock) -> None:
    limiter = limiter_on(clock)
    start = clock.monotonic()

    limiter.pause_until(start + 9.0)
    limiter.pause_until(start + 3.0)

    assert limiter.paused_until == start + 9.0


def test_wait_without_pause_does_not_sleep(clock: FakeClock) -> None:
    limiter = limiter_on(clock)

    assert limiter.wait()
    assert clock.sleeps == []


def test_wait_gives_up_past_timeout(clock: FakeClock) -> None:
    limiter = limiter_on(clock)
    limiter.pause_for(30.0)

    assert limiter.wait(timeout=10.0) is False
    assert clock.sleeps == []


def test_rate_limit_pauses_other_thread(clock: FakeClock) -> None:
    started_at: dict[str, float] = {}

    def answer(request: httpx.Request) -> httpx.Response:
        started_at[threading.current_thread().name] = clock.monotonic()
        if threading.current_thread().name == "first":
            return httpx.Response(
                429, json=error_body("rate_limited"), headers={"Retry-After": "8"}
            )
        return httpx.Response(200, json={"root": remote_post(), "children": []})

    recorder = Recorder([answer])
    policy = make_policy(clock, max_attempts=1)
    with make_client(recorder, clock, policy=policy) as client:
        pause_start = clock.monotonic()

        def first() -> None:
            with pytest.raises(RateLimited):
                client.get_post(POST_ID)

        run_in_thread("first", first)
        run_in_thread("second", lambda: client.get_post(POST_ID))

    assert clock.sleeps == [("second", 8.0)]
    assert started_at["second"] >= pause_start + 8.0


def test_pause_beyond_budget_not_sent(clock: FakeClock) -> None:
    recorder = Recorder([httpx.Response(200, json={"root": remote_post(), "children": []})])
    limiter = limiter_on(clock)
    limiter.pause_for(600.0)

    with (
        make_client(recorder, clock, limiter=limiter) as client,
        pytest.raises(RequestNotSent) as caught,
    ):
        client.get_post(POST_ID)

    assert recorder.requests == []
    assert caught.value.retry_after == 600.0
    assert "600.0 s" in str(caught.value)
    assert clock.sleeps == []


def test_token_bucket_spaces_requests(clock: FakeClock) -> None:
    limiter = limiter_on(clock, requests_per_second=2.0)
    granted: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        limiter.wait()
        with lock:
            granted.append(clock.monotonic())

    threads = [threading.Thread(target=take, name=f"worker-{n}") for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(granted) == 8
    granted.sort()
    for index, instant in enumerate(granted):
        assert instant - granted[0] >= index * 0.5 - 1e-9


def test_token_bucket_burst(clock: FakeClock) -> None:
    limiter = limiter_on(clock, requests_per_second=1.0, burst=3)

    for _ in range(3):
        assert limiter.wait()

    assert clock.sleeps == []
    assert limiter.wait()
    assert clock.total_slept() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"requests_per_second": 0.0}, "requests_per_second"), ({"burst": 0}, "burst")],
)
def test_limiter_rejects_invalid_settings(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RateLimiter(**kwargs)  # type: ignore[arg-type]
