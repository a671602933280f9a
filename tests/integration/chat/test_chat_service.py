"""ChatService with the real Ollama client against the fake server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass

import pytest

from desktop.core.chat_service import ChatService
from desktop.core.documents import Chunk, SearchHit
from desktop.core.errors import ProviderUnreachable, StreamInterrupted
from desktop.core.events import ChatEvent, Done, Error, Notice, Retrieved, Token
from desktop.core.models import ChatMessage, ProviderKind
from desktop.core.prompting import estimate
from desktop.providers.ollama import OllamaClient
from tests.fakes.ollama_server import FakeOllama

pytestmark = pytest.mark.integration

PASSAGES = [
    Chunk("cats:0", "cats", "/docs/cats.md", 0, "Cats sleep about sixteen hours a day."),
    Chunk("cats:1", "cats", "/docs/cats.md", 1, "Cats eat fish and mice."),
    Chunk("tea:0", "tea", "/docs/tea.txt", 0, "Green tea is steeped at 80 degrees."),
]


class ListRetriever:
    """A retriever over a fixed list: keyword overlap, best first (a real port implementation)."""

    def __init__(self) -> None:
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
        words = set(query.lower().replace("?", "").split())
        scored = [(len(words & set(c.text.lower().rstrip(".").split())), c) for c in PASSAGES]
        ranked = [
            c
            for score, c in sorted(scored, key=lambda x: -x[0])
            if score and (doc_ids is None or c.doc_id in doc_ids)
        ]
        return [SearchHit(c, 1.0, n) for n, c in enumerate(ranked[:k], start=1)]

    async def search_across(
        self, query: str, kbs: Sequence[str], *, k: int = 8, mmr: bool = False
    ) -> list[SearchHit]:
        return await self.search(query, kbs[0], k=k, mmr=mmr)

    async def document_chunks(self, kb: str, doc_ids: Collection[str]) -> list[Chunk]:
        return [c for c in PASSAGES if c.doc_id in doc_ids]


@dataclass
class FixedRoute:
    client: OllamaClient
    kind: ProviderKind
    model: str


def service(
    client: OllamaClient, model: str = "llama3.2", **kw: object
) -> tuple[ChatService, ListRetriever]:
    retriever = ListRetriever()

    async def route(kbs: Sequence[str]) -> FixedRoute:
        return FixedRoute(client, client.kind, model)

    return ChatService(retriever, route, **kw), retriever  # type: ignore[arg-type]


async def collect(events: AsyncIterator[ChatEvent]) -> list[ChatEvent]:
    return [e async for e in events]


async def test_streamed_answer_with_citations(fake_ollama: FakeOllama) -> None:
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat, _ = service(client)
        events = await collect(chat.answer("How long do cats sleep?", kb="kb"))
    assert isinstance(events[0], Retrieved)
    assert next(c.hit.chunk.chunk_id for c in events[0].citations) == "cats:0"
    tokens = "".join(e.text for e in events if isinstance(e, Token))
    assert "[1]" in tokens
    done = events[-1]
    assert isinstance(done, Done)
    assert (done.model, done.provider) == ("llama3.2", ProviderKind.LOCAL)
    assert 1 in done.used_citations
    request = fake_ollama.requests_to("/api/chat")[-1].json()
    assert request["options"]["num_ctx"] == 8192  # llama3.2's real context
    assert (
        "[1] (cats.md)\nCats sleep about sixteen hours a day." in request["messages"][0]["content"]
    )


async def test_follow_up_is_condensed_first(fake_ollama: FakeOllama) -> None:
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat, retriever = service(client)
        fake_ollama.set_reply("What do cats eat?")
        history = [
            ChatMessage("user", "Tell me about cats"),
            ChatMessage("assistant", "They sleep a lot."),
        ]
        gen = chat.answer("and what do they eat?", history, kb="kb")
        first = await anext(gen)
        await gen.aclose()  # type: ignore[attr-defined]
    assert isinstance(first, Retrieved)
    assert retriever.queries == ["What do cats eat?"]
    condense = fake_ollama.requests_to("/api/chat")[0].json()
    assert condense["stream"] is False
    assert "Last user message: and what do they eat?" in condense["messages"][1]["content"]


async def test_whole_documents_when_selected_and_they_fit(fake_ollama: FakeOllama) -> None:
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat, retriever = service(client)
        events = await collect(chat.answer("Summarise this", kb="kb", doc_ids=["cats"]))
    retrieved = next(e for e in events if isinstance(e, Retrieved))
    assert [c.hit.chunk.chunk_id for c in retrieved.citations] == ["cats:0", "cats:1"]
    assert any(isinstance(e, Notice) and "included whole" in e.text for e in events)
    assert retriever.queries == []


async def test_error_mid_stream_keeps_the_partial_answer(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_reply("Cats sleep a great deal, about sixteen hours [1].")
    fake_ollama.error_mid_stream(after_chunks=3)
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat, _ = service(client)
        events = await collect(chat.answer("How long do cats sleep?", kb="kb"))
    error = events[-1]
    assert isinstance(error, Error)
    assert isinstance(error.error, StreamInterrupted)
    assert error.partial_text == "".join(e.text for e in events if isinstance(e, Token))
    assert error.partial_text


async def test_no_reachable_model_still_gives_passages() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
    async with OllamaClient(url, kind=ProviderKind.LOCAL, retries=0) as client:
        retriever = ListRetriever()

        async def route(kbs: Sequence[str]) -> FixedRoute:
            await client.list_models()  # what the router does: fails when nothing listens
            return FixedRoute(client, ProviderKind.LOCAL, "llama3.2")

        chat = ChatService(retriever, route)
        events = await collect(chat.answer("green tea degrees", kb="kb"))
    assert isinstance(events[0], Retrieved)
    assert events[0].citations[0].hit.chunk.chunk_id == "tea:0"
    assert isinstance(events[1], Error) and isinstance(events[1].error, ProviderUnreachable)


async def test_cloud_text_passes_the_outbound_filter(fake_cloud: FakeOllama) -> None:
    async with OllamaClient(
        fake_cloud.url, kind=ProviderKind.CLOUD, api_key="sk-test-cloud-key-123"
    ) as client:
        chat, _ = service(
            client, model="gpt-oss:120b", outbound_filter=lambda t: t.replace("cats", "[animal]")
        )
        await collect(chat.answer("How long do cats sleep?", kb="kb"))
    sent = fake_cloud.requests_to("/api/chat")[-1].json()["messages"]
    assert all("cats" not in m["content"] for m in sent)


async def test_cancelling_stops_the_stream(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_reply(" ".join(f"w{i}" for i in range(500)))
    fake_ollama.set_token_delay(0.01)
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat, _ = service(client)
        seen = asyncio.Event()

        async def run() -> None:
            async for event in chat.answer("cats sleep", kb="kb"):
                if isinstance(event, Token):
                    seen.set()

        task = asyncio.create_task(run())
        await seen.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await asyncio.to_thread(fake_ollama.stream_aborted.wait, 30)
    assert fake_ollama.aborted_streams == 1


async def test_thinking_model_context_is_capped_and_asked_once(fake_ollama: FakeOllama) -> None:
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat, _ = service(client, model="qwen3:8b")
        first = await collect(chat.answer("How long do cats sleep?", kb="kb"))
        await collect(chat.answer("What do cats eat?", kb="kb"))
        wide, _ = service(client, model="qwen3:8b", context_cap=65536)
        await collect(wide.answer("What do cats eat?", kb="kb"))
    kinds = [type(e).__name__ for e in first]
    assert kinds.index("Thinking") < kinds.index("Token")
    assert [r.json()["options"]["num_ctx"] for r in fake_ollama.requests_to("/api/chat")] == [
        32768,  # qwen3:8b has 40960; the default cap spares local memory
        32768,
        40960,
    ]
    assert len(fake_ollama.requests_to("/api/show")) == 2  # cached per service and model


async def test_num_ctx_covers_the_prompt_even_under_a_tiny_cap(fake_ollama: FakeOllama) -> None:
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat, _ = service(client, context_cap=512)
        events = await collect(chat.answer("How long do cats sleep? " * 40, kb="kb"))
    assert isinstance(events[-1], Done)
    request = fake_ollama.requests_to("/api/chat")[-1].json()
    needed = sum(estimate(m["content"]) for m in request["messages"])
    assert request["options"]["num_ctx"] >= needed + 1024  # prompt plus the answer reserve


async def test_failed_condense_searches_the_question_as_asked(fake_ollama: FakeOllama) -> None:
    fake_ollama.fail_next("/api/chat", 400, "invalid message format")
    history = [ChatMessage("user", "Tell me about cats"), ChatMessage("assistant", "Sure.")]
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL, retries=0) as client:
        chat, retriever = service(client)
        events = await collect(chat.answer("how long do cats sleep?", history, kb="kb"))
    assert retriever.queries == ["how long do cats sleep?"]
    assert isinstance(events[0], Retrieved) and events[0].query == "how long do cats sleep?"
    assert isinstance(events[-1], Done)
    sent = fake_ollama.requests_to("/api/chat")[-1].json()["messages"]
    assert [m["content"] for m in sent[1:]] == [
        "Tell me about cats",
        "Sure.",
        "how long do cats sleep?",
    ]


async def test_selected_documents_too_big_are_searched_instead(fake_ollama: FakeOllama) -> None:
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        chat, retriever = service(client, context_cap=1560)
        events = await collect(chat.answer("what do cats eat", kb="kb", doc_ids=["cats"]))
    retrieved = next(e for e in events if isinstance(e, Retrieved))
    assert retriever.queries == ["what do cats eat"]
    assert retrieved.citations[0].hit.chunk.chunk_id == "cats:1"
    assert not any(isinstance(e, Notice) and "included whole" in e.text for e in events)
