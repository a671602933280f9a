"""What the window needs from the composition root, as Protocols over core types.

`desktop.app.Services` satisfies these structurally; tests build their own from real
adapters. The window never imports an adapter (the import contract forbids it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from desktop.core.chat_service import ChatService
from desktop.core.conversation_service import ConversationService
from desktop.core.documents import (
    DocumentRecord,
    DocumentStatus,
    KnowledgeBaseRecord,
    KnowledgeBaseSummary,
)
from desktop.core.events import EventCallback, IngestSummary
from desktop.core.knowledge_base import ProgressCallback
from desktop.core.models import ModelInfo, ServerStatus
from desktop.core.ports import ModelClient, SecretStore
from desktop.core.recovery import RecoveryReport
from desktop.core.settings import Settings
from desktop.core.sources import SourceService
from desktop.core.watch import FolderWatcher


class PathsLike(Protocol):
    @property
    def data_dir(self) -> Path: ...


class AppContext(Protocol):
    """The run's folders and settings (desktop.app.Context)."""

    @property
    def paths(self) -> PathsLike: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def notice(self) -> str | None: ...

    @property
    def local_url(self) -> str: ...

    @property
    def env(self) -> Mapping[str, str]:
        """The environment this run was started with (OLLAMA_HOST and the like)."""
        ...

    def save_settings(self) -> None: ...


class Ingestion(Protocol):
    """Indexes files (desktop.core.ingest_service.IngestService)."""

    async def ingest(
        self,
        paths: Sequence[str | Path],
        kb: str,
        *,
        on_event: EventCallback | None = None,
        force: bool = False,
    ) -> IngestSummary: ...

    async def resume(
        self, report: RecoveryReport, *, on_event: EventCallback | None = None
    ) -> list[IngestSummary]: ...

    async def remove_documents(self, kb: str, doc_ids: Collection[str]) -> None: ...

    async def queue_for_next_start(self, paths: Sequence[str | Path], kb: str) -> None: ...

    def keep_unfinished(self) -> None: ...


class KnowledgeBases(Protocol):
    """Creates, lists, changes and removes knowledge bases
    (desktop.core.knowledge_base.KnowledgeBaseService)."""

    async def create(self, name: str) -> KnowledgeBaseRecord: ...

    async def summaries(self) -> list[KnowledgeBaseSummary]: ...

    async def documents(
        self, name: str, statuses: Collection[DocumentStatus] | None = None
    ) -> list[DocumentRecord]: ...

    async def remove(self, name: str) -> None: ...

    async def rename(self, name: str, new_name: str) -> KnowledgeBaseRecord: ...

    async def remove_document(self, name: str, doc_id: str) -> None: ...

    async def reindex(
        self, name: str, *, on_event: EventCallback | None = None
    ) -> IngestSummary: ...

    async def reembed(
        self, name: str, *, on_progress: ProgressCallback | None = None
    ) -> KnowledgeBaseRecord: ...


class WriteAccess(Protocol):
    """Whether this run may change the store (desktop.core.store_session.StoreSession)."""

    async def writable(self) -> None:
        """Return once this run may write; raise StoreBusy while another process writes."""
        ...


class WindowKnowledge(Protocol):
    """The knowledge services as the window uses them: desktop.indexer.client.IndexerClient
    (the store in the indexing process), or desktop.knowledge.KnowledgeServices in-process.
    """

    @property
    def session(self) -> WriteAccess: ...

    @property
    def ingest(self) -> Ingestion: ...

    @property
    def kbs(self) -> KnowledgeBases: ...

    @property
    def embedder_id(self) -> str:
        """The embedder new and re-embedded knowledge bases get."""
        ...

    @property
    def chat(self) -> ChatService: ...

    @property
    def conversations(self) -> ConversationService: ...

    @property
    def sources(self) -> SourceService:
        """Finds cited passages in their files and renders pages, for the source view."""
        ...

    @property
    def recovery(self) -> RecoveryReport | None:
        """What crash recovery re-queued when the knowledge base was opened."""
        ...

    async def use_embedder(self, chosen: str) -> None:
        """Make "builtin", "ollama:MODEL" or "onnx:FOLDER" the embedder for new and
        re-embedded bases."""
        ...


class WindowServices(Protocol):
    """The live services of one run (desktop.app.Services)."""

    @property
    def ctx(self) -> AppContext: ...

    @property
    def secrets(self) -> SecretStore: ...

    @property
    def local(self) -> ModelClient: ...

    @property
    def cloud(self) -> ModelClient | None: ...

    @property
    def key_source(self) -> str: ...

    async def refresh_cloud(self) -> None:
        """Read the API key again (after it was saved or removed)."""
        ...

    async def apply_settings(self) -> None:
        """Use the saved settings now in every live object (the key store, the servers,
        routing, retrieval, embedders); what runs meanwhile finishes as it began."""
        ...

    async def probe_local(self, url: str) -> ServerStatus:
        """Test a local server address before it is saved."""
        ...

    async def probe_cloud(self, key: str) -> list[ModelInfo]:
        """Test an Ollama Cloud API key before it is saved: the catalogue it opens."""
        ...

    def folder_watcher(self, roots: Sequence[Path], *, interval: float = 2.0) -> FolderWatcher:
        """A polling watch over `roots` (the one `hearth watch` uses)."""
        ...

    async def claude_environment(self, model: str, *, with_tools: bool) -> str:
        """The shell lines that point Claude Code at `model` (and at Hearth's tools)."""
        ...

    async def knowledge(self) -> WindowKnowledge:
        """The knowledge services, opened once however many ask at the same time."""
        ...

    async def aclose(self) -> None: ...


OpenServices = Callable[[], Awaitable[WindowServices]]
