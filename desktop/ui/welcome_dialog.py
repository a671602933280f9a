"""The first-run welcome."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models import ServerStatus
from desktop.ui.theme import muted_label


class WelcomeDialog(QDialog):
    """The first-run welcome: is Ollama here, and what the cloud option is.

    Signals:
        action(str): "add" (add documents), "settings", or "start".
    """

    action = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Hearth"))
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        title = QLabel(self.tr("Welcome to Hearth"))
        title.setObjectName("Headline")
        layout.addWidget(title)
        layout.addWidget(
            muted_label(
                self.tr(
                    "Hearth answers questions from your own documents and cites the passages "
                    "it used. Your documents are indexed on this computer."
                )
            )
        )
        layout.addSpacing(10)
        local = QGroupBox(self.tr("Ollama on this computer"))
        local_layout = QVBoxLayout(local)
        self.local_state = QLabel(self.tr("Looking for Ollama…"))
        self.local_state.setWordWrap(True)
        self.local_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        local_layout.addWidget(self.local_state)
        layout.addWidget(local)
        cloud = QGroupBox(self.tr("Ollama Cloud (optional)"))
        cloud_layout = QVBoxLayout(cloud)
        cloud_layout.addWidget(
            muted_label(
                self.tr(
                    "When this computer is too small for a model, answers can be written by "
                    "Ollama Cloud with an API key. Nothing goes to the cloud unless you turn it "
                    "on, and every answer from the cloud is marked."
                )
            )
        )
        layout.addWidget(cloud)
        layout.addStretch(1)
        row = QHBoxLayout()
        settings = QPushButton(self.tr("Settings…"))
        settings.clicked.connect(lambda: self._choose("settings"))
        add = QPushButton(self.tr("Add documents…"))
        add.clicked.connect(lambda: self._choose("add"))
        start = QPushButton(self.tr("Start"))
        start.setObjectName("Primary")
        start.setDefault(True)
        start.clicked.connect(lambda: self._choose("start"))
        row.addWidget(settings)
        row.addStretch(1)
        row.addWidget(add)
        row.addWidget(start)
        layout.addLayout(row)

    def show_local(self, status: ServerStatus | None, url: str, models: int) -> None:
        if status is not None and status.reachable:
            text = self.tr("Found Ollama %1 at %2 with %n models.", "", models)
            self.local_state.setText(text.replace("%1", status.version).replace("%2", url))
        else:
            self.local_state.setText(
                self.tr(
                    "Ollama is not running at %1. Install it from ollama.com, start it with "
                    "“ollama serve”, then pull a model: “ollama pull llama3.2”."
                ).replace("%1", url)
            )

    def _choose(self, action: str) -> None:
        self.accept()
        self.action.emit(action)
