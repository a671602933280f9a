"""Controllers: thin QObjects between the dumb views and the core services.

Every long call runs as a named task in the window's TaskRegistry (a new question cancels
the old answer; Stop cancels by name). Blocking calls (the SQLite history) run in the
default executor. Errors go to one message channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core.conversations import StoredCitation, StoredMessage
from desktop.core.documents import DocumentRecord, DocumentStatus
from desktop.core.errors import AppError, StoreBusy
from desktop.core.events import (
    Done,
    Error,
    FileEmbedding,
    FileFailed,
    FileQueued,
    FileReading,
    FileReady,
    FileRemoved,
    FileSkipped,
    IngestEvent,
    IngestSummary,
    Notice,
    Retrieved,
    Thinking,
    Token,
)
from desktop.core.models import ChatMessage, ModelDetails, ModelInfo, RoutingMode, ServerStatus
from desktop.ui.chat_view import ChatView
from desktop.ui.render import MessageEntry
from desktop.ui.services import KnowledgeLike, WindowServices
from desktop.ui.tasks import TaskRegistry
from desktop.ui.widgets import IngestPanel, Sidebar, TopBar

log = logging.getLogger(__name__)

T = TypeVar("T")
STATUS_POLL_MS = 15_000
# How often to try again while another Hearth process is changing the store.
STORE_RETRY_S = 2.0
# A long conversation is shown in slices of this many seconds, the event loop running
# between them (a 500-turn conversation takes about 2 s to lay out).
LOAD_SLICE_S = 0.015
# After this long without a first word, the answer says why that may be.
SLOW_FIRST_WORDS_MS = 8_000


async def blocking(fn: Callable[..., T], *args: object) -> T:
    """Run a blocking call (SQLite) in the default executor."""
    return await asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args))


_KNOWLEDGE: weakref.WeakKeyDictionary[WindowServices, asyncio.Future[KnowledgeLike]] = (
    weakref.WeakKeyDictionary()
)


async def shared_knowledge(services: WindowServices) -> KnowledgeLike:
    """The knowledge services, opened once however many tasks ask at the same time.

    Opening builds the vector store and the embedder; two openings at once would race.
    """
    future = _KNOWLEDGE.get(services)
    if future is None or (future.done() and future.exception() is not None):
        future = asyncio.ensure_future(services.knowledge())
        _KNOWLEDGE[services] = future
    return await asyncio.shield(future)


class MessageChannel(QObject):
    """The one place errors and notices go; the window decides how to show them.

    Signals:
        message(str, str, bool): the sentence, the hint, and whether it is an error.
    """

    message = Signal(str, str, bool)

    def error(self, exc: AppError) -> None:
        self.message.emit(exc.message, exc.hint, True)

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

    async def knowledge(self) -> KnowledgeLike:
        assert self.services is not None
        return await shared_knowledge(self.services)

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


def entry_from_stored(message: StoredMessage) -> MessageEntry:
    return MessageEntry(
        0,
        message.role,
        message.content,
        thinking=message.thinking,
        citations=list(message.citations),
        provider=message.provider,
        model=message.model,
        tokens_per_second=float(message.stats.get("tokens_per_second", 0.0)),
        error=message.error,
        stored_id=message.message_id,
    )


class ChatController(Base):
    """Questions, streamed answers, and the conversation they belong to.

    Signals:
        conversations_changed: a conversation was created, renamed or deleted.
    """

    conversations_changed = Signal()

    def __init__(
        self, view: ChatView, tasks: TaskRegistry, channel: MessageChannel, kb: Callable[[], str]
    ) -> None:
        super().__init__(tasks, channel)
        self.view = view
        self.kb = kb
        self.conversation_id: int | None = None
        self._saving: asyncio.Future[None] | None = None
        view.question_submitted.connect(self.ask)
        view.edit_submitted.connect(self.edit)
        view.stop_requested.connect(self.stop)
        view.regenerate_requested.connect(self.regenerate)
        view.retry_requested.connect(self.regenerate)

    def ask(self, text: str) -> None:
        self.start("chat", lambda: self._ask(text))

    def stop(self) -> None:
        self.tasks.cancel("chat")

    def edit(self, key: int, text: str) -> None:
        entry = self.view.entry(key)
        self.start("chat", lambda: self._edit(entry, text))

    def regenerate(self, key: int) -> None:
        entry = self.view.entry(key)
        self.start("chat", lambda: self._regenerate(entry))

    def new_chat(self) -> None:
        self.tasks.cancel("chat")
        self.conversation_id = None
        self.view.clear()

    def open_conversation(self, conversation_id: int) -> None:
        self.tasks.cancel("chat")
        self.start("chat", lambda: self._load(conversation_id))

    async def _load(self, conversation_id: int) -> list[StoredMessage]:
        k = await self.knowledge()
        messages = await blocking(k.history.messages, conversation_id)
        self.conversation_id = conversation_id
        self.view.clear()
        deadline = time.perf_counter() + LOAD_SLICE_S
        for message in messages:
            self.view.add_message(entry_from_stored(message))
            if time.perf_counter() >= deadline:
                await asyncio.sleep(0)  # let the window paint and take input
                deadline = time.perf_counter() + LOAD_SLICE_S
        return messages

    async def _ask(self, text: str) -> None:
        k = await self.knowledge()
        if self.conversation_id is None:
            title = text if len(text) <= 60 else text[:57].rstrip() + "…"
            conversation = await blocking(k.history.create, title, self.kb())
            self.conversation_id = conversation.conversation_id
            self.conversations_changed.emit()
        history = self._history()
        # The previous answer may still be being saved: the question goes in after it.
        await self._saved()
        stored = await blocking(k.history.add_message, self.conversation_id, "user", text)
        self.view.add_message(MessageEntry(0, "user", text, stored_id=stored.message_id))
        await self._stream(k, text, history)

    async def _saved(self) -> None:
        """Wait until the answer being saved, if any, is in the history."""
        saving = self._saving
        if saving is not None and not saving.done():
            await asyncio.shield(saving)

    async def _stored_id(self, entry: MessageEntry) -> int:
        """The message's id in the history, once the save that may still run is done (Retry
        can be clicked the moment an answer fails, before it is saved)."""
        await self._saved()
        return entry.stored_id

    async def _edit(self, entry: MessageEntry, text: str) -> None:
        k = await self.knowledge()
        stored_id = await self._stored_id(entry)
        assert self.conversation_id is not None and stored_id > 0
        await blocking(k.history.delete_messages_from, self.conversation_id, stored_id)
        await self._load(self.conversation_id)
        await self._ask(text)

    async def _regenerate(self, entry: MessageEntry) -> None:
        k = await self.knowledge()
        stored_id = await self._stored_id(entry)
        assert self.conversation_id is not None and stored_id > 0
        await blocking(k.history.delete_messages_from, self.conversation_id, stored_id)
        messages = await self._load(self.conversation_id)
        questions = [m for m in messages if m.role == "user"]
        if questions:
            await self._stream(k, questions[-1].content, self._history()[:-1])

    def _history(self) -> list[ChatMessage]:
        return [
            ChatMessage(e.role, e.content)
            for e in self.view.entries()
            if e.content and not e.error and not e.streaming
        ]

    async def _stream(self, k: KnowledgeLike, question: str, history: list[ChatMessage]) -> None:
        view = self.view
        key = view.begin_answer()
        # Resolved once this answer is saved: a Retry clicked the moment it fails waits
        # for that (it deletes the answer from the history by its id).
        saved = self._saving = asyncio.get_running_loop().create_future()
        view.set_waiting(key, self.tr("Searching your documents…"))
        view.set_busy(True)
        try:
            async for event in k.chat.answer(question, history, kb=self.kb()):
                self._show(key, event)
        except asyncio.CancelledError:
            if view.entry(key).streaming:
                view.fail_answer(key, self.tr("Stopped."), "")
            with contextlib.suppress(AppError):
                await self._store(k, key, saved)
            raise
        finally:
            view.set_busy(False)
        await self._store(k, key, saved)

    def _show(self, key: int, event: object) -> None:
        view = self.view
        if isinstance(event, Token):
            view.append_token(key, event.text)
        elif isinstance(event, Thinking):
            view.append_thinking(key, event.text)
        elif isinstance(event, Retrieved):
            view.set_citations(
                key,
                [
                    StoredCitation(
                        c.n,
                        c.hit.chunk.source,
                        c.hit.chunk.page,
                        c.hit.chunk.text,
                        c.hit.chunk.chunk_id,
                    )
                    for c in event.citations
                ],
            )
            view.set_waiting(key, self.tr("Waiting for the model to answer…"))
            slow = self.tr(
                "Still waiting for the model: one that is loading into memory can take a "
                "minute. Esc stops."
            )
            QTimer.singleShot(SLOW_FIRST_WORDS_MS, view, lambda: view.set_waiting(key, slow))
        elif isinstance(event, Notice):
            view.set_notice(key, event.text)
        elif isinstance(event, Done):
            # Every passage sent is kept with the answer: the footer shows the cited ones
            # as Sources and the rest as "Also searched", from the text (also when reopened).
            view.finish_answer(
                key,
                model=event.model,
                provider=event.provider.value,
                speed=event.stats.tokens_per_second,
            )
        elif isinstance(event, Error):
            view.fail_answer(key, event.error.message, event.error.hint)

    async def _store(self, k: KnowledgeLike, key: int, saved: asyncio.Future[None]) -> None:
        """Save an answer, then resolve `saved`. The save finishes (and the entry learns its
        id) even when this task is cancelled meanwhile."""
        entry = self.view.entry(key)
        if self.conversation_id is None:
            _resolve(saved)
            return
        saving = asyncio.ensure_future(
            blocking(
                lambda: k.history.add_message(
                    self.conversation_id or 0,
                    "assistant",
                    entry.content,
                    provider=entry.provider,
                    model=entry.model,
                    thinking=entry.thinking,
                    error=" ".join(p for p in (entry.error, entry.hint) if p),
                    citations=tuple(entry.citations),
                    stats={"tokens_per_second": entry.tokens_per_second},
                )
            )
        )
        saving.add_done_callback(lambda done: _remember_id(entry, done, saved))
        await asyncio.shield(saving)
        self.conversations_changed.emit()


def _remember_id(
    entry: MessageEntry, saving: asyncio.Future[StoredMessage], saved: asyncio.Future[None]
) -> None:
    if not saving.cancelled() and saving.exception() is None:
        entry.stored_id = saving.result().message_id
    _resolve(saved)


def _resolve(saved: asyncio.Future[None]) -> None:
    if not saved.done():
        saved.set_result(None)


class KnowledgeController(Base):
    """Adding, removing, re-indexing and watching documents; the sidebar's knowledge tree.

    Signals:
        knowledge_changed(int): the number of ready documents after a refresh.
    """

    knowledge_changed = Signal(int)

    def __init__(
        self,
        sidebar: Sidebar,
        panel: IngestPanel,
        tasks: TaskRegistry,
        channel: MessageChannel,
        kb: Callable[[], str],
    ) -> None:
        super().__init__(tasks, channel)
        self.sidebar = sidebar
        self.panel = panel
        self.kb = kb
        self._queue: list[str] = []
        self._seen: set[str] = set()
        self._done = 0
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(400)
        self._refresh_timer.timeout.connect(self.refresh)
        panel.cancel_requested.connect(self.cancel)
        sidebar.reindex_requested.connect(self.reindex)

    def refresh(self) -> None:
        self.start("kb-refresh", self._refresh)

    async def _refresh(self) -> None:
        k = await self.knowledge()
        summaries = await k.kbs.summaries()
        documents: dict[str, list[DocumentRecord]] = {}
        for summary in summaries:
            documents[summary.record.name] = await k.kbs.documents(summary.record.name)
        self.sidebar.show_knowledge(summaries, documents)
        ready = sum(s.status_counts.get(DocumentStatus.READY, 0) for s in summaries)
        self.knowledge_changed.emit(ready)

    def add(self, paths: list[str]) -> None:
        """Index files and folders; paths added while indexing join the same run's queue."""
        self._queue.extend(paths)
        if self.panel.isHidden():
            self.panel.start()
        if not self.tasks.running("ingest"):
            self._seen.clear()
            self._done = 0
            self.panel.start()
            self.start("ingest", self._drain)

    def resume_interrupted(self) -> None:
        """Index again what an earlier run left half done (crash recovery re-queued it)."""

        async def run() -> None:
            k = await self.knowledge()
            report = k.recovery
            if report is not None and report.requeued:
                self.panel.start()
                for summary in await k.ingest.resume(report, on_event=self._on_event):
                    self._on_event(summary)
            # Files dropped meanwhile waited in the queue.
            await self._drain()

        self.start("ingest", run)

    async def _until_writable(self, k: KnowledgeLike) -> None:
        """Wait while another Hearth process changes the store: say so once, then try again
        every few seconds (Cancel stops waiting)."""
        told = False
        while True:
            try:
                await k.session.writable()
            except StoreBusy as exc:
                if not told:
                    self.channel.error(exc)
                    self.panel.waiting(self.tr("Waiting for the other Hearth process to finish…"))
                    told = True
                await asyncio.sleep(STORE_RETRY_S)
            else:
                if told:
                    self.channel.info(self.tr("The other Hearth process has finished."))
                return

    async def _drain(self) -> None:
        k = await self.knowledge()
        try:
            if self._queue:
                await self._until_writable(k)
            while self._queue:
                batch, self._queue = self._queue, []
                summary = await k.ingest.ingest(batch, self.kb(), on_event=self._on_event)
                self._on_event(summary)
        except asyncio.CancelledError:
            self._queue.clear()
            self.panel.finished(self.tr("Indexing cancelled; finished files were kept."))
            self.refresh()
            raise

    def cancel(self) -> None:
        self.tasks.cancel("ingest")

    def reindex(self, kb: str) -> None:
        async def run() -> None:
            k = await self.knowledge()
            self._seen.clear()
            self._done = 0
            self.panel.start()
            self._on_event(await k.kbs.reindex(kb, on_event=self._on_event))

        self.start("ingest", run)

    def remove(self, kb: str, doc_id: str) -> None:
        async def run() -> None:
            k = await self.knowledge()
            if doc_id:
                await k.kbs.remove_document(kb, doc_id)
            else:
                await k.kbs.remove(kb)
            await self._refresh()

        self.start("kb-remove", run)

    def reembed_if_needed(self) -> None:
        """Re-embed knowledge bases built by another embedder than the current one."""

        async def run() -> None:
            k = await self.knowledge()
            current = k.ingest.embedders.current.embedder_id
            for summary in await k.kbs.summaries():
                record = summary.record
                if record.embedder_id == current and not record.pending_collection:
                    continue
                self.panel.start()
                self.panel.label.setText(
                    self.tr("Re-embedding “%1” with the new embedding model…").replace(
                        "%1", record.name
                    )
                )
                await k.kbs.reembed(record.name, on_progress=self.panel.overall_progress)
                self.panel.finished(self.tr("Re-embedding finished."))
            await self._refresh()

        self.start("reembed", run)

    def _on_event(self, event: IngestEvent) -> None:
        panel = self.panel
        if isinstance(event, IngestSummary):
            text = self.tr("%1 ready, %2 unchanged, %3 failed")
            text = text.replace("%1", str(event.ready)).replace("%2", str(event.skipped))
            panel.finished(text.replace("%3", str(event.failed)))
            self.refresh()
            return
        if isinstance(event, FileQueued):
            self._seen.add(event.path)
            panel.file_state(event.path, self.tr("queued"))
            self._refresh_timer.start()
        elif isinstance(event, FileReading):
            panel.file_state(event.path, self.tr("reading"))
        elif isinstance(event, FileEmbedding):
            percent = int(100 * event.done / max(event.total, 1))
            panel.file_state(event.path, self.tr("embedding %1%").replace("%1", str(percent)))
        elif isinstance(event, FileReady):
            self._done += 1
            text = self.tr("ready · %1 chunks").replace("%1", str(event.chunk_count))
            panel.file_state(event.path, text)
            self._refresh_timer.start()
        elif isinstance(event, FileSkipped):
            self._done += 1
            panel.file_state(event.path, self.tr("unchanged"))
        elif isinstance(event, FileFailed):
            self._done += 1
            panel.file_state(event.path, self.tr("failed: %1").replace("%1", event.message))
            self._refresh_timer.start()
        elif isinstance(event, FileRemoved):
            panel.file_state(event.path, self.tr("removed (file is gone)"))
        panel.overall_progress(self._done, max(len(self._seen), self._done))


