"""Settings and Models against the fake servers: tests, saves, pulls, deletes, catalogue."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.app import bootstrap
from desktop.core.models import ProviderKind
from desktop.core.settings import Settings
from desktop.indexer.client import IndexerClient
from desktop.ui.settings_dialog import SettingsDialog
from tests.e2e.conftest import Harness, drive
from tests.e2e.test_window import ask, index
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import local_models

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
    # The next answer is routed by the saved mode.
    route = drive(qtbot, harness.services.providers.route())
    assert route.kind is ProviderKind.CLOUD
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


def test_a_new_server_address_and_embedding_model_apply_without_restart(
    qtbot: QtBot, qapp: Any, running_loop: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    with FakeOllama(models=local_models()) as other:
        ctx = bootstrap(str(tmp_path / "data"), env={"HOME": str(tmp_path)})
        ctx.settings.provider.local_url = fake_ollama.url
        ctx.settings.provider.chat_model = "llama3.2"
        ctx.settings.provider.mode = "local"
        harness = Harness(qtbot, ctx)
        try:
            window = harness.window
            index(qtbot, window, tmp_path / "docs")
            window.open_settings()
            dialog = window.settings_controller.dialog
            assert dialog is not None
            dialog.local_url.setText(other.url)
            dialog.test_local_button.click()  # tests the typed address, before saving
            qtbot.waitUntil(lambda: dialog.local_result.text().startswith("Connected"))
            assert other.requests_to("/api/version")
            dialog.embedder.setText("ollama:nomic-embed-text")
            dialog.settings_saved.emit(dialog.edited())

            qtbot.waitUntil(lambda: harness.services.local.base_url == other.url)
            qtbot.waitUntil(
                lambda: window.message_text.text().startswith("Now embedding with"),
                timeout=20_000,
            )
            record = drive(qtbot, _kb_record(harness))
            qtbot.waitUntil(
                lambda: drive(qtbot, _kb_record(harness)).embedder_id == "ollama:nomic-embed-text",
                timeout=30_000,
            )
            assert record.name == "default"
            # The new server embeds and answers; the old one is not asked again.
            embedded_before = len(fake_ollama.requests_to("/api/embed"))
            assert other.requests_to("/api/embed")
            key = ask(qtbot, window, "Who planted the orchard?")
            assert window.chat.entry(key).error == ""
            assert window.chat.entry(key).citations
            assert other.requests_to("/api/chat")
            assert not fake_ollama.requests_to("/api/chat")
            assert len(fake_ollama.requests_to("/api/embed")) == embedded_before
        finally:
            harness.close()


async def _kb_record(harness: Harness) -> Any:
    knowledge = await harness.services.knowledge()
    [summary] = [s for s in await knowledge.kbs.summaries() if s.record.name == "default"]
    return summary.record


def test_an_embedding_model_the_server_lacks_is_refused_and_the_old_one_stays(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    window.open_settings()
    dialog = window.settings_controller.dialog
    assert dialog is not None
    dialog.embedder.setText("ollama:no-such-embedder")
    dialog.settings_saved.emit(dialog.edited())
    qtbot.waitUntil(lambda: "no-such-embedder" in window.message_text.text(), timeout=20_000)
    assert harness.ctx.settings.embedding.embedder == "builtin"
    assert harness.ctx.settings_store.load().settings.embedding.embedder == "builtin"


@pytest.mark.parametrize("frozen", [True, False])
def test_claude_code_panel_runs_hearth_like_the_command_line(
    qtbot: QtBot,
    harness_factory: Any,
    fake_ollama: FakeOllama,
    monkeypatch: pytest.MonkeyPatch,
    frozen: bool,
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    monkeypatch.setattr(sys, "executable", "/opt/hearth/hearth" if frozen else "/venv/bin/python")
    if frozen:
        monkeypatch.setattr(sys, "frozen", True, raising=False)
    else:
        monkeypatch.delattr(sys, "frozen", raising=False)
    process = window.models_controller._hearth("claude-env")
    data_dir = str(harness.ctx.paths.data_dir)
    if frozen:
        assert process.program() == "/opt/hearth/hearth"
        assert process.arguments() == ["--data-dir", data_dir, "claude-env"]
    else:
        assert process.program() == "/venv/bin/python"
        assert process.arguments() == ["-m", "desktop", "--data-dir", data_dir, "claude-env"]


def test_pull_progress_says_its_steps_in_words_not_ollama_status_lines(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama
) -> None:
    """The line under the bar said Ollama's own status ("pulling 4f2a6c1e9b7d", in a
    Chinese window too); it says the step, and the layers' ids stay in their table."""
    window = harness_factory(fake_ollama).window
    models = window.models_controller.open(window)
    fake_ollama.add_pullable("phi4:14b", (400_000_000, 12_000), chunk=2_000_000)
    fake_ollama.set_token_delay(0.01)
    seen: list[str] = []
    models.pull_name.setText("phi4:14b")
    qtbot.mouseClick(models.pull_button, Qt.MouseButton.LeftButton)

    def downloading() -> bool:
        seen.append(models.pull_status.text())
        return models.pull_status.text().startswith("Downloading · ")

    qtbot.waitUntil(downloading, timeout=10_000)
    assert not any("pulling" in line for line in seen)
    layer = models.layers.topLevelItem(0)
    assert layer is not None and len(layer.text(0)) == 12  # the layer's id, in its table
    qtbot.mouseClick(models.pull_cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: models.pull_status.text() == "Pull cancelled.")


