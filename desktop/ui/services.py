"""What the window needs from the composition root, as Protocols over core types.

`desktop.app.Services` satisfies these structurally; tests build their own from real
adapters. The window never imports an adapter (the import contract forbids it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Protocol

from desktop.core.chat_service import ChatService
from desktop.core.conversations import Conversation, StoredCitation, StoredMessage
from desktop.core.ingest_service import IngestService
from desktop.core.knowledge_base import KnowledgeBaseService
from desktop.core.models import RoutingMode, ServerStatus
from desktop.core.ports import ModelClient, SecretStore
from desktop.core.recovery import RecoveryReport
from desktop.core.settings import Settings
from desktop.core.store_session import StoreSession


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

    def save_settings(self) -> None: ...


class RouterLike(Protocol):
    """The provider router's switches the window flips."""

    mode: RoutingMode
    cloud_enabled: bool


class HistoryStore(Protocol):
    """Conversations in SQLite. Blocking: the controllers call it in an executor."""

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


class KnowledgeLike(Protocol):
    """The knowledge-base services (desktop.knowledge.Knowledge)."""

    @property
    def session(self) -> StoreSession: ...

    @property
    def ingest(self) -> IngestService: ...

    @property
    def kbs(self) -> KnowledgeBaseService: ...

    @property
    def chat(self) -> ChatService: ...

    @property
    def history(self) -> HistoryStore: ...

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

    @property
    def router(self) -> RouterLike: ...

    async def refresh_cloud(self) -> None: ...

    async def apply_settings(self) -> None:
        """Use the saved settings now (local server address, cloud, retrieval)."""
        ...

    async def probe_local(self, url: str) -> ServerStatus:
        """Test a local server address before it is saved."""
        ...

    async def knowledge(self) -> KnowledgeLike: ...

    async def aclose(self) -> None: ...


OpenServices = Callable[[], Awaitable[WindowServices]]
