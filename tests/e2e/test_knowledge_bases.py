"""Several knowledge bases from the window: create, ask in one, remove with a question."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.sidebar import ROLE_FOLDER, ROLE_KB
from tests.e2e.test_window import ask, drop, index
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def base_row(window: MainWindow, kb: str) -> QTreeWidgetItem | None:
    tree = window.sidebar.kb_tree
    rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return next((r for r in rows if r is not None and r.data(0, ROLE_KB) == kb), None)


def ready_in(window: MainWindow, kb: str) -> list[str]:
    top = base_row(window, kb)
    found: list[str] = []
    rows = [top] if top is not None else []
    while rows:
        row = rows.pop()
        children = [row.child(i) for i in range(row.childCount())]
        rows.extend(c for c in children if c is not None and c.data(0, ROLE_FOLDER))
        found += [c.text(0) for c in children if c is not None and "chunk" in c.text(1)]
    return sorted(found)


def ask_again(qtbot: QtBot, window: MainWindow, question: str) -> int:
    """Ask a follow-up and return its answer's key once it is complete."""
    before = len(window.chat.entries())
    window.chat.composer.setPlainText(question)
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.chat.entries()) == before + 2)
    key = window.chat.entries()[-1].key
    qtbot.waitUntil(lambda: not window.chat.entry(key).streaming, timeout=20_000)
    return key


def answer_modal(kind: type, act: Callable[[Any], None]) -> None:
    """Answer the next modal dialog of `kind` once it is open."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            act(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def test_create_ask_in_and_remove_a_knowledge_base(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    window = harness_factory(fake_ollama).window
    index(qtbot, window, tmp_path / "docs")
    picker = window.sidebar.kb_picker
    assert picker.currentText() == "default" and window.kb_name == "default"

    def name_it(dialog: QInputDialog) -> None:
        dialog.setTextValue("Work notes")
        dialog.accept()

    answer_modal(QInputDialog, name_it)
    window.sidebar.new_kb_button.click()
    qtbot.waitUntil(lambda: window.kb_name == "Work notes", timeout=20_000)
    assert [picker.itemText(i) for i in range(picker.count())] == ["default", "Work notes"]
    assert picker.currentText() == "Work notes"
    work = base_row(window, "Work notes")
    assert work is not None and work.font(0).bold()

    # New documents go into the chosen base, and questions search only it.
    pears = tmp_path / "pears" / "pears.md"
    pears.parent.mkdir()
    pears.write_text("# Pears\n\nThe pears are picked in August.\n", encoding="utf-8")
    drop(window, [pears])
    qtbot.waitUntil(lambda: ready_in(window, "Work notes") == ["pears.md"], timeout=30_000)
    assert ready_in(window, "default") == ["bees.md", "orchard.md"]
    key = ask(qtbot, window, "When are pears picked?")
    sources = {Path(c.source).name for c in window.chat.entry(key).citations}
    assert sources == {"pears.md"}

    # The picker goes back to the first base from the keyboard.
    picker.setFocus()
    qtbot.keyClick(picker, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: window.kb_name == "default")
    key = ask_again(qtbot, window, "Who planted the orchard?")
    sources = {Path(c.source).name for c in window.chat.entry(key).citations}
    assert sources <= {"orchard.md", "bees.md"} and sources

    # Removing a base asks first; No keeps it.
    window.sidebar.kb_tree.setCurrentItem(base_row(window, "Work notes"))
    answer_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.No).click())
    window.sidebar.remove_button.click()
    assert base_row(window, "Work notes") is not None
    window.use_kb("Work notes")
    answer_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    window.sidebar.remove_button.click()
    qtbot.waitUntil(lambda: base_row(window, "Work notes") is None, timeout=20_000)
    assert window.kb_name == "default"
    assert [picker.itemText(i) for i in range(picker.count())] == ["default"]
