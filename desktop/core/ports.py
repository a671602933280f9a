"""Interfaces (Protocols) the core needs from the outside world; adapters implement them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from desktop.core.conversations import Conversation, StoredCitation, StoredMessage
from desktop.core.documents import (
    Chunk,
    DocumentRecord,
    DocumentStatus,
    KnowledgeBaseRecord,
    LoadedDocument,
    ReadingNotes,
    SearchHit,
)
from desktop.core.errors import IngestError
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

    def close(self) -> None: ...


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


class AsyncEmbedder(Protocol):
    """An embedder the services can await: an Ollama embedder, or a blocking `Embedder`
    wrapped to run in an executor."""

    @property
    def embedder_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    async def embed_query(self, text: str) -> list[float]: ...


class EmbedderLookup(Protocol):
    """The embedders Hearth can use right now, by id, and the one new knowledge bases get."""

    @property
    def current(self) -> AsyncEmbedder: ...

    @property
    def batch_size(self) -> int:
        """Texts per embedding call."""
        ...

    def for_id(self, embedder_id: str) -> AsyncEmbedder:
        """Return the embedder with that id; raise EmbedderMismatch when it is not available."""
        ...


PageProgress = Callable[[int, int], None]


class DocumentReader(Protocol):
    """Finds and reads files. Blocking: call in an executor."""

    def expand(self, paths: Sequence[Path]) -> tuple[list[Path], list[IngestError]]:
        """Turn files and folders into the supported files under them, plus one error per
        path that cannot be used."""
        ...

    def load(self, path: Path, on_page: PageProgress | None = None) -> LoadedDocument:
        """Read one file; raise an IngestError subclass when it cannot be read.

        `on_page(page, pages)` is called before each page that OCR reads; it may raise
        `desktop.core.blocking.Stopped` to stop reading there."""
        ...

    def interrupt(self) -> None:
        """Stop the `load` under way in another thread, if any, as soon as possible (it
        raises); safe to call from any thread at any time."""
        ...


class Chunker(Protocol):
    """Cuts a loaded document into chunks whose ids start with `doc_id`."""

    def __call__(self, doc: LoadedDocument, *, doc_id: str) -> list[Chunk]: ...


class DocumentRegistry(Protocol):
    """Knowledge bases and the state of every document in them. Blocking: use an executor.

    Raises StoreError when the database fails and KnowledgeBaseNotFound for unknown names.
    """

    def create_kb(self, name: str, embedder_id: str, dimension: int) -> KnowledgeBaseRecord: ...

    def ensure_kb(self, name: str, embedder_id: str, dimension: int) -> KnowledgeBaseRecord: ...

    def get_kb(self, name: str) -> KnowledgeBaseRecord: ...

    def list_kbs(self) -> list[KnowledgeBaseRecord]: ...

    def delete_kb(self, name: str) -> None:
        """Forget the knowledge base and its documents; its collections and lexical index
        are listed in `pending_drops` for the caller to delete."""
        ...

    def rename_kb(self, name: str, new_name: str) -> KnowledgeBaseRecord:
        """Give a knowledge base another name; its documents and indexes stay as they are."""
        ...

    def begin_swap(self, name: str, embedder_id: str, dimension: int) -> KnowledgeBaseRecord:
        """Name a new collection for another embedder (recorded as pending)."""
        ...

    def finish_swap(self, name: str) -> KnowledgeBaseRecord:
        """Make the pending collection the one searches use, in one step; the old one is
        listed in `pending_drops`."""
        ...

    def abandon_swap(self, name: str) -> None: ...

    def pending_drops(self) -> list[tuple[str, str]]:
        """(kind, name) pairs still to delete: kind is "collection" or "lexical"."""
        ...

    def drop_done(self, kind: str, name: str) -> None: ...

    def get_document(self, kb: str, path: str) -> DocumentRecord | None: ...

    def documents(
        self, kb: str, statuses: Collection[DocumentStatus] | None = None
    ) -> list[DocumentRecord]: ...

    def add_queued(self, kb: str, paths: Sequence[str]) -> list[DocumentRecord]:
        """Add rows in `queued` state for paths the knowledge base does not have yet;
        return the rows created."""
        ...

    def set_status(self, doc_ids: Collection[str], status: DocumentStatus, error: str = "") -> None:
        """Set the status of documents (and their error text) in one step."""
        ...

    def mark_ready(
        self,
        docs: Sequence[tuple[str, str, float, int, int]],
        notes: Mapping[str, ReadingNotes] | None = None,
    ) -> None:
        """Mark documents ready in one step: (doc_id, content_hash, mtime, size, chunk_count),
        with how each one's text was read (by doc_id; none: nothing of note)."""
        ...

    def touch(self, doc_id: str, mtime: float, size: int) -> None:
        """Record a new mtime and size for a file whose content did not change."""
        ...

    def begin_removal(self, doc_ids: Collection[str]) -> None:
        """Delete document rows and remember their ids until their chunks are gone."""
        ...

    def pending_removals(self, kb: str) -> set[str]: ...

    def finish_removal(self, doc_ids: Collection[str]) -> None: ...

    def hidden_doc_ids(self, kb: str) -> set[str]:
        """Ids whose chunks searches must not show: documents not ready, or being removed."""
        ...

    def ready_doc_ids(self, kb: str) -> set[str]: ...

    def status_counts(self, kb: str) -> dict[DocumentStatus, int]: ...

    def chunk_total(self, kb: str) -> int: ...


