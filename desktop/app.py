"""The composition root: one run's context, providers and knowledge services, for the CLI,
the MCP server and the window.

Three parts, each built from the ones before it and never from the whole: the `Context`
(folders, settings, the API-key store, logging; `bootstrap()` is cheap, so the window
appears at once), the `Providers` (local and cloud clients and the router, connected by
`Services.open()`), and the `KnowledgeServices` (chromadb, the embedder runtime), built on
first use by `Services.knowledge()` so commands and screens that do not need them never
pay for loading them. A saved setting reaches every live object through
`Services.apply_settings()`.

The window's run is a `WindowRun`: the same context and providers, but its knowledge
services live in an indexing process it starts on first use (`desktop.indexer`), built
there by the same `KnowledgeServices.open`; the window's own process never loads chromadb
or the embedder.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Self

from desktop.connections import Providers
from desktop.context import PRIVATE_UMASK, Context, bootstrap
from desktop.core.errors import AppError, IndexerStopped
from desktop.core.models import ModelInfo, ServerStatus
from desktop.core.watch import FolderWatcher
from desktop.infra.secrets import KeyringSecretStore
from desktop.providers.claude_code import env_script
from desktop.providers.ollama import OllamaClient
from desktop.providers.router import ProviderRouter

if TYPE_CHECKING:
    # Imported when first used: chromadb and the embedder runtime take seconds to load.
    from desktop.indexer.client import IndexerClient
    from desktop.knowledge import KnowledgeServices

__all__ = [
    "PRIVATE_UMASK",
    "WINDOW_MISSING",
    "Context",
    "Services",
    "WindowRun",
    "bootstrap",
    "launch_window",
]

log = logging.getLogger(__name__)


class _Run:
    """What every run shares: its context and its providers."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.providers = Providers(ctx)

    @classmethod
    async def open(cls, ctx: Context) -> Self:
        services = cls(ctx)
        await services.refresh_cloud()
        return services

    @property
    def secrets(self) -> KeyringSecretStore:
        return self.ctx.secrets

    @property
    def local(self) -> OllamaClient:
        return self.providers.local

    @property
    def cloud(self) -> OllamaClient | None:
        return self.providers.cloud

    @property
    def router(self) -> ProviderRouter:
        return self.providers.router

    @property
    def key_source(self) -> str:
        return self.providers.key_source

    async def refresh_cloud(self) -> None:
        """Read the API key again (after it was saved or removed)."""
        await self.providers.refresh_cloud()

    async def probe_local(self, url: str) -> ServerStatus:
        """Test a local server address before it is saved (reachable, version, latency)."""
        return await self.providers.probe_local(url)

    async def probe_cloud(self, key: str) -> list[ModelInfo]:
        """Test an Ollama Cloud API key before it is saved: the catalogue it opens."""
        return await self.providers.probe_cloud(key)

    def folder_watcher(self, roots: Sequence[Path], *, interval: float = 2.0) -> FolderWatcher:
        """A polling watch over `roots`, as `hearth watch` and the window's watched
        folders use it (`interval` seconds between scans)."""
        from desktop.ingest.walk import snapshot  # the file walk: only when watching

        return FolderWatcher(functools.partial(snapshot, list(roots)), interval=interval)

    async def claude_environment(self, model: str, *, with_tools: bool) -> str:
        """What `hearth claude-env --model MODEL` prints (with `--with-mcp` when
        `with_tools`), its warnings first as shell comments."""
        result = await self.providers.claude_env(self.ctx.settings.claude.provider, model)
        notes = "".join(f"# {warning}\n" for warning in result.warnings)
        data_dir = str(self.ctx.paths.data_dir) if with_tools else None
        return notes + env_script(result, "sh", mcp_data_dir=data_dir)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.providers.aclose()


