"""The overlay shown while files are dragged over the window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)


class DropOverlay(QWidget):
    """Shown over the window while files are dragged over it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("DropOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        layout = QVBoxLayout(self)
        card = QWidget()
        card.setObjectName("DropCard")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        card.setFixedSize(420, 180)
        inner = QVBoxLayout(card)
        self.title = QLabel(self.tr("Drop to add"))
        self.title.setObjectName("Headline")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.target = QLabel()
        self.target.setObjectName("Muted")
        self.target.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inner.addStretch(1)
        inner.addWidget(self.title)
        inner.addWidget(self.target)
        inner.addStretch(1)
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignCenter)
        self.hide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self.title.setText(self.tr("Drop to add"))
        super().changeEvent(event)

    def show_for(self, kb: str, count: int) -> None:
        self.target.setText(
            self.tr("%n items into the knowledge base “%1”", "", count).replace("%1", kb)
        )
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()
