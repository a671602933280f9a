"""Saving a setting that rebuilds the connections (here: the number of passages) while an
answer streams: the answer finishes on the connection it started with and is kept."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.app import Services
from desktop.ui.main import WindowHost
from desktop.ui.settings_dialog import SettingsDialog
from tests.e2e.conftest import drive, make_context, start_slow_answer
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


def test_closing_the_window_mid_answer_keeps_the_words_so_far(
    qtbot: QtBot,
    qapp: QApplication,
    running_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    fake_ollama: FakeOllama,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Closing the window while an answer streams saves the words that arrived as a stopped
    answer; the stop no longer signals from the deleted window ("task chat crashed ...
    Signal source has been deleted")."""
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    ctx = make_context(tmp_path, fake_ollama)
    services = drive(qtbot, Services.open(ctx))
    host = WindowHost(qapp, ctx)
    host.attach(services)
    window = host.window
    window.show()
    window.resize(1200, 780)
    try:
        index(qtbot, window, tmp_path / "docs")
        answer = start_slow_answer(qtbot, window, fake_ollama, 400)
        assert answer.streaming
        window.close()
        qtbot.waitUntil(host.closed.is_set)
        drive(qtbot, host.tasks.shutdown())
        assert [r.getMessage() for r in caplog.records if "crashed" in r.getMessage()] == []

        async def kept() -> tuple[str, dict[str, float]]:
            k = await services.knowledge()
            [conversation] = await k.conversations.conversations()
            last = (await k.conversations.messages(conversation.conversation_id))[-1]
            return last.content, last.stats

        content, stats = drive(qtbot, kept())
        assert content.startswith("word0 word1 word2 word3 word4 word5")
        assert not content.endswith("word399")
        assert stats.get("stopped") == 1.0
    finally:
        drive(qtbot, host.tasks.shutdown())
        drive(qtbot, services.aclose())
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)
