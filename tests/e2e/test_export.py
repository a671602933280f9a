"""The window's "Export to Markdown" writes what `hearth history export` writes, 0600."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.conversation_service import AnswerRecord
from desktop.core.conversations import StoredCitation
from desktop.store.history import ConversationStore
from tests.e2e.conftest import drive
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def test_window_export_is_the_command_line_export(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    harness = harness_factory(fake_ollama)
    conversations = drive(qtbot, harness.services.knowledge()).conversations
    conv = drive(qtbot, conversations.start("Cats", kb="notes"))
    drive(qtbot, conversations.add_question(conv.conversation_id, "How long do cats sleep?"))
    answer = AnswerRecord(
        "Sixteen hours [1].",
        provider="local",
        model="llama3.2",
        citations=(StoredCitation(1, "/docs/cats.md", None, "Cats sleep 16 h."),),
    )
    drive(qtbot, conversations.add_answer(conv.conversation_id, answer))
    target = tmp_path / "cats.md"
    target.write_text("an older file")
    target.chmod(0o644)
    drive(qtbot, harness.window.export_conversation(conv.conversation_id, str(target)))
    # What `hearth history export` writes, read from the same store by another connection.
    history = ConversationStore(harness.ctx.paths.db_path)
    try:
        assert target.read_text(encoding="utf-8") == history.export(conv.conversation_id, "md")
    finally:
        history.close()
    assert "1. /docs/cats.md" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
