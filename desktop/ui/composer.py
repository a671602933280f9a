"""The question box."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
)
from PySide6.QtWidgets import (
    QPlainTextEdit,
)

from desktop.ui.chosen_documents import from_mime


class Composer(QPlainTextEdit):
    """The question box: Enter sends, Shift+Enter adds a line; documents dragged from the
    knowledge tree onto it become what the next question is about.

    Signals:
        submitted: Enter was pressed.
        documents_dropped(ChosenDocuments): documents dropped onto the box.
    """

    submitted = Signal()
    documents_dropped = Signal(object)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if from_mime(event.mimeData()) is not None:
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt override)
        if from_mime(event.mimeData()) is not None:
            event.acceptProposedAction()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        chosen = from_mime(event.mimeData())
        if chosen is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.documents_dropped.emit(chosen)
