"""A second launch on the same data folder hands its files to the open window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import Services
from desktop.core.documents import DocumentStatus
from desktop.ui.main import run
from desktop.ui.main_window import MainWindow
from desktop.ui.single_instance import channel_name, hand_over
from tests.e2e.conftest import make_context
from tests.fakes.ollama_server import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]


def test_second_launch_hands_files_to_the_first(
    qapp: QApplication, fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    ctx = make_context(tmp_path, fake_ollama)
    doc = tmp_path / "handed.md"
    doc.write_text("# Handed over\n\nThe second launch brought this file.\n")
    name = channel_name(ctx.paths.data_dir)
    seen: dict[str, object] = {}
    services_box: list[Services] = []

    def check() -> None:
        opening = services_box[0]._knowledge  # the knowledge services, once they are open
        registry = opening.result().registry if opening is not None and opening.done() else None
        ready = registry.documents("default", [DocumentStatus.READY]) if registry else []
        if not any(d.path == str(doc) for d in ready):
            QTimer.singleShot(100, check)
            return
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        windows[0].close()

    def second_launch() -> None:
        seen["handed"] = hand_over(name, [str(doc)])
        QTimer.singleShot(100, check)

    async def open_services() -> Services:
        services = await Services.open(ctx)
        services_box.append(services)
        QTimer.singleShot(100, second_launch)
        return services

    assert run(ctx, open_services) == 0
    assert seen["handed"] is True
    assert hand_over(name, []) is False  # the window is gone: nobody listens any more
