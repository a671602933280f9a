"""Controllers: thin QObjects between the dumb views and the core services.

Every long call runs as a named task in the window's TaskRegistry (a new question cancels
the old answer; Stop cancels by name). Conversations are the core's ConversationService:
the chat view shows them, the store is the model. Errors go to one message channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core.conversation_service import AnswerRecord
from desktop.core.conversations import StoredCitation, StoredMessage
from desktop.core.documents import DocumentRecord, DocumentStatus
from desktop.core.errors import AppError, ProviderUnreachable, StoreBusy
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
from desktop.ui.services import WindowKnowledge, WindowServices
from desktop.ui.tasks import TaskRegistry
from desktop.ui.widgets import IngestPanel, ModelChoice, Sidebar, TopBar

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
# The cloud catalogue in the model picker is asked for again after this long.
CATALOGUE_TTL_S = 600.0


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
        stopped=bool(message.stats.get("stopped")),
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
        # Asked before each answer: a known reason it cannot be written (fail at once).
        self.precheck: Callable[[], Awaitable[AppError | None]] | None = None
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

    async def _load(self, conversation_id: int) -> None:
        k = await self.knowledge()
        messages = await k.conversations.messages(conversation_id)
        self.conversation_id = conversation_id
        self.view.clear()
        deadline = time.perf_counter() + LOAD_SLICE_S
        for message in messages:
            self.view.add_message(entry_from_stored(message))
            if time.perf_counter() >= deadline:
                await asyncio.sleep(0)  # let the window paint and take input
                deadline = time.perf_counter() + LOAD_SLICE_S

    async def _ask(self, text: str) -> None:
        k = await self.knowledge()
        conversations = k.conversations
        if self.conversation_id is None:
            conversation = await conversations.start(text, self.kb())
            self.conversation_id = conversation.conversation_id
            self.conversations_changed.emit()
            history = []
        else:
            # The previous answer (stopped by this question, say) is saved first.
            await self._saved()
            history = await conversations.history(self.conversation_id)
        stored = await conversations.add_question(self.conversation_id, text)
        self.view.add_message(MessageEntry(0, "user", text, stored_id=stored.message_id))
        await self._stream(k, text, history)

    async def _saved(self) -> None:
        """Wait until the answer being saved, if any, is in the store."""
        saving = self._saving
        if saving is not None and not saving.done():
            await asyncio.shield(saving)

    async def _stored_id(self, entry: MessageEntry) -> int:
        """The message's id in the store, once the save that may still run is done (Retry
        can be clicked the moment an answer fails, before it is saved)."""
        await self._saved()
        return entry.stored_id

    async def _edit(self, entry: MessageEntry, text: str) -> None:
        k = await self.knowledge()
        stored_id = await self._stored_id(entry)
        assert self.conversation_id is not None and stored_id > 0
        await k.conversations.truncate(self.conversation_id, stored_id)
        await self._load(self.conversation_id)
        await self._ask(text)

    async def _regenerate(self, entry: MessageEntry) -> None:
        k = await self.knowledge()
        stored_id = await self._stored_id(entry)
        assert self.conversation_id is not None and stored_id > 0
        retry = await k.conversations.retry(self.conversation_id, stored_id)
        await self._load(self.conversation_id)
        if retry is not None:
            await self._stream(k, retry.question, retry.history)

    async def _stream(self, k: WindowKnowledge, question: str, history: list[ChatMessage]) -> None:
        view = self.view
        key = view.begin_answer()
        # Resolved once this answer is saved: a Retry clicked the moment it fails waits
        # for that (it deletes the answer from the store by its id).
        saved = self._saving = asyncio.get_running_loop().create_future()
        view.set_waiting(key, self.tr("Searching your documents…"))
        view.set_busy(True)
        try:
            problem = await self.precheck() if self.precheck is not None else None
            if problem is not None:
                self._show(key, Error(problem))
            else:
                async for event in k.chat.answer(question, history, kb=self.kb()):
                    self._show(key, event)
        except asyncio.CancelledError:
            if view.entry(key).streaming:
                view.fail_answer(key, self.tr("Stopped."), "", stopped=True)
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
                        " › ".join(c.hit.chunk.heading_path),
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

    async def _store(self, k: WindowKnowledge, key: int, saved: asyncio.Future[None]) -> None:
        """Save an answer, then resolve `saved`. The save is queued at once, so it goes in
        before anything asked later, and finishes (the entry learning its id) even when
        this task is cancelled meanwhile."""
        entry = self.view.entry(key)
        # The answer's conversation, read now: New chat right after it must not orphan it.
        conversation_id = self.conversation_id
        if conversation_id is None:
            _resolve(saved)
            return
        answer = AnswerRecord(
            entry.content,
            provider=entry.provider,
            model=entry.model,
            thinking=entry.thinking,
            error=" ".join(p for p in (entry.error, entry.hint) if p),
            citations=tuple(entry.citations),
            stats={
                "tokens_per_second": entry.tokens_per_second,
                # A stop the person asked for reopens as one, not as a failure.
                **({"stopped": 1.0} if entry.stopped else {}),
            },
        )
        saving = k.conversations.add_answer(conversation_id, answer)
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


class DocumentsController(Base):
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

    async def _until_writable(self, k: WindowKnowledge) -> None:
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

    def create(self, name: str, created: Callable[[str], None]) -> None:
        """Make an empty knowledge base, then call `created` with its name."""

        async def run() -> None:
            k = await self.knowledge()
            record = await k.kbs.create(name)
            await self._refresh()
            created(record.name)

        self.start("kb-create", run)

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
            text = self.tr("ready · %n chunks", "", event.chunk_count)
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
        # Local names the signed-in local server sends to Ollama Cloud (`glm-4.7:cloud`).
        self.remote_models: set[str] = set()
        # The live Ollama Cloud catalogue, and when it was fetched.
        self.cloud_models: list[str] = []
        self._catalogue_at: float | None = None
        # While the window starts (the knowledge base opening), a round trip measures the
        # start-up, not the server: latencies are shown only once it has opened.
        self._started = False
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
        self.start("status-after-start", self._poll_when_started)

    async def _poll_when_started(self) -> None:
        with contextlib.suppress(AppError):
            await self.knowledge()
        self._started = True
        self.poll()

    def _measured(self, status: ServerStatus) -> ServerStatus:
        """The status to show: without a latency while the window is still starting."""
        return status if self._started else dataclasses.replace(status, latency_ms=0.0)

    def poll(self) -> None:
        self.start("status", self._poll)

    async def _poll(self) -> None:
        s = self.services
        assert s is not None
        try:
            self.local_status = await s.local.status()
        except AppError:
            self.local_status = ServerStatus(False)
        self.bar.show_status("local", self._measured(self.local_status))
        self.local_models = []
        self.remote_models = set()
        if self.local_status.reachable:
            with contextlib.suppress(AppError):
                # Answering in the cloud asks the local server nothing about its models.
                inspect = s.ctx.settings.provider.mode != RoutingMode.CLOUD.value
                listed = await s.local.list_models()
                self.local_models = await self._chat_models(listed, inspect=inspect)
                self.remote_models = {m.name for m in listed if m.remote}
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
        if not p.cloud_enabled:
            # Off by choice is no failure: a grey dot, not the red one.
            self.bar.show_status("cloud", None, self.tr("off"))
            return False
        if s.cloud is None:
            self.bar.show_status("cloud", ServerStatus(False), self.tr("no API key"))
            return False
        try:
            status = await s.cloud.status()
        except AppError as exc:
            self.bar.show_status("cloud", ServerStatus(False), exc.message)
            return False
        self.bar.show_status("cloud", self._measured(status))
        now = time.monotonic()
        stale = self._catalogue_at is None or now - self._catalogue_at >= CATALOGUE_TTL_S
        if status.reachable and (stale or not self.cloud_models):
            with contextlib.suppress(AppError):
                self.cloud_models = [m.name for m in await s.cloud.list_models()]
                self._catalogue_at = now
        return status.reachable

    async def local_problem(self) -> AppError | None:
        """Why an answer cannot be written, when the top bar already says the local server
        is not reachable and the answer would be written there: one more quick look (a
        refused connection answers at once), then the reason and the fix, instead of
        seconds of retries."""
        s = self.services
        if s is None or self.local_status is None or self.local_status.reachable:
            return None
        p = s.ctx.settings.provider
        if p.mode == RoutingMode.CLOUD.value or (
            p.mode == RoutingMode.AUTO.value and p.cloud_enabled and s.cloud is not None
        ):
            return None  # the cloud writes it (Auto falls back to the cloud)
        try:
            self.local_status = await s.local.status()
        except AppError:
            self.local_status = ServerStatus(False)
        self.bar.show_status("local", self._measured(self.local_status))
        if self.local_status.reachable:
            return None
        return ProviderUnreachable(
            self.tr("Local Ollama is not reachable at %1.").replace("%1", s.local.base_url),
            self.tr(
                "Start Ollama (open the Ollama app, or run “ollama serve” in a terminal), "
                "then ask again; or check the address in Settings."
            ),
            provider="local",
        )

    def _choices(self) -> list[ModelChoice]:
        """What the picker offers in the current mode: installed local models in Local, the
        cloud catalogue (or, without a key, the local server's `:cloud` names) in Cloud,
        all of them in Auto. Nothing that would reach the cloud while it is off."""
        s = self.services
        assert s is not None
        p = s.ctx.settings.provider
        local = [ModelChoice(n, "local") for n in self.local_models if n not in self.remote_models]
        cloud_on = p.cloud_enabled
        through = [
            ModelChoice(n, "through-local")
            for n in self.local_models
            if cloud_on and n in self.remote_models
        ]
        direct = [ModelChoice(n, "cloud") for n in self.cloud_models] if cloud_on else []
        if s.cloud is None:
            direct = []
        if p.mode == RoutingMode.LOCAL.value:
            return local
        if p.mode == RoutingMode.CLOUD.value:
            # With a key the router sends `:cloud` names straight to ollama.com.
            return direct or through
        return local + through + direct

    def _show_models(self) -> None:
        """Fill the picker; what it shows is what answers, so when nothing it offers is
        chosen, its first model becomes the choice (and is saved)."""
        s = self.services
        assert s is not None
        p = s.ctx.settings.provider
        choices = self._choices()
        on_server = [c for c in choices if c.where != "cloud"]
        current: ModelChoice | None
        if p.mode == RoutingMode.CLOUD.value:
            current = self._pick(choices, p.cloud_model)
            if current is None and choices:
                current = choices[0]
                p.cloud_model = current.name
                self._save()
            elif current is None and p.cloud_model:
                # The catalogue is not fetched yet (or cannot be): show the choice as is.
                current = ModelChoice(p.cloud_model, "cloud")
        elif is_installed(p.chat_model, [c.name for c in on_server]):
            current = self._pick(on_server, p.chat_model)
        elif p.mode == RoutingMode.AUTO.value and not p.chat_model and p.cloud_model:
            # Auto with a catalogue model chosen (and no local one) answers in the cloud.
            current = self._pick(choices, p.cloud_model) or ModelChoice(p.cloud_model, "cloud")
        elif on_server:
            current = on_server[0]
            p.chat_model = current.name
            self._save()
        elif p.mode == RoutingMode.AUTO.value and p.cloud_model:
            # The local server has nothing: Auto answers with the cloud model.
            current = self._pick(choices, p.cloud_model) or ModelChoice(p.cloud_model, "cloud")
        else:
            current = ModelChoice(p.chat_model, "") if p.chat_model else None
        self.bar.set_models(choices, current, "" if choices else self._empty_hint())

    def _empty_hint(self) -> str:
        """What to do when the picker has nothing to offer in this mode."""
        s = self.services
        assert s is not None
        p = s.ctx.settings.provider
        if p.mode == RoutingMode.CLOUD.value:
            if not p.cloud_enabled:
                return self.tr("Turn on Ollama Cloud in Settings")
            if s.cloud is None:
                return self.tr("Add an Ollama Cloud API key in Settings")
            return self.tr("Fetching the Ollama Cloud catalogue…")
        if self.local_status is not None and not self.local_status.reachable:
            return self.tr("Start Ollama to see its models")
        return self.tr("Pull a model in Models")

    @staticmethod
    def _pick(choices: list[ModelChoice], name: str) -> ModelChoice | None:
        """The choice of that name (`llama3.2` is `llama3.2:latest`)."""
        for choice in choices:
            if is_installed(name, [choice.name]):
                return choice
        return None

    def set_mode(self, mode: str) -> None:
        s = self.services
        if s is None:
            return
        p = s.ctx.settings.provider
        # Answers read the mode from the settings when they are routed.
        p.mode = RoutingMode(mode).value
        if mode == RoutingMode.CLOUD.value and not p.cloud_enabled:
            self.channel.message.emit(
                self.tr("Ollama Cloud is turned off, so nothing will be sent there."),
                self.tr("Turn it on in Settings, and add an API key."),
                True,
            )
        self._save()
        if mode == RoutingMode.CLOUD.value:
            self._show_models()
        # The local list is checked for chat models before the picker shows it.
        self.poll()

    def use_cloud_model(self, name: str) -> None:
        """Answer with a cloud catalogue model (the Models dialog): Cloud mode unless Auto
        is on, and the picker shows it."""
        s = self.services
        if s is None:
            return
        if s.ctx.settings.provider.mode == RoutingMode.LOCAL.value:
            self.bar.set_mode(RoutingMode.CLOUD.value)
            self.set_mode(RoutingMode.CLOUD.value)
        self.choose_model(name, "cloud")
        self._show_models()

    def choose_model(self, name: str, where: str) -> None:
        """A model picked in the picker becomes the one that answers in this mode."""
        s = self.services
        if s is None or not name:
            return
        p = s.ctx.settings.provider
        if p.mode == RoutingMode.CLOUD.value:
            p.cloud_model = name
        elif where == "cloud":
            # Auto with a catalogue model: no local choice, so it answers in the cloud.
            p.cloud_model = name
            p.chat_model = ""
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
