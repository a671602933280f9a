"""Load: a 10,000-file folder with bounded memory, and a burst of 100 questions."""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop.core.chat_service import ChatService
from desktop.core.events import Done
from desktop.core.models import ProviderKind
from desktop.providers.ollama import OllamaClient
from desktop.ui.tasks import TaskRegistry
from tests.fakes.ollama_server import FakeOllama
from tests.integration.chat.test_chat_service import FixedRoute, ListRetriever
from tests.integration.services.support import make_stack

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(600)]
FILES = 10_000


async def test_ten_thousand_files_with_bounded_memory(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for n in range(FILES):
        folder = docs / f"part{n // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        filler = f"detail{n % 89} " * 250  # about 2.5 kB a paragraph: 50 MB in all
        (folder / f"note{n:05d}.txt").write_text(
            f"Note {n} about topic {n % 97}. {filler}\n\nSecond paragraph {n}. {filler}"
        )
    stack = make_stack(tmp_path / "data", batch_size=64)
    tracemalloc.start()
    try:
        summary = await stack.ingest.ingest([docs], "big")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (summary.ready, summary.failed, summary.chunks) == (FILES, 0, 2 * FILES)
    # The folder holds 50 MB of text; holding it all at once (texts, chunks, vectors)
    # would take well over 100 MB of Python memory. The pipeline streams it.
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    record = stack.registry.get_kb("big")
    found = stack.indexes.lexical_index(record.key).search("4242", 2)
    sources = {
        c.source
        for c in stack.indexes.vector_index(
            record.collection_name, record.embedder_id, record.dimension
        ).get([cid for cid, _ in found])
    }
    assert len(found) == 2 and {Path(s).name for s in sources} == {"note04242.txt"}


async def test_a_burst_of_questions_leaves_only_the_last_answer(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_token_delay(0.005)
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:

        async def route(kbs: Sequence[str]) -> FixedRoute:
            return FixedRoute(client, ProviderKind.LOCAL, "llama3.2")

        chat = ChatService(ListRetriever(), route)  # type: ignore[arg-type]
        registry = TaskRegistry()
        results: list[object] = []

        async def ask(n: int) -> None:
            async for event in chat.answer(f"cats sleep question {n}", kb="kb"):
                if isinstance(event, Done):
                    results.append(n)

        tasks = []
        for n in range(100):
            tasks.append(registry.start("chat", ask(n)))
            if n % 10 == 0:
                await asyncio.sleep(0)  # let some of them start talking to the server
        await asyncio.wait(tasks)
    assert results == [99]
    assert sum(t.cancelled() for t in tasks) == 99
    assert not registry.running("chat")
    assert len(fake_ollama.requests_to("/api/chat")) <= 11
