"""The knowledge-base half of the composition: store, embedders and the services over them.

Built on first use (chromadb and the embedder runtime are heavy) from the run's context
and its providers, never from the whole composition. One process at a time
may change a data folder (see `desktop.infra.store_lock`): the one holding the write lock
runs crash recovery before anything else touches the store; any other may read, and takes
the lock (re-opening the store, then recovering) at its first write once the lock is free.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass

from desktop.connections import Providers
from desktop.context import Context
from desktop.core.chat_service import ChatService
from desktop.core.chunking import chunk_document
from desktop.core.conversation_service import ConversationService
from desktop.core.events import IngestSummary
from desktop.core.fusion import fuse_scores, hybrid_weights, max_marginal_relevance
from desktop.core.ingest_service import IngestService
from desktop.core.knowledge_base import EmbedderSet, ExecutorEmbedder, KnowledgeBaseService
from desktop.core.ports import AsyncEmbedder, Chunker, DocumentReader
from desktop.core.recovery import RecoveryReport
from desktop.core.retrieval import HybridRetriever
from desktop.core.routing import RoutePolicy
from desktop.core.settings import StoreSettings
from desktop.core.sources import SourceService
from desktop.core.store_session import StoreSession
from desktop.embedders.builtin import BuiltinEmbedder
from desktop.embedders.choice import open_embedder
from desktop.embedders.ollama import OllamaEmbedder
from desktop.infra.paths import AppPaths
from desktop.infra.store_lock import StoreLock
from desktop.ingest.isolation import ReadLimits
from desktop.ingest.sources import DocumentSources
from desktop.ingest.walk import FileReader
from desktop.store.history import ConversationStore
from desktop.store.indexes import ChromaLexicalIndexes
from desktop.store.lexical import BM25Index
from desktop.store.registry import SqliteRegistry
from desktop.store.vectors import open_chroma_client

log = logging.getLogger(__name__)


def open_indexes(paths: AppPaths, store: StoreSettings) -> ChromaLexicalIndexes:
    """The data folder's vector and lexical indexes, in the chromadb the settings name
    (blocking: it opens chromadb)."""
    return ChromaLexicalIndexes(
        functools.partial(
            open_chroma_client, store.chroma_mode, paths.chroma_dir, store.chroma_url
        ),
        paths.lexical_dir,
        BM25Index,
        paths.chroma_dir if store.chroma_mode == "embedded" else None,
    )


@dataclass(frozen=True, slots=True)
class StoreServices:
    """Ingestion, knowledge bases and retrieval over one store session, wired the one way
    every run wires them."""

    ingest: IngestService
    kbs: KnowledgeBaseService
    retriever: HybridRetriever

    @classmethod
    def over(
        cls,
        session: StoreSession,
        embedders: EmbedderSet,
        reader: DocumentReader,
        chunker: Chunker,
    ) -> StoreServices:
        ingest = IngestService(session, embedders, reader, chunker)
        return cls(
            ingest,
            KnowledgeBaseService(session, ingest, embedders),
            HybridRetriever(
                session,
                embedders,
                fuse_scores,
                weights=hybrid_weights,
                diversify=max_marginal_relevance,
            ),
        )


class KnowledgeServices:
    """Registry, indexes, embedders and the services over them: ingestion, knowledge
    bases, retrieval, answers and conversations."""

    def __init__(
        self,
        ctx: Context,
        providers: Providers,
        indexes: ChromaLexicalIndexes,
        builtin: AsyncEmbedder,
    ) -> None:
        self._ctx = ctx
        self._providers = providers
        self._builtin = builtin
        self._ollama: dict[str, OllamaEmbedder] = {}  # by embedder id ("ollama:MODEL")
        embedders = EmbedderSet(builtin)
        self.store_lock = StoreLock(ctx.paths.data_dir, ctx.role)
        self._gate = asyncio.Lock()
        self._resumed: asyncio.Task[list[IngestSummary]] | None = None
        self.registry = SqliteRegistry(ctx.paths.db_path)
        self.indexes = indexes
        self.embedders = embedders
        self.conversations = ConversationService(ConversationStore(ctx.paths.db_path))
        self.session = StoreSession(self.registry, indexes, write_gate=self._write_access)
        self.reader = FileReader(
            notes=ctx.paths.data_dir / "readers", ocr=lambda: ctx.settings.reading.ocr
        )
        services = StoreServices.over(self.session, embedders, self.reader, chunk_document)
        self.ingest, self.kbs, self.retriever = services.ingest, services.kbs, services.retriever
        self.chat = ChatService(
            self.retriever,
            RoutePolicy(providers.route, lambda: ctx.settings.privacy.local_only_kbs),
        )
        self.sources = SourceService(DocumentSources())
        self.recovery: RecoveryReport | None = None
        self._configure()

    def _configure(self) -> None:
        """Take the retrieval, embedding and privacy settings as they are now."""
        settings = self._ctx.settings
        r = settings.retrieval
        self.ingest.chunker = functools.partial(
            chunk_document, max_tokens=r.chunk_tokens, overlap_tokens=r.chunk_overlap
        )
        self.embedders.batch_size = settings.embedding.batch_size
        reading = settings.reading
        self.reader.limits = ReadLimits(reading.time_limit_s, reading.memory_limit_mb)
        self.chat.use_settings(settings)

    async def _embedder(self, chosen: str) -> AsyncEmbedder:
        """The embedder for a setting ("builtin", "ollama:MODEL" or "onnx:FOLDER"); an
        Ollama model is probed on the current local server first (raises the provider's
        errors), a model folder is opened (raises EmbedderUnavailable)."""
        embedder = await open_embedder(chosen, builtin=self._builtin, local=self._providers.local)
        if isinstance(embedder, OllamaEmbedder):
            self._ollama[embedder.embedder_id] = embedder
        return embedder

    async def use_embedder(self, chosen: str) -> None:
        """Make `chosen` ("builtin", "ollama:MODEL" or "onnx:FOLDER") the embedder that new
        knowledge bases and re-embeddings get; knowledge bases built by another keep
        searching with theirs until they are re-embedded."""
        self.embedders.use(await self._embedder(chosen))

    async def apply_settings(self) -> None:
        """Use the saved settings now: retrieval and privacy, and Ollama embedders moved to
        the (possibly new) local server (the old ones finish what they began). The reader
        asks for the OCR setting at each file."""
        self._configure()
        current = self.embedders.current.embedder_id
        for embedder_id in list(self._ollama):
            fresh = await self._embedder(embedder_id)
            self.embedders.add(fresh)
            if embedder_id == current:
                self.embedders.use(fresh)

    async def _write_access(self) -> None:
        """The ingest service's write gate: take the data folder's write lock on the first
        write, or raise StoreBusy naming the process that holds it."""
        async with self._gate:
            if self.store_lock.held:
                return
            if not await asyncio.to_thread(self.store_lock.try_acquire):
                raise self.store_lock.busy_error()
            # What this process read while another one wrote may be stale in chromadb's
            # memory; writing on top of it would lose that process's vectors.
            await asyncio.to_thread(self.indexes.reconnect)
            self.recovery = await self.ingest.recover()
        if self.recovery.requeued:
            self.resume_in_background(self.recovery)

    def resume_in_background(self, report: RecoveryReport) -> None:
        """Index again what crash recovery re-queued, in a task of its own (stopped by
        `aclose`)."""
        log.info("resuming what an interrupted run left: %s", report.requeued)
        self._resumed = asyncio.create_task(self.ingest.resume(report))

    @classmethod
    async def open(cls, ctx: Context, providers: Providers) -> KnowledgeServices:
        indexes = await asyncio.to_thread(open_indexes, ctx.paths, ctx.settings.store)
        builtin = BuiltinEmbedder(cache_dir=ctx.paths.cache_dir / "embedders")
        knowledge = cls(ctx, providers, indexes, ExecutorEmbedder(builtin))
        await knowledge.use_embedder(ctx.settings.embedding.embedder)
        if ctx.reads_only:
            log.info("reading the store only")
        elif await asyncio.to_thread(knowledge.store_lock.try_acquire):
            knowledge.recovery = await knowledge.ingest.recover()
        else:
            log.info("the store is being changed by another process: reading only for now")
        return knowledge

    @property
    def ctx(self) -> Context:
        """The run's folders and settings (a saved setting is used after
        `apply_settings`)."""
        return self._ctx

    @property
    def embedder_id(self) -> str:
        """The embedder new and re-embedded knowledge bases get."""
        return self.embedders.current.embedder_id

    @property
    def writable(self) -> bool:
        """True while this process holds the data folder's write lock."""
        return self.store_lock.held

    async def aclose(self) -> None:
        """Release the store (every write is committed when it is made) and its lock."""
        if self._resumed is not None:
            self._resumed.cancel()
            await asyncio.gather(self._resumed, return_exceptions=True)
        await asyncio.to_thread(self.reader.close)
        await asyncio.to_thread(self.indexes.close)
        self.store_lock.release()
        log.debug("knowledge base closed")
