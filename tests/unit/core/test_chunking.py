"""The chunker: limits, overlap, sections, boundaries, CJK without spaces, exact offsets."""

from __future__ import annotations

import itertools

import pytest

from desktop.core.chunking import chunk_document, full_text
from desktop.core.documents import Chunk, LoadedDocument, TextRegion, TextSegment
from desktop.core.text import estimate_tokens

pytestmark = pytest.mark.unit


def doc(*segments: TextSegment) -> LoadedDocument:
    """A document with its segments placed as the loaders place them (blank line apart)."""
    placed = []
    offset = 0
    for s in segments:
        placed.append(TextSegment(s.text, s.page, s.heading_path, offset, s.kind))
        offset += len(s.text) + 2
    return LoadedDocument("/tmp/x.md", tuple(placed))


def paragraphs(n: int, words: int = 40) -> str:
    return "\n\n".join(" ".join(f"word{p}x{w}" for w in range(words)) + "." for p in range(n))


def check_offsets(d: LoadedDocument, chunks: list[Chunk]) -> None:
    text = full_text(d)
    for i, c in enumerate(chunks):
        assert (c.chunk_id, c.ordinal, c.doc_id, c.source) == (
            f"{c.doc_id}:{i}",
            i,
            c.doc_id,
            d.path,
        )
        assert text[c.start : c.end] == c.text
        assert c.text.strip() and c.text == c.text.rstrip() and not c.text.startswith("\n")


def test_offsets_are_exact_and_limits_hold() -> None:
    d = doc(TextSegment(paragraphs(20)), TextSegment(paragraphs(3), page=2, heading_path=("B",)))
    chunks = chunk_document(d, doc_id="d1", max_tokens=120, overlap_tokens=30)
    assert len(chunks) > 5
    check_offsets(d, chunks)
    assert all(estimate_tokens(c.text) <= 120 for c in chunks)
    covered = "".join(c.text for c in chunks)
    assert all(f"word{p}x39." in covered for p in range(20))


def test_never_crosses_a_page_or_a_heading() -> None:
    d = doc(
        TextSegment("alpha " * 30, heading_path=("A",)),
        TextSegment("beta " * 30, page=3, heading_path=("B", "b1")),
        TextSegment("gamma " * 30, page=4, heading_path=("B", "b1")),
        TextSegment("delta " * 30, page=4, heading_path=("B", "b2")),
    )
    chunks = chunk_document(d, doc_id="d", max_tokens=500)
    assert [(c.heading_path, c.page, c.text.split()[0]) for c in chunks] == [
        (("A",), None, "alpha"),
        (("B", "b1"), 3, "beta"),
        (("B", "b1"), 4, "gamma"),
        (("B", "b2"), 4, "delta"),
    ]
    assert all(len(set(c.text.split())) == 1 for c in chunks)
    check_offsets(d, chunks)


def test_small_segments_of_one_section_share_a_chunk() -> None:
    code = "def f(x):\n    return x + 1\n\n\ndef g(y):\n    return y * 2"
    d = doc(
        TextSegment("Run this:", heading_path=("Guide",)),
        TextSegment(code, heading_path=("Guide",), kind="code"),
        TextSegment("Done.", heading_path=("Guide",)),
    )
    chunks = chunk_document(d, doc_id="c", max_tokens=200)
    assert [c.text for c in chunks] == [f"Run this:\n\n{code}\n\nDone."]
    check_offsets(d, chunks)


def test_code_blocks_stay_whole_when_they_fit() -> None:
    code = "\n".join(f"    value_{i} = compute({i}) + offset  # step {i}" for i in range(12))
    prose = paragraphs(4, words=30)
    d = doc(TextSegment(prose), TextSegment(code, kind="code"), TextSegment(prose))
    chunks = chunk_document(d, doc_id="c", max_tokens=estimate_tokens(code) + 5, overlap_tokens=0)
    assert code in [c.text for c in chunks]
    check_offsets(d, chunks)


def test_long_code_is_cut_between_lines() -> None:
    code = "\n".join(f"call_{i}(argument_{i}, other_{i})" for i in range(200))
    d = doc(TextSegment(code, kind="code"))
    chunks = chunk_document(d, doc_id="c", max_tokens=60, overlap_tokens=10)
    assert len(chunks) > 10
    lines = set(code.split("\n"))
    assert all(set(c.text.split("\n")) <= lines for c in chunks)
    assert all(estimate_tokens(c.text) <= 60 for c in chunks)
    check_offsets(d, chunks)


