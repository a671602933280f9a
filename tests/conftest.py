"""Test-wide rules.

- Any unexpected WARNING-level log (ours or a library's) fails the test.
- No connection may leave the machine: every socket connection and name lookup in the
  test process must stay on loopback (the fake Ollama servers, a local Chroma server).
  Anything else (a telemetry ping, a stray call to ollama.com) is refused and fails the
  test that made it.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

pytest_plugins = ["tests.fakes.plugin"]

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_outside_attempts: list[str] = []
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return True  # AF_UNIX paths (bytes) and the like
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _check(sock: socket.socket, address: Any) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        _outside_attempts.append(f"connect {address[0]}:{address[1]}")
        raise ConnectionRefusedError(f"test network guard: {address[0]} is not loopback")


def _guarded_connect(sock: socket.socket, address: Any) -> None:
    _check(sock, address)
    _real_connect(sock, address)


def _guarded_connect_ex(sock: socket.socket, address: Any) -> int:
    _check(sock, address)
    return _real_connect_ex(sock, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host is not None and not _is_local(host.decode() if isinstance(host, bytes) else host):
        _outside_attempts.append(f"lookup {host!r}")
        raise socket.gaierror(socket.EAI_NONAME, f"test network guard: {host!r} is not local")
    return _real_getaddrinfo(host, *args, **kwargs)


# Machines of the same kind differ several-fold in speed, and a loaded one more: a wait for a
# condition gives up only after this long (it returns as soon as the condition holds, so a
# passing test pays nothing for it). HEARTH_TEST_WAIT_MS overrides it.
_WAIT_FLOOR_MS = int(os.environ.get("HEARTH_TEST_WAIT_MS", "90000"))


def _patient(wait: Any) -> Any:
    def wait_until(self: Any, callback: Any, *, timeout: int = 5000) -> Any:
        return wait(self, callback, timeout=max(timeout, _WAIT_FLOOR_MS))

    return wait_until


def pytest_configure(config: pytest.Config) -> None:
    from pytestqt.qtbot import QtBot

    QtBot.waitUntil = _patient(QtBot.waitUntil)  # type: ignore[method-assign]
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo


@pytest.fixture(autouse=True)
def _no_connections_off_the_machine(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that tried to reach anything but loopback (unless it is marked
    `allow_outside_network`, for tests that check that such attempts are refused)."""
    _outside_attempts.clear()
    yield
    if _outside_attempts and not request.node.get_closest_marker("allow_outside_network"):
        pytest.fail(
            "connections outside the machine were attempted: " + ", ".join(_outside_attempts)
        )


class _FailOnWarning(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _fail_on_warning_logs(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that logs at WARNING or above, unless it is marked `allow_warning_logs`
    or it captured and checked those records through `caplog`."""
    handler = _FailOnWarning()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    if request.node.get_closest_marker("allow_warning_logs"):
        return
    if "caplog" in request.fixturenames:
        return
    unexpected = handler.records
    if unexpected:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in unexpected)
        pytest.fail(f"unexpected warning-level log records:\n{lines}")
