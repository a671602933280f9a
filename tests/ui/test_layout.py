"""The window at its smallest size, in every language: nothing overlaps, nothing is cut."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui import theme
from desktop.ui.main import install_translator
from desktop.ui.main_window import MainWindow
from desktop.ui.tasks import TaskRegistry
from desktop.ui.top_bar import ModelPicker
from tests.ui.context import make_context

pytestmark = [
    pytest.mark.ui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


@pytest.fixture(params=["en", "ru", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    install_translator(qapp, request.param)
    yield request.param
    install_translator(qapp, "en")


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[None]:
    """The application's own style sheet, as the app runs (buttons size to their text)."""
    palette, style = qapp.palette(), qapp.style().name()
    theme.apply(qapp, theme.LIGHT)
    yield
    qapp.setStyleSheet("")
    qapp.setPalette(palette)
    qapp.setStyle(style)


def controls(root: QWidget) -> list[QWidget]:
    """The visible buttons, pickers and labels a person reads or clicks in `root`."""
    found = root.findChildren(QWidget)
    kinds = (QAbstractButton, QComboBox, QLabel)
    return [w for w in found if isinstance(w, kinds) and w.isVisibleTo(root) and w.width() > 0]


def in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def problems(window: MainWindow) -> list[str]:
    found = []
    for panel in (window.top_bar, window.sidebar, window.chat):
        shown = controls(panel)
        for widget in shown:
            name = widget.text() if isinstance(widget, QAbstractButton | QLabel) else ""
            label = f"{type(widget).__name__} {name!r}"
            # Labels and the model picker shorten their text to fit; others must not be cut.
            shortens = isinstance(widget, QLabel | ModelPicker)
            hint = widget.minimumSizeHint() if shortens else widget.sizeHint()
            if widget.width() < hint.width():
                found.append(f"{label} cut: {widget.width()} < {hint.width()}")
            rect = in_window(widget, window)
            if not window.rect().contains(rect):
                found.append(f"{label} outside the window: {rect}")
            for other in shown:
                siblings = other is not widget and other.parentWidget() is widget.parentWidget()
                if (
                    siblings
                    and id(other) < id(widget)
                    and rect.intersects(in_window(other, window))
                ):
                    found.append(f"{label} overlaps {type(other).__name__}")
    return found


@pytest.mark.parametrize("style", ["app", "plain"])
def test_the_smallest_window_lays_out_in_every_language(
    qtbot: QtBot, tmp_path: Path, language: str, style: str, request: pytest.FixtureRequest
) -> None:
    if style == "app":
        request.getfixturevalue("styled")
    window = MainWindow(make_context(tmp_path / "data"), theme.LIGHT, TaskRegistry())
    qtbot.addWidget(window)
    window.show()
    window.resize(300, 200)
    assert (window.width(), window.height()) == (800, 600)
    qtbot.waitUntil(lambda: window.top_bar.width() == 800)
    window.top_bar.show_status("local", None, "")
    # Layouts settle on the next event pass; wait for them, then say what is wrong.
    with contextlib.suppress(TimeoutError):
        qtbot.waitUntil(lambda: not problems(window), timeout=2000)
    found = problems(window)
    assert not found, "\n".join(found)


def test_both_sidebar_lists_keep_rows_while_indexing_in_a_short_window(
    qtbot: QtBot, tmp_path: Path, styled: None
) -> None:
    window = MainWindow(make_context(tmp_path / "data"), theme.LIGHT, TaskRegistry())
    qtbot.addWidget(window)
    window.show()
    window.resize(800, 600)
    window.ingest_panel.start()
    for name in ("a.md", "b.md", "c.md", "d.md", "e.md", "f.md"):
        window.ingest_panel.file_state(f"/d/{name}", "reading")
    qtbot.waitUntil(lambda: window.ingest_panel.isVisible())
    qtbot.waitUntil(lambda: window.sidebar.conversations.height() >= 72)
    assert window.sidebar.kb_tree.height() >= 72
    assert window.height() == 600


def test_a_first_window_fits_the_screen_it_opens_on(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(make_context(tmp_path / "data"), theme.LIGHT, TaskRegistry())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.isVisible)
    room, frame = window.screen().availableGeometry(), window.frameGeometry()
    # As large as the screen allows, never below the window's 800x600 minimum.
    assert frame.height() <= room.height() and frame.top() >= room.top(), (room, frame)
    assert window.width() <= max(room.width() - 40, window.minimumWidth()), (room, frame)
    assert frame.left() >= room.left()
    assert window.width() >= 800 and window.height() >= 600


def test_the_knowledge_base_ticks_are_drawn_on_an_opaque_ground(
    qtbot: QtBot, tmp_path: Path, styled: None
) -> None:
    """A tick's box is filled with the tree's base colour: a transparent one drew the tick
    of the knowledge base asked in as a black box."""
    window = MainWindow(make_context(tmp_path / "data"), theme.LIGHT, TaskRegistry())
    qtbot.addWidget(window)
    window.show()
    tree = window.sidebar.kb_tree
    qtbot.waitUntil(tree.isVisible)
    base = tree.palette().color(QPalette.ColorRole.Base)
    assert base.alpha() == 255 and base.name() == theme.LIGHT.surface
