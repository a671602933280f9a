"""Saving a setting that rebuilds the connections (here: the number of passages) while an
answer streams: the answer finishes on the connection it started with and is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.ui.settings_dialog import SettingsDialog
from tests.e2e.conftest import drive, start_slow_answer
from tests.e2e.test_window import index
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def test_saving_settings_during_an_answer_keeps_the_answer(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    index(qtbot, window, tmp_path / "docs")
    answer = start_slow_answer(qtbot, window, fake_ollama, 120)
    assert answer.streaming
    old_local = harness.services.local

    qtbot.mouseClick(window.top_bar.settings_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is not None)
    dialog = window.findChild(SettingsDialog)
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.top_k.setValue(dialog.top_k.value() + 1)
    box = dialog.findChild(QDialogButtonBox)
    assert isinstance(box, QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: harness.services.local is not old_local)  # settings applied

    qtbot.waitUntil(lambda: not answer.streaming, timeout=30_000)
    assert answer.error == ""
    assert answer.content.endswith("word119")

    async def kept() -> str:
        k = await harness.services.knowledge()
        [conversation] = await k.conversations.conversations()
        return (await k.conversations.messages(conversation.conversation_id))[-1].content

    qtbot.waitUntil(lambda: not harness.registries[-1].running("chat"))
    assert drive(qtbot, kept()).endswith("word119")
