"""Citations as kept with an answer: where the passage stands, and whether OCR read it."""

from __future__ import annotations

import pytest

from desktop.core.conversations import (
    Conversation,
    StoredCitation,
    StoredMessage,
    conversation_to_markdown,
)
from desktop.core.documents import Chunk

pytestmark = pytest.mark.unit

BOX = (0.1, 0.02, 0.9, 0.04)


def test_a_citation_keeps_offsets_mark_and_places_and_unknown_offsets_stay_unknown() -> None:
    chunk = Chunk("d:3", "d", "/a.pdf", 3, "text", 2, ("Terms",), 10, 14, True, (BOX,))
    citation = StoredCitation.of(1, chunk)
    assert (citation.start, citation.end, citation.ocr) == (10, 14, True)
    assert citation.regions == (BOX,) and citation.section == "Terms"
    legacy = StoredCitation.of(2, Chunk("d:0", "d", "/a.txt", 0, "text"))
    assert (legacy.start, legacy.end, legacy.ocr, legacy.regions) == (None, None, None, ())


TEXT = "Intro.\n\nThe pump runs at  forty\nlitres a minute.\n\nThe pump runs at forty litres."


def test_the_exported_sources_say_which_passage_was_read_by_ocr() -> None:
    scanned = StoredCitation(1, "/docs/scan.pdf", 2, "Invoice 4471.", ocr=True)
    typed = StoredCitation(2, "/docs/notes.md", None, "Paid.", ocr=False)
    answer = StoredMessage(2, 1, "assistant", "Paid [1][2].", 0.0, citations=(scanned, typed))
    text = conversation_to_markdown(Conversation(1, "Bills", 0.0, 0.0), [answer])
    assert "1. /docs/scan.pdf, page 2 (read by OCR)\n2. /docs/notes.md\n" in text
