"""The crash dialog: a copyable report with the version and traceback, and no secret."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.infra.logging import install_record_redaction, register_secret
from desktop.ui.crash import crash_report, install_crash_handler, show_crash

pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]
SECRET = "sk-crash-canary-0f9e8d7c"


def failure() -> tuple[type[BaseException], BaseException, object]:
    try:
        raise RuntimeError(f"request failed with Authorization: Bearer {SECRET} and key {SECRET}")
    except RuntimeError as exc:
        return type(exc), exc, exc.__traceback__


def test_report_is_redacted_and_copyable(qtbot: QtBot, qapp: QApplication) -> None:
    install_record_redaction()
    register_secret(SECRET)
    exc_type, exc, tb = failure()
    report = crash_report(exc_type, exc, tb)  # type: ignore[arg-type]
    assert "Hearth 0.1.0" in report and "RuntimeError" in report and "in failure" in report
    assert SECRET not in report
    box = show_crash(report)
    qtbot.addWidget(box)
    assert box.detailedText() == report
    copy = next(b for b in box.buttons() if b.text() == "Copy report")
    copy.click()
    assert qapp.clipboard().text() == report
    assert box.isVisible()  # copying leaves the report open
    box.close()


def test_hook_shows_the_dialog_and_logs(
    qtbot: QtBot, qapp: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    install_record_redaction()
    register_secret(SECRET)
    previous = install_crash_handler(lambda: None)
    try:
        sys.excepthook(*failure())  # type: ignore[arg-type]
    finally:
        sys.excepthook = previous
    boxes = [w for w in qapp.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and "RuntimeError" in boxes[-1].detailedText()
    assert "unexpected error" in caplog.text and SECRET not in caplog.text
    for box in boxes:
        box.close()
