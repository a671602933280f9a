"""The model picker in each mode: what it offers, where each model runs, and that the
model it shows is the one that answers (local, Ollama Cloud, and `:cloud` names through
a signed-in local server)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.app import WindowRun
from desktop.ui.main_window import MainWindow
from desktop.ui.theme import LIGHT
from desktop.ui.top_bar import ModelPicker
from tests.e2e.conftest import Harness, make_context
from tests.e2e.test_window import index
from tests.fakes.ollama_server import FakeModel, FakeOllama
from tests.fakes.plugin import cloud_models, local_models

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def offered(window: MainWindow) -> list[tuple[str, str]]:
    picker = window.top_bar.model_picker
    return [(picker.itemData(i).name, picker.itemData(i).where) for i in range(picker.count())]


def choose(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Pick a model with the keyboard, as a person would with the list closed."""
    picker = window.top_bar.model_picker
    picker.setFocus()
    target = next(i for i in range(picker.count()) if picker.itemData(i).name == name)
    key = Qt.Key.Key_Down if target > picker.currentIndex() else Qt.Key.Key_Up
    while picker.currentIndex() != target:
        qtbot.keyClick(picker, key)


def ask(qtbot: QtBot, window: MainWindow, question: str) -> int:
    """Ask with the keyboard; the key of the new answer once it has ended."""
    before = len(window.chat.entries())
    window.chat.composer.setPlainText(question)
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.chat.entries()) == before + 2)
    key = window.chat.entries()[-1].key
    qtbot.waitUntil(lambda: not window.chat.entry(key).streaming, timeout=20_000)
    return key


