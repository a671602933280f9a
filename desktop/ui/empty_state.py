"""What to do next when there is nothing to chat about yet."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class EmptyState(QWidget):
    """What to do next when there is nothing to chat about yet.

    Signals:
        action(str): "add" (add documents) or "settings".
    """

    action = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addStretch(2)
        self.headline = QLabel()
        self.headline.setObjectName("Headline")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline.setWordWrap(True)
        self.body = QLabel()
        self.body.setObjectName("Muted")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setMaximumWidth(480)
        self.body.setMinimumWidth(240)
        self.button = QPushButton()
        self.button.setObjectName("Primary")
        self.button.clicked.connect(self._on_button_clicked)
        layout.addWidget(self.headline)
        layout.addSpacing(8)
        # Centred by stretches: an alignment flag would stop the layout from asking the
        # wrapped label for its height at this width (CJK text was cut off).
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.body)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addSpacing(16)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self._action = "add"
        self.show_state("empty")

    def show_state(self, state: str) -> None:
        """Show "empty" (nothing indexed), "indexing" (the first documents are being
        indexed), "no_model" (no server or model) or "ready"."""
        if state == "indexing":
            self.headline.setText(self.tr("Indexing your documents…"))
            self.body.setText(
                self.tr(
                    "You can ask as soon as the first ones are ready; the progress is under "
                    "the list on the left."
                )
            )
            self.button.setText(self.tr("Add documents…"))
            self._action = "add"
        elif state == "no_model":
            self.headline.setText(self.tr("No model can answer yet"))
            self.body.setText(
                self.tr(
                    "Start Ollama on this computer (ollama serve) and pull a model, "
                    "or add an Ollama Cloud API key in Settings."
                )
            )
            self.button.setText(self.tr("Open settings"))
            self._action = "settings"
        elif state == "ready":
            self.headline.setText(self.tr("Ask about your documents"))
            self.body.setText(self.tr("Answers cite the passages they use. Press Enter to send."))
            self.button.setText(self.tr("Add documents…"))
            self._action = "add"
        else:
            self.headline.setText(self.tr("Drop documents here to begin"))
            self.body.setText(
                self.tr(
                    "Drag files or folders anywhere onto this window, or use Add. "
                    "PDF, Word, Markdown, text, HTML and more are indexed on this computer."
                )
            )
            self.button.setText(self.tr("Add documents…"))
            self._action = "add"

    def _on_button_clicked(self) -> None:
        self.action.emit(self._action)
