"""`hearth ingest`'s progress line."""

from __future__ import annotations

import io

from desktop.cli.knowledge import IngestView
from desktop.core.events import FileQueued, FileReading, FileRecognising


def test_a_scan_shows_the_page_ocr_is_reading() -> None:
    stream = io.StringIO()
    view = IngestView()
    view.line.stream, view.line.tty, view.line.interval = stream, False, 0.0
    view(FileQueued("/docs/scan.pdf"))
    view(FileReading("/docs/scan.pdf"))
    view(FileRecognising("/docs/scan.pdf", 3, 12))
    assert stream.getvalue().splitlines()[-1].endswith("scan.pdf (OCR: page 3 of 12)")
