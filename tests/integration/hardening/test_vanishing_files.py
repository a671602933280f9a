"""A file deleted while a folder is being indexed fails on its own; the rest is indexed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from desktop.core.documents import DocumentStatus
from desktop.core.events import FileFailed, IngestSummary
from tests.fakes.embedder import HashingEmbedder
from tests.integration.services.support import GatedEmbedder, make_stack, write_paragraphs

pytestmark = pytest.mark.integration


async def test_a_file_deleted_during_ingestion(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    paths = [
        write_paragraphs(root / f"f{i}.txt", [f"File {i} part {j}." for j in range(3)])
        for i in range(6)
    ]
    gate = GatedEmbedder(HashingEmbedder(32), block_at=1)
    stack = make_stack(tmp_path / "data", gate, batch_size=3)
    task = asyncio.create_task(stack.ingest.ingest([root], "kb", on_event=stack.record))
    await asyncio.wait_for(gate.reached.wait(), 30)
    paths[5].unlink()  # gone before its turn comes
    gate.release.set()
    summary = await asyncio.wait_for(task, 60)
    assert isinstance(summary, IngestSummary)
    assert (summary.ready, summary.failed) == (5, 1)
    failed = [e for e in stack.events if isinstance(e, FileFailed)]
    assert [Path(e.path).name for e in failed] == ["f5.txt"]
    ready = {d.path for d in stack.registry.documents("kb", [DocumentStatus.READY])}
    assert ready == {str(p) for p in paths[:5]}
    hits = await stack.retriever.search("File 5 part", "kb", k=10)
    assert all(not h.chunk.source.endswith("f5.txt") for h in hits)
