"""The source view on its own: it follows the theme, on the page and in the text."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from desktop.core.conversations import StoredCitation
from desktop.core.sources import PageLocation, TextLocation
from desktop.ui import theme
from desktop.ui.source_view import SourceView

pytestmark = [
    pytest.mark.ui,
    # The offscreen platform cannot resize to size hints; a real display can.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

CITATION = StoredCitation(1, "/docs/report.pdf", 1, "The pump draws forty litres.")
BOX = (0.2, 0.3, 0.7, 0.35)


def test_the_page_ground_and_marks_follow_the_theme(qtbot: QtBot) -> None:
    view = SourceView(theme.LIGHT)
    qtbot.addWidget(view)
    view.show()
    view.show_citations([CITATION], 1)
    paper = QImage(600, 800, QImage.Format.Format_RGBA8888)
    paper.fill(QColor("white"))
    view.show_page(PageLocation(CITATION.source, 1, 1, (BOX,)), paper)
    qtbot.waitUntil(lambda: view.canvas.width() > 100)

    def colours() -> tuple[QColor, QColor]:
        shot = view.canvas.grab().toImage()
        mark = view.canvas.highlight_rects()[0].center().toPoint()
        return shot.pixelColor(3, 3), shot.pixelColor(mark)

    ground, marked = colours()
    assert ground.name() == theme.LIGHT.surface
    assert marked.name() != "#ffffff" and marked.red() > marked.blue(), "a warm mark on white"
    view.set_colors(theme.DARK)
    dark_ground, dark_marked = colours()
    assert dark_ground.name() == theme.DARK.surface
    assert dark_marked != marked, "the mark takes the dark theme's accent"


def test_the_text_mark_follows_the_theme(qtbot: QtBot) -> None:
    view = SourceView(theme.LIGHT)
    qtbot.addWidget(view)
    view.show()
    note = StoredCitation(1, "/docs/note.md", None, "forty litres")
    view.show_citations([note], 1)
    text = "The pump draws forty litres a minute."
    view.show_text(TextLocation(note.source, text, 15, 27))
    assert view.highlighted_text() == "forty litres"
    [mark] = view.text.extraSelections()
    assert mark.format.background().color().name() == theme.LIGHT.chip
    view.set_colors(theme.DARK)
    [mark] = view.text.extraSelections()
    assert mark.format.background().color().name() == theme.DARK.chip
    assert mark.format.foreground().color().name() == theme.DARK.chip_text
