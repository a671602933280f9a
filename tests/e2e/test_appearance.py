"""Theme and language change in place: an import and an answer under way go on, and the
window keeps its knowledge tree and conversations.

The window is the application's own (`WindowHost`, as `hearth` opens it) over the real
services and the fake Ollama server; everything is driven through widgets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.app import Services
from desktop.core.documents import DEFAULT_KB, DocumentStatus
from desktop.ui.main import WindowHost, install_translator
from desktop.ui.main_window import MainWindow
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.theme import DARK, LIGHT
from tests.e2e.conftest import HeldWrites, drive, make_context, start_slow_answer
from tests.e2e.test_window import ask, drop, index, ready_documents
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

FILES = 30


def write_notes(folder: Path) -> list[Path]:
    """`FILES` Markdown notes of a few hundred words each, in a new `folder`."""
    folder.mkdir()
    paths = []
    for i in range(FILES):
        path = folder / f"note{i:02}.md"
        path.write_text(f"# Note {i}\n\n" + f"Line {i} about the mill. " * 40, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def host(
    qtbot: QtBot,
    qapp: QApplication,
    running_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    fake_ollama: FakeOllama,
) -> Iterator[WindowHost]:
    """The application's window host over real services, in English and the light theme."""
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    ctx = make_context(tmp_path, fake_ollama)
    ctx.settings.ui.language = "en"
    ctx.settings.ui.theme = "light"
    services = drive(qtbot, Services.open(ctx))
    window_host = WindowHost(qapp, ctx)
    window_host.attach(services)
    window_host.window.show()
    try:
        yield window_host
    finally:
        window = window_host.window
        window.close()
        drive(qtbot, window_host.tasks.shutdown())
        drive(qtbot, services.aclose())
        install_translator(qapp, "en")
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)


def save_settings(qtbot: QtBot, window: MainWindow, *, theme: str = "", language: str = "") -> None:
    """Settings → Appearance → the chosen theme or language → Save, with the mouse."""
    qtbot.mouseClick(window.top_bar.settings_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is not None)
    dialog = window.findChild(SettingsDialog)
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(dialog.isVisible)
    if theme:
        dialog.theme.setCurrentIndex(dialog.theme.findData(theme))
    if language:
        dialog.language.setCurrentIndex(dialog.language.findData(language))
    box = dialog.findChild(QDialogButtonBox)
    assert isinstance(box, QDialogButtonBox)
    save = box.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def statuses(qtbot: QtBot, host: WindowHost) -> list[DocumentStatus]:
    async def read() -> list[DocumentStatus]:
        assert host.services is not None
        k = await host.services.knowledge()
        return [d.status for d in await k.kbs.documents(DEFAULT_KB)]

    return drive(qtbot, read())


def document_rows(window: MainWindow) -> int:
    top = window.sidebar.kb_tree.topLevelItem(0)
    return 0 if top is None else top.childCount()


def test_theme_change_mid_import_keeps_the_import_and_the_window(
    qtbot: QtBot, host: WindowHost, tmp_path: Path
) -> None:
    window = host.window
    index(qtbot, window, tmp_path / "docs")
    ask(qtbot, window, "Who planted the orchard?")
    qtbot.waitUntil(lambda: window.sidebar.conversations.count() == 1)

    paths = write_notes(tmp_path / "many")
    drop(window, paths)
    qtbot.waitUntil(
        lambda: window.ingest_panel.isVisible() and window.ingest_panel.files.count() > 0
    )
    assert host.tasks.running("ingest"), "the settings are saved in the middle of the import"
    assert len(ready_documents(window)) < FILES + 2

    save_settings(qtbot, window, theme="dark")

    assert host.window is window
    assert window.isVisible()
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == DARK.window
    qtbot.waitUntil(lambda: len(ready_documents(window)) == FILES + 2, timeout=60_000)
    assert statuses(qtbot, host) == [DocumentStatus.READY] * (FILES + 2)
    assert window.sidebar.conversations.count() == 1
    assert not window.chat.composer.isHidden()


