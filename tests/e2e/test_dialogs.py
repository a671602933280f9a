"""Settings and Models against the fake servers: tests, saves, pulls, deletes, catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def test_settings_test_connections_and_save(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, fake_cloud: FakeOllama
) -> None:
    harness = harness_factory(fake_ollama, fake_cloud)
    window = harness.window
    window.open_settings()
    dialog = window.settings_controller.dialog
    assert dialog is not None
    assert dialog.local_url.text() == fake_ollama.url
    assert dialog.api_key.echoMode() == dialog.api_key.EchoMode.Password
    assert "OLLAMA_API_KEY" in dialog.key_source.text()
    assert fake_cloud.api_key not in dialog.key_source.text()
    dialog.test_local_button.click()
    qtbot.waitUntil(lambda: dialog.local_result.text().startswith("Connected"))
    assert (
        "Ollama 0.33.0" in dialog.local_result.text() and "3 models" in dialog.local_result.text()
    )
    dialog.test_cloud_button.click()
    qtbot.waitUntil(lambda: dialog.cloud_result.text() == "Connected: 2 cloud models")

    dialog.mode.setCurrentIndex(dialog.mode.findData("cloud"))
    dialog.top_k.setValue(5)
    dialog.scrub.setChecked(True)
    dialog.settings_saved.emit(dialog.edited())
    saved = harness.ctx.settings_store.load().settings
    assert saved.provider.mode == "cloud"
    assert saved.retrieval.top_k == 5
    assert saved.privacy.scrub_cloud_text is True
    assert saved.provider.local_url != fake_ollama.url, "the environment's URL is not saved"
    assert harness.services.router.mode.value == "cloud"
    assert window.top_bar.mode_buttons["cloud"].isChecked()
    settings_file = Path(harness.ctx.settings_store.path).read_text(encoding="utf-8")
    assert fake_cloud.api_key not in settings_file


def test_models_pull_with_progress_catalogue_and_delete(
    qtbot: QtBot,
    harness_factory: Any,
    fake_ollama: FakeOllama,
    fake_cloud: FakeOllama,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = harness_factory(fake_ollama, fake_cloud).window
    models = window.models_controller.open(window)
    qtbot.waitUntil(lambda: models.installed.topLevelItemCount() == 3)
    qtbot.waitUntil(lambda: models.installed.topLevelItem(0).text(4) != "")
    rows = {
        models.installed.topLevelItem(i).text(0): models.installed.topLevelItem(i) for i in range(3)
    }
    assert rows["qwen3:8b"].text(4) == "40,960"
    assert rows["nomic-embed-text:latest"].text(3) == "F16"
    qtbot.waitUntil(lambda: models.catalogue.topLevelItemCount() == 2)
    assert models.catalogue.topLevelItem(0).text(0) in {"gpt-oss:120b", "gemma4:31b"}

    fake_ollama.add_pullable("mistral:7b", (3_000_000, 12_000), chunk=500_000)
    models.pull_name.setText("mistral:7b")
    models.pull_button.click()
    qtbot.waitUntil(lambda: models.pull_status.text() == "mistral:7b is ready.", timeout=10_000)
    assert models.layers.topLevelItemCount() == 2
    assert models.pull_bar.value() == models.pull_bar.maximum()
    qtbot.waitUntil(lambda: models.installed.topLevelItemCount() == 4)

    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
    )
    target = next(
        models.installed.topLevelItem(i)
        for i in range(4)
        if models.installed.topLevelItem(i).text(0).startswith("mistral")
    )
    models.installed.setCurrentItem(target)
    models.delete_button.click()
    qtbot.waitUntil(lambda: models.installed.topLevelItemCount() == 3)
    assert fake_ollama.requests_to("/api/delete")
    models.close()


def test_claude_code_environment_points_at_this_windows_server(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama
) -> None:
    window = harness_factory(fake_ollama).window
    models = window.models_controller.open(window)
    qtbot.waitUntil(lambda: models.claude_model.count() == 3)
    models.claude_model.setCurrentText("qwen3:8b")
    models.claude_show.click()
    qtbot.waitUntil(lambda: "ANTHROPIC_BASE_URL" in models.claude_env.toPlainText(), timeout=30_000)
    env = models.claude_env.toPlainText()
    assert f"ANTHROPIC_BASE_URL='{fake_ollama.url}'" in env
    assert "ANTHROPIC_DEFAULT_SONNET_MODEL='qwen3:8b'" in env
    models.close()
