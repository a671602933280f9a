"""Knowledge-base management: create, list, remove, reindex, remove one document, and
re-embed with another embedder in the background.

Changing the embedder never mixes vectors: the chunks are re-embedded into a new collection
while the old one keeps answering searches, and the registry switches to the new one in a
single step at the end (under the knowledge base's write lock, after catching up with
documents indexed in the meantime). The texts come from the old collection, so files are
not read again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Executor

from desktop.core.blocking import run_detached
from desktop.core.documents import (
    DocumentRecord,
    DocumentStatus,
    KnowledgeBaseRecord,
    KnowledgeBaseSummary,
    chunks_per_document,
)
from desktop.core.errors import EmbedderMismatch, StoreError
from desktop.core.events import EventCallback, IngestSummary
from desktop.core.ingest_service import IngestService
from desktop.core.ports import AsyncEmbedder, Embedder, VectorCollection
from desktop.core.store_session import StoreSession

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]


class ExecutorEmbedder:
    """An `AsyncEmbedder` that runs a blocking `Embedder` (such as the built-in one) in an
    executor, so the event loop stays free while it computes."""

    def __init__(self, embedder: Embedder, executor: Executor | None = None) -> None:
        self._embedder = embedder
        self._executor = executor

    @property
    def embedder_id(self) -> str:
        return self._embedder.embedder_id

    @property
    def dimension(self) -> int:
        return self._embedder.dimension

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return await run_detached(self._executor, self._embedder.embed_documents, list(texts))

    async def embed_query(self, text: str) -> list[float]:
        return await run_detached(self._executor, self._embedder.embed_query, text)


class EmbedderSet:
    """The embedders Hearth can use now, by id (implements `EmbedderLookup`).

    During a re-embedding both the old and the new embedder are here: searches of a
    knowledge base not yet switched still embed their query with the old one.

    Args:
        current: the embedder new knowledge bases get.
        others: embedders of knowledge bases not yet re-embedded.
        batch_size: texts per embedding call (ingestion and re-embedding alike).
    """

    def __init__(
        self, current: AsyncEmbedder, *others: AsyncEmbedder, batch_size: int = 32
    ) -> None:
        self._by_id: dict[str, AsyncEmbedder] = {}
        for embedder in (*others, current):
            self.add(embedder)
        self._current = current
        self._batch_size = max(1, batch_size)

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, size: int) -> None:
        self._batch_size = max(1, size)

    @property
    def current(self) -> AsyncEmbedder:
        return self._current

    def add(self, embedder: AsyncEmbedder) -> None:
        self._by_id[embedder.embedder_id] = embedder

    def use(self, embedder: AsyncEmbedder) -> None:
        """Make `embedder` the one new knowledge bases (and re-embeddings) get."""
        self.add(embedder)
        self._current = embedder

    def discard(self, embedder_id: str) -> None:
        """Forget an embedder no knowledge base uses any more (never the current one)."""
        if embedder_id != self._current.embedder_id:
            self._by_id.pop(embedder_id, None)

    def for_id(self, embedder_id: str) -> AsyncEmbedder:
        embedder = self._by_id.get(embedder_id)
        if embedder is None:
            raise EmbedderMismatch(
                f"This knowledge base was built with the embedder {embedder_id}, which is not "
                f"available; Hearth is set to {self._current.embedder_id}.",
                "Re-embed the knowledge base with the current embedder (it keeps working "
                "while that runs), or switch the embedder back in Settings.",
            )
        return embedder


class KnowledgeBaseService:
    """Manages knowledge bases: create, list, remove, reindex, re-embed.

    Args:
        session: the store session shared with ingestion and retrieval.
        ingest: indexes files (reindexing, removing documents).
        embedders: the same embedder set the ingest service and the retriever use.
    """

    def __init__(
        self, session: StoreSession, ingest: IngestService, embedders: EmbedderSet
    ) -> None:
        self._session = session
        self._ingest = ingest
        self._embedders = embedders
        self._registry = session.registry
        self._run = session.run

    async def create(self, name: str) -> KnowledgeBaseRecord:
        """Create an empty knowledge base for the current embedder."""
        name = name.strip()
        if not name:
            raise StoreError("A knowledge base needs a name.", "Type a name and try again.")
        await self._session.writable()
        current = self._embedders.current
        record = await self._run(
            self._registry.create_kb, name, current.embedder_id, current.dimension
        )
        await self._session.open(name)
        return record

    async def summaries(self) -> list[KnowledgeBaseSummary]:
        """Every knowledge base with its document counts per status and its chunk count."""
        summaries = []
        for record in await self._run(self._registry.list_kbs):
            counts = await self._run(self._registry.status_counts, record.name)
            chunks = await self._run(self._registry.chunk_total, record.name)
            summaries.append(KnowledgeBaseSummary(record, counts, chunks))
        return summaries

    async def documents(
        self, name: str, statuses: Collection[DocumentStatus] | None = None
    ) -> list[DocumentRecord]:
        await self._run(self._registry.get_kb, name)
        return await self._run(self._registry.documents, name, statuses)

    async def remove(self, name: str) -> None:
        """Remove a knowledge base: its rows, its collections and its lexical index."""
        await self._session.writable()
        async with self._session.lock(name):
            await self._run(self._registry.delete_kb, name)
            await self._session.drop_pending()
        log.info("knowledge base %s removed", name)

    async def rename(self, name: str, new_name: str) -> KnowledgeBaseRecord:
        """Give a knowledge base another name (its documents and indexes stay).

        Raises:
            KnowledgeBaseNotFound: no knowledge base is named `name`.
            StoreError: `new_name` is empty or taken.
        """
        new_name = new_name.strip()
        if not new_name:
            raise StoreError("A knowledge base needs a name.", "Type a name and try again.")
        if new_name == name:
            return await self._run(self._registry.get_kb, name)
        await self._session.writable()
        async with self._session.lock(name), self._session.lock(new_name):
            record = await self._run(self._registry.rename_kb, name, new_name)
        log.info("knowledge base %s renamed to %s", name, new_name)
        return record

    async def remove_document(self, name: str, doc_id: str) -> None:
        """Remove one document; its chunks leave every index."""
        await self._ingest.remove_documents(name, [doc_id])

    async def reindex(self, name: str, *, on_event: EventCallback | None = None) -> IngestSummary:
        """Read, chunk and embed every document again (files that are gone are removed)."""
        await self._run(self._registry.get_kb, name)
        await self._ingest.prune_missing(name, on_event=on_event)
        docs = await self._run(self._registry.documents, name)
        return await self._ingest.ingest(
            [d.path for d in docs], name, on_event=on_event, force=True
        )

    async def reembed(
        self, name: str, *, on_progress: ProgressCallback | None = None
    ) -> KnowledgeBaseRecord:
        """Re-embed a knowledge base with the current embedder, then switch to it in one step.

        Searches keep using the old collection (and the old embedder) until the switch.
        Cancelling, or any failure, drops the half-filled new collection and leaves the
        knowledge base as it was.

        Args:
            name: the knowledge base.
            on_progress: called with (documents done, documents in total).
        """
        await self._session.writable()
        record = await self._run(self._registry.get_kb, name)
        embedder = self._embedders.current
        if record.embedder_id == embedder.embedder_id and not record.pending_collection:
            return record
        pending = await self._run(
            self._registry.begin_swap, name, embedder.embedder_id, embedder.dimension
        )
        try:
            swap = _Swap(
                self._session,
                pending,
                embedder,
                self._embedders.batch_size,
                on_progress or _no_progress,
            )
            await swap.prepare()
            await swap.copy_ready()
            async with self._session.lock(name):
                await swap.copy_ready()
                await swap.verify()
                switched = await self._run(self._registry.finish_swap, name)
        except BaseException:
            await asyncio.shield(self._abandon(name))
            raise
        await self._session.drop_pending()
        log.info("knowledge base %s now uses %s", name, embedder.embedder_id)
        return switched

    async def _abandon(self, name: str) -> None:
        await self._run(self._registry.abandon_swap, name)
        await self._session.drop_pending()


def _no_progress(done: int, total: int) -> None:
    """The default progress callback: no one is listening."""


class _Swap:
    """The copy side of a re-embedding: old collection -> new embedder -> new collection."""

    def __init__(
        self,
        session: StoreSession,
        record: KnowledgeBaseRecord,
        embedder: AsyncEmbedder,
        batch_size: int,
        on_progress: ProgressCallback,
    ) -> None:
        self._session = session
        self._run = session.run
        self._registry = session.registry
        self._record = record
        self._embedder = embedder
        self._batch_size = batch_size
        self._progress = on_progress
        self._copied: dict[str, tuple[str, int]] = {}  # doc_id -> (content hash, chunks)

    async def prepare(self) -> None:
        self._old: VectorCollection = await self._session.vectors(self._record)
        self._new: VectorCollection = await self._session.pending_vectors(self._record)

    async def copy_ready(self) -> None:
        """Copy every ready document not yet copied in its current version, and drop from
        the new collection the documents that are no longer ready."""
        run = self._run
        ready = await run(self._registry.documents, self._record.name, [DocumentStatus.READY])
        current = {d.doc_id: (d.content_hash, d.chunk_count) for d in ready}
        stale = [
            doc_id for doc_id, version in self._copied.items() if current.get(doc_id) != version
        ]
        if stale:
            await run(self._new.remove_documents, stale)
            for doc_id in stale:
                del self._copied[doc_id]
        todo = [d for d in ready if d.doc_id not in self._copied]
        for doc in todo:
            await self._copy(doc)
            self._progress(len(self._copied), len(current))

    async def _copy(self, doc: DocumentRecord) -> None:
        run = self._run
        chunks = await run(self._old.document_chunks, doc.doc_id)
        size = self._batch_size
        for start in range(0, len(chunks), size):
            part = chunks[start : start + size]
            vectors = await self._embedder.embed_documents([c.text for c in part])
            if any(len(v) != self._record.pending_dimension for v in vectors):
                raise EmbedderMismatch(
                    f"The embedder {self._embedder.embedder_id} returned vectors of another "
                    f"length than its declared {self._record.pending_dimension}.",
                    "Check the embedding model in Settings.",
                )
            await run(self._new.add, part, vectors)
        self._copied[doc.doc_id] = (doc.content_hash, doc.chunk_count)

    async def verify(self) -> None:
        """Refuse to switch when the new collection does not hold exactly the ready chunks."""
        run = self._run
        ready = await run(self._registry.documents, self._record.name, [DocumentStatus.READY])
        expected = {d.doc_id: d.chunk_count for d in ready}
        counts = chunks_per_document(await run(self._new.chunk_ids))
        if counts != {k: v for k, v in expected.items() if v}:
            raise StoreError(
                f"Re-embedding “{self._record.name}” did not reproduce every passage; "
                "the knowledge base keeps its current embedder.",
                "Try again; if it keeps failing, reindex the knowledge base.",
            )
