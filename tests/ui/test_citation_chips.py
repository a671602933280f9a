"""Citations in the window, from a scripted model reply through the fake Ollama server:
one chip per cited number in every form, none out of range, and Sources only for what the
answer cites (the other passages stay under a folded "Also searched", also when reopened)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from desktop.ui.citation_preview import CitationPreview
from tests.e2e import conftest as e2e
from tests.e2e.test_window import drop, ready_documents
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.ui,
    pytest.mark.slow,
    # The offscreen platform cannot resize to size hints; a real display can.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

running_loop = e2e.running_loop
harness_factory = e2e.harness_factory

TOPICS = ["apples", "pears", "plums", "cherries", "quinces", "apricots", "peaches", "medlars"]
CITING = (
    "Picked in September [2, 3]. Stored in the cellar [2-4]. 苹果在九月采摘【1】。 "
    "Pressed in October [5][6]. Not a source [9]."
)


def ask(qtbot: QtBot, window: Any, question: str) -> int:
    """Send a question; the key of its answer once that answer has finished."""
    before = len(window.chat.entries())
    window.chat.composer.setPlainText(question)
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.chat.entries()) == before + 2)
    key: int = window.chat.entries()[-1].key
    qtbot.waitUntil(lambda: not window.chat.entry(key).streaming, timeout=20_000)
    return key


def hrefs(html: str, key: int) -> set[int]:
    return {n for n in range(0, 12) if f'href="cite:{key}:{n}"' in html}


def test_chips_and_sources_follow_what_the_answer_cites(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = []
    for i, topic in enumerate(TOPICS, start=1):
        path = folder / f"orchard-notes-{i}.md"
        path.write_text(f"# {topic.title()}\n\nThe {topic} of the orchard number {i}.\n", "utf-8")
        paths.append(path)
    drop(window, paths)
    qtbot.waitUntil(lambda: len(ready_documents(window)) == 8, timeout=30_000)

    # An answer that cites nothing lists no Sources; the passages stay reachable, folded.
    fake_ollama.set_reply("The documents do not say.")
    key = ask(qtbot, window, "What grows in the orchard?")
    entry = window.chat.entry(key)
    assert len(entry.citations) == 8, "eight passages were sent"
    text = window.chat.document.toPlainText()
    assert "Sources" not in text
    assert "▸ Also searched (8)" in text
    assert hrefs(window.chat.document.toHtml(), key) == set()
    window.chat.browser.anchorClicked.emit(QUrl(f"searched:{key}"))
    assert "▾ Also searched (8)" in window.chat.document.toPlainText()
    assert hrefs(window.chat.document.toHtml(), key) == set(range(1, 9))

    # Every form becomes one chip per number; [9] (only 8 sent) stays plain text.
    fake_ollama.set_reply(CITING)
    key = ask(qtbot, window, "When are they picked?")
    entry = window.chat.entry(key)
    assert entry.error == "" and entry.content == CITING
    html = window.chat.document.toHtml()
    assert hrefs(html, key) == {1, 2, 3, 4, 5, 6}  # 7 and 8 are folded under Also searched
    text = window.chat.document.toPlainText()
    assert "September [2] [3]." in text
    assert "cellar [2] [3] [4]." in text
    assert "采摘[1]。" in text
    assert "October [5] [6]." in text, "adjacent chips are kept apart"
    assert "Not a source [9]." in text
    sources = text[text.rindex("Sources") :]
    names = sources.split("\n")[0]
    for n in range(1, 7):
        assert f"[{n}] orchard\u2011notes\u2011" in names, "cited, with unbreakable names"
    assert "[7]" not in names and "[8]" not in names
    assert "▸ Also searched (2)" in sources

    # A passage only searched still opens its preview.
    window.chat.open_source.disconnect(window.open_source)
    window.chat.browser.anchorClicked.emit(QUrl(f"cite:{key}:8"))
    preview = window.chat.findChildren(CitationPreview)[-1]
    assert preview.passage.toPlainText() == entry.citations[7].text
    preview.close()

    # Reopened from the history, the answer shows the same Sources and Also searched.
    qtbot.waitUntil(lambda: window.sidebar.conversations.count() == 1)
    second = harness.new_window()
    qtbot.waitUntil(lambda: second.sidebar.conversations.count() == 1)
    item = second.sidebar.conversations.item(0)
    assert item is not None
    second.sidebar.conversations.itemClicked.emit(item)
    qtbot.waitUntil(lambda: len(second.chat.entries()) == 4)
    reopened = second.chat.entries()[3]
    assert [c.number for c in reopened.citations] == list(range(1, 9))
    assert len(second.chat.entries()[1].citations) == 8, "the uncited answer kept its passages"
    # The reopened conversation is laid out in slices: wait until both answers are drawn.
    qtbot.waitUntil(lambda: second.chat.document.toPlainText().count("Also searched") == 2)
    again = second.chat.document.toPlainText()
    assert again[again.rindex("Sources") :].count("orchard\u2011notes\u2011") == 6
