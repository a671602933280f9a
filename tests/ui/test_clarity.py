"""Nothing that is no failure looks like one, and keys do what people expect."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from desktop.core.conversations import Conversation
from desktop.core.documents import (
    DocumentRecord,
    DocumentStatus,
    KnowledgeBaseRecord,
    KnowledgeBaseSummary,
)
from desktop.ui import theme
from desktop.ui.chat_view import ChatView
from desktop.ui.main_window import MainWindow
from desktop.ui.sidebar import Sidebar
from desktop.ui.tasks import TaskRegistry
from tests.ui.context import make_context

pytestmark = [
    pytest.mark.ui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = MainWindow(make_context(tmp_path / "data"), theme.LIGHT, TaskRegistry())
    qtbot.addWidget(window)
    # The application's style sheet, on this window only (other tests keep Qt's look).
    window.setStyleSheet(theme.style_sheet(theme.LIGHT))
    window.resize(1000, 700)
    window.show()
    return window


def test_tab_leaves_the_question_box_instead_of_typing_a_tab(
    window: MainWindow, qtbot: QtBot
) -> None:
    composer = window.chat.composer
    qtbot.keyClicks(composer, "apples")
    qtbot.keyClick(composer, Qt.Key.Key_Tab)
    qtbot.keyClicks(composer, "pears")
    assert "\t" not in composer.toPlainText()
    assert composer.tabChangesFocus()


def test_a_stop_the_person_asked_for_is_no_failure(qtbot: QtBot) -> None:
    view = ChatView(theme.LIGHT)
    qtbot.addWidget(view)
    key = view.begin_answer()
    view.append_token(key, "The first words")
    view.flush_now()
    view.fail_answer(key, "Stopped.", "", stopped=True)
    text = view.document.toPlainText()
    assert "The first words" in text and "Stopped." in text
    assert "⚠" not in text
    html = view.document.toHtml().lower()
    assert theme.LIGHT.error.lower() not in html, "no red for a stop"
    assert theme.LIGHT.error_bg.lower() not in html
    assert f'href="retry:{key}"' in view.document.toHtml(), "it can still be asked again"


def bar_colour(window: MainWindow) -> QColor:
    bar = window.message_bar
    image = bar.grab().toImage()
    return image.pixelColor(bar.width() // 2, 3)


def test_a_notice_looks_different_from_an_error(window: MainWindow, qtbot: QtBot) -> None:
    window.channel.info("Saved to /tmp/orchard.md")
    qtbot.waitUntil(window.message_bar.isVisible)
    notice = bar_colour(window)
    assert notice != QColor(theme.LIGHT.error_bg)
    window.show_message("The conversation could not be saved.", "Disk full.", True)
    assert bar_colour(window) == QColor(theme.LIGHT.error_bg)


def test_a_failed_files_reason_wraps_instead_of_being_cut_off(qtbot: QtBot) -> None:
    sidebar = Sidebar(theme.LIGHT)
    qtbot.addWidget(sidebar)
    sidebar.resize(300, 600)
    sidebar.show()
    reason = (
        "orchard.pdf is damaged or not a valid PDF. Open it in a PDF viewer and save it "
        "again, or download it again."
    )
    record = KnowledgeBaseRecord("default", "default", "e", 3, "c", 0.0)
    doc = DocumentRecord(
        "d1", "default", "/notes/orchard.pdf", "h", 0.0, 1, DocumentStatus.FAILED, error=reason
    )
    summary = KnowledgeBaseSummary(record, {DocumentStatus.FAILED: 1}, 0)
    sidebar.show_knowledge([summary], {"default": [doc]})
    tree = sidebar.kb_tree
    kb = tree.topLevelItem(0)
    kb.setExpanded(True)
    line = kb.child(0).child(0)
    assert line.text(0) == reason
    one_line = tree.fontMetrics().height()
    height = tree.visualItemRect(line).height()
    assert height >= 2 * one_line, "the sentence wraps onto more lines"


def test_right_clicking_a_conversation_leaves_the_shown_one_selected(qtbot: QtBot) -> None:
    sidebar = Sidebar(theme.LIGHT)
    qtbot.addWidget(sidebar)
    sidebar.resize(300, 600)
    sidebar.show()
    shown = Conversation(1, "Apples", 0.0, 0.0)
    other = Conversation(2, "Bees", 0.0, 0.0)
    sidebar.show_conversations([shown, other], 1)
    listing = sidebar.conversations
    second = listing.item(1)
    centre = listing.visualItemRect(second).center()
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.RightButton, pos=centre)
    assert [i.text() for i in listing.selectedItems()] == ["Apples"]
    assert listing.currentItem().text() == "Apples"
