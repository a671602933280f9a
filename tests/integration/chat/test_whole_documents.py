"""Whole-document answers that do not fit the context: map, reduce (notes of notes),
progress, cancel, and comparing documents; the real client against the fake server."""

from __future__ import annotations

import asyncio
from collections.abc import Collection

import pytest

from desktop.core.chat_service import ChatService
from desktop.core.documents import Chunk, SearchHit
from desktop.core.events import ChatEvent, Done, Notice, PartRead, Retrieved
from desktop.core.models import ProviderKind
from desktop.providers.ollama import OllamaClient
from tests.fakes.ollama_server import FakeOllama
from tests.integration.chat.test_chat_service import FixedRoute, collect

pytestmark = pytest.mark.integration


def _document(doc_id: str, name: str, sections: int) -> list[Chunk]:
    return [
        Chunk(
            f"{doc_id}:{n}",
            doc_id,
            f"/docs/{name}",
            n,
            f"Section {n} of {name}. The harbour of town {n} handled {n * 1000} containers "
            f"of grain and timber in spring, and its pilots worked {n + 3} shifts a week "
            "while the lighthouse keepers counted ships at dusk and wrote them down.",
            page=n + 1,
        )
        for n in range(sections)
    ]


class DocumentRetriever:
    """A retriever over fixed documents: their chunks in order (a real port implementation)."""

    def __init__(self, *documents: list[Chunk]) -> None:
        self.chunks = [c for document in documents for c in document]
        self.queries: list[str] = []

    async def search(
        self,
        query: str,
        kb: str,
        *,
        k: int = 8,
        doc_ids: Collection[str] | None = None,
        mmr: bool = False,
    ) -> list[SearchHit]:
        self.queries.append(query)
        return []

    async def document_chunks(self, kb: str, doc_ids: Collection[str]) -> list[Chunk]:
        return [c for doc_id in doc_ids for c in self.chunks if c.doc_id == doc_id]


def service(client: OllamaClient, retriever: DocumentRetriever, context_cap: int) -> ChatService:
    async def route(kb: str) -> FixedRoute:
        return FixedRoute(client, client.kind, "llama3.2")

    return ChatService(retriever, route, context_cap=context_cap, answer_reserve=256)  # type: ignore[arg-type]


def _progress(events: list[ChatEvent], stage: str) -> list[tuple[int, int]]:
    return [(e.part, e.parts) for e in events if isinstance(e, PartRead) and e.stage == stage]


async def test_each_part_reports_its_progress_and_the_answer_cites_passages(
    fake_ollama: FakeOllama,
) -> None:
    retriever = DocumentRetriever(_document("report", "report.txt", 12))
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat = service(client, retriever, context_cap=1400)
        events = await collect(
            chat.answer("How many shifts?", kb="kb", doc_ids=["report"], whole=True)
        )
    assert retriever.queries == []  # nothing searched: the whole document is read
    reading = _progress(events, "reading")
    total = len(reading)
    assert total >= 3
    assert reading == [(n, total) for n in range(1, total + 1)]
    notes = [r.json() for r in fake_ollama.requests_to("/api/chat") if not r.json()["stream"]]
    assert len(notes) == total
    done = events[-1]
    assert isinstance(done, Done) and done.used_citations  # the notes' [n] reach the answer
    retrieved = next(e for e in events if isinstance(e, Retrieved))
    assert len(retrieved.citations) == 12


async def test_notes_too_long_for_the_answer_are_combined_into_notes_of_notes(
    fake_ollama: FakeOllama,
) -> None:
    # Every note the model writes is long, so the notes of twelve parts cannot all go into
    # the final answer: they are combined, round after round, until they fit.
    fake_ollama.set_reply("Pilots worked many shifts [1]. " + "The keepers counted ships. " * 30)
    retriever = DocumentRetriever(_document("report", "report.txt", 12))
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat = service(client, retriever, context_cap=1400)
        events = await collect(
            chat.answer("How many shifts?", kb="kb", doc_ids=["report"], whole=True)
        )
    combining = _progress(events, "combining")
    assert combining, "the notes were never combined"
    requests = [r.json() for r in fake_ollama.requests_to("/api/chat")]
    combined = [r for r in requests if "combine the notes" in r["messages"][0]["content"]]
    assert len(combined) >= 1
    assert all(r["options"]["num_predict"] > 0 for r in requests if not r["stream"])
    final = requests[-1]
    assert final["stream"] and "were too long to read at once" in final["messages"][0]["content"]
    assert isinstance(events[-1], Done)
    # Fewer notes reach the answer than parts were read.
    assert final["messages"][0]["content"].count("Pilots worked many shifts") < len(
        _progress(events, "reading")
    )


async def test_two_documents_are_compared_each_under_its_name(fake_ollama: FakeOllama) -> None:
    long = _document("report", "report.txt", 12)
    short = [Chunk("memo:0", "memo", "/docs/memo.md", 0, "The board meets on Thursdays at nine.")]
    retriever = DocumentRetriever(long, short)
    # The answer cites the long report's first passage and the memo's one passage (13).
    fake_ollama.set_reply("The report counts shifts [1] and the memo names the day [13].")
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat = service(client, retriever, context_cap=1400)
        events = await collect(
            chat.answer("Compare the two", kb="kb", doc_ids=["report", "memo"], whole=True)
        )
    final = fake_ollama.requests_to("/api/chat")[-1].json()["messages"][0]["content"]
    assert '<source name="report.txt"' in final and '<source name="memo.md"' in final
    # The short memo goes in as its numbered passage, after the report's twelve.
    assert "[13] The board meets on Thursdays at nine." in final
    retrieved = next(e for e in events if isinstance(e, Retrieved))
    done = events[-1]
    assert isinstance(done, Done)
    cited = {retrieved.citations[n - 1].hit.chunk.doc_id for n in done.used_citations}
    assert cited == {"report", "memo"}
    # Only the long report was read in parts.
    notes = [r.json() for r in fake_ollama.requests_to("/api/chat") if not r.json()["stream"]]
    assert notes and all("memo" not in r["messages"][0]["content"] for r in notes)


async def test_documents_that_fit_together_go_in_whole(fake_ollama: FakeOllama) -> None:
    retriever = DocumentRetriever(_document("a", "a.txt", 2), _document("b", "b.txt", 2))
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat = service(client, retriever, context_cap=8192)
        events = await collect(chat.answer("Compare", kb="kb", doc_ids=["a", "b"], whole=True))
    assert not _progress(events, "reading")
    assert any(isinstance(e, Notice) and "included whole (4 passages)" in e.text for e in events)
    assert [r.json()["stream"] for r in fake_ollama.requests_to("/api/chat")] == [True]


async def test_cancelling_while_a_part_is_read_stops_before_the_next(
    fake_ollama: FakeOllama,
) -> None:
    fake_ollama.set_reply_delay(30)
    retriever = DocumentRetriever(_document("report", "report.txt", 12))
    seen: list[ChatEvent] = []
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat = service(client, retriever, context_cap=1400)

        async def run() -> None:
            async for event in chat.answer("Shifts?", kb="kb", doc_ids=["report"], whole=True):
                seen.append(event)

        task = asyncio.create_task(run())
        # The first part is being read when its request has reached the model.
        assert await asyncio.to_thread(fake_ollama.wait_for_requests, "/api/chat")
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert len(fake_ollama.requests_to("/api/chat")) == 1
    assert _progress(seen, "reading")[0][0] == 1
    assert not any(isinstance(e, Done) for e in seen)