def test_language_change_mid_answer_keeps_the_answer_and_the_window(
    qtbot: QtBot, host: WindowHost, tmp_path: Path, fake_ollama: FakeOllama
) -> None:
    window = host.window
    index(qtbot, window, tmp_path / "docs")
    assert window.top_bar.settings_button.text() == "Settings"
    answer = start_slow_answer(qtbot, window, fake_ollama, 150)
    assert answer.streaming

    save_settings(qtbot, window, language="ru")

    assert host.window is window
    assert window.isVisible()
    # Qt posts LanguageChange to the widgets: the texts change on the next turns.
    qtbot.waitUntil(lambda: window.top_bar.settings_button.text() == "Настройки")
    assert window.chat.send_button.text() != "Send"
    assert window.sidebar.new_chat_button.text() != "New chat"
    qtbot.waitUntil(lambda: not answer.streaming, timeout=30_000)
    assert answer.error == ""
    assert answer.content.endswith("word149")
    assert window.chat.entries()[-1] is answer
    qtbot.waitUntil(lambda: window.sidebar.conversations.count() == 1)
    assert document_rows(window) == 2
    # The document rows are drawn again in Russian ("%1 фрагм..." rather than "chunks").
    qtbot.waitUntil(lambda: ready_documents(window) == [])
    top = window.sidebar.kb_tree.topLevelItem(0)
    assert top is not None and "documents" not in top.text(0)

    async def saved() -> str:
        assert host.services is not None
        k = await host.services.knowledge()
        conversation = (await k.conversations.conversations())[0]
        return (await k.conversations.messages(conversation.conversation_id))[-1].content

    qtbot.waitUntil(lambda: not host.tasks.running("chat"))
    assert drive(qtbot, saved()).endswith("word149")


def question_backgrounds(window: MainWindow) -> list[str]:
    """The background of each question's box in the conversation."""
    frames = window.chat.document.rootFrame().childFrames()
    return [frame.frameFormat().background().color().name() for frame in frames]


def test_a_theme_and_language_change_draws_the_conversation_shown_again(
    qtbot: QtBot, host: WindowHost, tmp_path: Path, fake_ollama: FakeOllama
) -> None:
    """The conversation already shown follows the new theme and language: its question
    boxes stayed light in the dark window, and "Copy", "Sources" and "Stopped." stayed
    English in a Russian one."""
    window = host.window
    index(qtbot, window, tmp_path / "docs")
    ask(qtbot, window, "Who planted the orchard?")
    answer = start_slow_answer(qtbot, window, fake_ollama, 400)
    qtbot.mouseClick(window.chat.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: answer.stopped)
    text = window.chat.document.toPlainText()
    assert "Copy" in text and "Sources" in text and "Stopped." in text
    assert set(question_backgrounds(window)) == {LIGHT.user_bg}

    save_settings(qtbot, window, theme="dark", language="ru")

    qtbot.waitUntil(lambda: window.top_bar.settings_button.text() == "Настройки")
    assert set(question_backgrounds(window)) == {DARK.user_bg}
    qtbot.waitUntil(lambda: "Копировать" in window.chat.document.toPlainText())
    text = window.chat.document.toPlainText()
    for english in ("Copy", "Sources", "Stopped.", "Edit"):
        assert english not in text, english
    assert "Остановлено." in text
    assert "Based on the sources" in text  # the answers' own words stay as they were
    assert len(question_backgrounds(window)) == 2


def test_an_answer_arriving_through_a_theme_change_keeps_its_words(
    qtbot: QtBot, host: WindowHost, tmp_path: Path, fake_ollama: FakeOllama
) -> None:
    """The answer still arriving is drawn again in the new theme and goes on from where
    it was: no word is lost or doubled."""
    window = host.window
    index(qtbot, window, tmp_path / "docs")
    answer = start_slow_answer(qtbot, window, fake_ollama, 150)

    save_settings(qtbot, window, theme="dark")

    assert set(question_backgrounds(window)) == {DARK.user_bg}
    qtbot.waitUntil(lambda: not answer.streaming, timeout=30_000)
    words = " ".join(f"word{n}" for n in range(150))
    assert window.chat.document.toPlainText().count(words) == 1


