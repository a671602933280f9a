"""OCR in the window: the Settings switch, and the import panel's page-by-page progress
with a Cancel that stops between pages. Pages are rendered here; the real engines read
them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.settings_dialog import SettingsDialog
from tests.e2e.test_window import drop
from tests.fakes.ollama_server import FakeOllama

pytestmark = [pytest.mark.e2e, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _page(line: str) -> Image.Image:
    image = Image.new("L", (1000, 160), 255)
    ImageDraw.Draw(image).text((60, 60), line, font=ImageFont.truetype(LATIN, 34), fill=0)
    return image


def _panel_lines(window: MainWindow) -> list[str]:
    files = window.ingest_panel.files
    return [files.item(i).text() for i in range(files.count())]


def test_ocr_switched_off_in_settings_leaves_pictures_out_and_says_why(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    window = harness_factory(fake_ollama).window
    qtbot.mouseClick(window.top_bar.settings_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is not None)
    dialog = window.findChild(SettingsDialog)
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.ocr.isChecked()  # on by default
    dialog.ocr.click()
    box = dialog.findChild(QDialogButtonBox)
    assert isinstance(box, QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    photo = tmp_path / "photo.png"
    _page("The harbour fees rose in March.").save(photo)
    drop(window, [photo])
    reason = "photo.png is a picture and needs OCR, which is switched off in Settings."
    qtbot.waitUntil(lambda: any(reason in line for line in _panel_lines(window)), timeout=30_000)


@pytest.mark.timeout(300)
def test_the_import_panel_shows_ocr_pages_and_cancel_stops_between_them(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    window = harness_factory(fake_ollama).window
    scan = tmp_path / "ledger.pdf"
    first, *rest = [_page(f"Page {n} of the ledger.") for n in range(1, 4)]
    first.save(scan, save_all=True, append_images=rest)
    drop(window, [scan])
    qtbot.waitUntil(
        lambda: _panel_lines(window) == ["ledger.pdf — reading by OCR: page 1 of 3"],
        timeout=60_000,
    )
    qtbot.mouseClick(window.ingest_panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.ingest_panel.label.text() == "Indexing cancelled; finished files were kept.",
        timeout=120_000,
    )
    # Reading stopped before the second page.
    assert _panel_lines(window) == ["ledger.pdf — reading by OCR: page 1 of 3"]
