"""Several knowledge bases from the window: create, ask in one, remove with a question."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QMenu,
    QMessageBox,
    QTreeWidgetItem,
    QWidget,
)
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


def menu_action(qtbot: QtBot, widget: QWidget, pos: QPoint, text: str) -> None:
    """Right-click `widget` at `pos` and choose `text` from the menu that opens."""
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    action = next(a for a in menu.actions() if a.text() == text)
    menu.close()
    action.trigger()


@pytest.mark.qt_log_ignore(
    "does not support propagateSizeHints", "does not support raise", "does not support grabbing"
)
def test_search_several_knowledge_bases_and_rename_one(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    window = harness_factory(fake_ollama).window
    index(qtbot, window, tmp_path / "docs")
    answer_modal(QInputDialog, lambda d: (d.setTextValue("Work notes"), d.accept()))
    window.sidebar.new_kb_button.click()
    qtbot.waitUntil(lambda: window.kb_name == "Work notes", timeout=20_000)
    pears = tmp_path / "pears" / "pears.md"
    pears.parent.mkdir()
    pears.write_text("# Pears\n\nThe pears are picked in August.\n", encoding="utf-8")
    drop(window, [pears])
    qtbot.waitUntil(lambda: ready_in(window, "Work notes") == ["pears.md"], timeout=30_000)

    # The base asked in is always ticked; ticking "default" with the keyboard adds it.
    tree = window.sidebar.kb_tree
    work, default = base_row(window, "Work notes"), base_row(window, "default")
    assert work is not None and default is not None
    assert work.checkState(0) == Qt.CheckState.Checked
    assert default.checkState(0) == Qt.CheckState.Unchecked
    tree.setFocus()
    tree.setCurrentItem(work)
    qtbot.keyClick(tree.viewport(), Qt.Key.Key_Space)  # the base asked in stays ticked
    assert work.checkState(0) == Qt.CheckState.Checked
    assert work.flags() & Qt.ItemFlag.ItemIsUserCheckable  # drawn as a normal tick
    tree.setCurrentItem(default)
    qtbot.keyClick(tree.viewport(), Qt.Key.Key_Space)
    assert default.checkState(0) == Qt.CheckState.Checked
    assert window.searched_kbs() == ["Work notes", "default"]

    fake_ollama.set_reply("In August [1]; the orchard by Ada [2].")
    key = ask(qtbot, window, "When are the pears picked, and who planted the orchard?")
    entry = window.chat.entry(key)
    assert {c.kb for c in entry.citations} == {"Work notes", "default"}
    chips = window.chat.browser.toPlainText().replace("\u00a0", " ")
    assert "Work notes: pears.md" in chips

    # Rename from the tree's menu, in a dialog wide enough to read the name.
    sizes: list[int] = []

    def rename(dialog: QInputDialog) -> None:
        sizes.append(dialog.width())
        assert dialog.textValue() == "Work notes"
        dialog.setTextValue("Orchard work")
        dialog.accept()

    tree.setCurrentItem(work)
    answer_modal(QInputDialog, rename)
    menu_action(qtbot, tree.viewport(), tree.visualItemRect(work).center(), "Rename…")
    qtbot.waitUntil(lambda: base_row(window, "Orchard work") is not None, timeout=20_000)
    assert sizes and sizes[0] >= 460
    assert base_row(window, "Work notes") is None
    assert ready_in(window, "Orchard work") == ["pears.md"]
    assert window.kb_name == "Orchard work"
    assert window.searched_kbs() == ["Orchard work", "default"]
    # Unticking "default" leaves only the base asked in.
    tree.setCurrentItem(base_row(window, "default"))
    qtbot.keyClick(tree.viewport(), Qt.Key.Key_Space)
    assert window.searched_kbs() == ["Orchard work"]
