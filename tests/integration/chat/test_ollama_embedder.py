"""OllamaEmbedder with the real Ollama client against the fake server's embedding models."""

from __future__ import annotations

import math

import pytest

from desktop.core.errors import ModelNotFound
from desktop.core.models import ProviderKind
from desktop.embedders.ollama import OllamaEmbedder
from desktop.providers.ollama import OllamaClient
from tests.fakes.ollama_server import FakeModel, FakeOllama

pytestmark = pytest.mark.integration


def embedding_model(name: str, dimension: int) -> FakeModel:
    return FakeModel(
        name, context_length=512, capabilities=("embedding",), embedding_length=dimension
    )


async def test_nomic_gets_its_task_prefixes_and_dimension(fake_ollama: FakeOllama) -> None:
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        embedder = OllamaEmbedder(client, "nomic-embed-text")
        assert embedder.embedder_id == "ollama:nomic-embed-text"
        assert await embedder.probe() == 768
        documents = await embedder.embed_documents(["Cats sleep.", "Tea is green."])
        query = await embedder.embed_query("Cats sleep.")
    assert embedder.dimension == 768
    assert [len(v) for v in documents] == [768, 768]
    assert math.isclose(math.fsum(x * x for x in query), 1.0, rel_tol=1e-6)
    inputs = [r.json()["input"] for r in fake_ollama.requests_to("/api/embed")]
    assert inputs[1:] == [
        ["search_document: Cats sleep.", "search_document: Tea is green."],
        ["search_query: Cats sleep."],
    ]
    assert query != documents[0]  # same words, different task prefix


@pytest.mark.parametrize(
    ("model", "document_prefix", "query_prefix"),
    [
        ("multilingual-e5-large", "passage: ", "query: "),
        ("jeffh/intfloat-multilingual-e5-small:f16", "passage: ", "query: "),
        ("bge-m3", "", ""),
    ],
)
async def test_prefix_table_by_model_family(
    fake_ollama: FakeOllama, model: str, document_prefix: str, query_prefix: str
) -> None:
    fake_ollama.add_model(embedding_model(model, 32))
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:
        embedder = OllamaEmbedder(client, model)
        await embedder.embed_documents(["text"])
        await embedder.embed_query("question")
    inputs = [r.json()["input"] for r in fake_ollama.requests_to("/api/embed")]
    assert inputs == [[document_prefix + "text"], [query_prefix + "question"]]


async def test_many_texts_are_batched_in_order(fake_ollama: FakeOllama) -> None:
    texts = [f"passage {i}" for i in range(10)]
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL, embed_batch=4) as client:
        embedder = OllamaEmbedder(client, "nomic-embed-text")
        batched = await embedder.embed_documents(texts)
        one_by_one = [(await embedder.embed_documents([t]))[0] for t in texts]
    assert [len(r.json()["input"]) for r in fake_ollama.requests_to("/api/embed")[:3]] == [4, 4, 2]
    assert batched == one_by_one


async def test_missing_model_is_reported(fake_ollama: FakeOllama) -> None:
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL, retries=0) as client:
        embedder = OllamaEmbedder(client, "all-minilm")
        with pytest.raises(ModelNotFound):
            await embedder.probe()
    assert embedder.dimension == 0
