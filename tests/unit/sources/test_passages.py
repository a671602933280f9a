"""Where a passage stands: OCR marks and line places kept through chunking, and finding a
passage in a document's text by its offsets, or by its words when the file changed."""

from __future__ import annotations

import pytest

from desktop.core.chunking import chunk_document, full_text
from desktop.core.conversations import (
    Conversation,
    StoredCitation,
    StoredMessage,
    conversation_to_markdown,
)
from desktop.core.documents import Chunk, LoadedDocument, TextRegion, TextSegment
from desktop.core.sources import find_passage

pytestmark = pytest.mark.unit

LINES = [f"Line {n} of the scanned contract names clause {n * 7}." for n in range(40)]
REGIONS = tuple(
    TextRegion(line, (0.1, 0.02 + n * 0.024, 0.9, 0.04 + n * 0.024)) for n, line in enumerate(LINES)
)


def test_an_ocr_page_gives_its_chunks_the_mark_and_the_places_of_their_own_lines() -> None:
    scanned = TextSegment("\n".join(LINES), page=2, ocr=True, regions=REGIONS)
    typed = TextSegment("A typed cover page.", page=1, start=len(scanned.text) + 2)
    document = LoadedDocument("/docs/contract.pdf", (scanned, typed))
    chunks = chunk_document(document, doc_id="d", max_tokens=60, overlap_tokens=0)
    on_scan = [c for c in chunks if c.page == 2]
    assert len(on_scan) > 2
    for chunk in on_scan:
        assert chunk.ocr is True
        places = {r.box for r in REGIONS if r.text in chunk.text}
        assert places and places <= set(chunk.regions)
        # Only the lines the chunk holds, and those it starts or ends inside.
        assert len(chunk.regions) <= len(places) + 2
    [cover] = [c for c in chunks if c.page == 1]
    assert cover.ocr is False and cover.regions == ()


def test_a_citation_keeps_offsets_mark_and_places_and_unknown_offsets_stay_unknown() -> None:
    chunk = Chunk("d:3", "d", "/a.pdf", 3, "text", 2, ("Terms",), 10, 14, True, (REGIONS[0].box,))
    citation = StoredCitation.of(1, chunk)
    assert (citation.start, citation.end, citation.ocr) == (10, 14, True)
    assert citation.regions == (REGIONS[0].box,) and citation.section == "Terms"
    legacy = StoredCitation.of(2, Chunk("d:0", "d", "/a.txt", 0, "text"))
    assert (legacy.start, legacy.end, legacy.ocr, legacy.regions) == (None, None, None, ())


TEXT = "Intro.\n\nThe pump runs at  forty\nlitres a minute.\n\nThe pump runs at forty litres."


def test_offsets_that_still_hold_are_used() -> None:
    passage = "The pump runs at forty litres."
    start = TEXT.rindex(passage)
    assert find_passage(TEXT, passage, (start, start + len(passage))) == (start, len(TEXT))


def test_a_changed_file_is_searched_and_the_occurrence_nearest_the_old_place_wins() -> None:
    passage = "The pump runs at forty litres."
    edited = "A new first line.\n" + TEXT
    start = edited.rindex(passage)
    # The old offsets now point at other text: the passage is found where it went.
    assert find_passage(edited, passage, (start - 18, start - 18 + len(passage))) == (
        start,
        start + len(passage),
    )


def test_other_spacing_still_finds_the_passage_and_absent_text_is_not_found() -> None:
    start, end = find_passage(TEXT, "The pump runs at forty litres a minute.")
    assert TEXT[start:end] == "The pump runs at  forty\nlitres a minute."
    assert find_passage(TEXT, "Nothing like this is here.") == (0, 0)


def test_a_long_passage_whose_end_changed_is_found_by_its_first_words() -> None:
    words = [f"w{n}" for n in range(100)]
    text = "Head.\n\n" + " ".join(words[:80]) + " changed tail."
    start, end = find_passage(text, " ".join(words))
    assert start == text.index("w0") and text[start:end].split() == words[:60]


def test_full_text_offsets_of_chunks_are_what_find_passage_confirms() -> None:
    document = LoadedDocument("/a.md", (TextSegment(TEXT),))
    [chunk] = chunk_document(document, doc_id="a")
    text = full_text(document)
    assert find_passage(text, chunk.text, chunk.offsets) == (chunk.start, chunk.end)


def test_the_exported_sources_say_which_passage_was_read_by_ocr() -> None:
    scanned = StoredCitation(1, "/docs/scan.pdf", 2, "Invoice 4471.", ocr=True)
    typed = StoredCitation(2, "/docs/notes.md", None, "Paid.", ocr=False)
    answer = StoredMessage(2, 1, "assistant", "Paid [1][2].", 0.0, citations=(scanned, typed))
    text = conversation_to_markdown(Conversation(1, "Bills", 0.0, 0.0), [answer])
    assert "1. /docs/scan.pdf, page 2 (read by OCR)\n2. /docs/notes.md\n" in text
