"""The chat controller: questions in, streamed answers out, through the conversation service."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QTimer, Signal

from desktop.core.conversation_service import AnswerRecord
from desktop.core.conversations import StoredCitation, StoredMessage
from desktop.core.errors import AppError
from desktop.core.events import (
    Done,
    Error,
    Notice,
    PartRead,
    Retrieved,
    Thinking,
    Token,
)
from desktop.core.models import ChatMessage
from desktop.ui.chat_view import ChatView
from desktop.ui.controller_base import Base, MessageChannel
from desktop.ui.error_text import describe
from desktop.ui.render import MessageEntry
from desktop.ui.services import WindowKnowledge
from desktop.ui.tasks import TaskRegistry

# A long conversation is shown in slices of this many seconds, the event loop running
# between them (a 500-turn conversation takes about 2 s to lay out).
LOAD_SLICE_S = 0.015
# After this long without a first word, the answer says why that may be.
SLOW_FIRST_WORDS_MS = 8_000


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
        self,
        view: ChatView,
        tasks: TaskRegistry,
        channel: MessageChannel,
        kbs: Callable[[], list[str]],
    ) -> None:
        super().__init__(tasks, channel)
        self.view = view
        # The knowledge bases a question searches, the one asked in first (read when asked).
        self.kbs = kbs
        self.conversation_id: int | None = None
        self._saving: asyncio.Future[None] | None = None
        # Answers reading whole documents in parts: their progress line is not replaced
        # by the slow-model note.
        self._reading: set[int] = set()
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

    def _scope(self) -> tuple[str, list[str] | None]:
        """The knowledge base a question goes to, and the documents it is about as a whole
        when some were chosen (None: a search of the whole knowledge base)."""
        about = self.view.about()
        if about is None:
            return self.kbs()[0], None
        return about.kb, about.doc_ids

    def _searched(self) -> list[str]:
        """The knowledge bases the question searches: the chosen documents' one, or every
        ticked one (the one asked in first)."""
        kb, doc_ids = self._scope()
        return [kb] if doc_ids is not None else self.kbs()

    async def _ask(self, text: str) -> None:
        k = await self.knowledge()
        conversations = k.conversations
        if self.conversation_id is None:
            conversation = await conversations.start(text, ", ".join(self._searched()))
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
                doc_ids = self._scope()[1]
                answer = k.chat.answer(
                    question,
                    history,
                    kb=self._searched(),
                    doc_ids=doc_ids,
                    whole=doc_ids is not None,
                )
                async for event in answer:
                    self._show(key, event)
        except asyncio.CancelledError:
            streaming = view.entry(key).streaming
            if streaming and self.closed:
                # Closing the window stops the answer; its words so far are still saved.
                view.abandon_answer(key, self.tr("Stopped."))
            elif streaming:
                view.fail_answer(key, self.tr("Stopped."), "", stopped=True)
            with contextlib.suppress(AppError):
                await self._store(k, key, saved)
            raise
        finally:
            self._reading.discard(key)
            if not self.closed:
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
                key, [StoredCitation.of(c.n, c.hit.chunk, c.hit.kb) for c in event.citations]
            )
            view.set_waiting(key, self.tr("Waiting for the model to answer…"))
            slow = self.tr(
                "Still waiting for the model: one that is loading into memory can take a "
                "minute. Esc stops."
            )
            QTimer.singleShot(SLOW_FIRST_WORDS_MS, view, lambda: self._say_slow(key, slow))
        elif isinstance(event, PartRead):
            self._reading.add(key)
            if event.stage == "reading":
                text = self.tr("Reading part %1 of %2…")
            else:
                text = self.tr("Combining the notes: %1 of %2…")
            parts = text.replace("%1", str(event.part)).replace("%2", str(event.parts))
            view.set_waiting(key, parts)
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
            view.fail_answer(key, *describe(event.error))

    def _say_slow(self, key: int, text: str) -> None:
        if key not in self._reading:
            self.view.set_waiting(key, text)

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
        if not self.closed:  # a closed window's controller may be deleted already
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
