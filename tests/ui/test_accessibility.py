"""Every control is named for assistive technology and reachable from the keyboard.

The walk goes through Qt's accessibility interfaces (what the AT-SPI bridge exposes on
Linux), from each top-level window down, as a screen reader or a GUI test tool sees it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QComboBox, QHBoxLayout, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop.core.conversations import StoredCitation
from desktop.core.models import ModelInfo, PullProgress, ServerStatus
from desktop.ui import theme
from desktop.ui.chat_view import ChatView
from desktop.ui.main_window import MainWindow
from desktop.ui.models_dialog import ModelsDialog
from desktop.ui.render import MessageEntry
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.sidebar import Sidebar
from desktop.ui.source_view import SourceView
from desktop.ui.tasks import TaskRegistry
from desktop.ui.welcome_dialog import WelcomeDialog
from tests.ui.context import make_context

pytestmark = [
    pytest.mark.ui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

Role = QAccessible.Role
# Roles a person acts on: each needs a name (what a screen reader says).
INTERACTIVE = {
    Role.Button,
    Role.CheckBox,
    Role.RadioButton,
    Role.ComboBox,
    Role.EditableText,
    Role.List,
    Role.Tree,
    Role.Table,
    Role.PageTabList,
    Role.PageTab,
    Role.SpinBox,
    Role.Slider,
    Role.ProgressBar,
    Role.ButtonMenu,
    Role.ButtonDropDown,
    Role.Link,
}
# Parts a named control owns (a list's rows, a table's cells, a scroll bar's arrows) are
# named by their content or by the control.
OWNED = {Role.ScrollBar, Role.ListItem, Role.TreeItem, Role.Cell, Role.ColumnHeader, Role.Row}


def walk(iface: QAccessibleInterface, path: str = "") -> Iterator[tuple[str, QAccessibleInterface]]:
    role = iface.role()
    here = f"{path}/{role.name}"
    yield here, iface
    if role in (Role.List, Role.Tree, Role.Table, Role.ScrollBar):
        return  # rows and cells are data
    for i in range(iface.childCount()):
        child = iface.child(i)
        if child is not None and child.isValid():
            yield from walk(child, here)


def unnamed(root: QWidget) -> list[str]:
    found = []
    iface = QAccessible.queryAccessibleInterface(root)
    assert iface is not None
    for path, node in walk(iface):
        if node.state().invisible or node.role() not in INTERACTIVE:
            continue
        if not node.text(QAccessible.Text.Name).strip():
            widget = node.object()
            found.append(f"{path} ({type(widget).__name__} {widget.objectName()!r})")
    return found


def not_keyboard_reachable(root: QWidget) -> list[str]:
    found = []
    iface = QAccessible.queryAccessibleInterface(root)
    assert iface is not None
    for path, node in walk(iface):
        widget = node.object()
        if node.state().invisible or node.role() not in INTERACTIVE:
            continue
        if not isinstance(widget, QWidget) or node.role() in (Role.PageTab, Role.Link):
            continue
        if node.role() == Role.ProgressBar:
            continue  # shows, is not acted on
        if isinstance(widget.parentWidget(), QLineEdit):
            continue  # a field's own clear button: Esc in the field (tested below)
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            found.append(f"{path} ({type(widget).__name__} {widget.objectName()!r})")
    return found


def citation() -> StoredCitation:
    return StoredCitation(1, "/notes/orchard.md", None, "The orchard was planted in 1952.")


def windows(qtbot: QtBot, tmp_path: Path) -> list[QWidget]:
    ctx = make_context(tmp_path / "data")
    window = MainWindow(ctx, theme.LIGHT, TaskRegistry())
    qtbot.addWidget(window)
    window.show()
    chat = window.chat
    chat.add_message(MessageEntry(0, "user", "Who planted the orchard?"))
    chat.add_message(
        MessageEntry(0, "assistant", "The miller's daughter [1].", citations=[citation()])
    )
    window.sidebar.search.blockSignals(True)  # no search runs: there are no services here
    window.sidebar.search.setText("orchard")
    window.sidebar.search.blockSignals(False)
    window.show_message("Saved.", "", False)
    settings = SettingsDialog(ctx.settings, str(tmp_path), "no API key is set", ctx.local_url)
    models = ModelsDialog()
    models.show_installed([ModelInfo("llama3.2:latest", 2_000_000_000)])
    models.pull_started("llama3.2")
    models.pull_progress(PullProgress("pulling abc"))
    welcome = WelcomeDialog()
    welcome.show_local(ServerStatus(False), ctx.local_url, 0)
    source = SourceView(theme.LIGHT)
    source.show_citations([citation()], 1)
    dialogs: list[QWidget] = [settings, models, welcome, source]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
    return [window, *dialogs]


def test_every_control_has_a_name(qtbot: QtBot, tmp_path: Path) -> None:
    found = []
    for root in windows(qtbot, tmp_path):
        found += unnamed(root)
        if hasattr(root, "tabs"):
            for index in range(root.tabs.count()):
                root.tabs.setCurrentIndex(index)
                found += unnamed(root)
    assert not found, "\n".join(sorted(set(found)))


def test_every_drop_down_list_is_named_like_its_combo_box(qtbot: QtBot, tmp_path: Path) -> None:
    """On the accessibility bus a combo box's list is a window of its own: unnamed, a screen
    reader announced it as nothing."""
    combos = [c for root in windows(qtbot, tmp_path) for c in root.findChildren(QComboBox)]
    assert combos
    unnamed_lists = [
        c.accessibleName() or c.objectName() or repr(c)
        for c in combos
        if not c.view().accessibleName() or c.view().accessibleName() != c.accessibleName()
    ]
    assert not unnamed_lists, unnamed_lists


def test_every_control_can_take_keyboard_focus(qtbot: QtBot, tmp_path: Path) -> None:
    found = []
    for root in windows(qtbot, tmp_path):
        found += not_keyboard_reachable(root)
    assert not found, "\n".join(sorted(set(found)))


def test_escape_clears_the_conversation_search(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QHBoxLayout(window)
    sidebar, chat = Sidebar(theme.LIGHT), ChatView(theme.LIGHT)
    layout.addWidget(sidebar)
    layout.addWidget(chat)
    window.show()
    search = sidebar.search
    search.setText("orchard")
    search.setFocus()
    qtbot.waitUntil(search.hasFocus)
    stops: list[bool] = []
    chat.stop_requested.connect(lambda: stops.append(True))
    chat.set_busy(True)
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == "" and stops == []
    # With nothing to clear, Esc is the window's again (it stops the answer).
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert stops == [True]


def chat_view(qtbot: QtBot) -> ChatView:
    """The chat alone: its intents go nowhere (no controller starts an answer)."""
    chat = ChatView(theme.LIGHT)
    qtbot.addWidget(chat)
    chat.resize(800, 600)
    chat.show()
    return chat


def test_answer_actions_are_buttons_the_keyboard_reaches(qtbot: QtBot) -> None:
    chat = chat_view(qtbot)
    assert not any(b.isVisible() for b in chat.action_buttons)
    chat.add_message(MessageEntry(0, "user", "Who planted the orchard?"))
    key = chat.begin_answer()
    assert not chat.copy_button.isVisible() and chat.edit_button.isVisible()
    chat.set_citations(key, [citation()])
    chat.append_token(key, "The miller's daughter [1].")
    chat.finish_answer(key, model="m", provider="local", speed=0)
    assert chat.sources_button.text() == "Sources (1)"
    assert [a.text() for a in chat.sources_button.menu().actions()] == ["[1] orchard.md"]

    chat.copy_button.setFocus()
    qtbot.keyClick(chat.copy_button, Qt.Key.Key_Space)
    assert QApplication.clipboard().text() == "The miller's daughter [1]."
    with qtbot.waitSignal(chat.regenerate_requested) as regenerated:
        qtbot.keyClick(chat.regenerate_button, Qt.Key.Key_Space)
    assert regenerated.args == [key]
    with qtbot.waitSignal(chat.source_requested) as requested:
        chat.sources_button.menu().actions()[0].trigger()
    assert requested.args == [[citation()], 1]
    qtbot.keyClick(chat.edit_button, Qt.Key.Key_Space)
    assert chat.composer.toPlainText() == "Who planted the orchard?"

    failed = chat.begin_answer()
    chat.fail_answer(failed, "Not reachable.", "")
    assert chat.retry_button.isVisible() and not chat.regenerate_button.isVisible()
    with qtbot.waitSignal(chat.retry_requested) as retried:
        qtbot.keyClick(chat.retry_button, Qt.Key.Key_Space)
    assert retried.args == [failed]


def test_tab_reaches_the_links_inside_the_conversation(qtbot: QtBot) -> None:
    chat = chat_view(qtbot)
    chat.add_message(
        MessageEntry(0, "assistant", "The miller's daughter [1].", citations=[citation()])
    )
    chat.browser.setFocus()
    qtbot.waitUntil(chat.browser.hasFocus)
    qtbot.keyClick(chat.browser, Qt.Key.Key_Tab)
    assert chat.browser.textCursor().charFormat().anchorHref().startswith("cite:")
    with qtbot.waitSignal(chat.source_requested) as requested:
        qtbot.keyClick(chat.browser, Qt.Key.Key_Return)
    assert requested.args == [[citation()], 1]


def test_answer_actions_wrap_in_a_narrow_pane_instead_of_being_clipped(qtbot: QtBot) -> None:
    """At 800x600 in Russian the four buttons under an answer were squeezed into one row
    and their words cut ("точники (", "ветить занс")."""
    chat = chat_view(qtbot)
    chat.add_message(MessageEntry(0, "user", "Who planted the orchard?"))
    key = chat.begin_answer()
    chat.set_citations(key, [citation()])
    chat.append_token(key, "The miller's daughter [1].")
    chat.finish_answer(key, model="m", provider="local", speed=0)
    shown = [b for b in chat.action_buttons if b.isVisible()]
    assert len(shown) == 4
    row_width = sum(b.sizeHint().width() for b in shown) + 48
    narrow = chat.minimumSizeHint().width()
    assert narrow < row_width, "the pane can be narrower than one row of buttons"
    chat.resize(narrow, 500)
    qtbot.waitUntil(lambda: chat.width() == narrow)
    qtbot.waitUntil(lambda: len({b.geometry().top() for b in shown}) > 1)  # a second line
    for button in shown:
        assert button.width() >= button.sizeHint().width(), button.text()
        assert button.geometry().right() < chat.width(), button.text()
    for a, b in itertools.combinations(shown, 2):
        assert not a.geometry().intersects(b.geometry()), (a.text(), b.text())
