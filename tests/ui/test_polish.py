"""Finish of the window: plurals, dialogs, file names and filters, hints, the line measure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFormLayout, QInputDialog, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.core.conversations import Conversation, export_file_name
from desktop.core.documents import DocumentStatus
from desktop.ui import theme
from desktop.ui.chat_view import ChatView
from desktop.ui.main import install_translator
from desktop.ui.main_window import MainWindow
from desktop.ui.render import MessageEntry
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.sidebar import Sidebar
from desktop.ui.tasks import TaskRegistry
from tests.ui.context import make_context
from tests.ui.test_i18n import english_words, visible_texts
from tests.ui.test_sidebar import children, doc, show, top

pytestmark = [
    pytest.mark.ui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    assert install_translator(qapp, "ru") is not None
    yield
    install_translator(qapp, "en")


@pytest.fixture
def english(qapp: QApplication) -> None:
    install_translator(qapp, "en")


def make_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = MainWindow(make_context(tmp_path / "data"), theme.LIGHT, TaskRegistry())
    qtbot.addWidget(window)
    return window


def counts_of(sidebar: Sidebar, chunks: list[int]) -> tuple[str, list[str]]:
    docs = [doc(f"n{i}.md", DocumentStatus.READY, chunks=c) for i, c in enumerate(chunks)]
    show(sidebar, {"default": docs})
    item = top(sidebar)
    return item.text(0), [child.text(1) for child in children(item)]


def test_counts_use_plural_forms_in_english(qtbot: QtBot, english: None) -> None:
    sidebar = Sidebar(theme.LIGHT)
    qtbot.addWidget(sidebar)
    header, rows = counts_of(sidebar, [1, 2])
    assert header == "default  ·  2 documents"
    assert top(sidebar).toolTip(0).splitlines()[0] == "default  ·  2 documents · 3 chunks"
    assert rows == ["1 chunk", "2 chunks"]
    header, _ = counts_of(sidebar, [1])
    assert header == "default  ·  1 document"
    assert top(sidebar).toolTip(0).splitlines()[0] == "default  ·  1 document · 1 chunk"


def test_counts_use_plural_forms_in_russian(qtbot: QtBot, russian: None) -> None:
    sidebar = Sidebar(theme.LIGHT)
    qtbot.addWidget(sidebar)
    header, rows = counts_of(sidebar, [1, 2, 5, 21])
    assert rows == ["1 фрагмент", "2 фрагмента", "5 фрагментов", "21 фрагмент"]
    assert header == "default  ·  4 документа"
    assert top(sidebar).toolTip(0).splitlines()[0] == "default  ·  4 документа · 29 фрагментов"


def test_rename_dialog_is_wide_enough_for_a_title(qtbot: QtBot) -> None:
    sidebar = Sidebar(theme.LIGHT)
    qtbot.addWidget(sidebar)
    sidebar.show_conversations([Conversation(7, "Apples", 0.0, 0.0)], None)
    seen: list[int] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        seen.append(dialog.width())
        dialog.setTextValue("  Apple harvest  ")
        dialog.accept()

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(sidebar.conversation_renamed) as renamed:
        sidebar._rename(7, "Apples")
    assert renamed.args == [7, "Apple harvest"]
    assert seen and seen[0] >= 400


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Apple harvest", "Apple harvest.md"),
        ('What is "a/b": <x>?', "What is a b x.md"),
        ("  ...  ", "conversation.md"),
        ("Сбор яблок 2026", "Сбор яблок 2026.md"),
    ],
)
def test_export_file_names_come_from_the_title(title: str, name: str) -> None:
    assert export_file_name(title) == name


def test_export_offers_the_conversation_title_as_file_name(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, tmp_path)
    window.sidebar.show_conversations([Conversation(3, "Pears: a/b test", 0.0, 0.0)], None)
    offered: list[str] = []

    def save_name(*args: object) -> tuple[str, str]:
        offered.append(str(args[2]))
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    window.sidebar.conversation_exported.emit(3)
    assert offered == ["Pears a b test.md"]


def test_add_files_filters_by_the_supported_formats(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, tmp_path)
    filters: list[str] = []

    def open_names(*args: object) -> tuple[list[str], str]:
        filters.append(str(args[3]))
        return [], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", open_names)
    window.sidebar.add_actions[0].trigger()
    supported, every = filters[0].split(";;")
    assert supported.startswith("Supported documents (")
    patterns = supported.split("(")[1].rstrip(")").split()
    for pattern in ("*.pdf", "*.docx", "*.md", "*.txt", "*.html", "*.epub", "*.png", "README"):
        assert pattern in patterns  # pictures of pages are read by OCR
    assert "*.gif" not in patterns and "*.exe" not in patterns
    assert every == "All files (*)"


def test_commands_in_hints_are_code_not_backticks(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    hint = "Start it with `ollama serve` or open the Ollama app."
    window.show_message("Local Ollama is not reachable <here>.", hint, True)
    assert "`" not in window.message_text.text()
    assert "<code>ollama serve</code>" in window.message_text.text()
    assert "&lt;here&gt;" in window.message_text.text()
    key = window.chat.add_message(MessageEntry(0, "assistant", content="Partial"))
    window.chat.fail_answer(key, "Not reachable.", hint)
    assert "`" not in window.chat.document.toPlainText()
    assert "Start it with ollama serve or open" in window.chat.document.toPlainText()


def test_answer_lines_keep_a_readable_measure(qtbot: QtBot) -> None:
    chat = ChatView(theme.LIGHT)
    qtbot.addWidget(chat)
    chat.resize(1440, 900)
    chat.show()
    words = "The apples are picked in late September and pressed in October. " * 20
    chat.add_message(MessageEntry(0, "assistant", content=words))
    layout = chat.document.documentLayout()
    measure = chat.browser.fontMetrics().averageCharWidth() * 90

    def widest() -> float:
        block, width = chat.document.begin(), 0.0
        while block.isValid():
            width = max(width, layout.blockBoundingRect(block).width())
            block = block.next()
        return width

    qtbot.waitUntil(lambda: 0 < widest() <= measure + 1)
    # A narrow window still uses its whole width.
    chat.resize(500, 600)
    qtbot.waitUntil(lambda: widest() >= chat.browser.viewport().width() - 2 * 24 - 4)


def test_settings_say_where_the_key_is_in_russian(
    qtbot: QtBot, tmp_path: Path, russian: None
) -> None:
    source = (
        "the key file /home/me/.config/hearth/api-key (readable only by you). Warning: a "
        "file is less safe than a system keyring; anyone who can use your account can read it."
    )
    ctx = make_context(tmp_path / "data")
    dialog = SettingsDialog(ctx.settings, str(tmp_path), source, ctx.local_url)
    qtbot.addWidget(dialog)
    assert dialog.key_source.text().startswith("Текущий ключ: файл ключа /home/me/.config")
    assert english_words(visible_texts(dialog)) == set()
    dialog.show_key_source("the system keyring (SecretService Keyring)")
    assert dialog.key_source.text() == (
        "Текущий ключ: системное хранилище ключей (SecretService Keyring)"
    )


def test_the_data_location_sits_in_its_row_as_one_line(qtbot: QtBot, tmp_path: Path) -> None:
    ctx = make_context(tmp_path / "data")
    folder = str(tmp_path / ("a-long-folder-name-without-spaces" * 3))
    dialog = SettingsDialog(ctx.settings, folder, "no API key is set", ctx.local_url)
    qtbot.addWidget(dialog)
    field = dialog.data_location
    assert isinstance(field, QLineEdit) and field.isReadOnly()
    assert field.text() == folder
    form = field.parentWidget().layout()
    assert isinstance(form, QFormLayout)
    row, role = form.getWidgetPosition(field)
    assert role == QFormLayout.ItemRole.FieldRole
    label = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
    dialog.show()
    dialog.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: field.isVisible())
    assert abs(label.geometry().center().y() - field.geometry().center().y()) <= 4