def test_an_answer_followed_to_its_end_is_still_followed_after_the_window_changes(
    qtbot: QtBot, host: WindowHost, tmp_path: Path, fake_ollama: FakeOllama
) -> None:
    """The conversation scrolled along with the arriving answer until the view's height
    changed (the window made smaller, a theme or language laying it out again); then the
    answer ran on below the window."""
    window = host.window
    window.resize(1000, 760)
    index(qtbot, window, tmp_path / "docs")
    answer = start_slow_answer(qtbot, window, fake_ollama, 600)
    bar = window.chat.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=20_000)

    window.resize(800, 600)
    save_settings(qtbot, window, theme="dark", language="zh_CN")

    qtbot.waitUntil(lambda: window.top_bar.settings_button.text() == "设置")
    # Still arriving, further on, and the view is at its end (not only once it is done:
    # the end of an answer scrolls there anyway).
    qtbot.waitUntil(
        lambda: answer.streaming and "word450" in answer.content and bar.value() == bar.maximum(),
        timeout=30_000,
    )
    qtbot.waitUntil(lambda: not host.tasks.running("chat"), timeout=60_000)


def test_a_cancelled_import_shows_how_far_it_got_in_any_language(
    qtbot: QtBot, host: WindowHost, tmp_path: Path, held_writes: HeldWrites
) -> None:
    """Cancel leaves the bar where the import stopped (it filled up, as if all were done),
    and a language change afterwards says "cancelled" again in the new language (it went
    back to "Indexing: 0 of 30 files")."""
    entered, gate = held_writes.entered, held_writes.gate
    window = host.window
    panel = window.ingest_panel
    paths = write_notes(tmp_path / "many")
    try:
        drop(window, paths)
        qtbot.waitUntil(entered.is_set, timeout=60_000)
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "cancelled" in panel.label.text())
    finally:
        gate.set()
    assert panel.overall.value() < panel.overall.maximum()

    save_settings(qtbot, window, language="ru")

    qtbot.waitUntil(lambda: window.top_bar.settings_button.text() == "Настройки")
    qtbot.waitUntil(lambda: "отменен" in panel.label.text().lower())
    assert panel.overall.value() < panel.overall.maximum()


def test_a_window_closed_while_the_services_open_is_left_alone(
    qtbot: QtBot,
    qapp: QApplication,
    running_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    fake_ollama: FakeOllama,
) -> None:
    """A SIGTERM right after the window shows closes it before the services are open; when
    they open, nothing touches the deleted window (it crashed with "Internal C++ object
    already deleted" and exit code 1)."""
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    ctx = make_context(tmp_path, fake_ollama)
    window_host = WindowHost(qapp, ctx)
    window_host.window.show()
    window_host.window.close()
    qtbot.waitUntil(window_host.closed.is_set)
    services = drive(qtbot, Services.open(ctx))
    try:
        window_host.attach(services)
        window_host.bring_forward(["/nowhere/file.md"])
        assert window_host.services is services
        assert window_host.pending_files == []
    finally:
        drive(qtbot, window_host.tasks.shutdown())
        drive(qtbot, services.aclose())
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)


def test_closing_the_window_mid_import_stops_the_import_without_a_crash(
    qtbot: QtBot,
    qapp: QApplication,
    running_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    fake_ollama: FakeOllama,
    caplog: pytest.LogCaptureFixture,
    held_writes: HeldWrites,
) -> None:
    """The import's cancellation no longer writes to the closed window's deleted panel
    ("task ingest crashed ... QLabel already deleted"). A store write holds the import in
    its thread until the window is gone, as a slow disk does."""
    entered, gate = held_writes.entered, held_writes.gate
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    ctx = make_context(tmp_path, fake_ollama)
    services = drive(qtbot, Services.open(ctx))
    window_host = WindowHost(qapp, ctx)
    window_host.attach(services)
    window = window_host.window
    window.show()
    paths = write_notes(tmp_path / "many")
    try:
        drop(window, paths)
        qtbot.waitUntil(entered.is_set, timeout=60_000)
        window.close()
        qtbot.waitUntil(window_host.closed.is_set)
        gate.set()
        drive(qtbot, window_host.tasks.shutdown())
        crashes = [r for r in caplog.records if "crashed" in r.getMessage()]
        assert crashes == []
        assert not window_host.tasks.running("ingest")
    finally:
        gate.set()
        drive(qtbot, window_host.tasks.shutdown())
        drive(qtbot, services.aclose())
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)


