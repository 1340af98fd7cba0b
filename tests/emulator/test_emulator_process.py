"""The emulator command as a real subprocess: start-up line, flags, signals, logs."""

from __future__ import annotations

import signal

import httpx

from tests.emulator.emulator_helpers import create, post_body, upload
from tests.support.emulator import READY_LINE, TEST_API_KEY, emulator_process

SECRET_KEY = "loomta_sk_SECRETprocess0001"


def test_process_prints_one_line_and_stops() -> None:
    with emulator_process() as running:
        health = running.admin.health()
        exit_code = running.stop()
        assert running.process.stdout is not None
        rest_of_stdout = running.process.stdout.read()

    assert health["status"] == "ok"
    assert rest_of_stdout == ""
    assert exit_code == 0
    assert READY_LINE.fullmatch(f"Loomta emulator listening on {running.base_url}")
    assert running.base_url.startswith("http://127.0.0.1:")
    assert "Traceback" not in running.stderr_text()
    assert "emulator stopping on SIGTERM" in running.stderr_text()


def test_process_stops_on_sigint() -> None:
    with emulator_process() as running:
        exit_code = running.stop(signal.SIGINT)

    assert exit_code == 0
    assert "Traceback" not in running.stderr_text()


def test_process_flags_reach_settings() -> None:
    arguments = [
        "--seed", "42",
        "--quota", "3",
        "--idempotency",
        "--error-rate", "0.5",
        "--error-statuses", "502,503",
        "--commit-then-error-rate", "0.25",
        "--commit-error-statuses", "500",
        "--drop-after-commit-rate", "0.125",
        "--slow-response-rate", "0.0625",
        "--slow-response-ms", "1234",
        "--rate-limit-burst", "2",
        "--rate-limit-rate", "0.1",
        "--retry-after-seconds", "4",
        "--latency-ms", "0",
        "--fault-scope", "api",
    ]  # fmt: skip
    with emulator_process(*arguments) as running:
        faults = running.admin.faults()
        quota = running.admin.quota()
        health = running.admin.health()

    assert health["seed"] == 42
    assert quota == {"limit": 3, "used": 0}
    assert faults == {
        "latency_ms": 0,
        "error_rate": 0.5,
        "error_statuses": [502, 503],
        "commit_then_error_rate": 0.25,
        "commit_error_statuses": [500],
        "drop_after_commit_rate": 0.125,
        "slow_response_rate": 0.0625,
        "slow_response_ms": 1234,
        "rate_limit_burst": 2,
        "rate_limit_rate": 0.1,
        "retry_after_seconds": 4,
        "idempotency": True,
        "fault_scope": "api",
    }


def test_process_access_log_hides_key() -> None:
    with emulator_process("--access-log") as running:
        headers = {"Authorization": f"Bearer {SECRET_KEY}", "Idempotency-Key": "visible-key"}
        with httpx.Client(base_url=running.base_url, headers=headers, timeout=10) as api:
            media_id = upload(api)
            create(api, post_body([media_id]))
            api.get("/platforms")
        with httpx.Client(base_url=running.base_url, timeout=10) as api:
            api.get("/platforms", headers={"Authorization": "Bearer loomta_sk_revokedSECRET99"})
        running.stop()

    stderr = running.stderr_text()
    assert "GET /public/v1/platforms -> 200" in stderr
    assert "POST /public/v1/posts -> 200" in stderr
    assert "GET /public/v1/platforms -> 401" in stderr
    assert "SECRET" not in stderr


def test_process_admin_helper_round_trip() -> None:
    with emulator_process("--seed", "9") as running:
        admin = running.admin
        with httpx.Client(
            base_url=running.base_url,
            headers={"Authorization": f"Bearer {TEST_API_KEY}"},
            timeout=10,
        ) as api:
            create(api, post_body([upload(api)]), idempotency_key="helper-1")
            groups = admin.groups()
            counters = admin.counters()
            admin.set_faults(error_rate=1.0, error_statuses=[500])
            failed = create(api, post_body([upload(api)]))
            admin.reset()
            after_reset = create(api, post_body([upload(api)]))

        assert [group["idempotency_key"] for group in groups] == ["helper-1"]
        assert counters["groups"] == 1
        assert failed.status_code == 500
        assert after_reset.status_code == 200
        assert admin.requests()[-1]["status"] == 200
