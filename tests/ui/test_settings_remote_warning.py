"""The Settings dialog says when the "local" Ollama server is another machine, and its
pages keep their notes beside what they are about."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.core.settings import Settings
from desktop.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.ui


def test_the_warning_follows_the_url_as_it_is_edited(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(
        Settings(), str(tmp_path), "no API key is set", "http://127.0.0.1:11434"
    )
    qtbot.addWidget(dialog)
    assert dialog.remote_warning.isHidden()

    dialog.local_url.clear()
    qtbot.keyClicks(dialog.local_url, "http://gpu-box:11434")
    assert not dialog.remote_warning.isHidden()
    assert "not on this computer" in dialog.remote_warning.text()
    assert "unencrypted" in dialog.remote_warning.text()

    dialog.local_url.setText("https://ollama.example.com")
    assert not dialog.remote_warning.isHidden()
    assert "encrypted, https" in dialog.remote_warning.text()

    dialog.local_url.setText("http://localhost:11434")
    assert dialog.remote_warning.isHidden()


def test_a_remote_url_is_flagged_when_the_dialog_opens(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(Settings(), str(tmp_path), "no API key is set", "http://10.0.0.5:11434")
    qtbot.addWidget(dialog)
    assert not dialog.remote_warning.isHidden()


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_privacy_page_keeps_its_note_under_the_data_location(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The note "Documents, the index and conversations stay in this folder." floated half
    a page below the data location it is about; it sits right under it."""
    dialog = SettingsDialog(Settings(), str(tmp_path), "no API key is set", "http://127.0.0.1:1")
    qtbot.addWidget(dialog)
    dialog.resize(620, 520)
    dialog.show()
    qtbot.waitExposed(dialog)
    bar = dialog.tabs.tabBar()
    privacy = next(i for i in range(bar.count()) if bar.tabText(i) == "Privacy and data")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(privacy).center())
    qtbot.waitUntil(lambda: dialog.data_location.isVisible())
    note = next(
        label
        for label in dialog.tabs.currentWidget().findChildren(QLabel)
        if label.text().startswith("Documents, the index")
    )
    field = dialog.data_location
    field_bottom = field.mapTo(dialog, field.rect().bottomLeft()).y()
    note_top = note.mapTo(dialog, note.rect().topLeft()).y()
    # The label itself grew to take the page's spare height, its line centred in it.
    assert 0 <= note_top - field_bottom < 24
    assert note.height() < 3 * note.fontMetrics().lineSpacing()
