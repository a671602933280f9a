"""The passage behind a citation chip."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.conversations import StoredCitation


class CitationPreview(QDialog):
    """The passage behind a citation chip, with a button that opens the file.

    Signals:
        open_requested(str, int): the file path and the page (0 when none).
    """

    open_requested = Signal(str, int)

    def __init__(self, citation: StoredCitation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._citation = citation
        self.setWindowTitle(self.tr("Source [%1]").replace("%1", str(citation.number)))
        self.resize(560, 380)
        layout = QVBoxLayout(self)
        # The section and page tell apart two passages of one file.
        where = Path(citation.source).name
        if citation.section:
            where += " · " + citation.section
        if citation.page is not None:
            where += " · " + self.tr("page %1").replace("%1", str(citation.page))
        self.where = title = QLabel(where)
        title.setObjectName("Headline")
        title.setWordWrap(True)
        layout.addWidget(title)
        path = QLabel(citation.source)
        path.setObjectName("Muted")
        path.setWordWrap(True)
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(path)
        self.passage = QTextBrowser()
        self.passage.setPlainText(citation.text)
        self.passage.setAccessibleName(self.tr("Passage"))
        layout.addWidget(self.passage, 1)
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton(
            self.tr("Open file"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.setEnabled(Path(citation.source).exists())
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        self.open_button.clicked.connect(self._on_open_clicked)
        layout.addWidget(buttons)

    def _on_open_clicked(self) -> None:
        self.open_requested.emit(self._citation.source, self._citation.page or 0)