class ProviderController(Base):
    """The provider switch, live server status and the model picker.

    Signals:
        availability_changed(bool): whether any model can answer.
    """

    availability_changed = Signal(bool)

    def __init__(self, bar: TopBar, tasks: TaskRegistry, channel: MessageChannel) -> None:
        super().__init__(tasks, channel)
        self.bar = bar
        self.local_status: ServerStatus | None = None
        self.local_models: list[str] = []
        # What `/api/show` said a model can do, by name and digest (`/api/tags` may not say).
        self._capabilities: dict[tuple[str, str], tuple[str, ...]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(STATUS_POLL_MS)
        self._timer.timeout.connect(self.poll)
        bar.mode_changed.connect(self.set_mode)
        bar.model_chosen.connect(self.choose_model)

    def attach(self, services: WindowServices) -> None:
        super().attach(services)
        self.bar.set_mode(services.ctx.settings.provider.mode)
        self._timer.start()
        self.poll()

    def poll(self) -> None:
        self.start("status", self._poll)

    async def _poll(self) -> None:
        s = self.services
        assert s is not None
        try:
            self.local_status = await s.local.status()
        except AppError:
            self.local_status = ServerStatus(False)
        self.bar.show_status("local", self.local_status)
        self.local_models = []
        if self.local_status.reachable:
            with contextlib.suppress(AppError):
                # Answering in the cloud asks the local server nothing about its models.
                inspect = s.ctx.settings.provider.mode != RoutingMode.CLOUD.value
                listed = await s.local.list_models()
                self.local_models = await self._chat_models(listed, inspect=inspect)
        cloud_ok = await self._poll_cloud(s)
        self._show_models()
        self.availability_changed.emit(bool(self.local_models) or cloud_ok)

    async def _chat_models(self, models: list[ModelInfo], *, inspect: bool) -> list[str]:
        """The names of the models that can answer: embedding-only models are left out.

        `/api/tags` may not say what a model can do; `inspect` asks `/api/show` then.
        """
        assert self.services is not None
        names = []
        for model in models:
            capabilities = model.capabilities
            if not capabilities:
                key = (model.name, model.digest)
                if key not in self._capabilities and inspect:
                    try:
                        details = await self.services.local.show(model.name)
                    except AppError:
                        details = ModelDetails(model.name)
                    self._capabilities[key] = details.capabilities
                capabilities = self._capabilities.get(key, ())
            # An older server says nothing about capabilities: offer the model then.
            if not capabilities or "completion" in capabilities:
                names.append(model.name)
        return names

    async def _poll_cloud(self, s: WindowServices) -> bool:
        p = s.ctx.settings.provider
        if s.cloud is None or not p.cloud_enabled:
            note = self.tr("off") if not p.cloud_enabled else self.tr("no API key")
            self.bar.show_status("cloud", ServerStatus(False), note)
            return False
        try:
            status = await s.cloud.status()
        except AppError as exc:
            self.bar.show_status("cloud", ServerStatus(False), exc.message)
            return False
        self.bar.show_status("cloud", status)
        return status.reachable

    def _show_models(self) -> None:
        s = self.services
        assert s is not None
        p = s.ctx.settings.provider
        if p.mode == RoutingMode.CLOUD.value:
            self.bar.set_models([], p.cloud_model)
            return
        if self.local_models and not is_installed(p.chat_model, self.local_models):
            # What the picker shows is what answers: its first model becomes the choice.
            p.chat_model = self.local_models[0]
            self._save()
        self.bar.set_models(self.local_models, p.chat_model)

    def set_mode(self, mode: str) -> None:
        s = self.services
        if s is None:
            return
        p = s.ctx.settings.provider
        p.mode = RoutingMode(mode).value
        s.router.mode = RoutingMode(mode)
        if mode == RoutingMode.CLOUD.value and not p.cloud_enabled:
            self.channel.message.emit(
                self.tr("Ollama Cloud is turned off, so nothing will be sent there."),
                self.tr("Turn it on in Settings, and add an API key."),
                True,
            )
        self._save()
        if mode == RoutingMode.CLOUD.value:
            self._show_models()
        else:
            # The local list is checked for chat models before the picker shows it.
            self.poll()

    def choose_model(self, name: str) -> None:
        s = self.services
        if s is None or not name:
            return
        p = s.ctx.settings.provider
        if p.mode == RoutingMode.CLOUD.value:
            p.cloud_model = name
        else:
            p.chat_model = name
        self._save()

    def _save(self) -> None:
        s = self.services
        assert s is not None
        try:
            s.ctx.save_settings()
        except AppError as exc:
            self.channel.error(exc)


def is_installed(name: str, installed: list[str]) -> bool:
    """Whether a model name is one of the installed ones (`llama3.2` is `llama3.2:latest`)."""
    if not name:
        return False
    return name in installed or (":" not in name and f"{name}:latest" in installed)


def pdf_page_url(path: str, page: int) -> str:
    """A file URL that asks PDF viewers to open at a page (#page=N, RFC 8118)."""
    url = Path(path).resolve().as_uri()
    return f"{url}#page={page}" if page and path.lower().endswith(".pdf") else url
