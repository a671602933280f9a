"""The qasync event loop the window runs on."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncGenerator
from functools import partial
from typing import Any

import qasync
from PySide6.QtCore import QCoreApplication


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
