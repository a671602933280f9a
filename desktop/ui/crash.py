"""An unexpected error shows a dialog with a report the person can copy, never a secret.

The report is built from a log record, so it passes the same redaction as every log line
(the API key and bearer tokens become ***) before anyone sees it.
"""

from __future__ import annotations

import logging
import platform
import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import __version__

log = logging.getLogger(__name__)

# Open reports, kept alive until closed (a dialog without a parent has no other owner).
_open: list[QMessageBox] = []

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def crash_report(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """Version, platform and the traceback, redacted like a log line."""
    record = logging.getLogRecordFactory()(
        __name__,
        logging.ERROR,
        __file__,
        0,
        "%s: %s",
        (exc_type.__name__, exc),
        (exc_type, exc, tb),
    )
    trace = record.exc_text or logging.Formatter().formatException((exc_type, exc, tb))
    return (
        f"Hearth {__version__}\nPython {sys.version.split()[0]} on {platform.platform()}\n\n"
        f"{record.getMessage()}\n\n{trace}"
    )


def show_crash(report: str, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(box.tr("Hearth hit a problem"))
    box.setText(box.tr("Something unexpected went wrong. Your documents and chats are safe."))
    box.setInformativeText(
        box.tr("If it happens again, copy the report and send it to us; it contains no keys.")
    )
    box.setDetailedText(report)
    copy = box.addButton(box.tr("Copy report"), QMessageBox.ButtonRole.ActionRole)
    copy.clicked.disconnect()  # keep the box open after copying
    copy.clicked.connect(lambda: QApplication.clipboard().setText(report))
    box.addButton(QMessageBox.StandardButton.Close)
    _open.append(box)
    box.finished.connect(lambda _: _open.remove(box) if box in _open else None)
    box.open()
    return box


def install_crash_handler(parent: Callable[[], QWidget | None]) -> ExceptHook:
    """Show `show_crash` for exceptions nothing else caught; returns the previous hook."""
    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        show_crash(crash_report(exc_type, exc, tb), parent())

    sys.excepthook = hook
    return previous
