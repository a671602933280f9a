"""The window's indexing process, for real: a process of its own over a temporary data
folder, with the built-in embedder. Searches are answered while files are indexed (a
document stays invisible until it is ready), a cancelled import stops there, a killed
process is replaced (its calls fail with IndexerStopped, nothing ready is lost, what it
left half done is indexed again), and no indexing process outlives its window."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from desktop.app import Context, WindowRun, bootstrap
from desktop.core.documents import DocumentStatus
from desktop.core.errors import IndexerStopped, KnowledgeBaseNotFound
from desktop.core.events import FileReady, IngestEvent
from desktop.indexer.client import IndexerClient
from desktop.ingest.isolation import note_child, start_time

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
FRUITS = ["apple", "pear", "plum", "cherry", "quince", "medlar", "apricot", "peach"]


def context(tmp_path: Path) -> Context:
    # No Ollama is needed: the built-in embedder runs in the indexing process.
    env = {"HOME": str(tmp_path), "OLLAMA_HOST": "http://127.0.0.1:9"}
    return bootstrap(str(tmp_path / "data"), env=env)


def write_documents(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        fruit = FRUITS[n % len(FRUITS)]
        text = f"Orchard note {n}: the {fruit} trees by the mill were pruned in March. "
        (folder / f"note{n:03}.txt").write_text(text * 40, "utf-8")
    return folder


class Progress:
    """Collects an import's events; `ready(n)` waits until `n` files are ready."""

    def __init__(self) -> None:
        self.events: list[IngestEvent] = []
        self._changed = asyncio.Event()

    def __call__(self, event: IngestEvent) -> None:
        self.events.append(event)
        self._changed.set()

    @property
    def ready_ids(self) -> set[str]:
        return {e.doc_id for e in self.events if isinstance(e, FileReady)}

    async def ready(self, count: int) -> None:
        async with asyncio.timeout(120):
            while len(self.ready_ids) < count:
                self._changed.clear()
                await self._changed.wait()


def alive(pid: int) -> bool:
    return start_time(pid) is not None


def gone(pid: int) -> bool:
    """Wait until the process `pid` has ended (checked every 20 ms, up to a minute)."""
    deadline = time.monotonic() + 60
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not alive(pid)


@pytest.fixture
async def run(tmp_path: Path) -> AsyncIterator[WindowRun]:
    services = await WindowRun.open(context(tmp_path))
    yield services
    await services.aclose()


async def test_searches_are_answered_while_files_are_indexed_and_see_only_ready_documents(
    run: WindowRun, tmp_path: Path
) -> None:
    folder = write_documents(tmp_path / "notes", 24)
    k = await run.knowledge()
    await k.kbs.create("orchard")
    importing = asyncio.create_task(k.ingest.ingest([folder], "orchard"))
    searched_during_import = 0
    while not importing.done():
        hits = await k.retriever.search("pear trees pruned", "orchard", k=8)
        ready = {
            d.doc_id for d in await k.kbs.documents("orchard") if d.status is DocumentStatus.READY
        }
        assert {h.chunk.doc_id for h in hits} <= ready
        searched_during_import += not importing.done()
    summary = await importing
    assert summary.ready == 24
    assert searched_during_import > 0
    hits = await k.retriever.search("pear trees pruned", "orchard", k=3)
    assert hits and all("pear" in h.chunk.text for h in hits)


async def test_errors_come_back_as_the_same_class_with_their_fields(run: WindowRun) -> None:
    k = await run.knowledge()
    with pytest.raises(KnowledgeBaseNotFound) as caught:
        await k.kbs.documents("no such base")
    assert caught.value.kind == "KnowledgeBaseNotFound"
    assert "no such base" in caught.value.message
    assert caught.value.hint


async def test_settings_applied_in_the_window_are_used_by_the_indexing_process(
    run: WindowRun, tmp_path: Path
) -> None:
    folder = write_documents(tmp_path / "notes", 1)
    k = await run.knowledge()
    before = await k.ingest.ingest([folder], "large")
    # Smaller chunks, not saved: the window's settings as they are now are what count.
    run.ctx.settings.retrieval.chunk_tokens = 64
    run.ctx.settings.retrieval.chunk_overlap = 0
    await run.apply_settings()
    after = await k.ingest.ingest([folder], "small")
    assert after.chunks > before.chunks


async def test_a_cancelled_import_stops_in_the_indexing_process(
    run: WindowRun, tmp_path: Path
) -> None:
    folder = write_documents(tmp_path / "notes", 60)
    k = await run.knowledge()
    progress = Progress()
    importing = asyncio.create_task(k.ingest.ingest([folder], "orchard", on_event=progress))
    await progress.ready(1)
    importing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await importing
    # The call ended once the indexing process had stopped the import: nothing more is
    # indexed afterwards, and the process serves the next request.
    documents = await k.kbs.documents("orchard")
    ready = [d for d in documents if d.status is DocumentStatus.READY]
    assert 0 < len(ready) < 60
    assert ready == [
        d for d in await k.kbs.documents("orchard") if d.status is DocumentStatus.READY
    ]