def test_cloud_and_auto_offer_the_live_catalogue_and_answer_with_the_choice(
    qtbot: QtBot,
    harness_factory: Any,
    fake_ollama: FakeOllama,
    fake_cloud: FakeOllama,
    tmp_path: Path,
) -> None:
    harness = harness_factory(fake_ollama, fake_cloud)
    window = harness.window
    provider = harness.ctx.settings.provider
    provider.cloud_model = ""  # the cloud is on and a key saved, but no cloud model chosen
    picker = window.top_bar.model_picker
    qtbot.waitUntil(lambda: picker.count() == 2)
    index(qtbot, window, tmp_path / "docs")

    qtbot.mouseClick(window.top_bar.mode_buttons["cloud"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: offered(window) == [("gpt-oss:120b", "cloud"), ("gemma4:31b", "cloud")])
    assert picker.currentText() == "gpt-oss:120b  ·  Ollama Cloud"
    assert harness.ctx.settings_store.load().settings.provider.cloud_model == "gpt-oss:120b"
    choose(qtbot, window, "gemma4:31b")
    assert harness.ctx.settings_store.load().settings.provider.cloud_model == "gemma4:31b"
    answer = window.chat.entry(ask(qtbot, window, "When are the apples picked?"))
    assert (answer.error, answer.provider, answer.model) == ("", "cloud", "gemma4:31b")

    # Auto offers both, each with where it runs; a catalogue model chosen there answers.
    qtbot.mouseClick(window.top_bar.mode_buttons["auto"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(offered(window)) == 4)
    assert offered(window) == [
        ("llama3.2:latest", "local"),
        ("qwen3:8b", "local"),
        ("gpt-oss:120b", "cloud"),
        ("gemma4:31b", "cloud"),
    ]
    assert picker.currentData().name == "llama3.2:latest"
    choose(qtbot, window, "gpt-oss:120b")
    assert picker.currentText() == "gpt-oss:120b  ·  Ollama Cloud"
    answer = window.chat.entry(ask(qtbot, window, "Who planted the orchard?"))
    assert (answer.error, answer.provider, answer.model) == ("", "cloud", "gpt-oss:120b")
    choose(qtbot, window, "qwen3:8b")
    answer = window.chat.entry(ask(qtbot, window, "Who planted the orchard?"))
    assert (answer.provider, answer.model) == ("local", "qwen3:8b")

    # Local offers only what runs on this computer.
    qtbot.mouseClick(window.top_bar.mode_buttons["local"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(offered(window)) == 2)
    assert {where for _, where in offered(window)} == {"local"}


def test_a_catalogue_model_is_chosen_from_the_models_dialog(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, fake_cloud: FakeOllama
) -> None:
    harness = harness_factory(fake_ollama, fake_cloud)
    window = harness.window
    models = window.models_controller.open(window)
    qtbot.waitUntil(lambda: models.catalogue.topLevelItemCount() == 2)
    assert not models.use_cloud_button.isEnabled()
    row = next(
        models.catalogue.topLevelItem(i)
        for i in range(2)
        if models.catalogue.topLevelItem(i).text(0) == "gemma4:31b"
    )
    models.catalogue.setCurrentItem(row)
    qtbot.mouseClick(models.use_cloud_button, Qt.MouseButton.LeftButton)
    assert window.top_bar.mode_buttons["cloud"].isChecked(), "Local switched to Cloud"
    saved = harness.ctx.settings_store.load().settings.provider
    assert (saved.mode, saved.cloud_model) == ("cloud", "gemma4:31b")
    qtbot.waitUntil(lambda: window.top_bar.model_picker.currentText().startswith("gemma4:31b"))
    models.close()


def test_without_a_key_cloud_mode_offers_the_signed_in_servers_cloud_names(
    qtbot: QtBot, running_loop: Any, tmp_path: Path
) -> None:
    server = FakeOllama(
        models=[*local_models(), FakeModel("gpt-oss:120b-cloud", capabilities=("completion",))],
        cloud_models=cloud_models(),
    )
    with server:
        ctx = make_context(tmp_path, server)
        ctx.settings.provider.cloud_enabled = True
        harness = Harness(qtbot, ctx)
        try:
            window = harness.window
            picker = window.top_bar.model_picker
            qtbot.waitUntil(lambda: picker.count() == 2)
            assert ("gpt-oss:120b-cloud", "through-local") not in offered(window)
            index(qtbot, window, tmp_path / "docs")
            qtbot.mouseClick(window.top_bar.mode_buttons["cloud"], Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: offered(window) == [("gpt-oss:120b-cloud", "through-local")])
            assert picker.currentText().endswith("Ollama Cloud, through local Ollama")
            answer = window.chat.entry(ask(qtbot, window, "Who planted the orchard?"))
            assert answer.error == ""
            assert answer.model == "gpt-oss:120b-cloud"
            assert server.requests_to("/api/chat")
        finally:
            harness.close()


def test_with_local_ollama_known_down_a_question_fails_at_once_with_the_fix(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    index(qtbot, window, tmp_path / "docs")
    url = harness.services.local.base_url
    fake_ollama.stop()
    window.providers.poll()
    qtbot.waitUntil(lambda: "not reachable" in window.top_bar.local_status.text())
    answer = window.chat.entry(ask(qtbot, window, "Who planted the orchard?"))
    # The window's own look at the server, not the adapter's message after its retries.
    assert answer.error == f"Local Ollama is not reachable at {url}."
    assert "Start Ollama" in answer.hint
    assert answer.content == ""


def test_cloud_off_is_a_grey_dot_not_a_failure(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama
) -> None:
    window = harness_factory(fake_ollama).window
    qtbot.waitUntil(lambda: "off" in window.top_bar.cloud_status.text())
    text = window.top_bar.cloud_status.text()
    assert LIGHT.error not in text and LIGHT.muted in text


def test_the_first_latency_shown_is_the_servers_not_the_start_up(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The knowledge base stays "opening" until the test lets it open.
    opened = asyncio.Event()
    knowledge = WindowRun.knowledge

    async def opening(self: WindowRun) -> Any:
        await opened.wait()
        return await knowledge(self)

    monkeypatch.setattr(WindowRun, "knowledge", opening)
    window = harness_factory(fake_ollama).window
    label = window.top_bar.local_status
    try:
        qtbot.waitUntil(lambda: "0.33.0" in label.text())
        # Measured while the knowledge base opens, a round trip is mostly start-up time.
        assert " ms" not in label.text()
    finally:
        opened.set()
    qtbot.waitUntil(lambda: " ms" in label.text())


def test_an_empty_picker_says_what_to_do(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    harness.ctx.settings.provider.cloud_enabled = True
    picker = window.top_bar.model_picker
    qtbot.waitUntil(lambda: picker.count() == 2)
    qtbot.mouseClick(window.top_bar.mode_buttons["cloud"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: picker.count() == 0)
    assert picker.currentIndex() == -1
    assert picker.placeholderText() == "Add an Ollama Cloud API key in Settings"


def test_with_the_cloud_off_cloud_mode_says_so_in_the_picker(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama
) -> None:
    """Not an empty box, nor a cloud model that would not answer: the picker and its
    tooltip say why nothing answers in this mode and what to do."""
    harness = harness_factory(fake_ollama)
    window = harness.window
    # A cloud model chosen before the cloud was turned off in Settings.
    harness.ctx.settings.provider.cloud_model = "gpt-oss:120b"
    picker = window.top_bar.model_picker
    qtbot.waitUntil(lambda: picker.count() > 0)
    qtbot.mouseClick(window.top_bar.mode_buttons["cloud"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: picker.count() == 0)
    hint = "Turn on Ollama Cloud in Settings"
    assert picker.currentIndex() == -1
    # The bar lays the picker out again for the hint's width on its next layout pass.
    qtbot.waitUntil(lambda: picker.shown_text() == hint)
    assert picker.toolTip().startswith(hint)
    assert picker.accessibleDescription() == hint
    # What is drawn: the hint's words, where an empty picker of that size draws none.
    blank = ModelPicker()
    qtbot.addWidget(blank)
    blank.resize(picker.size())
    assert picker.grab().toImage() != blank.grab().toImage()
