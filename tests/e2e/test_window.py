"""The window driven like a person would: drop files, ask, read, open a source, fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.core.conversations import StoredCitation
from desktop.ui import chat_controller
from desktop.ui.main_window import MainWindow
from desktop.ui.render import MessageEntry
from desktop.ui.sidebar import ROLE_FOLDER
from tests.e2e.conftest import Harness, HeldWrites, make_context, start_slow_answer
from tests.fakes.lock_holder import lock_holder
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    # The offscreen platform cannot resize to size hints; a real display can.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

ORCHARD = """# The orchard

The old orchard behind the mill grows forty apple trees of the Antonovka variety.
They were planted in 1952 by the miller's daughter.

## Harvest

Apples are picked in late September and stored in the cellar under the mill.
"""

BEES = """# Bees

Three hives stand at the edge of the orchard. The bees pollinate the apple blossom in May.
"""


def write_docs(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = [folder / "orchard.md", folder / "bees.md"]
    paths[0].write_text(ORCHARD, encoding="utf-8")
    paths[1].write_text(BEES, encoding="utf-8")
    return paths


def drop(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    assert window.overlay.isVisible()
    event = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)
    assert not window.overlay.isVisible()


def ready_documents(window: MainWindow) -> list[str]:
    """The ready documents of the first knowledge base, in its folders or right under it."""
    top = window.sidebar.kb_tree.topLevelItem(0)
    found: list[str] = []
    rows = [top] if top is not None else []
    while rows:
        row = rows.pop()
        children = [row.child(i) for i in range(row.childCount())]
        rows.extend(c for c in children if c is not None and c.data(0, ROLE_FOLDER))
        found += [c.text(0) for c in children if c is not None and "chunk" in c.text(1)]
    return sorted(found)


def index(qtbot: QtBot, window: MainWindow, folder: Path) -> None:
    drop(window, write_docs(folder))
    qtbot.waitUntil(lambda: ready_documents(window) == ["bees.md", "orchard.md"], timeout=30_000)


def ask(qtbot: QtBot, window: MainWindow, question: str) -> int:
    window.chat.composer.setPlainText(question)
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(e.role == "assistant" for e in window.chat.entries()))
    key = [e for e in window.chat.entries() if e.role == "assistant"][-1].key
    qtbot.waitUntil(lambda: not window.chat.entry(key).streaming, timeout=20_000)
    return key


def test_the_first_documents_on_their_way_are_said_to_be_indexing(
    qtbot: QtBot,
    harness_factory: Any,
    fake_ollama: FakeOllama,
    tmp_path: Path,
    held_writes: HeldWrites,
) -> None:
    """While the first documents are indexed the chat no longer says "Drop documents here
    to begin", as if the ones dropped had gone nowhere. A store write is held, as a slow
    disk holds it, so the import is seen under way."""
    entered, gate = held_writes.entered, held_writes.gate
    window = harness_factory(fake_ollama, in_process=True).window
    headline = window.chat.empty.headline
    qtbot.waitUntil(lambda: headline.text() == "Drop documents here to begin")
    try:
        drop(window, write_docs(tmp_path / "docs"))
        qtbot.waitUntil(entered.is_set, timeout=60_000)
        qtbot.waitUntil(lambda: headline.text() == "Indexing your documents…")
        assert window.chat.empty.isVisible()
    finally:
        gate.set()
    qtbot.waitUntil(lambda: headline.text() == "Ask about your documents", timeout=30_000)


def test_an_import_ends_with_the_counts_that_happened(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    """The summary said "2 ready, 0 unchanged, 0 failed": the zeros sent a new person
    looking for a failure. It names what happened."""
    window = harness_factory(fake_ollama).window
    panel = window.ingest_panel
    docs = write_docs(tmp_path / "docs")
    drop(window, docs)
    qtbot.waitUntil(lambda: panel.label.text() == "2 ready", timeout=30_000)
    drop(window, docs)
    qtbot.waitUntil(lambda: panel.label.text() == "2 unchanged", timeout=30_000)
    assert panel.overall.value() == panel.overall.maximum()


def test_a_stopped_answer_offers_retry_once_not_under_a_second_name(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    """A stopped answer said "Stopped. Retry" and, a line below, "Copy Regenerate": the
    same action under two names. It offers Retry (and Copy for the words that came)."""
    window = harness_factory(fake_ollama).window
    index(qtbot, window, tmp_path / "docs")
    answer = start_slow_answer(qtbot, window, fake_ollama, 300)
    qtbot.mouseClick(window.chat.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: answer.stopped)
    qtbot.waitUntil(lambda: not window.chat.stop_button.isVisible())
    text = window.chat.document.toPlainText()
    assert text.count("Retry") == 1 and "Regenerate" not in text
    assert "Copy" in text.split("Stopped.")[1]
    assert window.chat.retry_button.isVisible()
    assert not window.chat.regenerate_button.isVisible()


def test_drop_ask_and_open_a_citation(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    qtbot.waitUntil(lambda: window.chat.empty.headline.text() != "")
    index(qtbot, window, tmp_path / "docs")
    assert "2 documents" in window.sidebar.kb_tree.topLevelItem(0).text(0)

    key = ask(qtbot, window, "Who planted the orchard?")
    answer = window.chat.entry(key)
    assert answer.error == ""
    assert answer.content.startswith("Based on the sources")
    assert answer.provider == "local" and answer.model == "llama3.2"
    assert answer.citations, "the answer lists its sources"
    html = window.chat.document.toHtml()
    assert f'href="cite:{key}:1"' in html
    assert "Cloud" not in window.chat.document.toPlainText()

    # Clicking the chip opens the source view at the passage; "Open in the system viewer"
    # asks for the file (not opened here: the offscreen platform has no desktop services).
    window.sources.open_requested.disconnect(window.open_source)
    first = answer.citations[0]
    window.chat.browser.anchorClicked.emit(QUrl(f"cite:{key}:{first.number}"))
    view = window.sources.view
    assert view is not None
    qtbot.waitUntil(lambda: view.highlighted_text() != "")
    assert Path(first.source).name in {"orchard.md", "bees.md"}
    assert view.highlighted_text() == first.text
    with qtbot.waitSignal(window.sources.open_requested) as opened:
        view.system_button.click()
    assert opened.args == [first.source, 0]
    view.close()

    # The conversation was stored with its citations and reopens in a new window.
    qtbot.waitUntil(lambda: window.sidebar.conversations.count() == 1)
    second = harness.new_window()
    qtbot.waitUntil(lambda: second.sidebar.conversations.count() == 1)
    item = second.sidebar.conversations.item(0)
    assert item is not None and item.text() == "Who planted the orchard?"
    second.sidebar.conversations.itemClicked.emit(item)
    qtbot.waitUntil(lambda: len(second.chat.entries()) == 2)
    reopened = second.chat.entries()[1]
    assert reopened.content == answer.content
    assert [c.source for c in reopened.citations] == [c.source for c in answer.citations]
    assert reopened.provider == "local" and reopened.model == "llama3.2"


def test_open_file_without_an_application_says_so_and_offers_the_folder(
    qtbot: QtBot,
    harness_factory: Any,
    fake_ollama: FakeOllama,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "notes" / "orchard.xyz"
    source.parent.mkdir()
    source.write_text("apples", encoding="utf-8")
    opened: list[QUrl] = []

    def no_handler(url: QUrl) -> bool:
        opened.append(url)
        return url.toLocalFile() == str(source.parent)

    monkeypatch.setattr(QDesktopServices, "openUrl", no_handler)
    window = harness_factory(fake_ollama).window
    citation = StoredCitation(1, str(source), None, "apples")
    key = window.chat.add_message(
        MessageEntry(0, "assistant", content="Apples [1].", citations=[citation])
    )
    window.chat.browser.anchorClicked.emit(QUrl(f"cite:{key}:1"))
    view = window.sources.view
    assert view is not None
    view.system_button.click()
    qtbot.waitUntil(lambda: window.message_bar.isVisible())
    text = window.message_text.text()
    assert text.startswith("No application on this computer opens orchard.xyz.")
    assert str(source.parent) in text
    assert opened[0].toLocalFile() == str(source)
    assert window.open_folder_button.isVisible()
    window.open_folder_button.click()
    assert opened[-1].toLocalFile() == str(source.parent)
    view.close()

    # Another message takes the bar: no folder button with it.
    window.channel.info("Indexed.")
    assert not window.open_folder_button.isVisible()


@pytest.mark.parametrize("saved", ["", "gone:7b"])
def test_the_model_the_picker_shows_is_the_one_that_answers(
    qtbot: QtBot,
    running_loop: Any,
    fake_ollama: FakeOllama,
    tmp_path: Path,
    saved: str,
) -> None:
    # A fresh data folder (no model chosen), or one naming a model no longer installed.
    ctx = make_context(tmp_path, fake_ollama)
    ctx.settings.provider.chat_model = saved
    harness = Harness(qtbot, ctx)
    try:
        window = harness.window
        picker = window.top_bar.model_picker
        qtbot.waitUntil(lambda: picker.count() > 0)
        shown = [picker.itemData(i).name for i in range(picker.count())]
        assert shown == ["llama3.2:latest", "qwen3:8b"], "no embedding-only model for chat"
        assert picker.currentText() == "llama3.2:latest  ·  this computer"
        assert ctx.settings.provider.chat_model == "llama3.2:latest"
        assert ctx.settings_store.load().settings.provider.chat_model == "llama3.2:latest"

        index(qtbot, window, tmp_path / "docs")
        key = ask(qtbot, window, "Who planted the orchard?")
        answer = window.chat.entry(key)
        assert answer.error == ""
        assert answer.model == "llama3.2:latest"

        # Back from Cloud, the picker lists the local chat models again.
        qtbot.mouseClick(window.top_bar.mode_buttons["cloud"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: picker.count() <= 1)
        qtbot.mouseClick(window.top_bar.mode_buttons["local"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: picker.count() == 2)
        assert picker.currentData().name == "llama3.2:latest"
    finally:
        harness.close()


def test_cloud_answers_carry_the_key_and_the_local_server_writes_nothing(
    qtbot: QtBot,
    harness_factory: Any,
    fake_ollama: FakeOllama,
    fake_cloud: FakeOllama,
    tmp_path: Path,
) -> None:
    harness = harness_factory(fake_ollama, fake_cloud)
    window = harness.window
    index(qtbot, window, tmp_path / "docs")
    qtbot.mouseClick(window.top_bar.mode_buttons["cloud"], Qt.MouseButton.LeftButton)
    assert harness.ctx.settings.provider.mode == "cloud"
    # The picker asked the local server what its models can do; the cloud answer asks nothing.
    shown_before = len(fake_ollama.requests_to("/api/show"))

    key = ask(qtbot, window, "When are the apples picked?")
    answer = window.chat.entry(key)
    assert answer.error == ""
    assert answer.provider == "cloud"
    assert "☁ Cloud" in window.chat.document.toPlainText()
    chats = fake_cloud.requests_to("/api/chat")
    assert chats
    assert all(r.headers.get("authorization") == f"Bearer {fake_cloud.api_key}" for r in chats)
    assert fake_ollama.requests_to("/api/chat") == []
    assert len(fake_ollama.requests_to("/api/show")) == shown_before
    key_text = fake_cloud.api_key or ""
    assert all(key_text not in str(r.headers) for r in fake_ollama.requests)


def test_server_stopping_mid_answer_keeps_the_partial_answer(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    window = harness_factory(fake_ollama).window
    index(qtbot, window, tmp_path / "docs")
    answer = start_slow_answer(qtbot, window, fake_ollama, 400)
    assert window.chat.stop_button.isVisible()
    fake_ollama.stop()
    qtbot.waitUntil(lambda: not answer.streaming, timeout=20_000)
    assert answer.error, "the failure is shown in the answer's place"
    assert answer.content.startswith("word0 word1"), "the partial answer is kept"
    assert "word399" not in answer.content
    assert f'href="retry:{answer.key}"' in window.chat.document.toHtml()
    assert window.chat.send_button.isEnabled()


def test_stop_with_escape_keeps_what_arrived(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    window = harness_factory(fake_ollama).window
    index(qtbot, window, tmp_path / "docs")
    fake_ollama.set_reply(" ".join(f"w{i}" for i in range(400)))
    fake_ollama.set_token_delay(0.02)
    window.chat.composer.setPlainText("Long answer please")
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: any(e.role == "assistant" and "w3" in e.content for e in window.chat.entries()),
        timeout=20_000,
    )
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Escape)
    answer = [e for e in window.chat.entries() if e.role == "assistant"][-1]
    qtbot.waitUntil(lambda: not answer.streaming)
    assert answer.error == "Stopped."
    assert answer.stopped and "⚠" not in window.chat.document.toPlainText(), "not a failure"
    assert answer.content.startswith("w0 w1 w2")
    qtbot.waitUntil(lambda: fake_ollama.aborted_streams > 0)
    assert fake_ollama.aborted_streams == 1, "Escape closed the answer's stream"
    qtbot.waitUntil(lambda: answer.stored_id > 0)

    # Reopened, the stop still reads as one.
    conversation = window.chat_controller.conversation_id
    assert conversation is not None
    window.chat_controller.new_chat()
    window.chat_controller.open_conversation(conversation)
    qtbot.waitUntil(lambda: len(window.chat.entries()) == 2)
    assert window.chat.entries()[-1].stopped
    assert "⚠" not in window.chat.document.toPlainText()


def test_files_dropped_while_another_process_writes_wait_for_it(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    data = tmp_path / "data"  # the harness's data folder
    data.mkdir()
    with lock_holder(data) as holder:
        window = harness_factory(fake_ollama).window
        drop(window, write_docs(tmp_path / "docs"))
        qtbot.waitUntil(
            lambda: (
                f"being changed by hearth ingest (process {holder.pid}"
                in window.message_text.text()
            ),
            timeout=30_000,
        )
        assert "Wait for it to finish" in window.message_text.text()
        assert window.ingest_panel.label.text() == "Waiting for the other Hearth process to finish…"
        assert ready_documents(window) == []
    # The dropped files were kept and are indexed once the other process is gone.
    qtbot.waitUntil(lambda: ready_documents(window) == ["bees.md", "orchard.md"], timeout=30_000)
    assert window.message_text.text() == "The other Hearth process has finished."


def test_a_slow_first_token_says_why_and_then_answers(
    qtbot: QtBot,
    harness_factory: Any,
    fake_ollama: FakeOllama,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A model loading into memory can take a minute before its first word (scaled down)."""
    monkeypatch.setattr(chat_controller, "SLOW_FIRST_WORDS_MS", 300)
    window = harness_factory(fake_ollama).window
    index(qtbot, window, tmp_path / "docs")
    fake_ollama.set_first_token_delay(2.0)
    window.chat.composer.setPlainText("Who planted the orchard?")
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: "Still waiting for the model" in window.chat.document.toPlainText(),
        timeout=10_000,
    )
    answer = [e for e in window.chat.entries() if e.role == "assistant"][-1]
    assert answer.streaming and not answer.content
    assert window.chat.stop_button.isVisible()
    qtbot.waitUntil(lambda: not answer.streaming, timeout=20_000)
    assert answer.error == "" and answer.content.startswith("Based on the sources")
    text = window.chat.document.toPlainText()
    assert "Still waiting" not in text and "Waiting for the model" not in text
    # Adjacent citation chips are drawn with a gap between them.
    assert answer.content.splitlines()[0].replace("][", "] [") in text


