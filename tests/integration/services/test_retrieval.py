"""HybridRetriever over real indexes: fusion of dense and keyword hits, filters, hiding of
documents that are not ready, diversity re-ranking."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.documents import DocumentStatus
from desktop.core.errors import KnowledgeBaseNotFound
from tests.integration.services.support import Stack, make_stack, write_paragraphs

pytestmark = pytest.mark.integration


async def _filled(tmp_path: Path) -> tuple[Stack, dict[str, str]]:
    root = tmp_path / "docs"
    paths = {
        "invoice": write_paragraphs(
            root / "invoice.txt",
            ["Invoice XK-4471 for consulting work.", "The total due is 4 200 euros."],
        ),
        "rust": write_paragraphs(
            root / "rust.md", ["Rust borrowing rules.", "Lifetimes of references in Rust."]
        ),
        "ru": write_paragraphs(root / "отчёт.txt", ["Выручка выросла на 12 процентов."]),
    }
    stack = make_stack(tmp_path / "data")
    await stack.ingest.ingest([root], "kb")
    ids = {}
    for name, path in paths.items():
        doc = stack.registry.get_document("kb", str(path))
        assert doc is not None
        ids[name] = doc.doc_id
    return stack, ids


async def test_hits_carry_chunks_scores_and_ranks(tmp_path: Path) -> None:
    stack, ids = await _filled(tmp_path)
    hits = await stack.retriever.search("invoice XK-4471", "kb", k=3)
    assert [h.rank for h in hits] == [1, 2, 3]
    top = hits[0]
    assert top.chunk.chunk_id == f"{ids['invoice']}:0"
    assert top.chunk.text == "Invoice XK-4471 for consulting work."
    assert top.chunk.source.endswith("invoice.txt")
    assert top.dense_score is not None and top.dense_score > 0.3
    assert top.lexical_score is not None and top.lexical_score > 0  # "invoice", "xk-4471"
    assert top.score == 1.0  # best on both sides after normalisation
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


async def test_filters_by_document(tmp_path: Path) -> None:
    stack, ids = await _filled(tmp_path)
    hits = await stack.retriever.search("Rust invoice", "kb", k=10, doc_ids={ids["rust"]})
    assert {h.chunk.doc_id for h in hits} == {ids["rust"]}
    assert len(hits) == 2
    assert await stack.retriever.search("Rust", "kb", doc_ids=set()) == []


async def test_documents_not_ready_are_never_returned(tmp_path: Path) -> None:
    stack, ids = await _filled(tmp_path)
    stack.registry.set_status([ids["invoice"]], DocumentStatus.INDEXING)
    hits = await stack.retriever.search("invoice XK-4471 total", "kb", k=10)
    assert hits and ids["invoice"] not in {h.chunk.doc_id for h in hits}
    filtered = await stack.retriever.search("invoice", "kb", doc_ids={ids["invoice"]})
    assert filtered == []

    stack.registry.set_status([ids["invoice"]], DocumentStatus.READY)
    stack.registry.begin_removal([ids["rust"]])
    hits = await stack.retriever.search("Rust borrowing lifetimes", "kb", k=10)
    assert ids["rust"] not in {h.chunk.doc_id for h in hits}
    assert ids["invoice"] in {h.chunk.doc_id for h in hits}


async def test_empty_knowledge_base_and_empty_query(tmp_path: Path) -> None:
    stack = make_stack(tmp_path / "data")
    await stack.kbs.create("empty")
    assert await stack.retriever.search("anything at all", "empty") == []
    stack2, _ = await _filled(tmp_path / "other")
    assert await stack2.retriever.search("   ", "kb") == []
    with pytest.raises(KnowledgeBaseNotFound):
        await stack.retriever.search("anything", "missing")


async def test_diversity_reranking_makes_room_for_other_passages(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    same = "Quarterly revenue grew strongly in the northern region."
    write_paragraphs(root / "copies.txt", [same, same + " ", same + "  "])
    write_paragraphs(root / "other.txt", ["Quarterly costs fell in the southern region."])
    stack = make_stack(tmp_path / "data")
    await stack.ingest.ingest([root], "kb")
    plain = await stack.retriever.search("quarterly revenue region", "kb", k=2)
    diverse = await stack.retriever.search("quarterly revenue region", "kb", k=2, mmr=True)
    assert {h.chunk.source.endswith("copies.txt") for h in plain} == {True}
    assert {Path(h.chunk.source).name for h in diverse} == {"copies.txt", "other.txt"}
    assert [h.rank for h in diverse] == [1, 2]