def test_a_cancelled_pull_ends_and_shows_its_own_state(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    models = window.models_controller.open(window)
    fake_ollama.add_pullable("mistral:7b", (3_000_000,), chunk=500_000)
    models.pull_name.setText("mistral:7b")
    models.pull_button.click()
    qtbot.waitUntil(lambda: models.pull_status.text() == "mistral:7b is ready.", timeout=10_000)
    assert models.pull_bar.value() == models.pull_bar.maximum()

    fake_ollama.add_pullable("phi4:14b", (400_000_000, 12_000), chunk=2_000_000)
    fake_ollama.set_token_delay(0.01)
    models.pull_name.setText("phi4:14b")
    models.pull_button.click()
    qtbot.waitUntil(lambda: models.pull_status.text().startswith("Downloading · "))
    models.pull_cancel.click()
    qtbot.waitUntil(lambda: models.pull_status.text() == "Pull cancelled.")
    qtbot.waitUntil(lambda: not pulling())
    assert models.pull_button.isEnabled() and not models.pull_cancel.isEnabled()
    assert models.pull_bar.value() < models.pull_bar.maximum(), "a cancelled pull is not full"

    # A failed pull shows its own failure, not the last pull's full bar.
    models.pull_name.setText("no-such-model")
    models.pull_button.click()
    qtbot.waitUntil(lambda: "does not exist" in models.pull_status.text())
    assert models.pull_bar.value() < models.pull_bar.maximum()
    assert models.pull_bar.maximum() > 0, "the bar no longer shows a download under way"

    # Closing the dialog in the middle of a pull ends the pull too.
    models.pull_name.setText("phi4:14b")
    models.pull_button.click()
    qtbot.waitUntil(lambda: models.pull_status.text().startswith("Downloading · "))
    models.reject()
    qtbot.waitUntil(lambda: not pulling(), timeout=10_000)


def pulling() -> bool:
    return any(t.get_name() == "pull" and not t.done() for t in asyncio.all_tasks())


def test_reading_limits_typed_in_settings_reach_the_indexing_process(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the indexing process does with settings it gets is tested in
    # tests/integration/indexer; here: the window sends the ones typed.
    sent: list[Settings] = []
    call = IndexerClient.call

    async def recording(self: IndexerClient, name: str, /, *args: Any, **kwargs: Any) -> Any:
        if name == "apply_settings":
            sent.append(args[0])
        return await call(self, name, *args, **kwargs)

    monkeypatch.setattr(IndexerClient, "call", recording)
    harness = harness_factory(fake_ollama)
    drive(qtbot, harness.services.knowledge())
    window = harness.window
    qtbot.mouseClick(window.top_bar.settings_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is not None)
    dialog = window.findChild(SettingsDialog)
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.tabs.setCurrentIndex(1)  # Answers
    for box, text in ((dialog.read_seconds, "45"), (dialog.read_megabytes, "512")):
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, text)
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    qtbot.waitUntil(
        lambda: (
            bool(sent)
            and (sent[-1].reading.time_limit_s, sent[-1].reading.memory_limit_mb) == (45, 512)
        )
    )
    saved = harness.ctx.settings_store.load().settings
    assert (saved.reading.time_limit_s, saved.reading.memory_limit_mb) == (45, 512)


def test_popular_models_to_browse_and_pull(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama
) -> None:
    window = harness_factory(fake_ollama).window
    window.top_bar.models_button.click()
    models = window.models_controller.dialog
    assert models is not None
    models.tabs.setCurrentWidget(models.popular.parentWidget())
    popular = models.popular

    def row(name: str) -> list[str]:
        """The columns of a model's row as shown now ([] when it is not listed)."""
        for i in range(popular.topLevelItemCount()):
            item = popular.topLevelItem(i)
            if item.text(0) == name:
                return [item.text(c) for c in range(5)]
        return []

    qtbot.waitUntil(lambda: popular.topLevelItemCount() > 10)
    for name in ("llama3.2:3b", "qwen2.5:7b", "gemma3:4b", "mistral:7b", "bge-m3"):
        assert row(name), name
    assert row("qwen2.5:7b")[1:3] == ["4.7 GB", "7.6B"]
    assert "cannot write answers" in row("bge-m3")[4]
    # What the fake server has installed is marked so.
    qtbot.waitUntil(lambda: row("nomic-embed-text")[4].startswith("Installed"))
    assert not models.pull_popular_button.isEnabled()

    fake_ollama.add_pullable("qwen2.5:7b", (3_000_000, 12_000), chunk=500_000)
    target = next(
        popular.topLevelItem(i)
        for i in range(popular.topLevelItemCount())
        if popular.topLevelItem(i).text(0) == "qwen2.5:7b"
    )
    popular.setCurrentItem(target)
    assert models.pull_popular_button.text() == "Pull qwen2.5:7b"
    models.pull_popular_button.click()
    qtbot.waitUntil(lambda: models.pull_status.isVisible())
    qtbot.waitUntil(lambda: models.pull_status.text() == "qwen2.5:7b is ready.", timeout=10_000)
    assert models.pull_bar.isVisible() and models.pull_bar.value() == models.pull_bar.maximum()
    qtbot.waitUntil(lambda: row("qwen2.5:7b")[4].startswith("Installed"))
    assert "qwen2.5:7b" in fake_ollama.models
