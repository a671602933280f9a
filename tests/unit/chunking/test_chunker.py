"""The chunker: limits, overlap, sections, CJK without spaces, exact offsets."""

from __future__ import annotations

import itertools

import pytest

from desktop.core.chunking import chunk_document, count_tokens, full_text
from desktop.core.documents import LoadedDocument, TextSegment

pytestmark = pytest.mark.unit


def doc(*segments: TextSegment) -> LoadedDocument:
    placed = []
    offset = 0
    for s in segments:
        placed.append(TextSegment(s.text, s.page, s.heading_path, offset, s.kind))
        offset += len(s.text) + 2
    return LoadedDocument("/tmp/x.md", tuple(placed))


def paragraphs(n: int, words: int = 40) -> str:
    return "\n\n".join(" ".join(f"word{p}x{w}" for w in range(words)) + "." for p in range(n))


def test_token_estimate_without_spaces() -> None:
    assert count_tokens("机器学习很有趣") == 7
    assert count_tokens("hello world") == pytest.approx(2.6)
    assert count_tokens("Привет мир") == pytest.approx(2.6)


def test_offsets_are_exact_and_limits_hold() -> None:
    d = doc(TextSegment(paragraphs(20)), TextSegment(paragraphs(3), page=2, heading_path=("B",)))
    chunks = chunk_document(d, doc_id="d1", max_tokens=120, overlap_tokens=30)
    text = full_text(d)
    assert len(chunks) > 5
    for i, c in enumerate(chunks):
        assert c.chunk_id == f"d1:{i}" and c.ordinal == i
        assert text[c.start : c.end] == c.text
        assert count_tokens(c.text) <= 120
        assert c.text.strip() == c.text and c.text


def test_never_crosses_a_segment_and_keeps_headings_and_pages() -> None:
    d = doc(
        TextSegment("alpha " * 30, heading_path=("A",)),
        TextSegment("beta " * 30, page=3, heading_path=("B", "b1")),
    )
    chunks = chunk_document(d, doc_id="d", max_tokens=500)
    assert [(c.heading_path, c.page) for c in chunks] == [(("A",), None), (("B", "b1"), 3)]
    assert "beta" not in chunks[0].text and "alpha" not in chunks[1].text


def test_neighbours_overlap() -> None:
    d = doc(TextSegment(paragraphs(12, words=20)))
    chunks = chunk_document(d, doc_id="d", max_tokens=80, overlap_tokens=40)
    shared = [
        set(a.text.split("\n\n")) & set(b.text.split("\n\n")) for a, b in itertools.pairwise(chunks)
    ]
    assert all(shared), "each pair of neighbours shares a paragraph"
    none = chunk_document(d, doc_id="d", max_tokens=80, overlap_tokens=0)
    assert len(none) < len(chunks)


def test_chinese_without_spaces_splits_at_sentence_marks() -> None:
    sentence = "机器学习是人工智能的一个分支，它让计算机从数据中学习。"
    d = doc(TextSegment(sentence * 40))
    chunks = chunk_document(d, doc_id="zh", max_tokens=100, overlap_tokens=0)
    assert len(chunks) > 3
    assert all(c.text.endswith("。") for c in chunks)
    assert all(count_tokens(c.text) <= 100 for c in chunks)


def test_code_blocks_stay_whole_when_they_fit() -> None:
    code = "def f(x):\n    return x + 1\n\n\ndef g(y):\n    return y * 2\n"
    d = doc(TextSegment("Intro text."), TextSegment(code, kind="code"))
    chunks = chunk_document(d, doc_id="c", max_tokens=200)
    assert chunks[1].text == code.strip()


def test_a_huge_single_line_is_cut_into_bounded_pieces() -> None:
    line = "x" * 10 + " " + "token " * 5000
    d = doc(TextSegment(line))
    chunks = chunk_document(d, doc_id="big", max_tokens=300, overlap_tokens=0)
    assert len(chunks) >= 20
    assert all(count_tokens(c.text) <= 300 for c in chunks)


def test_whitespace_only_gives_no_chunks() -> None:
    assert chunk_document(doc(TextSegment("   \n\n  ")), doc_id="w") == []