def test_neighbours_overlap_by_whole_sentences() -> None:
    d = doc(TextSegment(paragraphs(12, words=20)))
    chunks = chunk_document(d, doc_id="d", max_tokens=80, overlap_tokens=40)
    for a, b in itertools.pairwise(chunks):
        shared = set(a.text.split("\n\n")) & set(b.text.split("\n\n"))
        assert shared and estimate_tokens("\n\n".join(shared)) <= 40
        assert a.start < b.start < a.end
    none = chunk_document(d, doc_id="d", max_tokens=80, overlap_tokens=0)
    assert all(a.end <= b.start for a, b in itertools.pairwise(none))
    assert len(none) < len(chunks)


def test_sentences_overlap_inside_one_long_paragraph() -> None:
    sentences = [f"Sentence number {i} says something short." for i in range(40)]
    d = doc(TextSegment(" ".join(sentences)))
    chunks = chunk_document(d, doc_id="s", max_tokens=60, overlap_tokens=15)
    assert len(chunks) > 4
    for a, b in itertools.pairwise(chunks):
        assert a.text.endswith(".") and b.text.startswith("Sentence")
        assert b.start < a.end  # they share the last sentence(s)
    check_offsets(d, chunks)


def test_prefers_paragraph_breaks_to_sentence_ends() -> None:
    first = " ".join(f"Short sentence {i} here." for i in range(10))
    second = " ".join(f"Longer sentence {i} in the second paragraph." for i in range(5))
    d = doc(TextSegment(f"{first}\n\n{second}"))
    limit = estimate_tokens(first) + estimate_tokens(second) - 1
    chunks = chunk_document(d, doc_id="p", max_tokens=int(limit), overlap_tokens=0)
    assert chunks[0].text == first
    # Cutting at the paragraph would leave less than half a chunk: a sentence end wins.
    short = doc(TextSegment(f"Tiny.\n\n{second}"))
    limit = estimate_tokens("Tiny.") + estimate_tokens(second) - 1
    chunks = chunk_document(short, doc_id="p", max_tokens=int(limit), overlap_tokens=0)
    assert chunks[0].text.startswith("Tiny.\n\nLonger sentence 0") and chunks[0].text.endswith(".")


def test_chinese_and_japanese_without_spaces_split_at_sentence_marks() -> None:
    zh = "机器学习是人工智能的一个分支，它让计算机从数据中学习。"
    ja = "東京は日本の首都です！「本当？」"
    d = doc(TextSegment(zh * 40), TextSegment(ja * 30, heading_path=("日本",)))
    chunks = chunk_document(d, doc_id="zh", max_tokens=100, overlap_tokens=0)
    assert len(chunks) > 6
    assert all(c.text.endswith(("。", "！", "」")) for c in chunks)
    assert all(estimate_tokens(c.text) <= 100 for c in chunks)
    check_offsets(d, chunks)


def test_russian_sentences() -> None:
    text = " ".join(f"Это предложение номер {i}, и оно закончилось?" for i in range(60))
    d = doc(TextSegment(text))
    chunks = chunk_document(d, doc_id="ru", max_tokens=50, overlap_tokens=0)
    assert len(chunks) > 5
    assert all(c.text.startswith("Это") and c.text.endswith("?") for c in chunks)


def test_cjk_run_without_any_punctuation_is_cut_by_characters() -> None:
    d = doc(TextSegment("汉" * 1000))
    chunks = chunk_document(d, doc_id="h", max_tokens=100, overlap_tokens=0)
    assert [len(c.text) for c in chunks] == [100] * 10


def test_a_huge_single_line_is_cut_into_bounded_pieces() -> None:
    line = "x" * 10 + " " + "token " * 5000 + "y" * 100_000
    d = doc(TextSegment(line))
    chunks = chunk_document(d, doc_id="big", max_tokens=300, overlap_tokens=0)
    assert len(chunks) >= 20
    assert all(estimate_tokens(c.text) <= 300 for c in chunks)
    assert max(len(c.text) for c in chunks) <= 300 / 1.3 * 24 + 24
    check_offsets(d, chunks)


def test_offsets_hold_with_any_gap_between_segments() -> None:
    d = LoadedDocument(
        "/tmp/g.txt",
        (TextSegment("First part.", start=0), TextSegment("Second part.", start=20)),
    )
    chunks = chunk_document(d, doc_id="g")
    assert [c.text for c in chunks] == ["First part." + "\n" * 9 + "Second part."]
    check_offsets(d, chunks)


def test_whitespace_only_gives_no_chunks() -> None:
    assert chunk_document(doc(TextSegment("   \n\n  ")), doc_id="w") == []
    assert chunk_document(LoadedDocument("/tmp/e", ()), doc_id="e") == []


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