def test_no_first_token_in_time_fails_the_answer_with_a_retry(
    qtbot: QtBot, running_loop: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    ctx = make_context(tmp_path, fake_ollama)
    ctx.settings.provider.first_token_timeout_s = 0.5
    ctx.settings.provider.retries = 0
    harness = Harness(qtbot, ctx)
    try:
        window = harness.window
        index(qtbot, window, tmp_path / "docs")
        fake_ollama.set_first_token_delay(3.0)
        key = ask(qtbot, window, "Who planted the orchard?")
        answer = window.chat.entry(key)
        assert "did not answer in time: no reply started within 0.5 s" in answer.error
        assert "raise the first-token timeout in Settings" in answer.hint
        html = window.chat.document.toHtml()
        assert f'href="retry:{key}"' in html
        assert "Waiting for the model" not in window.chat.document.toPlainText()
        fake_ollama.set_first_token_delay(0.0)
        with qtbot.waitSignal(window.chat.retry_requested):
            window.chat.browser.anchorClicked.emit(QUrl(f"retry:{key}"))
        qtbot.waitUntil(
            lambda: (
                [(e.role, e.content[:20]) for e in window.chat.entries()]
                == [("user", "Who planted the orch"), ("assistant", "Based on the sources")]
            ),
            timeout=20_000,
        )
        assert window.chat.entries()[-1].error == ""
    finally:
        harness.close()


def test_a_long_code_line_wraps_in_its_block_at_800_by_600(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    """A code line far wider than the transcript wraps inside its code block; the
    transcript never scrolls sideways, and Copy still takes the line as written."""
    window = harness_factory(fake_ollama).window
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() == 800 and window.height() == 600)
    index(qtbot, window, tmp_path / "docs")
    line = "curl -s https://example.org/orchard?" + "&".join(f"tree{n}=apple" for n in range(40))
    unbroken = "x" * 300
    fake_ollama.set_reply(f"The orchard [1].\n\n```sh\n{line}\n{unbroken}\n```\n\nThat is all.")
    key = ask(qtbot, window, "Who planted the orchard?")
    browser = window.chat.browser
    viewport = browser.viewport().width()
    assert viewport < browser.fontMetrics().horizontalAdvance(line)  # it does not fit
    doc = browser.document()
    assert doc.size().width() <= viewport
    assert browser.horizontalScrollBar().maximum() == 0
    assert not browser.horizontalScrollBar().isVisible()
    # The code's lines are laid out on several lines each, inside the document's width.
    block = doc.find(unbroken).block()
    assert block.layout().lineCount() > 1
    assert block.layout().boundingRect().width() <= viewport
    assert window.chat.entry(key).code_blocks == [f"{line}\n{unbroken}"]
