"""The model picker's names stay readable: its width follows its choices, a long name is
shortened in the middle with where it runs kept whole, and the tooltip has it all."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.theme import LIGHT
from desktop.ui.top_bar import ModelChoice, TopBar

pytestmark = [
    pytest.mark.ui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

LONG = "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M"


def bar(qtbot: QtBot, width: int, choices: list[ModelChoice]) -> TopBar:
    top = TopBar(LIGHT)
    qtbot.addWidget(top)
    top.set_models(choices, choices[0])
    top.resize(width, top.sizeHint().height())
    top.show()
    qtbot.waitUntil(lambda: top.width() == width)
    return top


def test_a_usual_name_is_shown_whole_with_where_it_runs(qtbot: QtBot) -> None:
    choices = [ModelChoice("llama3.2:latest", "local"), ModelChoice("gpt-oss:120b", "cloud")]
    top = bar(qtbot, 1100, choices)
    picker = top.model_picker
    qtbot.waitUntil(lambda: picker.shown_text() == "llama3.2:latest  ·  this computer")
    wanted = picker.fontMetrics().horizontalAdvance("llama3.2:latest  ·  this computer")
    assert picker.width() > wanted  # as wide as its text needs, not a fixed 150 px
    assert "llama3.2:latest: answers are written on this computer" in picker.toolTip()
    # Choosing with the keyboard: the tooltip follows.
    picker.setFocus()
    qtbot.keyClick(picker, Qt.Key.Key_Down)
    assert picker.shown_text() == "gpt-oss:120b  ·  Ollama Cloud"
    assert "gpt-oss:120b: answers are written on Ollama Cloud" in picker.toolTip()


@pytest.mark.qt_log_ignore(
    "does not support propagateSizeHints", "does not support raise", "does not support grabbing"
)
def test_a_long_name_in_a_narrow_bar_is_shortened_in_the_middle(
    qtbot: QtBot, qapp: QApplication
) -> None:
    top = bar(qtbot, 800, [ModelChoice(LONG, "local"), ModelChoice("qwen2.5:7b", "local")])
    picker = top.model_picker
    shown = picker.shown_text()
    assert picker.width() < picker.fontMetrics().horizontalAdvance(LONG)
    assert "…" in shown
    assert shown.startswith("hf.co") and shown.endswith("_M  ·  this computer"), shown
    assert LONG in picker.toolTip()
    # The list opens wide enough for the whole name.
    picker.showPopup()
    qtbot.waitUntil(lambda: picker.view().isVisible())
    assert picker.view().width() >= picker.view().sizeHintForColumn(0)
    picker.hidePopup()


def test_too_narrow_for_both_the_name_wins_over_where_it_runs(qtbot: QtBot) -> None:
    """At 800x600 in Russian the picker showed only "· этот компьютер": where it runs took
    all the room and the model's name was shortened away."""
    top = bar(qtbot, 800, [ModelChoice("llama3.2:latest", "local")])
    picker = top.model_picker
    tail = "  ·  this computer"
    narrow = picker.fontMetrics().horizontalAdvance("llama…" + tail)
    shown = picker._fitted("llama3.2:latest" + tail, narrow)
    assert shown.startswith("llama") and "this computer" not in shown, shown
    assert picker.fontMetrics().horizontalAdvance(shown) <= narrow
    # With room for a fair part of the name, where it runs stays.
    roomy = picker.fontMetrics().horizontalAdvance("llama3.2:lat…" + tail)
    assert picker._fitted("llama3.2:latest" + tail, roomy).endswith(tail)
