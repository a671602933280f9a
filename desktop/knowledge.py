"""The knowledge-base half of the composition root: store, embedders and services.

Built on first use (chromadb and the embedder runtime are heavy), then crash recovery
runs once before anything else touches the store.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import TYPE_CHECKING

from desktop.core.chat_service import ChatService
from desktop.core.chunking import chunk_document
from desktop.core.errors import CloudNotAllowed
from desktop.core.fusion import fuse_scores, hybrid_weights, max_marginal_relevance
from desktop.core.ingest_service import IngestService, RecoveryReport
from desktop.core.knowledge_base import EmbedderSet, ExecutorEmbedder, KnowledgeBaseService
from desktop.core.models import ProviderKind
from desktop.core.ports import AsyncEmbedder, Route
from desktop.core.privacy import Scrubber
from desktop.core.retrieval import HybridRetriever
from desktop.embedders.builtin import BuiltinEmbedder
from desktop.embedders.ollama import OllamaEmbedder
from desktop.ingest.walk import FileReader
from desktop.store.history import ConversationStore
from desktop.store.kb import ChromaIndexStore
from desktop.store.lexical import BM25Index
from desktop.store.registry import SqliteRegistry
from desktop.store.vectors import open_chroma_client

if TYPE_CHECKING:
    from desktop.app import Services

log = logging.getLogger(__name__)


class Knowledge:
    """Registry, indexes, embedders and the services over them."""

    def __init__(
        self, services: Services, indexes: ChromaIndexStore, embedders: EmbedderSet
    ) -> None:
        ctx = services.ctx
        settings = ctx.settings
        self.services = services
        self.registry = SqliteRegistry(ctx.paths.db_path)
        self.indexes = indexes
        self.embedders = embedders
        self.history = ConversationStore(ctx.paths.db_path)
        chunker = functools.partial(
            chunk_document,
            max_tokens=settings.retrieval.chunk_tokens,
            overlap_tokens=settings.retrieval.chunk_overlap,
        )
        self.ingest = IngestService(
            self.registry,
            indexes,
            embedders,
            FileReader(),
            chunker,
            batch_size=settings.embedding.batch_size,
        )
        self.kbs = KnowledgeBaseService(self.ingest, embedders)
        self.retriever = HybridRetriever(
            self.registry,
            indexes,
            embedders,
            fuse_scores,
            weights=hybrid_weights,
            diversify=max_marginal_relevance,
        )
        scrubber = (
            Scrubber(custom_patterns=settings.privacy.custom_patterns)
            if settings.privacy.scrub_cloud_text
            else None
        )
        self.chat = ChatService(
            self.retriever,
            self._route,
            top_k=settings.retrieval.top_k,
            mmr=settings.retrieval.use_mmr,
            outbound_filter=scrubber.scrub if scrubber is not None else None,
        )
        self.recovery: RecoveryReport | None = None

    async def _route(self, kb: str) -> Route:
        settings = self.services.ctx.settings
        p = settings.provider
        route = await self.services.router.resolve(p.chat_model, p.cloud_model)
        if route.kind is ProviderKind.CLOUD and kb in settings.privacy.local_only_kbs:
            raise CloudNotAllowed(
                f"The knowledge base {kb!r} is marked never to be sent to the cloud, "
                f"and the answer would have come from Ollama Cloud ({route.reason}).",
                "Start the local Ollama server with a chat model, or change the knowledge "
                "base's privacy in Settings.",
                provider=ProviderKind.CLOUD.value,
            )
        return route

    @classmethod
    async def open(cls, services: Services) -> Knowledge:
        ctx = services.ctx
        store = ctx.settings.store
        client = await asyncio.to_thread(
            open_chroma_client, store.chroma_mode, ctx.paths.chroma_dir, store.chroma_url
        )
        indexes = ChromaIndexStore(client, ctx.paths.lexical_dir, BM25Index)
        builtin: AsyncEmbedder = ExecutorEmbedder(BuiltinEmbedder())
        chosen = ctx.settings.embedding.embedder
        if chosen.startswith("ollama:"):
            ollama = OllamaEmbedder(services.local, chosen.removeprefix("ollama:"))
            await ollama.probe()
            embedders = EmbedderSet(ollama, builtin)
        else:
            embedders = EmbedderSet(builtin)
        knowledge = cls(services, indexes, embedders)
        knowledge.recovery = await knowledge.ingest.recover()
        return knowledge

    async def aclose(self) -> None:
        """Nothing to flush: every write is committed when it is made."""
        log.debug("knowledge base closed")
