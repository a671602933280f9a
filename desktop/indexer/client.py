"""The window's side of the indexing process: the knowledge services the window uses, with
the store, the embedder and the reading of files in `desktop.indexer.process`.

`IndexerClient` starts that process on first use and sends it one request per call; a
call's progress events come back as they happen and its result (or its error, as the same
`AppError` class with the same fields) at the end. Cancelling the awaiting task cancels the
request's task there, and the call ends once that task has stopped. Answers stay here (the
chat service talks to Ollama from the window's process) and search through the indexing
process; conversations and the source view stay here too.

The process is watched: when it dies, the calls in flight fail with `IndexerStopped` and
the next call starts a new one, which indexes again what the dead one left half done
(crash recovery finds it). Each running indexer is noted in the data folder's `indexers`
folder: one left behind by a killed window is stopped when the next one starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from desktop.connections import Providers
from desktop.context import Context
from desktop.core.chat_service import ChatService
from desktop.core.conversation_service import ConversationService
from desktop.core.documents import (
    Chunk,
    DocumentRecord,
    DocumentStatus,
    KnowledgeBaseRecord,
    KnowledgeBaseSummary,
    SearchHit,
)
from desktop.core.errors import IndexerStopped
from desktop.core.events import EventCallback, IngestSummary
from desktop.core.knowledge_base import ProgressCallback
from desktop.core.recovery import RecoveryReport
from desktop.core.routing import RoutePolicy
from desktop.core.sources import SourceService
from desktop.indexer.wire import CALLBACK, Ready, Start, read_message, unpack_error, write_message
from desktop.ingest.isolation import note_child, start_time, stop_leftovers
from desktop.ingest.sources import DocumentSources
from desktop.store.history import ConversationStore

log = logging.getLogger(__name__)

# The word that makes the bundled `hearth` program act as the indexing process.
INDEXER_FLAG = "--indexer-process"
_STOP_WAIT = 10.0  # seconds a closing indexer gets to close the store before it is killed
_CANCEL_WAIT = 5.0  # seconds a cancelled call waits for the indexer to stop its work


def indexer_command() -> list[str]:
    """The command that starts an indexing process for this installation."""
    if getattr(sys, "frozen", False):
        return [sys.executable, INDEXER_FLAG]
    return [sys.executable, "-m", "desktop.indexer.process"]


def _how(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return signal.Signals(-code).name
    return f"exit status {code}"


@dataclass(slots=True)
class _Call:
    future: asyncio.Future[Any]
    callback: Callable[..., None] | None


@dataclass(eq=False)
class _Worker:
    """One running indexing process and the thread that collects its answers."""

    proc: subprocess.Popen[bytes]
    stdin: IO[bytes]
    ready: asyncio.Future[Ready]
    calls: dict[int, _Call] = field(default_factory=dict)
    pump: threading.Thread | None = None
    ended: bool = False
    greeted: bool = False  # its Ready was taken in

    def send(self, message: tuple[Any, ...]) -> None:
        """Send a message; a process already gone is noticed by the answers' thread."""
        with contextlib.suppress(OSError, ValueError):
            write_message(self.stdin, message)


class _Ingestion:
    def __init__(self, client: IndexerClient) -> None:
        self._call = client.call
        self._closing = client.closing

    async def ingest(
        self,
        paths: Sequence[str | Path],
        kb: str,
        *,
        on_event: EventCallback | None = None,
        force: bool = False,
    ) -> IngestSummary:
        paths = [str(p) for p in paths]
        summary: IngestSummary = await self._call(
            "ingest.ingest", paths, kb, on_event=on_event, force=force
        )
        return summary

    async def resume(
        self, report: RecoveryReport, *, on_event: EventCallback | None = None
    ) -> list[IngestSummary]:
        summaries: list[IngestSummary] = await self._call(
            "ingest.resume", report, on_event=on_event
        )
        return summaries

    async def remove_documents(self, kb: str, doc_ids: Collection[str]) -> None:
        await self._call("ingest.remove_documents", kb, list(doc_ids))

    async def queue_for_next_start(self, paths: Sequence[str | Path], kb: str) -> None:
        await self._call("ingest.queue_for_next_start", [str(p) for p in paths], kb)

    def keep_unfinished(self) -> None:
        self._closing()


