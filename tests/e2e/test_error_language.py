"""Failures from the core are told in the window's language, with their specifics (the
file's name, the model's name) kept."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.main import install_translator
from tests.e2e.conftest import drive
from tests.e2e.test_window import ask, drop
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

EXPECTED = {
    "ru": ("Файл “broken.docx” повреждён", "Модель nosuch:1b не установлена в локальном Ollama."),
    "zh_CN": ("“broken.docx” 已损坏", "本地 Ollama 中未安装模型 nosuch:1b。"),
    "en": ("broken.docx", "nosuch:1b"),
}


@pytest.fixture(params=["ru", "zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    install_translator(qapp, request.param)
    yield request.param
    install_translator(qapp, "en")


def test_a_failed_file_and_a_failed_answer_in_the_window_language(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path, language: str
) -> None:
    harness = harness_factory(fake_ollama)
    window = harness.window
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.md").write_text("# Notes\n\nThe orchard was planted in 1931.\n")
    broken = folder / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a Word file")
    drop(window, [folder])
    files = window.ingest_panel.files
    file_failure, answer_failure = EXPECTED[language]

    def failed_line() -> str:
        lines = [files.item(i).text() for i in range(files.count())]
        return next((line for line in lines if line.startswith("broken.docx")), "")

    qtbot.waitUntil(lambda: file_failure in failed_line(), timeout=30_000)
    tasks = harness.registries[-1]
    qtbot.waitUntil(lambda: not tasks.running("ingest"), timeout=30_000)
    if language == "en":  # the core's own sentence, as specific as it was written
        assert "damaged" in failed_line()

    harness.ctx.settings.provider.chat_model = "nosuch:1b"
    answer = window.chat.entry(ask(qtbot, window, "When was the orchard planted?"))
    assert answer_failure in answer.error
    if language == "en":
        assert f"is not available on the Ollama server at {fake_ollama.url}" in answer.error


STOPPED = {
    "ru": "Процесс индексации Hearth остановился",
    "zh_CN": "Hearth 的索引进程已停止",
    "en": "Hearth's indexing process stopped (SIGKILL)",
}


@pytest.mark.allow_warning_logs  # the process's end is logged as a warning
def test_an_indexing_process_that_dies_mid_import_is_said_in_the_window_language(
    qtbot: QtBot, harness_factory: Any, fake_ollama: FakeOllama, tmp_path: Path, language: str
) -> None:
    """Killed in the middle of an import, the indexing process is named in the window's
    language (not in English in a Russian window)."""
    harness = harness_factory(fake_ollama)
    window = harness.window
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(40):
        (folder / f"note{n:02}.md").write_text(f"# Note {n}\n\n" + "The mill's orchard. " * 200)
    drop(window, [folder])
    client = drive(qtbot, harness.services.knowledge())
    qtbot.waitUntil(lambda: window.ingest_panel.files.count() > 0, timeout=30_000)
    pid = client.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: STOPPED[language] in window.message_text.text(), timeout=30_000)
    tasks = harness.registries[-1]
    qtbot.waitUntil(lambda: not tasks.running("ingest"), timeout=30_000)