async def test_an_import_the_closing_window_stops_is_finished_at_the_next_start(
    tmp_path: Path,
) -> None:
    """The window tells its indexing process it is closing before it cancels the import:
    the unfinished files stay queued and the next start's recovery indexes them."""
    folder = write_documents(tmp_path / "notes", 60)
    first = await WindowRun.open(context(tmp_path))
    try:
        k = await first.knowledge()
        progress = Progress()
        importing = asyncio.create_task(k.ingest.ingest([folder], "orchard", on_event=progress))
        await progress.ready(1)
        k.ingest.keep_unfinished()
        importing.cancel()
        with pytest.raises(asyncio.CancelledError):
            await importing
        documents = await k.kbs.documents("orchard")
        assert len(documents) == 60
        assert any(d.status is not DocumentStatus.READY for d in documents)
    finally:
        await first.aclose()

    second = await WindowRun.open(context(tmp_path))
    try:
        k = await second.knowledge()
        await k.kbs.summaries()  # the indexing process has opened the store
        report = k.recovery
        assert report is not None and report.requeued
        await k.ingest.resume(report)
        documents = await k.kbs.documents("orchard")
        assert len(documents) == 60
        assert all(d.status is DocumentStatus.READY for d in documents)
    finally:
        await second.aclose()


async def test_a_killed_indexing_process_is_replaced_and_loses_nothing_ready(
    run: WindowRun, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = write_documents(tmp_path / "notes", 60)
    k = await run.knowledge()
    assert isinstance(k, IndexerClient)
    progress = Progress()
    importing = asyncio.create_task(k.ingest.ingest([folder], "orchard", on_event=progress))
    await progress.ready(3)
    first = k.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    with pytest.raises(IndexerStopped) as caught:
        await importing
    assert "SIGKILL" in caught.value.message
    assert f"indexing process {first} ended (SIGKILL)" in caplog.text
    ready_before = progress.ready_ids
    # The next request starts another process, which indexes again every file of the
    # import that was not finished (all were registered as queued before the first read).
    documents = await k.kbs.documents("orchard")
    assert k.pid not in (None, first)
    assert ready_before <= {d.doc_id for d in documents if d.status is DocumentStatus.READY}

    async def settled() -> bool:
        docs = await k.kbs.documents("orchard")
        return len(docs) == 60 and all(d.status is DocumentStatus.READY for d in docs)

    for _ in range(1200):  # up to two minutes, every 100 ms
        if await settled():
            break
        await asyncio.sleep(0.1)
    assert await settled()
    hits = await k.retriever.search("plum trees", "orchard", k=3)
    assert hits and all("plum" in h.chunk.text for h in hits)


async def test_closing_the_window_stops_its_indexing_process(run: WindowRun) -> None:
    k = await run.knowledge()
    assert isinstance(k, IndexerClient)
    pid = k.pid
    assert pid is not None and alive(pid)
    await run.aclose()
    assert not alive(pid)
    with pytest.raises(IndexerStopped):
        await k.kbs.summaries()
    # A late request (a window's timer after the run closed) starts no process.
    with pytest.raises(IndexerStopped):
        await run.knowledge()


_WINDOW = textwrap.dedent(
    """
    import asyncio, sys
    from desktop.app import WindowRun, bootstrap

    async def main():
        ctx = bootstrap(sys.argv[1], env={"HOME": sys.argv[1], "OLLAMA_HOST": "http://127.0.0.1:9"})
        run = await WindowRun.open(ctx)
        k = await run.knowledge()
        await k.kbs.summaries()
        heavy = [name for name in ("chromadb", "onnxruntime") if name in sys.modules]
        print(k.pid, *heavy, flush=True)
        await asyncio.sleep(600)

    asyncio.run(main())
    """
)


async def test_the_window_never_loads_the_store_and_its_indexer_ends_with_it(
    tmp_path: Path,
) -> None:
    window = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _WINDOW, str(tmp_path / "data"), cwd=ROOT, stdout=subprocess.PIPE
    )
    assert window.stdout is not None
    words = (await window.stdout.readline()).decode().split()
    assert len(words) == 1, f"the window's process loaded {words[1:]}"
    indexer = int(words[0])
    assert alive(indexer)
    window.kill()
    await window.wait()
    assert await asyncio.to_thread(gone, indexer)


async def test_an_indexing_process_left_behind_is_stopped_at_the_next_start(
    tmp_path: Path,
) -> None:
    ctx = context(tmp_path)
    notes = ctx.paths.data_dir / "indexers"
    notes.mkdir(parents=True)
    # A stuck leftover: its note names a parent that has ended since.
    ended = await asyncio.create_subprocess_exec(sys.executable, "-c", "")
    await ended.wait()
    stuck = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import time; time.sleep(600)"
    )
    try:
        note_child(notes, "leftover.json", stuck.pid, start_time(stuck.pid))
        text = (notes / "leftover.json").read_text("utf-8")
        (notes / "leftover.json").write_text(
            text.replace(f'"parent": {os.getpid()}', f'"parent": {ended.pid}'), "utf-8"
        )
        async with await WindowRun.open(ctx) as services:
            await services.knowledge()
        assert await stuck.wait() == -signal.SIGKILL
        assert not (notes / "leftover.json").exists()
    finally:
        if stuck.returncode is None:
            stuck.kill()
            await stuck.wait()