class Services(_Run):
    """The live services of a command-line run or the MCP server, with the knowledge
    services in this process. Close with `aclose()` (or `async with`)."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._knowledge: asyncio.Future[KnowledgeServices] | None = None

    async def apply_settings(self) -> None:
        """Use the saved settings now, without a restart, in every live object: the API-key
        store, the local server's address (unless OLLAMA_HOST or OLLAMA_URL decides it),
        timeouts, the cloud and routing, then the knowledge services' retrieval, privacy
        and embedders. What runs meanwhile (an answer, an import) finishes on the clients
        it started with.

        Raises:
            RequestRejected: the local server address is not valid.
        """
        await self.providers.apply()
        knowledge = self._knowledge
        if knowledge is not None and knowledge.done() and not _failed(knowledge):
            await knowledge.result().apply_settings()
        log.info("settings applied")

    async def knowledge(self) -> KnowledgeServices:
        """The knowledge services, built (and crash-recovered) once, on first use: callers
        arriving while they are being built wait for that one build, and a caller that is
        cancelled meanwhile does not stop it. A build that failed is tried again."""
        future = self._knowledge
        if future is None or (future.done() and _failed(future)):
            from desktop.knowledge import KnowledgeServices

            future = asyncio.ensure_future(KnowledgeServices.open(self.ctx, self.providers))
            self._knowledge = future
        return await asyncio.shield(future)

    async def aclose(self) -> None:
        """Close what was opened. Knowledge services still being built are waited for,
        then closed: cancelling the build halfway would leave the store and its lock open."""
        future, self._knowledge = self._knowledge, None
        if future is not None:
            await asyncio.wait([future])
            if not _failed(future):
                await future.result().aclose()
        await super().aclose()


class WindowRun(_Run):
    """The live services of the window: its knowledge services are an `IndexerClient`,
    the store and the embedder being in the indexing process it starts on first use.
    Close with `aclose()`, which stops that process."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._client: IndexerClient | None = None
        self._closed = False

    async def apply_settings(self) -> None:
        """As `Services.apply_settings`; the indexing process gets the settings too."""
        await self.providers.apply()
        if self._client is not None:
            await self._client.apply_settings()
        log.info("settings applied")

    async def knowledge(self) -> IndexerClient:
        """The knowledge services, once the indexing process has opened the store (it is
        started now unless it runs; one that died is replaced).

        Raises:
            IndexerStopped: the run is closed (a late request never starts a process that
                nothing would stop).
        """
        if self._closed:
            raise IndexerStopped(
                "Hearth's indexing process was stopped: the window is closing.", ""
            )
        if self._client is None:
            from desktop.indexer.client import IndexerClient

            self._client = IndexerClient(self.ctx, self.providers)
        await self._client.started()
        return self._client

    async def aclose(self) -> None:
        """Stop the indexing process (it closes the store), then the providers."""
        self._closed = True
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()
        await super().aclose()


def _failed(future: asyncio.Future[KnowledgeServices]) -> bool:
    return future.cancelled() or future.exception() is not None


WINDOW_MISSING = (
    "The desktop window is not available in this build; use the subcommands (hearth --help)."
)
OpenServices = Callable[[], Awaitable[Services]]


def launch_window(data_dir: str | None, files: Sequence[str] = ()) -> int:
    """Open the desktop window and return its exit code.

    The window lives in `desktop.ui.main`, imported only here so headless commands never
    load Qt (the import contracts name this one exception). Its entry point is
    `run(ctx, open_services, files) -> int`: `ctx` is this run's `Context`,
    `open_services()` is a coroutine function the window awaits once its event loop runs
    (it returns an open `Services`, which the window closes with `aclose()` before
    exiting), and `files` are to be indexed (handed to an already open window, if any).

    Raises:
        AppError: this build has no window.
        SettingsError: the data folder cannot be created or written.
    """
    try:
        from desktop.ui.main import run
    except ModuleNotFoundError as exc:
        if exc.name not in ("desktop.ui", "desktop.ui.main"):
            raise
        raise AppError(WINDOW_MISSING) from None
    ctx = bootstrap(data_dir, role="the Hearth window")
    return run(ctx, functools.partial(WindowRun.open, ctx), files)
