"""The qasync event loop the window runs on."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncGenerator
from functools import partial
from typing import Any

import qasync
from PySide6.QtCore import QCoreApplication, QObject
from shiboken6 import Shiboken


def install_loop(app: QCoreApplication, *, already_running: bool = False) -> qasync.QEventLoop:
    """Create the qasync loop, make it current, and let it finalise async generators.

    qasync never calls asyncio's `run_forever`, where asyncio installs its async-generator
    hooks; an abandoned generator (a stream left after its last chunk) would then be closed
    by the garbage collector outside any task, which httpx and anyio cannot handle.
    """
    loop = qasync.QEventLoop(app, already_running=already_running)
    asyncio.set_event_loop(loop)
    sys.set_asyncgen_hooks(firstiter=None, finalizer=partial(_close_in_a_task, loop))
    return loop


def _close_in_a_task(loop: asyncio.AbstractEventLoop, agen: AsyncGenerator[Any, Any]) -> None:
    """Close an abandoned async generator in a task of its own, as asyncio's hook does."""
    if not loop.is_closed():
        loop.call_soon_threadsafe(loop.create_task, agen.aclose())


def close_loop(loop: qasync.QEventLoop) -> None:
    """Close the loop, and delete its own Qt objects now, on its thread (the window's).

    qasync keeps a QObject whose Qt timers stand for asyncio's timer handles (a cancelled
    handle's timer stays registered until it would have fired) and one that carries
    `call_soon_threadsafe` calls. A closed loop is cyclic garbage, and Python's garbage
    collector frees it in whichever thread it happens to run, often an executor worker
    embedding or reading files: a QObject destroyed there cannot unregister its timers
    ("QObject::~QObject: Timers cannot be stopped from another thread"), and the window's
    thread later delivers a timer event to freed memory, a segfault inside Qt's event
    loop. Deleted here, the wrappers the collector frees later own nothing.
    """
    loop.close()
    for value in list(vars(loop).values()):
        if isinstance(value, QObject) and Shiboken.isValid(value) and Shiboken.ownedByPython(value):
            Shiboken.delete(value)
