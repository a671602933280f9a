"""What every controller shares: the message channel to the window and task plumbing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core.errors import AppError
from desktop.ui.error_text import describe
from desktop.ui.services import WindowKnowledge, WindowServices
from desktop.ui.tasks import TaskRegistry

T = TypeVar("T")


async def blocking(fn: Callable[..., T], *args: object) -> T:
    """Run a blocking call (SQLite) in the default executor."""
    return await asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args))


class MessageChannel(QObject):
    """The one place errors and notices go; the window decides how to show them.

    Signals:
        message(str, str, bool): the sentence, the hint, and whether it is an error.
    """

    message = Signal(str, str, bool)

    def error(self, exc: AppError) -> None:
        self.message.emit(*describe(exc), True)

    def info(self, text: str) -> None:
        self.message.emit(text, "", False)


class Base(QObject):
    """What every controller shares: the task registry, the channel, the services."""

    def __init__(self, tasks: TaskRegistry, channel: MessageChannel) -> None:
        super().__init__()
        self.tasks = tasks
        self.channel = channel
        self.services: WindowServices | None = None
        self.closed = False

    def close(self) -> None:
        """Start nothing more (the window is closing); timers stop with their owner."""
        self.closed = True
        for timer in self.findChildren(QTimer):
            timer.stop()

    def attach(self, services: WindowServices) -> None:
        self.services = services

    async def knowledge(self) -> WindowKnowledge:
        assert self.services is not None
        return await self.services.knowledge()

    def start(self, name: str, coro_fn: Callable[[], Awaitable[object]]) -> None:
        """Start a named task that reports AppErrors to the channel."""
        if self.closed:
            return

        async def guarded() -> None:
            if self.services is None:
                return
            try:
                await coro_fn()
            except AppError as exc:
                self.channel.error(exc)

        self.tasks.start(name, guarded())
