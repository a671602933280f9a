"""Interfaces (Protocols) the core needs from the outside world; adapters implement them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from typing import Any, Protocol

from desktop.core.documents import Chunk
from desktop.core.models import (
    ChatDelta,
    ChatMessage,
    ChatReply,
    ModelDetails,
    ModelInfo,
    ProviderKind,
    PullProgress,
    RunningModel,
    ServerStatus,
)


class ModelClient(Protocol):
    """One Ollama server (the local one, or the cloud) seen through its HTTP API."""

    @property
    def kind(self) -> ProviderKind: ...

    @property
    def base_url(self) -> str: ...

    async def status(self) -> ServerStatus: ...

    async def list_models(self) -> list[ModelInfo]: ...

    async def show(self, model: str) -> ModelDetails: ...

    async def running(self) -> list[RunningModel]: ...

    def chat_stream(
        self,
        model: str,
        messages: Sequence[ChatMessage],
        *,
        options: Mapping[str, Any] | None = None,
        think: bool | str | None = None,
        keep_alive: str | None = None,
    ) -> AsyncIterator[ChatDelta]: ...

    async def chat(
        self,
        model: str,
        messages: Sequence[ChatMessage],
        *,
        options: Mapping[str, Any] | None = None,
        think: bool | str | None = None,
    ) -> ChatReply: ...

    async def embed(self, model: str, texts: Sequence[str]) -> list[list[float]]: ...

    def pull(self, model: str) -> AsyncIterator[PullProgress]: ...

    async def delete(self, model: str) -> None: ...

    async def aclose(self) -> None: ...


class SecretStore(Protocol):
    """Where the cloud API key lives (the OS keyring, the environment, an opt-in file)."""

    async def get_api_key(self) -> tuple[str | None, str]:
        """Return the key (or None) and a human description of where it came from."""
        ...

    async def set_api_key(self, key: str) -> str:
        """Store the key; return a description of where it went."""
        ...

    async def delete_api_key(self) -> None: ...


class Embedder(Protocol):
    """Turns texts into unit-length vectors. Implementations may block: call them in an
    executor. `embedder_id` names the model and its version so a store can tell whether its
    vectors came from this embedder."""

    @property
    def embedder_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class LexicalIndex(Protocol):
    """A keyword (BM25) index over the chunks of one knowledge base. Blocking: use an
    executor. Writes become visible to `search` after `commit()`."""

    def add(self, chunks: Sequence[Chunk]) -> None: ...

    def remove_documents(self, doc_ids: Collection[str]) -> None: ...

    def commit(self) -> None: ...

    def search(
        self, query: str, k: int, doc_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return (chunk_id, score) pairs, best first."""
        ...

    def chunk_ids(self) -> set[str]: ...


class VectorIndex(Protocol):
    """Dense vectors (and the chunk texts) of one knowledge base. Blocking: use an executor."""

    def add(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None: ...

    def remove_documents(self, doc_ids: Collection[str]) -> None: ...

    def search(
        self, embedding: Sequence[float], k: int, doc_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return (chunk_id, similarity) pairs, best first (similarity: higher is closer)."""
        ...

    def get(self, chunk_ids: Sequence[str]) -> list[Chunk]: ...

    def chunk_ids(self) -> set[str]: ...

    def count(self) -> int: ...
