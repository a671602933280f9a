"""A watched folder in the window, kept indexed by the same folder watch as `hearth watch`:
a file added in a sub-folder is indexed, a file deleted leaves the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.e2e.test_knowledge_bases import ready_in
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def test_a_watched_folder_follows_its_files(
    qtbot: QtBot,
    harness_factory: Any,
    fake_ollama: FakeOllama,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "notes"
    (folder / "deep").mkdir(parents=True)
    (folder / "apples.md").write_text("# Apples\n\nApples are picked in September.\n")
    window = harness_factory(fake_ollama).window
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    add_menu = window.sidebar.add_button.menu()
    watch = next(a for a in add_menu.actions() if a.text() == "Watch folder…")
    watch.trigger()
    qtbot.waitUntil(lambda: ready_in(window, "default") == ["apples.md"], timeout=30_000)
    assert window.watched_folders() == [str(folder)]

    # A new file in a sub-folder (which a directory notification would not see) is indexed.
    (folder / "deep" / "pears.md").write_text("# Pears\n\nPears are picked in August.\n")
    qtbot.waitUntil(
        lambda: ready_in(window, "default") == ["apples.md", "pears.md"], timeout=30_000
    )
    # A deleted file leaves the knowledge base.
    (folder / "apples.md").unlink()
    qtbot.waitUntil(lambda: ready_in(window, "default") == ["pears.md"], timeout=30_000)
