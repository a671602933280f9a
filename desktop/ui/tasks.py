"""Named background tasks: one strong reference each, and a new task replaces its namesake."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from desktop.core.errors import AppError

log = logging.getLogger(__name__)


class TaskRegistry:
    """Starts coroutines as named tasks on the running loop.

    Starting a task under a name cancels the task running under that name (a new question
    cancels the old answer). Failures that escape a task are logged, never lost.
    """

    def __init__(self) -> None:
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        # Every task not yet ended, including those cancelled or replaced: a cancelled task
        # still has to run its cleanup (closing its HTTP response, say) before shutdown ends.
        self._live: set[asyncio.Task[Any]] = set()
        self.shutdown_grace = 10.0  # seconds a cancelled task gets to clean up at shutdown

    def start(self, name: str, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        self.cancel(name)
        task = asyncio.get_event_loop().create_task(coro, name=name)
        self._tasks[name] = task
        self._live.add(task)
        task.add_done_callback(lambda t: self._finished(name, t))
        return task

    def _finished(self, name: str, task: asyncio.Task[Any]) -> None:
        self._live.discard(task)
        if self._tasks.get(name) is task:
            del self._tasks[name]
        if task.cancelled():
            return
        exc = task.exception()
        if isinstance(exc, AppError):
            log.info("task %s failed: %s", name, exc.kind)
        elif exc is not None:
            log.error("task %s crashed", name, exc_info=exc)

    def running(self, name: str) -> bool:
        task = self._tasks.get(name)
        return task is not None and not task.done()

    def cancel(self, name: str) -> bool:
        """Cancel the task of that name; return whether one was running."""
        task = self._tasks.pop(name, None)
        if task is None or task.done():
            return False
        task.cancel()
        return True

    def cancel_all(self) -> list[asyncio.Task[Any]]:
        """Cancel every task; return them (await `shutdown()` to wait for them)."""
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        return tasks

    async def shutdown(self) -> None:
        """Cancel every task and wait until they, and any cancelled earlier, have stopped."""
        self.cancel_all()
        live = list(self._live)
        if not live:
            return
        _, stuck = await asyncio.wait(live, timeout=self.shutdown_grace)
        for task in stuck:
            # A task that ignores its cancellation must not keep the window from closing.
            log.error("task %s did not stop when cancelled: %s", task.get_name(), task.get_stack())
