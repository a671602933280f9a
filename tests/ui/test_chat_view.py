"""The chat view: incremental Markdown, chips, code blocks, thinking, errors, keys."""

from __future__ import annotations

import asyncio
import random

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.core.conversations import StoredCitation
from desktop.ui import render
from desktop.ui.chat_view import ChatView
from desktop.ui.render import MessageEntry, link_citations
from desktop.ui.theme import LIGHT

pytestmark = [
    pytest.mark.ui,
    # The offscreen platform cannot resize windows to their size hints; a display can.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

ANSWER = """# Harvest

The apples are picked in **late September** [1] and pressed in October [2].

- first item
- second item [3]

```python
def count(rows):
    # one row per tree
    return len(rows)
```

| month | work |
|---|---|
| May | blossom |

After the table, a last paragraph without a newline"""


@pytest.fixture
def view(qtbot: QtBot) -> ChatView:
    chat = ChatView(LIGHT)
    qtbot.addWidget(chat)
    chat.resize(800, 600)
    chat.show()
    return chat


def stream(view: ChatView, text: str, seed: int) -> int:
    rng = random.Random(seed)
    key = view.begin_answer()
    i = 0
    while i < len(text):
        n = rng.randint(1, 7)
        view.append_token(key, text[i : i + n])
        i += n
        if rng.random() < 0.5:
            view.flush_now()
    view.finish_answer(key, model="llama3.2", provider="local", speed=42.0)
    return key


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_streamed_answer_renders_like_the_whole_text(view: ChatView, seed: int) -> None:
    key = stream(view, ANSWER, seed)
    streamed = view.document.toPlainText()
    assert view.entry(key).content == ANSWER
    view.clear()
    view.add_message(
        MessageEntry(
            0, "assistant", ANSWER, model="llama3.2", provider="local", tokens_per_second=42.0
        )
    )
    assert view.document.toPlainText() == streamed
    for expected in (
        "Harvest",
        "late September",
        "second item",
        "def count(rows):",
        "blossom",
        "a last paragraph without a newline",
        "llama3.2 · 42 tokens/s",
    ):
        assert expected in streamed
    assert "```" not in streamed and "**" not in streamed and "|---|" not in streamed


def test_citations_become_chip_links_that_ask_for_the_source(view: ChatView, qtbot: QtBot) -> None:
    key = view.begin_answer()
    sources = [
        StoredCitation(1, "/docs/orchard.pdf", 3, "Apples are picked in late September.", ocr=True),
        StoredCitation(2, "/docs/cider.md", None, "Windfalls are pressed in October.", ocr=False),
        StoredCitation(3, "/docs/pears.md", None, "Pears keep until December."),
    ]
    view.set_citations(key, sources)
    view.append_token(key, "Picked in September [1], pressed in October [2].")
    view.finish_answer(key, model="m", provider="local", speed=0)
    html = view.document.toHtml()
    assert f'href="cite:{key}:1"' in html and f'href="cite:{key}:2"' in html
    text = view.document.toPlainText()
    assert "[1] orchard.pdf p. 3 · OCR" in text, "a passage read by OCR says so"
    assert "[2] cider.md\u202f" in text and "cider.md · OCR" not in text
    # A cited source is stepped through with the other cited ones; one only searched
    # with every passage the answer was given.
    with qtbot.waitSignal(view.source_requested) as requested:
        view.browser.anchorClicked.emit(QUrl(f"cite:{key}:2"))
    assert requested.args == [sources[:2], 2]
    view.browser.anchorClicked.emit(QUrl(f"searched:{key}"))
    with qtbot.waitSignal(view.source_requested) as requested:
        view.browser.anchorClicked.emit(QUrl(f"cite:{key}:3"))
    assert requested.args == [sources, 3]


@pytest.mark.parametrize("how", ["stopped", "failed"])
def test_a_stopped_or_failed_answer_lists_only_what_it_cited(view: ChatView, how: str) -> None:
    passages = [StoredCitation(n, f"/docs/note-{n}.md", None, f"Passage {n}.") for n in (1, 2, 3)]
    uncited = view.begin_answer()
    view.set_citations(uncited, passages)
    view.append_token(uncited, "The apples are")
    view.fail_answer(uncited, "Stopped." if how == "stopped" else "The server failed.", "")
    text = view.document.toPlainText()
    assert "Sources" not in text
    assert "Also searched (3)" in text

    cited = view.begin_answer()
    view.set_citations(cited, passages)
    view.append_token(cited, "Picked in September [2] and")
    view.fail_answer(cited, "Stopped." if how == "stopped" else "The server failed.", "")
    text = view.document.toPlainText()
    assert text.count("Sources") == 1
    assert "[2]\u00a0note\u20112.md" in text.replace(" ", "\u00a0")
    assert "[1]\u00a0note" not in text[text.index("Sources") :].replace(" ", "\u00a0")
    assert "Also searched (2)" in text


def test_links_already_in_markdown_are_left_alone() -> None:
    assert link_citations("see [1](http://x) and [2]", 7, 8) == (
        "see [1](http://x) and [\\[2\\]](cite:7:2)"
    )


def test_each_cited_number_is_its_own_link() -> None:
    def chip(n: int) -> str:
        return f"[\\[{n}\\]](cite:7:{n})"

    assert link_citations("a [2, 3] b", 7, 8) == f"a {chip(2)} {chip(3)} b"
    assert link_citations("a [2-4]", 7, 8) == f"a {chip(2)} {chip(3)} {chip(4)}"
    assert link_citations("x[1][2][3]", 7, 8) == f"x{chip(1)} {chip(2)} {chip(3)}"
    assert link_citations("苹果【1】。", 7, 8) == f"苹果{chip(1)}。"
    assert link_citations("not [9], half [2, 9]", 7, 8) == f"not [9], half {chip(2)} \\[9\\]"
    assert link_citations("nothing sent [1]", 7, 0) == "nothing sent [1]"


def test_code_block_copy_puts_the_code_on_the_clipboard(view: ChatView) -> None:
    key = stream(view, ANSWER, 5)
    assert view.entry(key).code_blocks == [
        "def count(rows):\n    # one row per tree\n    return len(rows)"
    ]
    view.browser.anchorClicked.emit(QUrl(f"copy:{key}:0"))
    assert QGuiApplication.clipboard().text() == view.entry(key).code_blocks[0]
    view.browser.anchorClicked.emit(QUrl(f"copya:{key}"))
    assert QGuiApplication.clipboard().text() == ANSWER


def test_thinking_is_collapsed_until_asked_for(view: ChatView) -> None:
    key = view.begin_answer()
    view.append_thinking(key, "Let me think about the orchard.")
    view.append_token(key, "The answer.")
    view.finish_answer(key, model="qwen3", provider="local", speed=10)
    text = view.document.toPlainText()
    assert "▸ Thinking" in text and "Let me think" not in text
    view.browser.anchorClicked.emit(QUrl(f"think:{key}"))
    text = view.document.toPlainText()
    assert "▾ Thinking" in text and "Let me think about the orchard." in text
    assert "The answer." in text


def test_an_error_keeps_the_partial_answer_and_offers_retry(view: ChatView, qtbot: QtBot) -> None:
    key = view.begin_answer()
    view.append_token(key, "Half of the answ")
    view.flush_now()
    view.fail_answer(key, "The local server stopped answering.", "Start Ollama and retry.")
    text = view.document.toPlainText()
    assert "Half of the answ" in text
    assert "⚠ The local server stopped answering." in text
    assert "Start Ollama and retry." in text
    with qtbot.waitSignal(view.retry_requested) as retry:
        view.browser.anchorClicked.emit(QUrl(f"retry:{key}"))
    assert retry.args == [key]


def test_cloud_answers_are_marked(view: ChatView) -> None:
    local = view.begin_answer()
    view.append_token(local, "From here.")
    view.finish_answer(local, model="llama3.2", provider="local", speed=5)
    assert "☁" not in view.document.toPlainText()
    cloud = view.begin_answer()
    view.append_token(cloud, "From there.")
    view.finish_answer(cloud, model="gpt-oss:120b", provider="cloud", speed=50)
    assert view.document.toPlainText().count("☁ Cloud") == 1


def test_enter_sends_and_shift_enter_adds_a_line(view: ChatView, qtbot: QtBot) -> None:
    view.composer.setFocus()
    qtbot.keyClicks(view.composer, "first line")
    qtbot.keyClick(view.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(view.composer, "second line")
    with qtbot.waitSignal(view.question_submitted) as sent:
        qtbot.keyClick(view.composer, Qt.Key.Key_Return)
    assert sent.args == ["first line\nsecond line"]
    assert view.composer.toPlainText() == ""


def test_escape_stops_only_while_answering(view: ChatView, qtbot: QtBot) -> None:
    stops: list[bool] = []
    view.stop_requested.connect(lambda: stops.append(True))
    qtbot.keyClick(view.composer, Qt.Key.Key_Escape)
    assert stops == []
    view.set_busy(True)
    assert not view.send_button.isEnabled()
    qtbot.keyClick(view.composer, Qt.Key.Key_Escape)
    assert stops == [True]


def test_edit_puts_the_question_back_and_resends_it(view: ChatView, qtbot: QtBot) -> None:
    key = view.add_message(MessageEntry(0, "user", "Old question"))
    view.browser.anchorClicked.emit(QUrl(f"edit:{key}"))
    assert view.composer.toPlainText() == "Old question"
    assert view.edit_label.isVisible()
    view.composer.setPlainText("New question")
    with qtbot.waitSignal(view.edit_submitted) as edited:
        qtbot.keyClick(view.composer, Qt.Key.Key_Return)
    assert edited.args == [key, "New question"]


def test_empty_states_say_what_to_do(view: ChatView) -> None:
    view.show_empty("empty")
    assert view.stack.currentWidget() is view.empty
    assert "Drop documents" in view.empty.headline.text()
    view.show_empty("no_model")
    assert "ollama serve" in view.empty.body.text()
    assert view.empty.button.text() == "Open settings"


def test_rerendering_an_earlier_answer_leaves_the_rest_in_place(view: ChatView) -> None:
    view.add_message(MessageEntry(0, "user", "First question"))
    first = view.begin_answer()
    view.append_thinking(first, "Pondering the first.")
    view.append_token(first, "First answer.")
    view.finish_answer(first, model="m", provider="local", speed=0)
    view.add_message(MessageEntry(0, "user", "Second question"))
    second = view.begin_answer()
    view.append_token(second, "Second answer [1].")
    view.flush_now()
    view.browser.anchorClicked.emit(QUrl(f"think:{first}"))
    view.append_token(second, " Still streaming.")
    view.finish_answer(second, model="m", provider="local", speed=0)
    text = view.document.toPlainText()
    order = [
        "First question",
        "Pondering the first.",
        "First answer.",
        "Second question",
        "Second answer [1]. Still streaming.",
    ]
    positions = [text.find(part) for part in order]
    assert -1 not in positions, text
    assert positions == sorted(positions), text
    assert text.count("Second answer") == 1


def test_the_waiting_line_goes_when_the_first_words_arrive(view: ChatView) -> None:
    key = view.begin_answer()
    view.set_waiting(key, "Waiting for the model to answer…")
    assert "Waiting for the model to answer…" in view.document.toPlainText()
    view.append_token(key, "The orchard ")
    view.append_token(key, "is old.")
    view.flush_now()
    text = view.document.toPlainText()
    assert "Waiting for the model" not in text and "The orchard is old." in text
    view.set_waiting(key, "Still waiting")  # too late: words have arrived
    assert "Still waiting" not in view.document.toPlainText()


def test_common_lexers_are_built_ahead() -> None:
    render._lexer.cache_clear()
    asyncio.run(render.warm_lexers())
    assert render._lexer.cache_info().currsize == len(render.COMMON_LANGUAGES)
    assert all(render._lexer(name) is not None for name in render.COMMON_LANGUAGES)
    assert render._lexer.cache_info().misses == len(render.COMMON_LANGUAGES)


def test_scrolling_up_stops_following_the_answer_and_a_new_question_follows_again(
    view: ChatView, qtbot: QtBot
) -> None:
    """The view keeps to the end of an arriving answer, through height changes, until the
    person scrolls up (here with the mouse wheel); then it stays where they are reading,
    as the answer runs on and ends, and the next question brings it back to the end."""
    view.add_message(MessageEntry(0, "user", "Tell me everything."))
    key = view.begin_answer()
    bar = view.browser.verticalScrollBar()
    for n in range(400):
        view.append_token(key, f"word{n} ")
        if n % 40 == 0:
            view.flush_now()
    view.flush_now()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())

    view.resize(800, 400)
    view.append_token(key, "more words ")
    view.flush_now()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())

    viewport = view.browser.viewport()
    middle = QPointF(viewport.rect().center())
    wheel = QWheelEvent(
        middle,
        viewport.mapToGlobal(middle),
        QPoint(0, 0),
        QPoint(0, 360),  # three notches up
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, wheel)
    qtbot.waitUntil(lambda: bar.value() < bar.maximum())
    reading, longest = bar.value(), bar.maximum()
    for n in range(200):
        view.append_token(key, f"late{n} ")
    view.flush_now()
    qtbot.waitUntil(lambda: bar.maximum() > longest)  # laid out, longer
    assert bar.value() == reading

    view.finish_answer(key, model="m", provider="local", speed=1.0)
    assert bar.value() == reading, "the end of the answer leaves the reader where they are"
    view.add_message(MessageEntry(0, "user", "And then?"))
    view.begin_answer()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
