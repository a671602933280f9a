"""Settings says what is going on: a typed key can be tested before it is saved, a key
that cannot be kept says so in the dialog, and an address set by OLLAMA_HOST is shown
as such (and never saved)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from desktop.ui.settings_dialog import SettingsDialog
from tests.e2e.conftest import Harness, make_context
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import CLOUD_KEY

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


@pytest.fixture
def no_keyring() -> Iterator[None]:
    original = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(original)


@pytest.fixture
def keyless(
    qtbot: QtBot, running_loop: Any, tmp_path: Path, fake_ollama: FakeOllama, fake_cloud: FakeOllama
) -> Iterator[Harness]:
    """A window with the cloud allowed but no key saved anywhere yet."""
    ctx = make_context(tmp_path, fake_ollama)
    ctx.env = {**ctx.env, "HEARTH_CLOUD_URL": fake_cloud.url}
    ctx.settings.provider.cloud_enabled = True
    harness = Harness(qtbot, ctx)
    yield harness
    harness.close()


def settings(window: MainWindow) -> SettingsDialog:
    window.open_settings()
    dialog = window.settings_controller.dialog
    assert dialog is not None
    return dialog


def test_test_connection_uses_the_key_typed_in(
    qtbot: QtBot, keyless: Harness, fake_cloud: FakeOllama
) -> None:
    dialog = settings(keyless.window)
    dialog.api_key.setText("sk-wrong")
    dialog.test_cloud_button.click()
    qtbot.waitUntil(lambda: dialog.cloud_result.text() != "")
    assert "No API key is set" not in dialog.cloud_result.text()
    assert not dialog.cloud_result.text().startswith("Connected")
    dialog.cloud_result.clear()
    dialog.api_key.setText(CLOUD_KEY)
    dialog.test_cloud_button.click()
    qtbot.waitUntil(lambda: dialog.cloud_result.text().startswith("Connected"))
    assert keyless.services.cloud is None, "testing saved nothing"
    assert fake_cloud.requests_to("/api/tags")
    dialog.reject()


def test_a_key_that_cannot_be_kept_says_so_in_the_dialog(
    qtbot: QtBot, keyless: Harness, no_keyring: None
) -> None:
    window = keyless.window
    dialog = settings(window)
    dialog.api_key.setText(CLOUD_KEY)
    dialog.save_key_button.click()
    qtbot.waitUntil(lambda: "no secure keyring" in dialog.cloud_result.text())
    assert not window.message_bar.isVisible(), "nothing said behind the dialog"
    dialog.reject()


def test_without_a_keyring_the_key_file_is_chosen_beside_the_key_and_used_at_once(
    qtbot: QtBot, keyless: Harness, no_keyring: None
) -> None:
    """The key-file choice sat on the Privacy page and counted only after the dialog's
    Save: the key pasted on Connections could not be kept until the dialog was closed and
    opened again. It is beside the key, and "Save key" uses it."""
    window = keyless.window
    qtbot.mouseClick(window.top_bar.settings_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.settings_controller.dialog is not None)
    dialog = window.settings_controller.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.api_key, CLOUD_KEY)
    qtbot.mouseClick(dialog.save_key_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no secure keyring" in dialog.cloud_result.text())

    assert dialog.key_file.isVisible(), "the choice is on the page with the key"
    qtbot.mouseClick(dialog.key_file, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_key_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "key file" in dialog.key_source.text())
    assert "less safe than a system keyring" in dialog.key_source.text()
    qtbot.waitUntil(lambda: keyless.services.cloud is not None)
    assert keyless.ctx.settings_store.load().settings.secrets.allow_file_fallback
    assert CLOUD_KEY not in dialog.key_source.text()
    dialog.reject()


def test_an_address_set_by_ollama_host_is_shown_and_never_saved(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama
) -> None:
    harness = harness_factory(fake_ollama)
    dialog = settings(harness.window)
    assert dialog.local_url.text() == fake_ollama.url
    assert dialog.local_url.isReadOnly()
    assert "OLLAMA_HOST" in dialog.url_source.text() and dialog.url_source.isVisible()
    titles = [box.title() for box in dialog.findChildren(type(dialog.cloud_group))]
    assert "Auto mode" not in titles and "Where answers are written" in titles
    dialog.settings_saved.emit(dialog.edited())
    saved = harness.ctx.settings_store.load().settings
    assert saved.provider.local_url != fake_ollama.url
