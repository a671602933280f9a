"""The indexing process: it owns a data folder's store (chromadb, the keyword index, the
registry's document tables) and the embedder, and does every read of files, embedding,
write and search the window asks for (see `desktop.indexer.client`, which starts and
watches it).

chromadb's writes hold the interpreter lock and the embedder's runtime keeps a core busy:
here they never stall the window's event loop. The store has this one owner, because an
embedded chromadb does not see another process's new vectors.

Requests come on stdin and answers go out on the original stdout (`desktop.indexer.wire`);
anything a library prints goes to stderr. Requests are served at the same time, each as a
task of this process's event loop, so a search is answered while files are indexed (a
document stays invisible until it is ready, as in one process). The process ends when its
stdin ends: the window closed it, or the window is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import IO, Any

from desktop.connections import Providers
from desktop.context import bootstrap
from desktop.core.recovery import RecoveryReport
from desktop.core.settings import Settings
from desktop.indexer.wire import (
    CALLBACK,
    CALLS,
    Ready,
    Start,
    pack_error,
    read_message,
    write_message,
)
from desktop.knowledge import KnowledgeServices

log = logging.getLogger(__name__)

_NICENESS = 10  # added to the window's priority (lower)
_LAST_WORDS = 10.0  # seconds to close the store after the window is gone, before exiting


class _Server:
    """Serves one window's requests over the knowledge services."""

    def __init__(
        self, knowledge: KnowledgeServices, providers: Providers, answers: IO[bytes]
    ) -> None:
        self.knowledge = knowledge
        self.providers = providers
        self._answers = answers
        self._sending = threading.Lock()
        self.tasks: dict[int, asyncio.Task[None]] = {}

    def send(self, message: tuple[Any, ...]) -> None:
        with self._sending:
            write_message(self._answers, message)

    def _method(self, name: str) -> Callable[..., Awaitable[Any]]:
        if name == "use_embedder":
            return self._use_embedder
        if name == "apply_settings":
            return self._apply_settings
        owner, _, method = name.partition(".")
        return getattr(getattr(self.knowledge, owner), method)  # type: ignore[no-any-return]

    async def _use_embedder(self, chosen: str) -> str:
        await self.knowledge.use_embedder(chosen)
        return self.knowledge.embedder_id

    async def _apply_settings(self, settings: Settings) -> str:
        self.knowledge.ctx.settings = settings
        await self.providers.apply()
        await self.knowledge.apply_settings()
        return self.knowledge.embedder_id

    def call(self, call_id: int, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if name not in CALLS:
            error = RuntimeError(f"no such request: {name!r}")
            self.send(("error", call_id, pack_error(error)))
            return
        for key, value in kwargs.items():
            if value == CALLBACK:
                kwargs[key] = functools.partial(self._event, call_id)
        task = asyncio.create_task(self._run(call_id, self._method(name), args, kwargs))
        self.tasks[call_id] = task
        task.add_done_callback(functools.partial(self._done, call_id))

    def _done(self, call_id: int, task: asyncio.Task[None]) -> None:
        self.tasks.pop(call_id, None)
        # Told here, not in `_run`: a task cancelled before it began never runs its code.
        if task.cancelled():
            self.send(("cancelled", call_id))

    def cancel(self, call_id: int) -> None:
        task = self.tasks.get(call_id)
        if task is not None:
            task.cancel()

    def _event(self, call_id: int, *args: Any) -> None:
        self.send(("event", call_id, args))

    async def _run(
        self,
        call_id: int,
        method: Callable[..., Awaitable[Any]],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        try:
            value = await method(*args, **kwargs)
        except Exception as exc:
            self.send(("error", call_id, pack_error(exc)))
            return
        try:
            self.send(("result", call_id, value))
        except Exception as exc:  # a result that does not pickle is this program's bug
            log.exception("the answer to request %d could not be sent", call_id)
            self.send(("error", call_id, pack_error(exc)))

    async def stop(self) -> None:
        """The window closed or went away: what runs stops, and an import's unfinished
        files stay queued for the next start."""
        self.knowledge.ingest.keep_unfinished()
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _open(start: Start) -> tuple[KnowledgeServices, Providers]:
    ctx = bootstrap(str(start.data_dir), env=start.env, role=start.role)
    ctx.settings = start.settings
    providers = Providers(ctx)
    try:
        knowledge = await KnowledgeServices.open(ctx, providers)
    except BaseException:
        await providers.aclose()
        raise
    return knowledge, providers


def _ready(knowledge: KnowledgeServices, resume: bool) -> Ready:
    recovery = knowledge.recovery
    if resume and recovery is not None and recovery.requeued:
        # A restart after the last indexing process died: what it left half done is
        # indexed again now; the window asks only when it opens.
        knowledge.resume_in_background(recovery)
        recovery = RecoveryReport()
    return Ready(recovery, knowledge.embedder_id)


async def serve(start: Start, requests: IO[bytes], answers: IO[bytes]) -> int:
    """Open the store `start` names, then serve requests until `requests` ends."""
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[tuple[Any, ...] | None] = asyncio.Queue()

    def pump() -> None:
        try:
            while (message := read_message(requests)) is not None:
                loop.call_soon_threadsafe(inbox.put_nowait, message)
        except Exception:  # a damaged request ends the conversation like a closed pipe
            log.exception("a request to the indexing process could not be read")
        finally:
            loop.call_soon_threadsafe(inbox.put_nowait, None)

    threading.Thread(target=pump, name="indexer-requests", daemon=True).start()
    try:
        knowledge, providers = await _open(start)
    except Exception as exc:
        log.exception("the indexing process could not open the store")
        write_message(answers, ("failed", pack_error(exc)))
        return 1
    server = _Server(knowledge, providers, answers)
    server.send(("ready", _ready(knowledge, start.resume)))
    try:
        while (message := await inbox.get()) is not None:
            if message[0] == "call":
                server.call(*message[1:])
            elif message[0] == "cancel":
                server.cancel(message[1])
            elif message[0] == "closing":
                knowledge.ingest.keep_unfinished()
    finally:
        await server.stop()
        await knowledge.aclose()
        await providers.aclose()
    return 0


def _exit_with_parent(parent: int, closed: threading.Event) -> None:
    """End this process when the window that started it is gone: its stdin ends then and
    the store is closed; a process stuck in native code exits after `_LAST_WORDS`."""

    def watch() -> None:
        while os.getppid() == parent:
            if closed.wait(0.5):
                return
        closed.wait(_LAST_WORDS)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main() -> int:
    """Read the start message, then serve until stdin ends."""
    if hasattr(os, "nice"):
        # Background work: the window's thread gets a core first when both want one.
        with contextlib.suppress(OSError):
            os.nice(_NICENESS)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer
    closed = threading.Event()
    _exit_with_parent(os.getppid(), closed)
    first = read_message(requests)
    if first is None:
        return 0  # the window closed before it asked for anything
    if first[0] != "start" or not isinstance(first[1], Start):
        return 2
    loop = asyncio.new_event_loop()
    try:
        code = loop.run_until_complete(serve(first[1], requests, answers))
    finally:
        closed.set()
        with contextlib.suppress(OSError):
            answers.close()
    # The store is closed. Work a cancelled request left in a thread (an embedding batch)
    # has nothing left to write to: the process ends without waiting for it.
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
