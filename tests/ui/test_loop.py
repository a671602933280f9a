"""The qasync loop: abandoned async generators are closed in a task on it, and the loop the
window tests run on leaves neither a running asyncio loop nor a quitting Qt behind."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.loop import install_loop
from tests.e2e.conftest import running_qasync_loop

pytestmark = pytest.mark.ui


async def stream(closed: asyncio.Future[bool]) -> AsyncIterator[str]:
    """Two chunks, and a clean-up that awaits, like an HTTP response being closed."""
    try:
        yield "first"
        yield "second"
    finally:
        await asyncio.sleep(0)
        closed.set_result(asyncio.current_task() is not None)


async def read_first_and_abandon(closed: asyncio.Future[bool]) -> bool:
    chunks = stream(closed)
    assert await anext(chunks) == "first"
    del chunks  # left after its first chunk: the garbage collector finalises it
    return await asyncio.wait_for(closed, 30)


def test_an_abandoned_async_generator_is_closed_in_a_task_on_the_loop(qapp: QApplication) -> None:
    hooks = sys.get_asyncgen_hooks()
    loop = install_loop(qapp)
    try:
        closed: asyncio.Future[bool] = loop.create_future()
        assert loop.run_until_complete(read_first_and_abandon(closed)) is True
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        sys.set_asyncgen_hooks(*hooks)


def test_the_running_loop_of_the_window_tests_leaves_nothing_behind(
    qapp: QApplication, qtbot: QtBot
) -> None:
    with running_qasync_loop(qapp) as loop:
        assert asyncio.get_running_loop() is loop
        task = asyncio.ensure_future(asyncio.sleep(0, "done"))
        qtbot.waitUntil(task.done)
        assert task.result() == "done"
    assert loop.is_closed()
    with pytest.raises(RuntimeError, match="no running event loop"):
        asyncio.get_running_loop()
    # Qt's own event loops still wait for their events (after QApplication.exit() without a
    # QApplication.exec() they would return at once).
    events = QEventLoop()
    seen: list[bool] = []
    QTimer.singleShot(0, lambda: (seen.append(True), events.quit()))
    assert events.exec() == 0
    assert seen == [True]
