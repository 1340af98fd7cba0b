"""Start-up settings of the emulator: address, seed, quota, limits and initial faults."""

from __future__ import annotations

from dataclasses import dataclass

from loomta_sync.emulator.faults import (
    DEFAULT_COMMIT_ERROR_STATUSES,
    DEFAULT_ERROR_STATUSES,
    FAULT_SETTING_NAMES,
    FaultSettings,
    check_settings,
)


@dataclass(frozen=True, slots=True)
class EmulatorOptions:
    """How to start an emulator. The fault fields mean the same as in FaultSettings.

    `port` 0 picks a free port. `quota` is the monthly number of platform posts, None for no
    limit. `POST /_emulator/reset` returns the emulator to these settings.
    """

    host: str = "127.0.0.1"
    port: int = 0
    seed: int = 0
    quota: int | None = None
    idempotency: bool = False
    latency_ms: int = 0
    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = DEFAULT_ERROR_STATUSES
    commit_then_error_rate: float = 0.0
    commit_error_statuses: tuple[int, ...] = DEFAULT_COMMIT_ERROR_STATUSES
    drop_after_commit_rate: float = 0.0
    slow_response_rate: float = 0.0
    slow_response_ms: int = 5_000
    rate_limit_burst: int = 0
    rate_limit_rate: float = 0.0
    retry_after_seconds: int = 1
    fault_scope: str = "create"
    max_body_bytes: int = 256 * 1024 * 1024
    request_log_size: int = 10_000

    def fault_settings(self) -> FaultSettings:
        """Return the initial fault settings; raises SettingsError when one is invalid."""
        values = {name: getattr(self, name) for name in FAULT_SETTING_NAMES}
        settings = FaultSettings(**values)
        check_settings(settings)
        return settings
