"""Blocking calls (chromadb, SQLite, file reading, ONNX inference) run in an executor.

One policy for the whole core: `run_blocking` waits, when its caller is cancelled, for the
thread to finish (a thread cannot be stopped), so cleanup that follows sees the store as the
call left it. `run_detached` is for pure computations whose result is thrown away when the
caller is cancelled (an embedding batch may take seconds on a slow processor).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TypeVar

T = TypeVar("T")


class Stopped(Exception):
    """Raised inside a blocking call that was told to stop early (between the pages of a
    long OCR, say). Handlers of a reader's own failures let it through, so it is never
    mistaken for a damaged file. An Exception, not a BaseException: qasync's executor
    loses a call that raises anything else."""


async def run_blocking(
    executor: Executor | None, fn: Callable[..., T], /, *args: object, **kwargs: object
) -> T:
    """Run `fn(*args, **kwargs)` in `executor` (None: the loop's default executor). When the
    caller is cancelled, wait for the thread first, then raise the cancellation."""
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(executor, functools.partial(fn, *args, **kwargs))
    try:
        return await asyncio.shield(fut)
    except asyncio.CancelledError:
        with contextlib.suppress(BaseException):
            await asyncio.wait([fut])
        if fut.done() and not fut.cancelled():
            fut.exception()  # mark it retrieved; the cancellation is what matters now
        raise


async def run_detached(executor: Executor | None, fn: Callable[..., T], /, *args: object) -> T:
    """Run a side-effect-free `fn(*args)` in `executor`; a cancelled caller returns at once
    and the thread's result is dropped."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, functools.partial(fn, *args))
