"""Embedding with an Ollama model (bge-m3, embeddinggemma, nomic-embed-text, ...) on the
local server. Some models were trained with task prefixes; those are added here."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core.errors import ProviderFailure
from desktop.core.ports import ModelClient

# Model family -> (document prefix, query prefix), from each model's card.
PREFIXES: dict[str, tuple[str, str]] = {
    "nomic-embed-text": ("search_document: ", "search_query: "),
    "mxbai-embed-large": ("", "Represent this sentence for searching relevant passages: "),
    "snowflake-arctic-embed": ("", "Represent this sentence for searching relevant passages: "),
    "e5": ("passage: ", "query: "),
    "embeddinggemma": ("title: none | text: ", "task: search result | query: "),
}


def _prefixes(model: str) -> tuple[str, str]:
    base = model.split(":", 1)[0].rsplit("/", 1)[-1]
    for family, pair in PREFIXES.items():
        if base.startswith(family) or family in base.split("-"):
            return pair
    return "", ""


class OllamaEmbedder:
    """Implements `desktop.core.ports.AsyncEmbedder` through `/api/embed`.

    Call `probe()` once before use: it learns the vector dimension from the server.
    """

    def __init__(self, client: ModelClient, model: str) -> None:
        self._client = client
        self._model = model
        self._doc_prefix, self._query_prefix = _prefixes(model)
        self._dimension = 0

    @property
    def embedder_id(self) -> str:
        return f"ollama:{self._model}"

    @property
    def dimension(self) -> int:
        return self._dimension

    async def probe(self) -> int:
        """Embed one short text to learn the dimension (raises the provider's errors)."""
        if not self._dimension:
            [vector] = await self._client.embed(self._model, ["dimension probe"])
            if not vector:
                raise ProviderFailure(
                    f"{self._model} returned an empty embedding.",
                    "Choose an embedding model (for example bge-m3 or nomic-embed-text).",
                )
            self._dimension = len(vector)
        return self._dimension

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return await self._client.embed(self._model, [self._doc_prefix + t for t in texts])

    async def embed_query(self, text: str) -> list[float]:
        [vector] = await self._client.embed(self._model, [self._query_prefix + text])
        return vector