class _KnowledgeBases:
    def __init__(self, client: IndexerClient) -> None:
        self._call = client.call

    async def create(self, name: str) -> KnowledgeBaseRecord:
        record: KnowledgeBaseRecord = await self._call("kbs.create", name)
        return record

    async def summaries(self) -> list[KnowledgeBaseSummary]:
        summaries: list[KnowledgeBaseSummary] = await self._call("kbs.summaries")
        return summaries

    async def documents(
        self, name: str, statuses: Collection[DocumentStatus] | None = None
    ) -> list[DocumentRecord]:
        wanted = list(statuses) if statuses is not None else None
        documents: list[DocumentRecord] = await self._call("kbs.documents", name, wanted)
        return documents

    async def remove(self, name: str) -> None:
        await self._call("kbs.remove", name)

    async def rename(self, name: str, new_name: str) -> KnowledgeBaseRecord:
        record: KnowledgeBaseRecord = await self._call("kbs.rename", name, new_name)
        return record

    async def remove_document(self, name: str, doc_id: str) -> None:
        await self._call("kbs.remove_document", name, doc_id)

    async def reindex(self, name: str, *, on_event: EventCallback | None = None) -> IngestSummary:
        summary: IngestSummary = await self._call("kbs.reindex", name, on_event=on_event)
        return summary

    async def reembed(
        self, name: str, *, on_progress: ProgressCallback | None = None
    ) -> KnowledgeBaseRecord:
        record: KnowledgeBaseRecord = await self._call("kbs.reembed", name, on_progress=on_progress)
        return record


class _Retrieval:
    """Searches in the indexing process (`desktop.core.ports.Retriever`)."""

    def __init__(self, client: IndexerClient) -> None:
        self._call = client.call

    async def search(
        self,
        query: str,
        kb: str,
        *,
        k: int = 8,
        doc_ids: Collection[str] | None = None,
        mmr: bool = False,
    ) -> list[SearchHit]:
        ids = list(doc_ids) if doc_ids is not None else None
        hits: list[SearchHit] = await self._call(
            "retriever.search", query, kb, k=k, doc_ids=ids, mmr=mmr
        )
        return hits

    async def search_across(
        self, query: str, kbs: Sequence[str], *, k: int = 8, mmr: bool = False
    ) -> list[SearchHit]:
        hits: list[SearchHit] = await self._call(
            "retriever.search_across", query, list(kbs), k=k, mmr=mmr
        )
        return hits

    async def document_chunks(self, kb: str, doc_ids: Collection[str]) -> list[Chunk]:
        chunks: list[Chunk] = await self._call("retriever.document_chunks", kb, list(doc_ids))
        return chunks


class _WriteAccess:
    def __init__(self, client: IndexerClient) -> None:
        self._call = client.call

    async def writable(self) -> None:
        await self._call("session.writable")


