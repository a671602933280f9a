"""Conversations: what is kept of each, and the history sent with the next question.

The store is the model: the history for a question is read from it, never from what a
window shows. Every call runs in the order it was made, one at a time, in an executor (the
store blocks); a write, once asked for, goes through even when the task that asked is
cancelled, so a stopped answer is kept and a question asked meanwhile is stored after it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from desktop.core.conversations import (
    Conversation,
    StoredCitation,
    StoredMessage,
    conversation_to_markdown,
)
from desktop.core.models import ChatMessage
from desktop.core.ports import HistoryStore

log = logging.getLogger(__name__)

T = TypeVar("T")
TITLE_LENGTH = 60


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """An answer as it is to be kept (finished, stopped or failed)."""

    content: str
    provider: str = ""
    model: str = ""
    thinking: str = ""
    error: str = ""
    citations: tuple[StoredCitation, ...] = ()
    stats: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Retry:
    """A question to be answered again, and the history that goes with it."""

    question: str
    history: list[ChatMessage]


def title_for(question: str) -> str:
    """A conversation's title from its first question (at most 60 characters)."""
    if len(question) <= TITLE_LENGTH:
        return question
    return question[: TITLE_LENGTH - 3].rstrip() + "…"


def history_of(messages: list[StoredMessage]) -> list[ChatMessage]:
    """The turns sent with a question: every question and every answer that has text and
    did not fail (a stopped or failed answer is kept, but not sent)."""
    return [ChatMessage(m.role, m.content) for m in messages if m.content and not m.error]


class ConversationService:
    """Create, list, rename, delete and export conversations; keep questions and answers;
    truncate for edit-and-resend and regenerate; give the history for the next question.

    The plain methods queue their call at once and return its future: calls run in the
    order they were made, whatever awaits them later.
    """

    def __init__(self, store: HistoryStore) -> None:
        self._store = store
        self._last: asyncio.Future[Any] | None = None

    def _call(self, fn: Callable[..., T], *args: object, **kwargs: object) -> asyncio.Future[T]:
        previous = self._last

        async def run() -> T:
            if previous is not None:
                await asyncio.wait([previous])
            call = functools.partial(fn, *args, **kwargs)
            return await asyncio.get_running_loop().run_in_executor(None, call)

        task = asyncio.ensure_future(run())
        task.add_done_callback(_observe)
        self._last = task
        # Cancelling the caller leaves the call itself to finish.
        return asyncio.shield(task)

    async def settled(self) -> None:
        """Wait until every call made so far has finished."""
        last = self._last
        if last is not None:
            await asyncio.shield(asyncio.wait([last]))

    def start(self, question: str, kb: str = "") -> asyncio.Future[Conversation]:
        """A new conversation titled after its first question."""
        return self._call(self._store.create, title_for(question), kb)

    def conversations(self, search: str = "") -> asyncio.Future[list[Conversation]]:
        return self._call(self._store.conversations, search)

    def get(self, conversation_id: int) -> asyncio.Future[Conversation]:
        return self._call(self._store.get, conversation_id)

    def rename(self, conversation_id: int, title: str) -> asyncio.Future[None]:
        return self._call(self._store.rename, conversation_id, title)

    def delete(self, conversation_id: int) -> asyncio.Future[None]:
        return self._call(self._store.delete, conversation_id)

    def messages(self, conversation_id: int) -> asyncio.Future[list[StoredMessage]]:
        return self._call(self._store.messages, conversation_id)

    def add_question(self, conversation_id: int, text: str) -> asyncio.Future[StoredMessage]:
        return self._call(self._store.add_message, conversation_id, "user", text)

    def add_answer(
        self, conversation_id: int, answer: AnswerRecord
    ) -> asyncio.Future[StoredMessage]:
        return self._call(
            self._store.add_message,
            conversation_id,
            "assistant",
            answer.content,
            provider=answer.provider,
            model=answer.model,
            thinking=answer.thinking,
            error=answer.error,
            citations=answer.citations,
            stats=dict(answer.stats),
        )

    def truncate(self, conversation_id: int, message_id: int) -> asyncio.Future[None]:
        """Forget a message and everything after it (to edit a question and resend it)."""
        return self._call(self._store.delete_messages_from, conversation_id, message_id)

    async def history(self, conversation_id: int) -> list[ChatMessage]:
        """The history to send with the next question of this conversation."""
        return history_of(await self.messages(conversation_id))

    async def retry(self, conversation_id: int, message_id: int) -> Retry | None:
        """Forget an answer and everything after it; the last question is to be answered
        again, with the history before it (None: no question is left)."""
        await self.truncate(conversation_id, message_id)
        messages = await self.messages(conversation_id)
        last = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
        if last is None:
            return None
        return Retry(messages[last].content, history_of(messages[:last]))

    def export_to(
        self, conversation_id: int, target: Path, fmt: str = "md"
    ) -> asyncio.Future[None]:
        """Write the conversation to `target` ("md" or "json"), readable by its owner only."""
        return self._call(self._store.export_to, conversation_id, target, fmt)

    async def markdown(self, conversation_id: int) -> str:
        """The conversation as Markdown, with the sources each answer cites."""
        conversation = self.get(conversation_id)
        messages = self.messages(conversation_id)
        return conversation_to_markdown(await conversation, await messages)


def _observe(task: asyncio.Future[Any]) -> None:
    """Retrieve a call's failure so it is not reported twice: the caller still waiting gets
    it; one that was cancelled meanwhile gave up on the result."""
    if not task.cancelled() and task.exception() is not None:
        log.debug("conversation store call failed: %r", task.exception())
