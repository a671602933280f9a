"""A 500-turn conversation stays usable: it opens without freezing the window, a new
question in it is answered with a prompt that still fits the model, and leaving it while it
is still being laid out stops at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from desktop.app import Services
from desktop.store.history import ConversationStore
from tests.e2e.conftest import drive
from tests.e2e.test_window import index
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

TURNS = 500
ANSWER = (
    "The orchard behind the mill holds forty trees [1], and the harvest starts in late "
    "September [2].\n\n- pick the windfalls first\n- press them in October\n\n"
    "```python\nprint('cider')\n```\n"
)


async def seed(services: Services) -> int:
    """Store a conversation of TURNS questions and answers; return its id."""
    await services.knowledge()  # the store exists
    history = ConversationStore(services.ctx.paths.db_path)
    try:
        conversation = history.create("A very long talk", "default")
        for n in range(TURNS):
            cid = conversation.conversation_id
            history.add_message(cid, "user", f"Question {n}: the harvest?")
            history.add_message(cid, "assistant", ANSWER, provider="local", model="llama3.2")
    finally:
        history.close()
    return conversation.conversation_id


def test_a_500_turn_conversation_opens_without_freezing_and_still_answers(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    index(qtbot, window, tmp_path / "docs")
    conversation_id = drive(qtbot, seed(harness.services), timeout=60_000)

    # A timer that records what it sees: with the layout done in one go it could only ever
    # see no messages or all of them.
    seen: list[int] = []
    probe = QTimer()
    probe.setInterval(1)
    probe.timeout.connect(lambda: seen.append(len(window.chat.entries())))
    probe.start()
    window.chat_controller.open_conversation(conversation_id)
    qtbot.waitUntil(lambda: len(window.chat.entries()) == 2 * TURNS, timeout=60_000)
    probe.stop()
    assert any(0 < count < 2 * TURNS for count in seen), "the window ran while it loaded"
    entries = window.chat.entries()
    assert entries[0].content == "Question 0: the harvest?"
    assert entries[-1].content == ANSWER and entries[-1].model == "llama3.2"

    before = len(fake_ollama.requests_to("/api/chat"))
    window.chat.composer.setPlainText("And who planted the orchard?")
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.chat.entries()) == 2 * TURNS + 2)
    answer = window.chat.entries()[-1]
    qtbot.waitUntil(lambda: not answer.streaming, timeout=30_000)
    assert answer.role == "assistant" and answer.error == "" and answer.content
    chat = fake_ollama.requests_to("/api/chat")[before:]
    final = chat[-1].json()
    # The prompt keeps the newest turns that fit the model's context, not all 1,000.
    assert 2 < len(final["messages"]) < 2 * TURNS
    assert final["messages"][-1]["content"].endswith("And who planted the orchard?")
    assert final["options"]["num_ctx"] == 8192
    prompt_chars = sum(len(m["content"]) for m in final["messages"])
    assert prompt_chars < 8192 * 4, "the prompt fits the model's context"


def test_leaving_a_long_conversation_while_it_loads_stops_the_loading(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    conversation_id = drive(qtbot, seed(harness.services), timeout=60_000)
    window.chat_controller.open_conversation(conversation_id)
    qtbot.waitUntil(lambda: len(window.chat.entries()) > 20, timeout=30_000)
    window.chat_controller.new_chat()
    qtbot.waitUntil(lambda: not window.chat_controller.tasks.running("chat"))
    assert window.chat.entries() == []
    assert window.chat_controller.conversation_id is None
