"""Start the emulator: in a background thread for tests and benchmarks, or in the foreground.

`start_emulator` returns a RunningEmulator, which is also a context manager that stops it.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType
from typing import Any

from loomta_sync.emulator.admin import ADMIN_PREFIX
from loomta_sync.emulator.api import API_PREFIX
from loomta_sync.emulator.app import Emulator
from loomta_sync.emulator.handler import EmulatorRequestHandler, EmulatorServer
from loomta_sync.emulator.options import EmulatorOptions

__all__ = ["EmulatorOptions", "RunningEmulator", "serve_forever", "start_emulator"]

logger = logging.getLogger(__name__)

# How often serve_forever checks for shutdown. The background thread checks often, so that
# stop() returns quickly in tests. The foreground server wakes on signals anyway.
THREAD_POLL_INTERVAL_SECONDS = 0.02
FOREGROUND_POLL_INTERVAL_SECONDS = 0.5
STOP_TIMEOUT_SECONDS = 5.0


class _Server(EmulatorServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, app: Emulator) -> None:
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        if ":" in app.options.host:
            self.address_family = socket.AF_INET6
        super().__init__((app.options.host, app.options.port), EmulatorRequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, a DNS query that the emulator
        # never needs, so only the socket is bound here.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Shut down open keep-alive connections, so their threads end."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            # OSError means the client has closed the connection already.
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class RunningEmulator:
    """An emulator serving in a background thread; `stop()` ends it."""

    def __init__(self, server: _Server, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread

    @property
    def app(self) -> Emulator:
        return self._server.app

    @property
    def port(self) -> int:
        return self._server.server_port

    @property
    def root_url(self) -> str:
        return _root_url(self._server)

    @property
    def base_url(self) -> str:
        """The API base URL, e.g. `http://127.0.0.1:8765/public/v1`."""
        return self.root_url + API_PREFIX

    @property
    def admin_url(self) -> str:
        return self.root_url + ADMIN_PREFIX

    def stop(self) -> None:
        _stop_server(self._server)
        self._thread.join(STOP_TIMEOUT_SECONDS)

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def start_emulator(options: EmulatorOptions | None = None) -> RunningEmulator:
    """Bind the port and serve in a daemon thread; raises OSError when the port is taken."""
    server = _Server(Emulator(options or EmulatorOptions()))
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": THREAD_POLL_INTERVAL_SECONDS},
        name=f"loomta-emulator-{server.server_port}",
        daemon=True,
    )
    thread.start()
    logger.info("emulator listening on %s (seed %d)", _root_url(server), server.app.seed)
    return RunningEmulator(server, thread)


def serve_forever(options: EmulatorOptions, on_ready: Callable[[str], None] | None = None) -> None:
    """Serve in this thread until SIGINT or SIGTERM, then return.

    `on_ready` gets the API base URL once the port is bound and the signal handlers are set.
    Must run in the main thread, since only that thread can set signal handlers.
    """
    server = _Server(Emulator(options))
    base_url = _root_url(server) + API_PREFIX
    try:
        with _signals_stop_serving():
            logger.info("emulator listening on %s (seed %d)", base_url, options.seed)
            if on_ready is not None:
                on_ready(base_url)
            server.serve_forever(poll_interval=FOREGROUND_POLL_INTERVAL_SECONDS)
    except _StopServing as stop:
        logger.info("emulator stopping on %s", signal.Signals(stop.signum).name)
    finally:
        server.app.stopping.set()
        server.server_close()
        server.close_connections()


class _StopServing(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _StopServing(signum)


@contextmanager
def _signals_stop_serving() -> Iterator[None]:
    stop_signals = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, _raise_stop) for number in stop_signals}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _stop_server(server: _Server) -> None:
    server.app.stopping.set()
    server.shutdown()
    server.server_close()
    server.close_connections()


def _root_url(server: _Server) -> str:
    host = server.server_name
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{server.server_port}"
