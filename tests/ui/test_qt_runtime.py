"""The pinned Qt runtime holds up: many Python-side signal emits, and qasync driving Qt.

PySide6 6.12.0 on CPython 3.11 aborted (bool_dealloc) after about a thousand
`Signal.emit()` calls; this test keeps that regression visible if the pin ever moves.
"""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QObject, QTimer, Signal

pytestmark = pytest.mark.ui


class _Emitter(QObject):
    ticked = Signal(bool, str)


def test_many_signal_emits_do_not_crash(qapp: object) -> None:
    emitter = _Emitter()
    received: list[tuple[bool, str]] = []
    emitter.ticked.connect(lambda flag, text: received.append((flag, text)))
    for i in range(20_000):
        emitter.ticked.emit(i % 2 == 0, "x")
    assert len(received) == 20_000
    assert received[0] == (True, "x")
    assert received[1] == (False, "x")


def test_qasync_runs_coroutines_and_qt_timers_together(
    qasync_loop: asyncio.AbstractEventLoop,
) -> None:
    fired: list[str] = []

    async def scenario() -> str:
        QTimer.singleShot(10, lambda: fired.append("qt"))
        await asyncio.sleep(0.05)
        return "done"

    assert qasync_loop.run_until_complete(scenario()) == "done"
    assert fired == ["qt"]