def test_language_change_mid_import_writes_the_progress_lines_again(
    qtbot: QtBot, host: WindowHost, tmp_path: Path
) -> None:
    window = host.window
    paths = write_notes(tmp_path / "many")
    drop(window, paths)
    panel = window.ingest_panel
    qtbot.waitUntil(lambda: panel.files.count() > 2 and panel.label.text().startswith("Indexing"))
    assert host.tasks.running("ingest"), "the language changes in the middle of the import"

    save_settings(qtbot, window, language="ru")

    # Every line and the count turn Russian at once, not at each file's next step.
    english = ("queued", "reading", "embedding", "ready", "unchanged", "Indexing")

    def still_english() -> list[str]:
        lines = [panel.files.item(i).text() for i in range(panel.files.count())]
        return [t for t in [*lines, panel.label.text()] if any(w in t for w in english)]

    # The panel's own button turns Russian when the language change reaches it; the
    # progress lines are written again in the same step, while files are still queued.
    qtbot.waitUntil(lambda: panel.cancel_button.text() == "Отмена")
    assert not still_english()
    assert any("в очереди" in panel.files.item(i).text() for i in range(panel.files.count()))
    qtbot.waitUntil(lambda: not host.tasks.running("ingest"), timeout=60_000)
    assert "готово" in panel.files.item(0).text()


def test_closing_the_window_mid_import_leaves_the_unread_files_for_the_next_start(
    qtbot: QtBot,
    qapp: QApplication,
    running_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    fake_ollama: FakeOllama,
    held_writes: HeldWrites,
) -> None:
    """Files dropped and not yet indexed when the window closes, those of the run under way
    and those dropped after it began, are indexed at the next start; none is lost."""
    entered, gate = held_writes.entered, held_writes.gate
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    paths = write_notes(tmp_path / "many")
    services = drive(qtbot, Services.open(make_context(tmp_path, fake_ollama)))
    first = WindowHost(qapp, make_context(tmp_path, fake_ollama))
    first.attach(services)
    first.window.show()
    later: tuple[WindowHost, Services] | None = None
    try:
        drop(first.window, paths[:20])
        qtbot.waitUntil(entered.is_set, timeout=60_000)
        drop(first.window, paths[20:])  # waits for the run under way
        first.window.close()
        qtbot.waitUntil(first.closed.is_set)
        gate.set()
        drive(qtbot, first.tasks.shutdown())
        drive(qtbot, services.aclose())

        # The next start: the window says what it indexes, and indexes every file.
        services = drive(qtbot, Services.open(make_context(tmp_path, fake_ollama)))
        host = WindowHost(qapp, make_context(tmp_path, fake_ollama))
        later = (host, services)
        host.attach(services)
        host.window.show()
        panel = host.window.ingest_panel
        qtbot.waitUntil(lambda: panel.isVisible() and panel.files.count() > 0)
        qtbot.waitUntil(lambda: not host.tasks.running("ingest"), timeout=60_000)
        assert statuses(qtbot, host) == [DocumentStatus.READY] * FILES
        shown = {panel.files.item(i).toolTip() for i in range(panel.files.count())}
        assert str(paths[-1]) in shown, "a file dropped after the run began is indexed too"
    finally:
        gate.set()
        if later is not None:
            later[0].window.close()
            drive(qtbot, later[0].tasks.shutdown())
        drive(qtbot, first.tasks.shutdown())
        drive(qtbot, services.aclose())
        install_translator(qapp, "en")
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)
