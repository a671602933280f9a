"""The conversation service over a real SQLite history: the store is the model, calls run
in the order they were made, and a save outlives the task that asked for it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.conversation_service import AnswerRecord, ConversationService, title_for
from desktop.core.conversations import StoredMessage
from desktop.core.models import ChatMessage
from desktop.store.history import ConversationStore

pytestmark = pytest.mark.integration


class SlowAnswers(ConversationStore):
    """Holds every assistant message until `release` is set, as a busy disk would;
    `holding` is set once one is held."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.release = threading.Event()
        self.holding = threading.Event()

    def add_message(  # type: ignore[override]
        self, conversation_id: int, role: str, content: str, **kw: object
    ) -> StoredMessage:
        if role == "assistant":
            self.holding.set()
            assert self.release.wait(10)
        return super().add_message(conversation_id, role, content, **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SlowAnswers]:
    store = SlowAnswers(tmp_path / "hearth.db")
    yield store
    store.release.set()
    store.close()


async def test_a_question_asked_while_the_answer_saves_goes_in_after_it(
    store: SlowAnswers,
) -> None:
    service = ConversationService(store)
    conversation = await service.start("What grows in the orchard?")
    cid = conversation.conversation_id
    await service.add_question(cid, "What grows in the orchard?")
    answer = service.add_answer(cid, AnswerRecord("Apples [1]."))
    question = service.add_question(cid, "And when?")
    assert await asyncio.to_thread(store.holding.wait, 30)  # the answer's save is held
    assert not answer.done() and not question.done()
    store.release.set()
    await question
    roles = [(m.role, m.content) for m in await service.messages(cid)]
    assert roles == [
        ("user", "What grows in the orchard?"),
        ("assistant", "Apples [1]."),
        ("user", "And when?"),
    ]


async def test_a_save_outlives_the_task_that_asked_for_it(store: SlowAnswers) -> None:
    service = ConversationService(store)
    cid = (await service.start("q")).conversation_id

    async def save() -> None:
        await service.add_answer(cid, AnswerRecord("kept", error="Stopped."))

    task = asyncio.ensure_future(save())
    assert await asyncio.to_thread(store.holding.wait, 30)  # the save has begun
    task.cancel()
    store.release.set()
    [message] = await service.messages(cid)
    assert task.cancelled()
    assert (message.content, message.error) == ("kept", "Stopped.")


async def test_history_is_read_from_the_store_and_leaves_out_failed_answers(
    store: SlowAnswers,
) -> None:
    store.release.set()
    service = ConversationService(store)
    cid = (await service.start("first")).conversation_id
    service.add_question(cid, "first")
    service.add_answer(cid, AnswerRecord("one", model="llama3.2"))
    service.add_question(cid, "second")
    service.add_answer(cid, AnswerRecord("half an ans", error="Stopped."))
    assert await service.history(cid) == [
        ChatMessage("user", "first"),
        ChatMessage("assistant", "one"),
        ChatMessage("user", "second"),
    ]


async def test_retry_forgets_the_answer_and_gives_the_question_with_what_came_before(
    store: SlowAnswers,
) -> None:
    store.release.set()
    service = ConversationService(store)
    cid = (await service.start("first")).conversation_id
    service.add_question(cid, "first")
    service.add_answer(cid, AnswerRecord("one"))
    service.add_question(cid, "second")
    answer = await service.add_answer(cid, AnswerRecord("", error="The model is not there."))
    retry = await service.retry(cid, answer.message_id)
    assert retry is not None
    assert retry.question == "second"
    assert retry.history == [ChatMessage("user", "first"), ChatMessage("assistant", "one")]
    assert [m.content for m in await service.messages(cid)] == ["first", "one", "second"]
    first_question = (await service.messages(cid))[0]
    assert await service.retry(cid, first_question.message_id) is None


async def test_export_and_titles(store: SlowAnswers) -> None:
    store.release.set()
    service = ConversationService(store)
    long = "How many apple trees grow behind the old mill on the northern side of the river?"
    assert title_for(long) == "How many apple trees grow behind the old mill on the nort…"
    assert title_for("Short?") == "Short?"
    cid = (await service.start(long)).conversation_id
    service.add_question(cid, long)
    service.add_answer(cid, AnswerRecord("Forty.", model="llama3.2", provider="local"))
    text = await service.markdown(cid)
    assert text.startswith(f"# {title_for(long)}\n")
    assert "## Answer (llama3.2, local)" in text and "Forty." in text
