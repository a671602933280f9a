"""The reader process's messages: a document crosses whole, whatever its text holds."""

from __future__ import annotations

import io

import pytest

from desktop.core.documents import LoadedDocument, ReadingNotes, TextRegion, TextSegment
from desktop.ingest.framing import (
    document_from_json,
    document_messages,
    read_frame,
    segment_from_json,
    write_frame,
)

pytestmark = pytest.mark.unit


def test_a_document_crosses_unchanged_lone_surrogates_included() -> None:
    doc = LoadedDocument(
        "/docs/отчёт 报告.pdf",
        (
            TextSegment("Глава 1. 第一章 \ud800 broken pair", 3, ("Отчёт", "Итоги"), 0, "text"),
            TextSegment("def f():\n    return 1\n", None, (), 31, "code"),
            TextSegment(
                "Скан 扫描",
                4,
                (),
                54,
                "text",
                ocr=True,
                regions=(TextRegion("Скан 扫描", (0.1, 0.2, 0.9, 0.25)),),
            ),
        ),
        title="Отчёт",
        encoding="utf-16-le",
        mime="application/pdf",
        notes=ReadingNotes(ocr_pages=(4,), uncertain_pages=(4,), repaired=True),
    )
    stream = io.BytesIO()
    for message in document_messages(doc):
        write_frame(stream, message)
    write_frame(stream, {"ready": True})
    stream.seek(0)

    # What OCR read (its lines' places) and how the text was read cross too.
    frames = [read_frame(stream) for _ in range(4)]
    assert all(f is not None for f in frames)
    segments = [segment_from_json(f["segment"]) for f in frames[:3] if f is not None]
    last = frames[3]
    assert last is not None
    assert document_from_json(last["document"], segments) == doc
    assert read_frame(stream) == {"ready": True}
    assert read_frame(stream) is None  # the end of the stream


def test_a_cut_message_reads_as_the_end() -> None:
    stream = io.BytesIO()
    write_frame(stream, {"document": {"path": "x"}})
    cut = io.BytesIO(stream.getvalue()[:-3])
    assert read_frame(cut) is None
