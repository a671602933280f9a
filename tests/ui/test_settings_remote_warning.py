"""The Settings dialog says when the "local" Ollama server is another machine."""

from __future__ import annotations

from pathlib import Path

import pytest
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
