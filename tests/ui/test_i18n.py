"""Translations: complete, compiled, and every visible string of the window translated."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.core.conversations import StoredCitation
from desktop.core.models import ServerStatus
from desktop.core.sources import PageLocation
from desktop.ui import theme
from desktop.ui.main import I18N_DIR, install_translator
from desktop.ui.main_window import MainWindow
from desktop.ui.models_dialog import ModelsDialog
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.source_view import SourceView
from desktop.ui.tasks import TaskRegistry
from desktop.ui.welcome_dialog import WelcomeDialog
from tests.ui.context import make_context

pytestmark = [
    pytest.mark.ui,
    # The offscreen platform cannot resize windows to their size hints; a display can.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

UI_DIR = Path(__file__).resolve().parents[2] / "desktop" / "ui"
# Names that stay as they are in every language.
KEEP = {
    "Hearth",
    "Ollama",
    "Cloud",
    "Claude",
    "MCP",
    "Code",
    "Markdown",
    "PDF",
    "PNG",  # picture formats and OCR are names, written so in Russian and Chinese too
    "JPEG",
    "TIFF",
    "WebP",
    "OCR",
    "ONNX",
    "Word",
    "HTML",
    "API",
    "Ctrl",
    "Esc",
    "Enter",
    "Shift",
    "llama",
    "ollama",
    "serve",
    "pull",
    "com",
    "settings",
    "keys",
    "builtin",
    "bge",
    "Anthropic",
    "English",
    "OLLAMA",
    "KEY",
    "default",  # the first knowledge base's name: data, as a file name is
}
WORD = re.compile(r"[A-Za-z]{3,}")
# Paths and addresses are data, not words to translate.
PATH = re.compile(r"\S*[/\\]\S*")


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(__file__).parents[2] / ".venv" / "bin" / name)
    assert Path(found).exists(), f"{name} is installed with PySide6"
    return found


@pytest.mark.parametrize("language", ["ru", "zh_CN", "en"])
def test_every_source_string_is_translated(language: str, tmp_path: Path) -> None:
    """Russian and Chinese translate every string; English holds the plural forms."""
    ts = tmp_path / f"hearth_{language}.ts"
    shutil.copy(I18N_DIR / f"hearth_{language}.ts", ts)
    sources = sorted(str(p) for p in UI_DIR.glob("*.py"))
    only = ["-pluralonly"] if language == "en" else []
    subprocess.run(
        [tool("pyside6-lupdate"), *only, *sources, "-ts", str(ts)], check=True, capture_output=True
    )
    root = ET.parse(ts).getroot()
    messages = list(root.iter("message"))
    assert len(messages) > (5 if language == "en" else 150)
    untranslated = [
        m.findtext("source")
        for m in messages
        if m.find("translation") is not None and m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    ]
    assert untranslated == [], "run pyside6-lupdate and translate the new strings"


@pytest.mark.parametrize("language", ["ru", "zh_CN", "en"])
def test_compiled_translations_match_their_sources(language: str, tmp_path: Path) -> None:
    qm = tmp_path / "out.qm"
    subprocess.run(
        [tool("pyside6-lrelease"), str(I18N_DIR / f"hearth_{language}.ts"), "-qm", str(qm)],
        check=True,
        capture_output=True,
    )
    assert qm.read_bytes() == (I18N_DIR / f"hearth_{language}.qm").read_bytes()


def visible_texts(root: QWidget) -> Iterator[str]:
    """Every string a person can read in a widget tree (labels, buttons, tabs, headers...)."""
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if isinstance(w, QLabel):
            yield re.sub(r"<[^>]+>", " ", w.text())
        elif isinstance(w, QAbstractButton):
            yield w.text()
        elif isinstance(w, QGroupBox):
            yield w.title()
        elif isinstance(w, QLineEdit | QPlainTextEdit):
            yield w.placeholderText()
        elif isinstance(w, QComboBox):
            yield from (w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QTabWidget):
            yield from (w.tabText(i) for i in range(w.count()))
        elif isinstance(w, QTreeWidget):
            header = w.headerItem()
            yield from (header.text(i) for i in range(header.columnCount()))
        yield w.toolTip()
        yield w.accessibleName()


def english_words(texts: Iterator[str]) -> set[str]:
    found = set()
    for text in texts:
        for word in WORD.findall(PATH.sub(" ", text)):
            if word not in KEEP:
                found.add(word)
    return found


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    assert install_translator(qapp, "zh_CN") is not None
    yield
    install_translator(qapp, "en")


def build_all(qtbot: QtBot, tmp_path: Path) -> list[QWidget]:
    ctx = make_context(tmp_path / "data")
    window = MainWindow(ctx, theme.LIGHT, TaskRegistry())
    qtbot.addWidget(window)
    window.chat.show_empty("no_model")
    settings = SettingsDialog(ctx.settings, str(tmp_path), "OLLAMA_API_KEY", ctx.local_url)
    models = ModelsDialog()
    welcome = WelcomeDialog()
    welcome.show_local(ServerStatus(False), ctx.local_url, 0)
    # The source view on a page read by OCR, with the passage not found on it: every line
    # it can show.
    source = SourceView(theme.LIGHT)
    source.show_citations([StoredCitation(1, "/docs/报告", 2, "t", ocr=True)], 1)
    source.show_page(PageLocation("/docs/报告", 2, 3, ((0.1, 0.1, 0.5, 0.2),), True), QImage())
    for dialog in (settings, models, welcome, source):
        qtbot.addWidget(dialog)
    return [window, settings, models, welcome, source]


def test_chinese_window_has_no_untranslated_visible_string(
    qtbot: QtBot, tmp_path: Path, chinese: None
) -> None:
    widgets = build_all(qtbot, tmp_path)
    window = widgets[0]
    assert isinstance(window, MainWindow)
    assert window.chat.send_button.text() == "发送"
    assert window.top_bar.mode_buttons["local"].text() == "本地"
    assert window.chat.empty.headline.text() == "暂时没有可用的模型"
    leftovers = set()
    for widget in widgets:
        leftovers |= english_words(visible_texts(widget))
    assert leftovers == set(), sorted(leftovers)


@pytest.mark.parametrize("language", ["ru", "zh_CN"])
def test_qt_file_dialog_labels_are_translated(
    qtbot: QtBot, qapp: QApplication, language: str
) -> None:
    """Add documents opens Qt's own file dialog where there is no native one; its labels
    "&Look in:" and "Files of &type:" stayed English (Qt's catalogues lack the "&" forms)."""
    install_translator(qapp, language)
    try:
        dialog = QFileDialog()
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        labels = [label.text() for label in dialog.findChildren(QLabel)]
        assert len(labels) == 3
        assert english_words(iter(labels)) == set(), labels
    finally:
        install_translator(qapp, "en")


def test_english_window_is_english(qtbot: QtBot, tmp_path: Path) -> None:
    window = build_all(qtbot, tmp_path)[0]
    assert isinstance(window, MainWindow)
    assert window.chat.send_button.text() == "Send"
    # The walker does see English words when they are there.
    assert {"Send", "Search", "conversations"} <= english_words(visible_texts(window))


def test_a_window_built_in_english_is_retranslated_in_place(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    window = build_all(qtbot, tmp_path)[0]
    assert isinstance(window, MainWindow)
    assert window.top_bar.settings_button.text() == "Settings"
    try:
        assert install_translator(qapp, "zh_CN") is not None
        # Qt posts LanguageChange to every widget; each family sets its texts again.
        qtbot.waitUntil(lambda: window.chat.send_button.text() == "发送")
        assert window.top_bar.mode_buttons["local"].text() == "本地"
        assert english_words(visible_texts(window)) == set()
        install_translator(qapp, "en")
        qtbot.waitUntil(lambda: window.chat.send_button.text() == "Send")
        assert window.top_bar.settings_button.text() == "Settings"
    finally:
        install_translator(qapp, "en")