class IndexerClient:
    """The knowledge services, with the store in an indexing process this object starts
    and watches (see the module's description). Close with `aclose()`.

    Args:
        ctx: the window's context (its data folder, environment and settings).
        providers: the window's Ollama clients, for answers.
        command: starts the indexing process (default: `indexer_command()`).
    """

    def __init__(
        self, ctx: Context, providers: Providers, command: Sequence[str] | None = None
    ) -> None:
        self._ctx = ctx
        self._command = list(command) if command is not None else indexer_command()
        self._notes = ctx.paths.data_dir / "indexers"
        self._note_name = f"{os.getpid()}.json"
        self._swept = False
        self._worker: _Worker | None = None
        self._ids = itertools.count(1)
        self._lost = False  # an indexing process died: the next one resumes its work
        self._closed = False
        self._ready: Ready | None = None
        self.ingest = _Ingestion(self)
        self.kbs = _KnowledgeBases(self)
        self.session = _WriteAccess(self)
        self.retriever = _Retrieval(self)
        self.chat = ChatService(
            self.retriever,
            RoutePolicy(providers.route, lambda: ctx.settings.privacy.local_only_kbs),
        )
        self.chat.use_settings(ctx.settings)
        self.conversations = ConversationService(ConversationStore(ctx.paths.db_path))
        self.sources = SourceService(DocumentSources())

    @property
    def recovery(self) -> RecoveryReport | None:
        """What crash recovery re-queued when the first indexing process opened the store
        (None before it did, or when another process is changing the store)."""
        return self._ready.recovery if self._ready is not None else None

    @property
    def embedder_id(self) -> str:
        """The embedder new and re-embedded knowledge bases get."""
        if self._ready is None:
            raise RuntimeError("the indexing process has not started yet")
        return self._ready.embedder_id

    @property
    def pid(self) -> int | None:
        """The running indexing process's id (None when none runs)."""
        worker = self._worker
        return worker.proc.pid if worker is not None and not worker.ended else None

    async def started(self) -> None:
        """Start the indexing process unless it runs, and wait until it has opened the
        store. Raises what opening the store raised, or IndexerStopped."""
        await self._running()

    async def use_embedder(self, chosen: str) -> None:
        """Make "builtin", "ollama:MODEL" or "onnx:FOLDER" the embedder for new and
        re-embedded bases."""
        self._set_embedder(await self.call("use_embedder", chosen))

    async def apply_settings(self) -> None:
        """Use the window's settings now: here for answers, there for everything else."""
        self.chat.use_settings(self._ctx.settings)
        if self._worker is not None and not self._worker.ended:
            self._set_embedder(await self.call("apply_settings", self._ctx.settings))

    def _set_embedder(self, embedder_id: str) -> None:
        if self._ready is not None:
            self._ready = Ready(self._ready.recovery, embedder_id)

    def closing(self) -> None:
        """The window is closing: tell a running indexing process, ahead of the cancels
        that follow, that an import it stops keeps its unfinished files queued."""
        if self._worker is not None:
            self._worker.send(("closing",))

    async def call(self, name: str, /, *args: Any, **kwargs: Any) -> Any:
        """Ask the indexing process for `name` (one of `desktop.indexer.wire.CALLS`); a
        callable keyword argument is called with each event the request reports."""
        worker = await self._running()
        callback = None
        sent = dict(kwargs)
        for key, value in kwargs.items():
            if callable(value):
                callback, sent[key] = value, CALLBACK
        call_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        worker.calls[call_id] = _Call(future, callback)
        worker.send(("call", call_id, name, args, sent))
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            if not future.done():
                worker.send(("cancel", call_id))
                await _settled(future)
            raise
        finally:
            worker.calls.pop(call_id, None)

    async def _running(self) -> _Worker:
        if self._closed:
            raise IndexerStopped(
                "Hearth's indexing process was stopped: the window is closing.", ""
            )
        worker = self._worker if self._worker is not None else self._start()
        ready = await asyncio.shield(worker.ready)
        if not worker.greeted:
            worker.greeted = True
            # The recovery to report is the first process's; later ones resume by
            # themselves.
            first = self._ready.recovery if self._ready is not None else ready.recovery
            self._ready = Ready(first, ready.embedder_id)
        return worker

    def _start(self) -> _Worker:
        loop = asyncio.get_running_loop()
        if not self._swept:
            self._notes.mkdir(mode=0o700, parents=True, exist_ok=True)
            stop_leftovers(self._notes, "indexing")
            self._swept = True
        try:
            proc = subprocess.Popen(self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except OSError as exc:
            raise IndexerStopped(
                f"Hearth's indexing process did not start ({exc.strerror or exc}).",
                "Check that Hearth is installed completely, then try again.",
            ) from exc
        assert proc.stdin is not None and proc.stdout is not None
        worker = _Worker(proc, proc.stdin, loop.create_future())
        note_child(self._notes, self._note_name, proc.pid, start_time(proc.pid))
        start = Start(
            self._ctx.paths.data_dir,
            dict(self._ctx.env),
            self._ctx.role,
            self._ctx.settings,
            resume=self._lost,
        )
        worker.send(("start", start))
        worker.pump = threading.Thread(
            target=self._collect,
            args=(loop, worker, proc.stdout),
            name="indexer-answers",
            daemon=True,
        )
        worker.pump.start()
        self._worker = worker
        log.info("indexing process %d started", proc.pid)
        return worker

    def _collect(self, loop: asyncio.AbstractEventLoop, worker: _Worker, stream: IO[bytes]) -> None:
        """The answers' thread: hand each answer to the event loop, then the end."""
        try:
            while (message := read_message(stream)) is not None:
                if loop.is_closed():
                    break  # the window's loop ended without closing the client
                loop.call_soon_threadsafe(self._answer, worker, message)
        except Exception:
            log.exception("an answer of the indexing process could not be read")
        finally:
            code = worker.proc.wait()
            with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits
                loop.call_soon_threadsafe(self._ended, worker, code)

    def _answer(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            if not worker.ready.done():
                worker.ready.set_result(message[1])
            return
        if kind == "failed":
            if not worker.ready.done():
                worker.ready.set_exception(unpack_error(message[1]))
            return
        call = worker.calls.get(message[1])
        if call is None or call.future.done():
            return  # a call whose caller already left
        if kind == "event":
            if call.callback is not None:
                call.callback(*message[2])
        elif kind == "result":
            call.future.set_result(message[2])
        elif kind == "error":
            call.future.set_exception(unpack_error(message[2]))
        elif kind == "cancelled":
            call.future.cancel()

    def _ended(self, worker: _Worker, code: int) -> None:
        worker.ended = True
        with contextlib.suppress(OSError):
            worker.stdin.close()
        if worker.proc.stdout is not None:
            worker.proc.stdout.close()
        if self._worker is worker:
            self._forget()
        if self._closed:
            how = "the window is closing"
        else:
            how = _how(code)
            log.warning("indexing process %d ended (%s)", worker.proc.pid, how)
            self._lost = self._lost or _opened(worker)
        if not worker.ready.done():
            worker.ready.set_exception(
                IndexerStopped(
                    f"Hearth's indexing process ended as it started ({how}).",
                    "Check that Hearth is installed completely, then try again.",
                )
            )
        for call in list(worker.calls.values()):
            if not call.future.done():
                call.future.set_exception(
                    IndexerStopped(
                        f"Hearth's indexing process stopped ({how}); what it was doing "
                        "was not finished.",
                        "It starts again by itself at the next request and indexes the "
                        "files it had not finished.",
                    )
                )

    def _forget(self) -> None:
        self._worker = None
        (self._notes / self._note_name).unlink(missing_ok=True)

    async def aclose(self) -> None:
        """Stop the indexing process: its stdin closes, it stops its work and closes the
        store; one that does not end within `_STOP_WAIT` seconds is killed."""
        self._closed = True
        worker = self._worker
        if worker is None:
            return
        with contextlib.suppress(OSError):
            worker.stdin.close()
        await asyncio.to_thread(_wait_or_kill, worker.proc, _STOP_WAIT)
        if worker.pump is not None:
            await asyncio.to_thread(worker.pump.join)
        if self._worker is worker:
            self._forget()


def _opened(worker: _Worker) -> bool:
    """Whether the process had opened the store (so it may have left work half done)."""
    ready = worker.ready
    return ready.done() and not ready.cancelled() and ready.exception() is None


def _wait_or_kill(proc: subprocess.Popen[bytes], timeout: float) -> None:
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        log.warning("indexing process %d did not stop in %g s: killed", proc.pid, timeout)
        proc.kill()
        proc.wait()


async def _settled(future: asyncio.Future[Any]) -> None:
    """Wait until `future` is done, whatever cancels the waiting meanwhile, for at most
    `_CANCEL_WAIT` seconds (an indexing process that does not answer is not waited for)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _CANCEL_WAIT
    while not future.done() and loop.time() < deadline:
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait([future], timeout=deadline - loop.time())
    if not future.done():
        log.warning("the indexing process did not stop a cancelled request in time")
        future.cancel()
    elif not future.cancelled():
        future.exception()  # seen: a late error of a cancelled call is not reported