class VectorCollection(VectorIndex, Protocol):
    """A VectorIndex that also gives back what it stores, so a knowledge base can be
    re-embedded without reading its files again, and re-ranked by diversity."""

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        """All chunks of one document, in order."""
        ...

    def embeddings(self, chunk_ids: Sequence[str]) -> dict[str, list[float]]: ...


class IndexStore(Protocol):
    """Opens and deletes the indexes of knowledge bases. Blocking: use an executor.

    Opened indexes are shared: two callers asking for the same name get the same object, so
    a search sees what ingestion committed.
    """

    def vector_index(self, collection: str, embedder_id: str, dimension: int) -> VectorCollection:
        """Open (or create) a collection; raise EmbedderMismatch when it holds vectors of
        another embedder."""
        ...

    def lexical_index(self, key: str) -> LexicalIndex: ...

    def drop_collection(self, collection: str) -> None: ...

    def drop_lexical(self, key: str) -> None: ...

    def reconnect(self) -> None:
        """Close and reopen the store, forgetting every opened index (after another process
        wrote, or after a failure that may have left the connection unusable)."""
        ...


class RankFusion(Protocol):
    """Fuses several scored rankings of chunk ids into one."""

    def __call__(
        self, rankings: Sequence[Sequence[tuple[str, float]]], weights: Sequence[float]
    ) -> list[tuple[str, float]]:
        """Return (chunk_id, fused score) pairs, best first; `weights[i]` scales ranking i."""
        ...


class FusionWeights(Protocol):
    """Chooses the (dense, keyword) weights for one query."""

    def __call__(self, query: str, passages: Sequence[str]) -> tuple[float, float]:
        """`passages`: the texts of the first dense hits (their language matters)."""
        ...


class Diversifier(Protocol):
    """Re-ranks candidates so near-duplicates do not crowd out other passages (MMR)."""

    def __call__(
        self,
        query: Sequence[float],
        candidates: Sequence[tuple[str, float]],
        vectors: Mapping[str, Sequence[float]],
        k: int,
    ) -> list[tuple[str, float]]:
        """Pick `k` of the (chunk_id, relevance) candidates, best first, using their vectors."""
        ...


class Retriever(Protocol):
    """Finds passages in a knowledge base (`desktop.core.retrieval.HybridRetriever`)."""

    async def search(
        self,
        query: str,
        kb: str,
        *,
        k: int = 8,
        doc_ids: Collection[str] | None = None,
        mmr: bool = False,
    ) -> list[SearchHit]: ...

    async def search_across(
        self, query: str, kbs: Sequence[str], *, k: int = 8, mmr: bool = False
    ) -> list[SearchHit]: ...

    async def document_chunks(self, kb: str, doc_ids: Collection[str]) -> list[Chunk]: ...


class Route(Protocol):
    """Who writes an answer: a client, where it runs, and the model name it knows."""

    @property
    def client(self) -> ModelClient: ...

    @property
    def kind(self) -> ProviderKind: ...

    @property
    def model(self) -> str: ...

    @property
    def reason(self) -> str:
        """Why this route was chosen, in words (for messages)."""
        ...


class HistoryStore(Protocol):
    """Conversations and their messages, kept on disk. Blocking: the conversation service
    calls it in an executor."""

    def create(self, title: str, kb: str = "") -> Conversation: ...

    def conversations(self, search: str = "") -> list[Conversation]: ...

    def get(self, conversation_id: int) -> Conversation: ...

    def rename(self, conversation_id: int, title: str) -> None: ...

    def delete(self, conversation_id: int) -> None: ...

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        provider: str = "",
        model: str = "",
        thinking: str = "",
        error: str = "",
        citations: tuple[StoredCitation, ...] = (),
        stats: dict[str, float] | None = None,
    ) -> StoredMessage: ...

    def messages(self, conversation_id: int) -> list[StoredMessage]: ...

    def delete_messages_from(self, conversation_id: int, message_id: int) -> None: ...

    def export_to(self, conversation_id: int, target: Path, fmt: str = "md") -> None: ...
