"""The store session: one way in to the registry and the indexes for every core service.

Ingestion, knowledge-base management and retrieval share one `StoreSession`: the registry,
the index store, the executor their blocking calls run in, one write lock per knowledge
base, and the write gate (only one process may change a data folder). Every store write
goes through the session: services wait at `writable()` first and hold `lock(kb)` while
they change a knowledge base's indexes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection
from concurrent.futures import Executor
from typing import TypeVar

from desktop.core.blocking import run_blocking
from desktop.core.documents import KnowledgeBaseRecord
from desktop.core.ports import (
    AsyncEmbedder,
    DocumentRegistry,
    IndexStore,
    LexicalIndex,
    VectorCollection,
    VectorIndex,
)

T = TypeVar("T")

WriteGate = Callable[[], Awaitable[None]]
Repair = Callable[[], Awaitable[None]]


class StoreSession:
    """The registry and indexes of one data folder, as the core services use them.

    Args:
        registry: knowledge bases and document states.
        indexes: opens the vector and lexical indexes of a knowledge base.
        executor: where blocking work runs (None: the loop's default executor).
        write_gate: awaited before every write; raises (StoreBusy) when this process may
            not change the store now, because another one is changing it.
    """

    def __init__(
        self,
        registry: DocumentRegistry,
        indexes: IndexStore,
        *,
        executor: Executor | None = None,
        write_gate: WriteGate | None = None,
    ) -> None:
        self.registry = registry
        self.indexes = indexes
        self.executor = executor
        self._write_gate = write_gate
        self._locks: dict[str, asyncio.Lock] = {}
        self._repair: Repair | None = None
        self._requeued: dict[str, list[str]] = {}
        # Set when the process is closing: a run stopped from then on leaves the files it
        # did not finish queued for the next start (see `IngestService.keep_unfinished`).
        self.closing = False

    async def run(self, fn: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        """Run blocking store work in the executor (see `desktop.core.blocking`)."""
        return await run_blocking(self.executor, fn, *args, **kwargs)

    def lock(self, kb: str) -> asyncio.Lock:
        """The lock held while a knowledge base's indexes are written (ingest, removal,
        the final step of an embedder swap)."""
        return self._locks.setdefault(kb, asyncio.Lock())

    async def writable(self) -> None:
        """Wait until this process may write (raise when another process is writing), and
        first repair what a failed cleanup left."""
        if self._write_gate is not None:
            await self._write_gate()
        if self._repair is not None:
            repair, self._repair = self._repair, None
            await repair()

    def needs_repair(self, repair: Repair) -> None:
        """A run could not clean up after itself: `repair` runs before the next write."""
        self._repair = repair

    def requeue(self, requeued: dict[str, list[str]]) -> None:
        """Remember files to index again with the next ingestion into their base."""
        for kb, paths in requeued.items():
            self._requeued.setdefault(kb, []).extend(paths)

    def take_requeued(self, kb: str) -> list[str]:
        """The files waiting to be indexed again into `kb` (forgotten once taken)."""
        return self._requeued.pop(kb, [])

    async def open(
        self, kb: str, *, create_for: AsyncEmbedder | None = None
    ) -> tuple[KnowledgeBaseRecord, VectorCollection, LexicalIndex]:
        """Open a knowledge base's indexes; with `create_for`, make it (for that embedder)
        when it does not exist."""
        if create_for is not None:
            record = await self.run(
                self.registry.ensure_kb, kb, create_for.embedder_id, create_for.dimension
            )
        else:
            record = await self.run(self.registry.get_kb, kb)
        return record, await self.vectors(record), await self.lexical(record)

    async def vectors(self, record: KnowledgeBaseRecord) -> VectorCollection:
        """The collection searches of this knowledge base use now."""
        return await self.run(
            self.indexes.vector_index, record.collection_name, record.embedder_id, record.dimension
        )

    async def pending_vectors(self, record: KnowledgeBaseRecord) -> VectorCollection:
        """The collection an unfinished embedder swap is filling."""
        return await self.run(
            self.indexes.vector_index,
            record.pending_collection,
            record.pending_embedder_id,
            record.pending_dimension,
        )

    async def lexical(self, record: KnowledgeBaseRecord) -> LexicalIndex:
        return await self.run(self.indexes.lexical_index, record.key)

    async def remove_chunks(
        self, vectors: VectorIndex, lexical: LexicalIndex, doc_ids: Collection[str]
    ) -> None:
        """Take documents' chunks out of both indexes (the lexical removal committed)."""
        await self.run(remove_chunks, vectors, lexical, doc_ids)

    async def drop_pending(self) -> int:
        """Delete the collections and lexical folders the registry lists as no longer used
        (a removed knowledge base, the old side of an embedder swap); return how many."""
        drops = await self.run(self.registry.pending_drops)
        for kind, name in drops:
            if kind == "collection":
                await self.run(self.indexes.drop_collection, name)
            else:
                await self.run(self.indexes.drop_lexical, name)
            await self.run(self.registry.drop_done, kind, name)
        return len(drops)

    async def reconnect(self) -> None:
        """Reopen the store (after another process wrote, or after a failure)."""
        await self.run(self.indexes.reconnect)


def remove_chunks(vectors: VectorIndex, lexical: LexicalIndex, doc_ids: Collection[str]) -> None:
    """Blocking: take documents' chunks out of both indexes and commit the lexical one."""
    if not doc_ids:
        return
    vectors.remove_documents(doc_ids)
    lexical.remove_documents(doc_ids)
    lexical.commit()
