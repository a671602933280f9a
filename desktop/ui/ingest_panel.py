"""Background work: the import progress panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class IngestPanel(QWidget):
    """Background work: per-file progress, an overall bar and Cancel.

    Signals:
        cancel_requested: the Cancel button.
        language_changed: another language was installed; whoever wrote the progress
            lines writes them again in it.
        running_changed: work started or ended (`running()` says which).
    """

    cancel_requested = Signal()
    language_changed = Signal()
    running_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 10)
        layout.setSpacing(4)
        row = QHBoxLayout()
        self.label = QLabel()
        self.label.setObjectName("Muted")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel indexing"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        row.addWidget(self.label, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.overall = QProgressBar()
        self.overall.setTextVisible(False)
        self.overall.setAccessibleName(self.tr("Overall indexing progress"))
        layout.addWidget(self.overall)
        self.files = QListWidget()
        self.files.setAccessibleName(self.tr("Files being indexed"))
        self.files.setMaximumHeight(110)
        layout.addWidget(self.files)
        self._items: dict[str, QListWidgetItem] = {}
        self.hide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        """Set the fixed texts again, and have the progress lines written again."""
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel indexing"))
        self.overall.setAccessibleName(self.tr("Overall indexing progress"))
        self.files.setAccessibleName(self.tr("Files being indexed"))
        self.language_changed.emit()

    def running(self) -> bool:
        """Work is under way (shown, and not yet finished)."""
        return not self.isHidden() and not self.cancel_button.isHidden()

    def start(self) -> None:
        self._items.clear()
        self.files.clear()
        self.overall.setRange(0, 0)
        self.label.setText(self.tr("Looking for files…"))
        self.cancel_button.show()
        self.files.show()
        self.show()
        self.running_changed.emit()

    def waiting(self, text: str) -> None:
        """Nothing can start yet: say why, with a busy bar (Cancel still works)."""
        self.overall.setRange(0, 0)
        self.label.setText(text)

    def file_state(self, path: str, text: str) -> None:
        item = self._items.get(path)
        if item is None:
            item = QListWidgetItem()
            item.setToolTip(path)
            self._items[path] = item
            self.files.addItem(item)
        item.setText(f"{Path(path).name} — {text}")

    def overall_progress(self, done: int, total: int) -> None:
        self.overall.setRange(0, max(total, 1))
        self.overall.setValue(done)
        self.label.setText(self.tr("Indexing: %1 of %n files", "", total).replace("%1", str(done)))

    def finished(self, text: str, *, complete: bool = True) -> None:
        """The work ended: a full bar only when it is `complete`; a cancelled import keeps
        the share it reached (a full bar read as "all done")."""
        self.label.setText(text)
        if complete:
            self.overall.setRange(0, 1)
            self.overall.setValue(1)
        elif self.overall.maximum() == 0:  # still "busy": nothing was counted yet
            self.overall.setRange(0, 1)
            self.overall.setValue(0)
        self.cancel_button.hide()
        self.files.hide()
        self.running_changed.emit()
