"""The qasync event loop the window runs on."""

from __future__ import annotations

import asyncio
import sys

import qasync
from PySide6.QtCore import QCoreApplication


def install_loop(app: QCoreApplication, *, already_running: bool = False) -> qasync.QEventLoop:
    """Create the qasync loop, make it current, and let it finalise async generators.

    qasync never calls `run_forever`, where asyncio installs its async-generator hooks; an
    abandoned generator (a stream left after its last chunk) would then be closed by the
    garbage collector outside any task, which httpx and anyio cannot handle.
    """
    loop = qasync.QEventLoop(app, already_running=already_running)
    asyncio.set_event_loop(loop)
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,
        finalizer=loop._asyncgen_finalizer_hook,
    )
    return loop
