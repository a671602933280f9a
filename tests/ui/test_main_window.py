"""The main window without services: geometry, shortcuts, drop overlay, empty states."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QShortcut
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.core.documents import (
    DocumentRecord,
    DocumentStatus,
    KnowledgeBaseRecord,
    KnowledgeBaseSummary,
)
from desktop.ui import theme
from desktop.ui.documents_controller import pdf_page_url
from desktop.ui.main_window import MainWindow
from desktop.ui.render import MessageEntry
from desktop.ui.tasks import TaskRegistry
from desktop.ui.top_bar import ModelChoice
from tests.ui.context import make_context

pytestmark = [
    pytest.mark.ui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def make_window(qtbot: QtBot, data: Path) -> MainWindow:
    window = MainWindow(make_context(data), theme.LIGHT, TaskRegistry())
    qtbot.addWidget(window)
    return window


def test_geometry_and_splitter_are_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path / "data")
    window.show()
    window.resize(800, 620)
    window.splitter.setSizes([330, 470])
    saved = window.splitter.sizes()
    window.close()
    again = make_window(qtbot, tmp_path / "data")
    again.show()
    assert (again.size().width(), again.size().height()) == (800, 620)
    assert again.splitter.sizes() == saved


def test_layout_survives_a_small_window(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path / "data")
    window.show()
    window.resize(200, 200)
    assert window.width() >= 800 and window.height() >= 600
    assert window.chat.composer.isVisible() and window.sidebar.isVisible()


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_shortcuts_new_chat_and_model_picker(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path / "data")
    window.show()
    # The offscreen platform does not activate windows, so key presses cannot reach
    # window shortcuts: check each binding, then trigger it.
    shortcuts = {s.key().toString(): s for s in window.findChildren(QShortcut)}
    assert {"Ctrl+N", "Ctrl+K", "Esc"} <= shortcuts.keys()
    window.chat.add_message(MessageEntry(0, "user", "a question"))
    assert window.chat.stack.currentWidget() is window.chat.browser
    shortcuts["Ctrl+N"].activated.emit()
    assert window.chat.entries() == []
    assert window.chat.stack.currentWidget() is window.chat.empty
    qwen = ModelChoice("qwen3:8b", "local")
    window.top_bar.set_models([ModelChoice("llama3.2:latest", "local"), qwen], qwen)
    shortcuts["Ctrl+K"].activated.emit()
    assert window.top_bar.model_picker.view().isVisible(), "the model list opens"
    window.top_bar.model_picker.hidePopup()


def test_drag_over_shows_where_files_go(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path / "data")
    window.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.pdf")), QUrl.fromLocalFile(str(tmp_path))])
    event = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)
    assert event.isAccepted()
    assert window.overlay.isVisible()
    assert "2" in window.overlay.target.text() and "default" in window.overlay.target.text()
    text_only = QMimeData()
    text_only.setText("not a file")
    ignored = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        text_only,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, ignored)
    assert not ignored.isAccepted()


def test_failed_documents_show_their_reason(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path / "data")
    record = KnowledgeBaseRecord("default", "default", "e", 3, "c", 0.0)
    summary = KnowledgeBaseSummary(record, {DocumentStatus.READY: 1, DocumentStatus.FAILED: 1}, 7)
    docs = [
        DocumentRecord(
            "d1", "default", "/x/good.md", "h", 0, 1, DocumentStatus.READY, chunk_count=7
        ),
        DocumentRecord(
            "d2",
            "default",
            "/x/scan.pdf",
            "h",
            0,
            1,
            DocumentStatus.FAILED,
            error="The PDF has no text layer (it needs OCR).",
        ),
    ]
    window.sidebar.show_knowledge([summary], {"default": docs})
    top = window.sidebar.kb_tree.topLevelItem(0)
    assert top is not None and "2 documents" in top.text(0)
    assert "2 documents · 7 chunks" in top.toolTip(0)
    good, bad = top.child(0), top.child(1)
    assert good is not None and good.text(1) == "7 chunks"
    assert bad is not None and bad.text(1) == "failed"
    reason = bad.child(0)
    assert reason is not None and reason.text(0) == "The PDF has no text layer (it needs OCR)."


def test_pdf_sources_open_at_their_page(tmp_path: Path) -> None:
    pdf = tmp_path / "book.pdf"
    assert pdf_page_url(str(pdf), 12) == pdf.as_uri() + "#page=12"
    assert pdf_page_url(str(tmp_path / "notes.md"), 3) == (tmp_path / "notes.md").as_uri()


def test_the_empty_chat_says_indexing_as_soon_as_an_import_starts(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """With no document ready yet, the chat said "Drop documents here to begin" until the
    first refresh of the knowledge tree, well into the import; it follows the import panel
    now."""
    window = make_window(qtbot, tmp_path / "data")
    headline = window.chat.empty.headline
    assert headline.text() == "Drop documents here to begin"
    window.ingest_panel.start()
    assert headline.text() == "Indexing your documents…"
    window.ingest_panel.finished("Indexing cancelled; finished files were kept.", complete=False)
    assert headline.text() == "Drop documents here to begin"
