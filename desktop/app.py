"""The composition root: builds settings, adapters and services for the CLI and the window.

Two steps. `bootstrap()` is cheap and synchronous (folders, settings, logging) so the
window can appear at once. `Services.open()` connects the providers; the knowledge base
(chromadb, the embedder runtime) is built on first use by `Services.knowledge()`, so
commands and screens that do not need it never pay for loading it.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.core.errors import AppError
from desktop.core.models import ModelInfo, ProviderKind, RoutingMode, ServerStatus
from desktop.core.settings import Settings
from desktop.infra.logging import register_secret, setup_logging
from desktop.infra.paths import AppPaths, resolve_paths
from desktop.infra.secrets import KeyringSecretStore
from desktop.infra.settings_store import SettingsStore
from desktop.providers.ollama import OllamaClient
from desktop.providers.router import ProviderRouter, cloud_base_url, local_base_url

if TYPE_CHECKING:
    from desktop.knowledge import Knowledge

log = logging.getLogger(__name__)

# Everything Hearth creates (folders, settings, logs, the store, the lock note, exported
# conversations) is readable by the user only.
PRIVATE_UMASK = 0o077


@dataclass(slots=True)
class Context:
    """What every entry point needs before anything heavy: folders, settings, environment."""

    paths: AppPaths
    settings_store: SettingsStore
    settings: Settings
    notice: str | None
    env: Mapping[str, str]
    # Who this process is, in words, for another process refused the store's write lock.
    role: str = "a Hearth command"
    # A process that only reads the store (search, ask, the MCP server) does not take the
    # write lock when it opens the store, so a window opened meanwhile can still write.
    reads_only: bool = False

    @property
    def local_url(self) -> str:
        return local_base_url(self.settings.provider.local_url, self.env)

    @property
    def cloud_url(self) -> str:
        return cloud_base_url(self.settings.provider.cloud_url, self.env)

    def save_settings(self) -> None:
        self.settings_store.save(self.settings)


def bootstrap(
    data_dir: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    console_log: bool = False,
    log_level: int = logging.INFO,
    role: str = "a Hearth command",
    reads_only: bool = False,
) -> Context:
    """Set a private umask (0o077), resolve folders, set up logging and load the settings
    (never fails on a bad file).

    Raises:
        SettingsError: the data folder cannot be created or written.
    """
    os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)  # never wider than the user's own
    env = dict(os.environ if env is None else env)
    paths = resolve_paths(data_dir, env).ensure()
    setup_logging(paths.log_dir, level=log_level, console=console_log)
    store = SettingsStore(paths.settings_path)
    loaded = store.load()
    if loaded.notice:
        log.info("settings: %s", loaded.notice)
    return Context(paths, store, loaded.settings, loaded.notice, env, role, reads_only)


class Services:
    """The live services of one run. Close with `aclose()` (or `async with`)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        settings = ctx.settings
        self.secrets = KeyringSecretStore(
            env=ctx.env,
            allow_file_fallback=settings.secrets.allow_file_fallback,
            key_file=ctx.paths.key_file,
        )
        self.local = self._client(ctx.local_url, ProviderKind.LOCAL)
        self.cloud: OllamaClient | None = None
        self.key_source = "no API key is set"
        self.router = ProviderRouter(
            RoutingMode(settings.provider.mode),
            self.local,
            None,
            cloud_enabled=settings.provider.cloud_enabled,
        )
        self._knowledge: Knowledge | None = None
        self._knowledge_lock = asyncio.Lock()

    def _client(
        self, url: str, kind: ProviderKind, key: str | None = None, source: str = ""
    ) -> OllamaClient:
        p = self.ctx.settings.provider
        return OllamaClient(
            url,
            kind=kind,
            api_key=key,
            key_source=source,
            connect_timeout=p.connect_timeout_s,
            first_token_timeout=p.first_token_timeout_s,
            retries=p.retries,
        )

    @classmethod
    async def open(cls, ctx: Context) -> Services:
        services = cls(ctx)
        await services.refresh_cloud()
        return services

    async def apply_settings(self) -> None:
        """Use the saved settings now, without a restart: a new local server address
        (unless OLLAMA_HOST or OLLAMA_URL decides it), timeouts, the cloud and routing, and
        the knowledge base's retrieval and privacy settings.

        Raises:
            RequestRejected: the local server address is not valid.
        """
        url = self.ctx.local_url
        old = self.local
        self.local = self._client(url, ProviderKind.LOCAL)
        if self._knowledge is not None:
            await self._knowledge.apply_settings()
        await old.aclose()
        await self.refresh_cloud()
        log.info("settings applied (local server %s)", url)

    async def probe_local(self, url: str) -> ServerStatus:
        """Test a local server address before it is saved (reachable, version, latency)."""
        client = self._client(local_base_url(url, {}), ProviderKind.LOCAL)
        try:
            return await client.status()
        finally:
            await client.aclose()

    async def probe_cloud(self, key: str) -> list[ModelInfo]:
        """Test an Ollama Cloud API key before it is saved: the catalogue it opens."""
        register_secret(key)
        client = self._client(
            self.ctx.cloud_url, ProviderKind.CLOUD, key, "the key typed in Settings"
        )
        try:
            return await client.list_models()
        finally:
            await client.aclose()

    async def refresh_cloud(self) -> None:
        """(Re)build the cloud client from the current key and settings."""
        key, source = await self.secrets.get_api_key()
        register_secret(key)
        if self.cloud is not None:
            await self.cloud.aclose()
        self.key_source = source
        self.cloud = (
            self._client(self.ctx.cloud_url, ProviderKind.CLOUD, key, source) if key else None
        )
        p = self.ctx.settings.provider
        self.router = ProviderRouter(
            RoutingMode(p.mode),
            self.local,
            self.cloud,
            cloud_enabled=p.cloud_enabled,
            key_source=source,
        )

    def client_for(self, provider: str) -> OllamaClient | None:
        """The client for "local" or "cloud" (None: no cloud key)."""
        return self.local if provider == ProviderKind.LOCAL.value else self.cloud

    async def knowledge(self) -> Knowledge:
        """The knowledge-base services, built (and crash-recovered) on first use; callers
        arriving while it is being built wait for that one build."""
        async with self._knowledge_lock:
            if self._knowledge is None:
                from desktop.knowledge import Knowledge

                self._knowledge = await Knowledge.open(self)
            return self._knowledge

    async def aclose(self) -> None:
        if self._knowledge is not None:
            await self._knowledge.aclose()
        await self.local.aclose()
        if self.cloud is not None:
            await self.cloud.aclose()

    async def __aenter__(self) -> Services:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


