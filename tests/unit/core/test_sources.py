"""Finding a passage in a document's text by its offsets, or by its words when the file
changed."""

from __future__ import annotations

import pytest

from desktop.core.chunking import chunk_document, full_text
from desktop.core.documents import LoadedDocument, TextSegment
from desktop.core.sources import find_passage

pytestmark = pytest.mark.unit

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
