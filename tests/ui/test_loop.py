"""The qasync loop: abandoned async generators are closed in a task on it, and the loop the
window tests run on leaves neither a running asyncio loop nor a quitting Qt behind."""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
import weakref
from collections.abc import AsyncIterator

import pytest
from PySide6.QtCore import QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken

from desktop.ui.loop import close_loop, install_loop
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
        close_loop(loop)
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


def test_a_closed_loop_freed_in_another_thread_leaves_no_timer_behind(
    qapp: QApplication, qtbot: QtBot
) -> None:
    """The garbage collector frees a closed loop in whichever thread it runs in (an executor
    worker, say). The loop's Qt objects are deleted when it closes, on the window's thread:
    one freed in the worker could not unregister its timers, and the window's thread would
    deliver the next timer event to freed memory (a segfault in Qt's event loop)."""
    hooks = sys.get_asyncgen_hooks()
    loop = install_loop(qapp)
    try:
        # A timeout that ends early: its Qt timer stays registered until it would fire.
        loop.run_until_complete(asyncio.wait_for(asyncio.sleep(0), timeout=0.3))
        owned = [v for v in vars(loop).values() if isinstance(v, QObject)]
        timer = loop._timer  # qasync's timer object, the one holding that Qt timer
        assert timer in owned
    finally:
        close_loop(loop)
        asyncio.set_event_loop(None)
        sys.set_asyncgen_hooks(*hooks)
    assert not Shiboken.isValid(timer)
    freed = weakref.ref(loop)
    del loop, owned, timer
    worker = threading.Thread(target=gc.collect)
    worker.start()
    worker.join()
    assert freed() is None
    # Past the timer's time: Qt delivers nothing to freed memory and says nothing
    # (a warning fails the test).
    qtbot.wait(600)
