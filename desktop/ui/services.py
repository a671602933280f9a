"""What the window needs from the composition root, as Protocols over core types.

`desktop.app.Services` satisfies these structurally; tests build their own from real
adapters. The window never imports an adapter (the import contract forbids it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from desktop.core.chat_service import ChatService
from desktop.core.conversation_service import ConversationService
from desktop.core.ingest_service import IngestService
from desktop.core.knowledge_base import KnowledgeBaseService
from desktop.core.models import ModelInfo, ServerStatus
from desktop.core.ports import ModelClient, SecretStore
from desktop.core.recovery import RecoveryReport
from desktop.core.settings import Settings
from desktop.core.sources import SourceService
from desktop.core.store_session import StoreSession
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


class WindowKnowledge(Protocol):
    """The knowledge services as the window uses them (desktop.knowledge.KnowledgeServices)."""

    @property
    def session(self) -> StoreSession: ...

    @property
    def ingest(self) -> IngestService: ...

    @property
    def kbs(self) -> KnowledgeBaseService: ...

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
