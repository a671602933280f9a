"""IngestService end to end: real files, real SQLite, real chromadb, a persisted lexical index."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop.core.documents import DocumentStatus
from desktop.core.errors import EmbedderMismatch, ProviderUnreachable
from desktop.core.events import (
    FileEmbedding,
    FileFailed,
    FileQueued,
    FileReady,
    FileRemoved,
    FileSkipped,
    IngestSummary,
)
from desktop.core.knowledge_base import ExecutorEmbedder
from tests.fakes.embedder import HashingEmbedder
from tests.integration.services.support import (
    GatedEmbedder,
    Stack,
    index_state,
    make_stack,
    write_paragraphs,
)

pytestmark = pytest.mark.integration


def _corpus(root: Path) -> dict[str, Path]:
    return {
        "invoice": write_paragraphs(
            root / "invoice.txt",
            ["Invoice 2024-117 for consulting.", "Total due: 4 200 euros.", "Pay by March."],
        ),
        "notes": write_paragraphs(
            root / "sub" / "notes.md",
            ["# Rust notes", "Borrowing rules keep references valid.", "Lifetimes name scopes."],
        ),
        "ru": write_paragraphs(
            root / "sub" / "отчёт.txt", ["Выручка выросла на 12%.", "Расходы снизились."]
        ),
    }


def _ready_paths(stack: Stack, kb: str) -> set[str]:
    return {d.path for d in stack.registry.documents(kb, [DocumentStatus.READY])}


async def test_ingest_a_folder_makes_every_file_ready_and_searchable(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "docs")
    stack = make_stack(tmp_path / "data")
    summary = await stack.ingest.ingest([tmp_path / "docs"], "work", on_event=stack.record)

    assert (summary.files, summary.ready, summary.failed, summary.chunks) == (3, 3, 0, 8)
    assert not summary.cancelled
    assert stack.events[-1] == summary
    assert {e.path for e in stack.of_type(FileQueued)} == {str(p) for p in files.values()}
    ready = {e.path: e.chunk_count for e in stack.of_type(FileReady)}
    assert ready == {str(files["invoice"]): 3, str(files["notes"]): 3, str(files["ru"]): 2}
    progress = [e for e in stack.of_type(FileEmbedding) if e.path == str(files["invoice"])]
    assert progress[-1] == FileEmbedding(str(files["invoice"]), 3, 3)

    vector_ids, lexical_ids = index_state(stack, "work")
    assert vector_ids == lexical_ids
    assert len(vector_ids) == 8
    docs = stack.registry.documents("work")
    assert all(d.status is DocumentStatus.READY and d.content_hash for d in docs)
    assert sum(d.chunk_count for d in docs) == 8


async def test_unchanged_files_are_skipped_and_changed_ones_replaced(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "docs")
    stack = make_stack(tmp_path / "data")
    await stack.ingest.ingest([tmp_path / "docs"], "kb")
    before = {d.path: d for d in stack.registry.documents("kb")}

    again = await stack.ingest.ingest([tmp_path / "docs"], "kb", on_event=stack.record)
    assert (again.skipped, again.ready) == (3, 0)
    assert all(e.reason == "unchanged" for e in stack.of_type(FileSkipped))

    # Same bytes, new mtime: skipped by hash, and the new mtime is recorded.
    os.utime(files["ru"], (1_000_000, 1_000_000))
    # New content: replaced, old chunks gone from both indexes.
    write_paragraphs(files["invoice"], ["Invoice 2024-117 was cancelled."])
    stack.events.clear()
    third = await stack.ingest.ingest([tmp_path / "docs"], "kb", on_event=stack.record)
    assert (third.skipped, third.ready) == (2, 1)
    ru = stack.registry.get_document("kb", str(files["ru"]))
    assert ru is not None and ru.mtime == 1_000_000
    invoice = stack.registry.get_document("kb", str(files["invoice"]))
    assert invoice is not None
    assert invoice.doc_id == before[str(files["invoice"])].doc_id
    assert invoice.chunk_count == 1
    assert invoice.content_hash != before[str(files["invoice"])].content_hash
    vector_ids, lexical_ids = index_state(stack, "kb")
    assert vector_ids == lexical_ids
    assert {c for c in vector_ids if c.startswith(invoice.doc_id)} == {f"{invoice.doc_id}:0"}
    assert len(vector_ids) == 6


async def test_force_reads_unchanged_files_again(tmp_path: Path) -> None:
    _corpus(tmp_path / "docs")
    stack = make_stack(tmp_path / "data")
    await stack.ingest.ingest([tmp_path / "docs"], "kb")
    summary = await stack.ingest.ingest([tmp_path / "docs"], "kb", force=True)
    assert (summary.ready, summary.skipped, summary.chunks) == (3, 0, 8)
    assert index_state(stack, "kb")[0] == index_state(stack, "kb")[1]
    assert len(index_state(stack, "kb")[0]) == 8


async def test_a_failing_file_does_not_stop_the_batch_and_leaves_no_chunks(
    tmp_path: Path,
) -> None:
    files = _corpus(tmp_path / "docs")
    bad = tmp_path / "docs" / "broken.txt"
    bad.write_bytes(b"\xff\xfe\x00 not utf-8 \xc3\x28")
    empty = tmp_path / "docs" / "empty.md"
    empty.write_text("   \n\n  ")
    other = tmp_path / "picture.png"
    other.write_bytes(b"\x89PNG")
    stack = make_stack(tmp_path / "data")

    summary = await stack.ingest.ingest([tmp_path / "docs", other], "kb", on_event=stack.record)
    assert (summary.ready, summary.failed) == (3, 3)
    failures = {e.path: e for e in stack.of_type(FileFailed)}
    assert failures[str(bad)].kind == "CorruptFile"
    assert failures[str(bad)].hint == "Save it as UTF-8."
    assert "no text" in failures[str(empty)].message
    assert failures[str(other)].kind == "UnsupportedFile"
    broken = stack.registry.get_document("kb", str(bad))
    assert broken is not None and broken.status is DocumentStatus.FAILED
    assert "UTF-8" in broken.error
    vector_ids, lexical_ids = index_state(stack, "kb")
    assert vector_ids == lexical_ids
    assert not any(c.startswith(broken.doc_id) for c in vector_ids)
    assert _ready_paths(stack, "kb") == {str(p) for p in files.values()}


async def test_a_ready_file_that_becomes_unreadable_leaves_the_indexes(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "docs")
    stack = make_stack(tmp_path / "data")
    await stack.ingest.ingest([tmp_path / "docs"], "kb")
    doc = stack.registry.get_document("kb", str(files["notes"]))
    assert doc is not None
    files["notes"].write_bytes(b"\xff\xfe broken now")
    summary = await stack.ingest.ingest([files["notes"]], "kb")
    assert summary.failed == 1
    vector_ids, lexical_ids = index_state(stack, "kb")
    assert not any(c.startswith(doc.doc_id) for c in vector_ids | lexical_ids)


async def test_removing_documents_and_files_that_disappeared(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "docs")
    stack = make_stack(tmp_path / "data")
    await stack.ingest.ingest([tmp_path / "docs"], "kb")
    notes = stack.registry.get_document("kb", str(files["notes"]))
    assert notes is not None
    await stack.ingest.remove_documents("kb", [notes.doc_id])
    assert stack.registry.get_document("kb", str(files["notes"])) is None

    files["ru"].unlink()
    gone = await stack.ingest.prune_missing("kb", on_event=stack.record)
    assert gone == [str(files["ru"])]
    assert stack.of_type(FileRemoved) == [FileRemoved(str(files["ru"]))]
    assert _ready_paths(stack, "kb") == {str(files["invoice"])}
    vector_ids, lexical_ids = index_state(stack, "kb")
    assert vector_ids == lexical_ids
    assert len(vector_ids) == 3
    assert stack.registry.pending_removals("kb") == set()


async def test_cancel_mid_ingest_leaves_no_half_document(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    for i in range(6):
        write_paragraphs(root / f"f{i}.txt", [f"File {i} part {j} words." for j in range(5)])
    gate = GatedEmbedder(HashingEmbedder(32), block_at=4)
    stack = make_stack(tmp_path / "data", gate, batch_size=3)

    task = asyncio.create_task(stack.ingest.ingest([root], "kb", on_event=stack.record))
    await asyncio.wait_for(gate.reached.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    summary = stack.events[-1]
    assert isinstance(summary, IngestSummary) and summary.cancelled
    docs = stack.registry.documents("kb")
    # Three batches of three chunks were written: file 0 complete, file 1 partly.
    assert [d.status for d in docs] == [DocumentStatus.READY]
    [done] = docs
    assert done.path == str(root / "f0.txt") and done.chunk_count == 5
    vector_ids, lexical_ids = index_state(stack, "kb")
    assert vector_ids == lexical_ids == {f"{done.doc_id}:{i}" for i in range(5)}

    # Nothing is lost: the next run picks up the rest.
    stack2 = make_stack(tmp_path / "data")
    summary2 = await stack2.ingest.ingest([root], "kb")
    assert (summary2.skipped, summary2.ready) == (1, 5)
    assert len(index_state(stack2, "kb")[0]) == 30


async def test_a_run_stopped_by_closing_leaves_its_unfinished_files_for_recovery(
    tmp_path: Path,
) -> None:
    root = tmp_path / "docs"
    for i in range(6):
        write_paragraphs(root / f"f{i}.txt", [f"File {i} part {j} words." for j in range(5)])
    late = write_paragraphs(tmp_path / "late" / "g.txt", ["Handed over while closing."])
    gate = GatedEmbedder(HashingEmbedder(32), block_at=4)
    stack = make_stack(tmp_path / "data", gate, batch_size=3)

    task = asyncio.create_task(stack.ingest.ingest([root], "kb"))
    await asyncio.wait_for(gate.reached.wait(), 30)
    stack.ingest.keep_unfinished()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await stack.ingest.queue_for_next_start([late.parent], "kb")

    docs = stack.registry.documents("kb")
    statuses = {Path(d.path).name: d.status for d in docs}
    assert statuses == {
        "f0.txt": DocumentStatus.READY,
        **{f"f{i}.txt": DocumentStatus.QUEUED for i in range(1, 6)},
        "g.txt": DocumentStatus.QUEUED,
    }
    # The half-written file's chunks are gone; only the finished file is searchable.
    [done] = [d for d in docs if d.status is DocumentStatus.READY]
    assert index_state(stack, "kb")[0] == {f"{done.doc_id}:{i}" for i in range(5)}

    # The next start: recovery re-queues them and `resume` indexes them.
    stack2 = make_stack(tmp_path / "data")
    report = await stack2.ingest.recover()
    assert sorted(Path(p).name for p in report.requeued["kb"]) == [
        *(f"f{i}.txt" for i in range(1, 6)),
        "g.txt",
    ]
    [summary] = await stack2.ingest.resume(report)
    assert (summary.ready, summary.failed) == (6, 0)
    assert len(index_state(stack2, "kb")[0]) == 31


async def test_cancelled_replacement_marks_the_old_document_failed(tmp_path: Path) -> None:
    path = write_paragraphs(tmp_path / "a.txt", [f"Old part {j}." for j in range(3)])
    stack = make_stack(tmp_path / "data")
    await stack.ingest.ingest([path], "kb")
    write_paragraphs(path, [f"New part {j} text." for j in range(9)])
    gate = GatedEmbedder(HashingEmbedder(32), block_at=2)
    stack.embedders.add(gate)
    task = asyncio.create_task(stack.ingest.ingest([path], "kb"))
    await asyncio.wait_for(gate.reached.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    doc = stack.registry.get_document("kb", str(path))
    assert doc is not None and doc.status is DocumentStatus.FAILED
    assert "cancelled" in doc.error
    assert index_state(stack, "kb") == (set(), set())


async def test_an_embedder_failure_stops_the_run_cleanly(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "docs")

    class Unreachable(GatedEmbedder):
        async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
            self.calls += 1
            if self.calls >= 2:
                raise ProviderUnreachable("Ollama is not running.", "Start Ollama.")
            return await super().embed_documents(texts)

    stack = make_stack(tmp_path / "data", Unreachable(HashingEmbedder(32), 0), batch_size=2)
    with pytest.raises(ProviderUnreachable):
        await stack.ingest.ingest([tmp_path / "docs"], "kb", on_event=stack.record)
    failed = stack.of_type(FileFailed)
    assert failed and all(e.kind == "ProviderUnreachable" for e in failed)
    assert stack.registry.hidden_doc_ids("kb") == set()
    vector_ids, lexical_ids = index_state(stack, "kb")
    assert vector_ids == lexical_ids == set()
    assert len(files) == 3


async def test_recover_after_a_crash_makes_indexes_agree(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "docs")
    data = tmp_path / "data"
    crashed = make_stack(data)
    await crashed.ingest.ingest([files["invoice"]], "kb")
    # Simulate a crash in the middle of indexing "notes": its row says indexing and some
    # of its chunks are in both indexes; an orphan chunk of a forgotten document lingers.
    record = crashed.registry.get_kb("kb")
    [notes] = crashed.registry.add_queued("kb", [str(files["notes"])])
    crashed.registry.set_status([notes.doc_id], DocumentStatus.INDEXING)
    doc = crashed.ingest.reader.load(files["notes"])
    chunks = crashed.ingest.chunker(doc, doc_id=notes.doc_id)[:2]
    orphan = crashed.ingest.chunker(doc, doc_id="0123456789abcdef")[:1]
    vectors = crashed.indexes.vector_index(
        record.collection_name, record.embedder_id, record.dimension
    )
    lexical = crashed.indexes.lexical_index(record.key)
    emb = HashingEmbedder(32)
    vectors.add(chunks + orphan, emb.embed_documents([c.text for c in chunks + orphan]))
    lexical.add(chunks)
    lexical.commit()
    [gone] = crashed.registry.add_queued("kb", [str(tmp_path / "vanished.txt")])
    crashed.registry.set_status([gone.doc_id], DocumentStatus.INDEXING)

    fresh = make_stack(data)
    report = await fresh.ingest.recover()
    assert report.requeued == {"kb": [str(files["notes"])]}
    assert report.orphan_chunks == 1
    assert fresh.registry.get_document("kb", str(tmp_path / "vanished.txt")) is None
    vector_ids, lexical_ids = index_state(fresh, "kb")
    assert vector_ids == lexical_ids
    assert len(vector_ids) == 3
    assert fresh.registry.hidden_doc_ids("kb") == {notes.doc_id}

    [summary] = await fresh.ingest.resume(report)
    assert summary.ready == 1
    assert _ready_paths(fresh, "kb") == {str(files["invoice"]), str(files["notes"])}
    vector_ids, lexical_ids = index_state(fresh, "kb")
    assert vector_ids == lexical_ids
    assert len(vector_ids) == 6

    quiet = await make_stack(data).ingest.recover()
    assert quiet.requeued == {} and quiet.orphan_chunks == 0


async def test_recover_requeues_a_ready_document_missing_from_one_index(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "docs")
    stack = make_stack(tmp_path / "data")
    await stack.ingest.ingest([tmp_path / "docs"], "kb")
    record = stack.registry.get_kb("kb")
    ru = stack.registry.get_document("kb", str(files["ru"]))
    assert ru is not None
    lexical = stack.indexes.lexical_index(record.key)
    lexical.remove_documents([ru.doc_id])
    lexical.commit()

    report = await make_stack(tmp_path / "data").ingest.recover()
    assert report.requeued == {"kb": [str(files["ru"])]}
    vector_ids, lexical_ids = index_state(stack, "kb")
    assert vector_ids == lexical_ids
    assert len(vector_ids) == 6


async def test_a_knowledge_base_of_another_embedder_is_refused(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "docs")
    await make_stack(tmp_path / "data").ingest.ingest([files["invoice"]], "kb")
    other = make_stack(tmp_path / "data", ExecutorEmbedder(HashingEmbedder(48, name="other")))
    with pytest.raises(EmbedderMismatch) as info:
        await other.ingest.ingest([files["notes"]], "kb")
    assert "test:hashing-32" in info.value.message
    assert "Re-embed" in info.value.hint
    assert other.registry.get_document("kb", str(files["notes"])) is None


@pytest.mark.allow_warning_logs
async def test_a_reader_that_breaks_fails_its_file_and_the_batch_goes_on(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "docs")
    stack = make_stack(tmp_path / "data")
    reader = stack.ingest.reader
    original = reader.load

    def load(path: Path, on_page: object = None) -> object:
        if path == files["notes"]:
            raise RuntimeError("a parsing library's own bug")
        return original(path)

    reader.load = load  # type: ignore[method-assign]
    summary = await stack.ingest.ingest([tmp_path / "docs"], "kb", on_event=stack.record)
    assert (summary.ready, summary.failed) == (len(files) - 1, 1)
    (failed,) = stack.of_type(FileFailed)
    assert failed.path == str(files["notes"])
    assert failed.message == "notes.md could not be read: Hearth's reader failed on it."
    assert "log" in failed.hint
