"""OCR inside an ingestion run: progress page by page, a cancel that stops between pages,
and what the document list records of how a file was read (OCR pages, a repaired
encoding). Pages are rendered here and read by the real engines."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop.core.chunking import chunk_document
from desktop.core.documents import DocumentStatus, ReadingNotes
from desktop.core.events import FileRecognising, IngestSummary
from desktop.ingest.walk import FileReader
from tests.integration.services.support import Stack, make_stack

pytestmark = pytest.mark.integration

LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _page(line: str) -> Image.Image:
    """A short white page with one line of text, as a scanner would give it."""
    image = Image.new("L", (1000, 160), 255)
    ImageDraw.Draw(image).text((60, 60), line, font=ImageFont.truetype(LATIN, 34), fill=0)
    return image


def _scans(path: Path, lines: list[str]) -> Path:
    """A PDF of scanned pages (pictures only, no text layer)."""
    first, *rest = [_page(line) for line in lines]
    first.save(path, save_all=True, append_images=rest)
    return path


def _stack(data: Path) -> Stack:
    stack = make_stack(data)
    stack.ingest.reader = FileReader()
    stack.ingest.chunker = chunk_document
    return stack


@pytest.mark.timeout(300)
async def test_each_scanned_page_reports_progress_and_the_list_records_ocr(
    tmp_path: Path,
) -> None:
    scan = _scans(tmp_path / "scan.pdf", ["Harbour fees rose in March.", "Pilots work nights."])
    stack = _stack(tmp_path / "data")
    summary = await stack.ingest.ingest([scan], "kb", on_event=stack.record)
    assert summary.ready == 1
    pages = [(e.path, e.page, e.pages) for e in stack.of_type(FileRecognising)]
    assert pages == [(str(scan), 1, 2), (str(scan), 2, 2)]
    [record] = stack.registry.documents("kb", [DocumentStatus.READY])
    assert record.notes.ocr_pages == (1, 2)
    assert record.notes.uncertain_pages == ()
    assert not record.notes.repaired


@pytest.mark.timeout(300)
async def test_cancel_stops_between_pages(tmp_path: Path) -> None:
    scan = _scans(tmp_path / "scan.pdf", [f"Page {n} of the ledger." for n in range(1, 4)])
    stack = _stack(tmp_path / "data")
    first_page = asyncio.Event()

    def record(event: object) -> None:
        stack.record(event)  # type: ignore[arg-type]
        if isinstance(event, FileRecognising):
            first_page.set()

    task = asyncio.create_task(stack.ingest.ingest([scan], "kb", on_event=record))
    await asyncio.wait_for(first_page.wait(), 60)
    task.cancel()  # while page 1 is being read
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [e.page for e in stack.of_type(FileRecognising)] == [1]
    summary = stack.events[-1]
    assert isinstance(summary, IngestSummary) and summary.cancelled
    assert stack.registry.documents("kb") == []


async def test_a_repaired_text_encoding_is_recorded(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    # UTF-8 once read as Mac OS Roman and saved again as UTF-8.
    damaged = "# Запустить\n\nСервер запускается командой start.\n".encode().decode("mac_roman")
    note.write_text(damaged, encoding="utf-8")
    stack = _stack(tmp_path / "data")
    await stack.ingest.ingest([note], "kb", on_event=stack.record)
    [record] = stack.registry.documents("kb", [DocumentStatus.READY])
    assert record.notes == ReadingNotes(repaired=True)
