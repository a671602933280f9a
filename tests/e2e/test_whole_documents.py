"""Asking about whole documents in the window: the document menu, a drag onto the question
box, progress while a long document is read in parts, Stop, and the chip that goes.

The window runs over the real services; the model is the fake Ollama server with a small
context, so a short report is already too long to read at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMenu, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.render import MessageEntry
from desktop.ui.sidebar import ROLE_DOC
from tests.e2e.test_window import drop, ready_documents
from tests.fakes.ollama_server import FakeModel, FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.qt_log_ignore(
        "does not support propagateSizeHints",
        "does not support raise",
        "does not support grabbing",
    ),
]


def _documents(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.txt"
    report.write_text(
        "\n\n".join(
            f"Section {n}. The harbour of town {n} handled {n * 1000} containers in spring, "
            f"mostly grain and timber, and its pilots worked {n + 3} shifts a week. " * 2
            for n in range(1, 11)
        )
    )
    memo = folder / "memo.md"
    memo.write_text("# Memo\n\nThe harbour board meets on Thursdays at nine.\n")
    return [memo, report]


def _window(harness_factory: Any, fake: FakeOllama, qtbot: QtBot, folder: Path) -> MainWindow:
    fake.add_model(FakeModel("tiny", context_length=2048))
    harness = harness_factory(fake)
    harness.ctx.settings.provider.chat_model = "tiny"
    window: MainWindow = harness.window
    drop(window, _documents(folder))
    qtbot.waitUntil(lambda: ready_documents(window) == ["memo.md", "report.txt"], timeout=30_000)
    return window


def _row(window: MainWindow, name: str) -> QTreeWidgetItem:
    top = window.sidebar.kb_tree.topLevelItem(0)
    assert top is not None
    rows = [top.child(i) for i in range(top.childCount())]
    [row] = [r for r in rows if r is not None and r.text(0) == name and r.data(0, ROLE_DOC)]
    return row


def _choose_from_menu(qtbot: QtBot, window: MainWindow, row: QTreeWidgetItem, text: str) -> None:
    """Right-click the row and click `text` in the menu that opens."""
    tree = window.sidebar.kb_tree
    tree.scrollToItem(row)
    at = tree.visualItemRect(row).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, tree.viewport().mapToGlobal(at))
    QApplication.sendEvent(tree.viewport(), event)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    [action] = [a for a in menu.actions() if a.text() == text]
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def _send(qtbot: QtBot, window: MainWindow, question: str) -> MessageEntry:
    """Ask through the question box; the new answer's entry (still streaming)."""

    def answers() -> list[MessageEntry]:
        return [e for e in window.chat.entries() if e.role == "assistant"]

    before = len(answers())
    window.chat.composer.setPlainText(question)
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(answers()) > before)
    return answers()[-1]


def test_ask_about_a_document_from_its_menu_shows_progress_and_cites_it(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    window = _window(harness_factory, fake_ollama, qtbot, tmp_path / "docs")
    _choose_from_menu(qtbot, window, _row(window, "report.txt"), "Ask about this document")
    assert window.chat.about_chip.isVisible()
    assert window.chat.about_label.text() == "About: report.txt"

    fake_ollama.set_reply_delay(0.3)  # each part takes a moment, as with a real model
    entry = _send(qtbot, window, "Summarise the report")
    qtbot.waitUntil(lambda: entry.waiting.startswith("Reading part 2 of "), timeout=20_000)
    qtbot.waitUntil(lambda: not entry.streaming, timeout=30_000)
    assert not entry.error and "[" in entry.content
    assert {c.source for c in entry.citations} == {str(tmp_path / "docs" / "report.txt")}
    notes = [r for r in fake_ollama.requests_to("/api/chat") if not r.json()["stream"]]
    assert len(notes) >= 2
    # The chip stays for the next question about the same document.
    assert window.chat.about_chip.isVisible()


def test_compare_documents_dragged_onto_the_question_box_stop_then_ask_everything(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    window = _window(harness_factory, fake_ollama, qtbot, tmp_path / "docs")
    tree = window.sidebar.kb_tree
    for name in ("memo.md", "report.txt"):
        _row(window, name).setSelected(True)
    # What the tree hands a drag of the selected rows, dropped on the question box.
    mime = tree.mimeData(tree.selectedItems())
    target = window.chat.composer.viewport()
    enter = QDragEnterEvent(
        QPoint(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    dropped = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, dropped)
    assert window.chat.about_label.text() == "Comparing: memo.md, report.txt"
    assert window.chat.composer.toPlainText() == ""  # a drop of documents types nothing

    fake_ollama.set_reply_delay(8)
    entry = _send(qtbot, window, "Compare the memo with the report")
    qtbot.waitUntil(lambda: entry.waiting.startswith("Reading part 1 of "), timeout=20_000)
    qtbot.waitUntil(lambda: len(fake_ollama.requests_to("/api/chat")) == 1)
    qtbot.mouseClick(window.chat.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not entry.streaming, timeout=10_000)
    assert entry.stopped
    assert len(fake_ollama.requests_to("/api/chat")) == 1  # no part was read after Stop

    fake_ollama.set_reply_delay(0)
    qtbot.waitUntil(window.chat.send_button.isEnabled)  # the stopped answer is saved
    qtbot.mouseClick(window.chat.about_remove, Qt.MouseButton.LeftButton)
    assert not window.chat.about_chip.isVisible()
    answer = _send(qtbot, window, "When does the board meet?")
    qtbot.waitUntil(lambda: not answer.streaming, timeout=20_000)
    qtbot.waitUntil(lambda: answer.stored_id > 0)  # saved with its conversation
    last = fake_ollama.requests_to("/api/chat")[-1].json()
    assert "Use only the numbered sources below" in last["messages"][0]["content"]
