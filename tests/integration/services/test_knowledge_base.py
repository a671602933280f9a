"""KnowledgeBaseService: create, list, remove, reindex, remove a document, re-embed and swap."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from desktop.core.documents import DocumentStatus
from desktop.core.errors import EmbedderMismatch, KnowledgeBaseNotFound, StoreError
from desktop.core.events import FileRemoved
from desktop.core.knowledge_base import EmbedderSet, ExecutorEmbedder
from tests.fakes.embedder import HashingEmbedder
from tests.integration.services.support import (
    GatedEmbedder,
    index_state,
    make_stack,
    write_paragraphs,
)

pytestmark = pytest.mark.integration


def _docs(root: Path) -> list[Path]:
    return [
        write_paragraphs(root / "a.txt", ["Alpha invoice 42.", "Total 4 200 euros."]),
        write_paragraphs(root / "b.md", ["Rust borrowing.", "Lifetimes.", "Traits."]),
    ]


async def test_create_list_and_remove(tmp_path: Path) -> None:
    stack = make_stack(tmp_path / "data")
    created = await stack.kbs.create("  Проекты ")
    assert created.name == "Проекты"
    assert created.embedder_id == "test:hashing-32"
    with pytest.raises(StoreError, match="already exists"):
        await stack.kbs.create("Проекты")
    with pytest.raises(StoreError, match="needs a name"):
        await stack.kbs.create("  ")

    _docs(tmp_path / "docs")
    bad = tmp_path / "docs" / "bad.txt"
    bad.write_bytes(b"\xff\xfe")
    await stack.ingest.ingest([tmp_path / "docs"], "Проекты")
    [summary] = await stack.kbs.summaries()
    assert summary.record == created
    assert summary.status_counts == {DocumentStatus.READY: 2, DocumentStatus.FAILED: 1}
    assert summary.document_count == 3
    assert summary.chunk_count == 5
    failed = await stack.kbs.documents("Проекты", [DocumentStatus.FAILED])
    assert [d.path for d in failed] == [str(bad)]

    lexical_dir = stack.data / "lexical" / created.key
    assert lexical_dir.is_dir()
    await stack.kbs.remove("Проекты")
    assert await stack.kbs.summaries() == []
    assert not lexical_dir.exists()
    assert created.collection_name not in [c.name for c in stack.client.list_collections()]
    assert stack.registry.pending_drops() == []
    with pytest.raises(KnowledgeBaseNotFound):
        await stack.kbs.remove("Проекты")
    with pytest.raises(KnowledgeBaseNotFound):
        await stack.kbs.documents("Проекты")


async def test_remove_one_document(tmp_path: Path) -> None:
    stack = make_stack(tmp_path / "data")
    a, b = _docs(tmp_path / "docs")
    await stack.ingest.ingest([a, b], "kb")
    doc = stack.registry.get_document("kb", str(b))
    assert doc is not None
    await stack.kbs.remove_document("kb", doc.doc_id)
    vector_ids, lexical_ids = index_state(stack, "kb")
    assert vector_ids == lexical_ids
    assert len(vector_ids) == 2
    assert not any(c.startswith(doc.doc_id) for c in vector_ids)


async def test_reindex_reads_everything_again_and_drops_vanished_files(tmp_path: Path) -> None:
    stack = make_stack(tmp_path / "data")
    a, b = _docs(tmp_path / "docs")
    await stack.ingest.ingest([a, b], "kb")
    b.unlink()
    summary = await stack.kbs.reindex("kb", on_event=stack.record)
    assert (summary.ready, summary.skipped, summary.chunks) == (1, 0, 2)
    assert stack.of_type(FileRemoved) == [FileRemoved(str(b))]
    vector_ids, lexical_ids = index_state(stack, "kb")
    assert vector_ids == lexical_ids
    assert len(vector_ids) == 2


async def test_reembed_swaps_in_one_step_after_catching_up(tmp_path: Path) -> None:
    stack = make_stack(tmp_path / "data")
    a, b = _docs(tmp_path / "docs")
    await stack.ingest.ingest([a, b], "kb")
    old = stack.registry.get_kb("kb")

    new = GatedEmbedder(HashingEmbedder(48, name="new"), block_at=2)
    stack.embedders.use(new)
    progress: list[tuple[int, int]] = []
    task = asyncio.create_task(
        stack.kbs.reembed("kb", on_progress=lambda d, t: progress.append((d, t)))
    )
    await asyncio.wait_for(new.reached.wait(), 30)

    # Mid-way: the knowledge base still runs on the old embedder and collection...
    during = stack.registry.get_kb("kb")
    assert (during.embedder_id, during.collection_name) == (old.embedder_id, old.collection_name)
    assert during.pending_embedder_id == new.embedder_id
    # ...it still answers searches, embedding the query with the old embedder...
    hits = await stack.retriever.search("Alpha invoice", "kb", k=1)
    assert hits[0].chunk.text == "Alpha invoice 42."
    # ...and new files still go into it, with the old embedder.
    c = write_paragraphs(tmp_path / "docs" / "c.txt", ["Gamma report.", "Delta figures."])
    await stack.ingest.ingest([c], "kb")
    assert len(index_state(stack, "kb")[0]) == 7

    new.release.set()
    switched = await asyncio.wait_for(task, 30)
    assert (switched.embedder_id, switched.dimension) == (new.embedder_id, 48)
    assert switched.collection_name == during.pending_collection
    assert switched.pending_collection == ""
    assert progress[-1] == (3, 3)
    vector_ids, lexical_ids = index_state(stack, "kb")
    assert vector_ids == lexical_ids
    assert len(vector_ids) == 7
    names = [col.name for col in stack.client.list_collections()]
    assert old.collection_name not in names
    # The new collection refuses the old embedder: vectors never mix.
    with pytest.raises(EmbedderMismatch):
        stack.indexes.vector_index(switched.collection_name, old.embedder_id, old.dimension)
    # Searches and ingestion now use the new embedder.
    hits = await stack.retriever.search("Alpha invoice", "kb", k=1)
    assert hits[0].chunk.text == "Alpha invoice 42."
    d = write_paragraphs(tmp_path / "docs" / "d.txt", ["Epsilon."])
    assert (await stack.ingest.ingest([d], "kb")).ready == 1


async def test_cancelled_reembed_leaves_the_knowledge_base_as_it_was(tmp_path: Path) -> None:
    stack = make_stack(tmp_path / "data")
    await stack.ingest.ingest(_docs(tmp_path / "docs"), "kb")
    old = stack.registry.get_kb("kb")
    new = GatedEmbedder(HashingEmbedder(48, name="new"), block_at=2)
    stack.embedders.use(new)
    task = asyncio.create_task(stack.kbs.reembed("kb"))
    await asyncio.wait_for(new.reached.wait(), 30)
    pending = stack.registry.get_kb("kb").pending_collection
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    after = stack.registry.get_kb("kb")
    assert after == old
    names = [col.name for col in stack.client.list_collections()]
    assert pending not in names and old.collection_name in names
    assert stack.registry.pending_drops() == []


async def test_a_reembed_interrupted_by_a_crash_is_dropped_on_recover(tmp_path: Path) -> None:
    stack = make_stack(tmp_path / "data")
    await stack.ingest.ingest(_docs(tmp_path / "docs"), "kb")
    pending = stack.registry.begin_swap("kb", "test:new-48", 48)
    stack.indexes.vector_index(pending.pending_collection, "test:new-48", 48)

    report = await make_stack(tmp_path / "data").ingest.recover()
    assert report.abandoned_swaps == ("kb",)
    assert stack.registry.get_kb("kb").pending_collection == ""
    names = [col.name for col in stack.client.list_collections()]
    assert pending.pending_collection not in names


def test_embedder_set_finds_embedders_by_id() -> None:
    old = ExecutorEmbedder(HashingEmbedder(32))
    new = ExecutorEmbedder(HashingEmbedder(48, name="new"))
    embedders = EmbedderSet(old)
    embedders.use(new)
    assert embedders.current is new
    assert embedders.for_id(old.embedder_id) is old
    embedders.discard(old.embedder_id)
    embedders.discard(new.embedder_id)
    assert embedders.for_id(new.embedder_id) is new
    with pytest.raises(EmbedderMismatch, match=old.embedder_id):
        embedders.for_id(old.embedder_id)