WINDOW_MISSING = (
    "The desktop window is not available in this build; use the subcommands (hearth --help)."
)
OpenServices = Callable[[], Awaitable[Services]]
WindowRun = Callable[[Context, OpenServices, Sequence[str]], int]


def launch_window(data_dir: str | None, files: Sequence[str] = ()) -> int:
    """Open the desktop window and return its exit code.

    The window lives in `desktop.ui.main`, imported only here so headless commands never
    load Qt. Its entry point is `run(ctx, open_services) -> int`: `ctx` is this run's
    `Context` (paths, settings, the settings notice to show, `save_settings()`),
    `open_services()` is a coroutine function the window awaits once its event loop runs
    (it returns an open `Services`, which the window closes with `aclose()` before
    exiting), and `files` are to be indexed (handed to an already open window, if any).

    Raises:
        AppError: this build has no window.
        SettingsError: the data folder cannot be created or written.
    """
    try:
        window = importlib.import_module("desktop.ui.main")
    except ModuleNotFoundError as exc:
        if exc.name != "desktop.ui.main":
            raise
        raise AppError(WINDOW_MISSING) from None
    run: WindowRun = window.run
    ctx = bootstrap(data_dir, role="the Hearth window")
    return run(ctx, functools.partial(Services.open, ctx), files)
