"""The entry point desktop.app calls: run(ctx, open_services) shows the window and returns."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import Services
from desktop.ui.main import run
from desktop.ui.main_window import MainWindow
from desktop.ui.welcome_dialog import WelcomeDialog
from tests.e2e.conftest import make_context
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def test_run_opens_the_services_welcomes_and_closes_cleanly(
    qapp: QApplication, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    ctx = make_context(tmp_path, fake_ollama)
    seen: dict[str, object] = {}

    def close_when_ready() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        welcome = [w for w in qapp.topLevelWidgets() if isinstance(w, WelcomeDialog)]
        welcome += [d for w in windows for d in w.findChildren(WelcomeDialog)]
        found = welcome and "Found Ollama 0.33.0" in welcome[0].local_state.text()
        if not found:
            QTimer.singleShot(50, close_when_ready)
            return
        seen["welcome"] = welcome[0].local_state.text()
        seen["frozen"] = gc.get_freeze_count()
        seen["services"] = windows[0].services
        windows[0].close()

    async def open_services() -> Services:
        services = await Services.open(ctx)
        QTimer.singleShot(50, close_when_ready)
        return services

    assert run(ctx, open_services) == 0
    gc.unfreeze()  # the next tests' collections see this test's objects again
    assert fake_ollama.url in str(seen["welcome"])
    # The embedding model among the three installed cannot answer: it is not counted.
    assert "with 2 models" in str(seen["welcome"])
    assert isinstance(seen["services"], Services)
    # What start-up built is out of the collector's reach (a full collection walked it all
    # and stalled the window); the test run's own objects are frozen with it.
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 0
    state = json.loads((ctx.paths.data_dir / "window.json").read_text(encoding="utf-8"))
    assert state["welcomed"] is True
    assert "geometry" in state
