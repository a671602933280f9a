"""The model servers of one run: the local Ollama client, the cloud client and the router
between them, rebuilt from the settings in one place (`apply`)."""

from __future__ import annotations

import dataclasses
import logging

from desktop.context import Context
from desktop.core.errors import ProviderError
from desktop.core.models import ModelInfo, ProviderKind, RoutingMode, ServerStatus
from desktop.core.ports import Route
from desktop.infra.logging import register_secret
from desktop.infra.secrets import NO_KEY
from desktop.providers.claude_code import MIN_CONTEXT, ClaudeEnv, claude_env
from desktop.providers.names import is_cloud_name, local_route_name, same_model
from desktop.providers.ollama import OllamaClient
from desktop.providers.router import ProviderRouter, local_base_url

log = logging.getLogger(__name__)


class Providers:
    """The local and cloud clients and the router, as the settings say.

    A client replaced by new settings is retired, not closed: an answer or an embedding
    that started on it finishes on it, and it closes when they are done.
    """

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.local = self._client(ctx.local_url, ProviderKind.LOCAL)
        self.cloud: OllamaClient | None = None
        self.key_source = NO_KEY
        self.router = self._router()

    def _client(
        self, url: str, kind: ProviderKind, key: str | None = None, source: str = ""
    ) -> OllamaClient:
        p = self._ctx.settings.provider
        return OllamaClient(
            url,
            kind=kind,
            api_key=key,
            key_source=source,
            connect_timeout=p.connect_timeout_s,
            first_token_timeout=p.first_token_timeout_s,
            retries=p.retries,
        )

    def _router(self) -> ProviderRouter:
        p = self._ctx.settings.provider
        return ProviderRouter(
            RoutingMode(p.mode),
            self.local,
            self.cloud,
            cloud_enabled=p.cloud_enabled,
            key_source=self.key_source,
        )

    async def apply(self) -> None:
        """Take the settings as they are now: the local server's address and timeouts,
        the API key and the cloud's address, the routing mode.

        Raises:
            RequestRejected: the local server address is not valid.
        """
        old_local = self.local
        self.local = self._client(self._ctx.local_url, ProviderKind.LOCAL)
        await self.refresh_cloud()
        await old_local.retire()
        log.info("providers rebuilt (local server %s)", self.local.base_url)

    async def refresh_cloud(self) -> None:
        """Read the API key again (it was saved or removed) and rebuild the cloud client."""
        key, source = await self._ctx.secrets.get_api_key()
        register_secret(key)
        old = self.cloud
        self.key_source = source
        self.cloud = (
            self._client(self._ctx.cloud_url, ProviderKind.CLOUD, key, source) if key else None
        )
        self.router = self._router()
        if old is not None:
            await old.retire()

    async def route(self) -> Route:
        """The client and model for an answer, as the provider settings choose now
        (the mode and the chosen models are read at each answer)."""
        p = self._ctx.settings.provider
        self.router.mode = RoutingMode(p.mode)
        self.router.cloud_enabled = p.cloud_enabled
        return await self.router.resolve(p.chat_model, p.cloud_model)

    async def probe_cloud(self, key: str) -> list[ModelInfo]:
        """Test an Ollama Cloud API key before it is saved: the catalogue it opens."""
        register_secret(key)
        client = self._client(
            self._ctx.cloud_url, ProviderKind.CLOUD, key, "the key typed in Settings"
        )
        try:
            return await client.list_models()
        finally:
            await client.aclose()

    async def probe_local(self, url: str) -> ServerStatus:
        """Test a local server address before it is saved (reachable, version, latency)."""
        client = self._client(local_base_url(url, {}), ProviderKind.LOCAL)
        try:
            return await client.status()
        finally:
            await client.aclose()

    async def claude_env(self, provider: str, model: str, *, load: bool = False) -> ClaudeEnv:
        """Claude Code's environment for `model` through the local server ("local") or
        straight to Ollama Cloud ("cloud"). With `load`, a local model is loaded first, so
        that the context the server really runs it with is known. What the servers could
        not say (a context length) is among the result's warnings."""
        cloud_model = is_cloud_name(model)
        context: int | None = None
        served: int | None = None
        can_think: bool | None = None
        notes: list[str] = []
        try:
            if provider == "local":
                # A catalogue name that is not installed locally is a cloud model: route
                # it through the local server under its cloud name.
                installed = {m.name for m in await self.local.list_models()}
                if not cloud_model and not {model, f"{model}:latest"} & installed:
                    cloud = self.cloud
                    catalogue = {m.name for m in await cloud.list_models()} if cloud else set()
                    cloud_model = model in catalogue
                shown = local_route_name(model) if cloud_model else model
                details = await self.local.show(shown)
                context, can_think = details.context_length or None, details.can_think
                if not cloud_model:
                    served = await self._served_context(shown, load=load)
                    if served is None and not load and (context or 0) >= MIN_CONTEXT:
                        notes.append(
                            f"{shown} is not loaded, so the context the server will run it "
                            "with is not checked (the model's num_ctx, else "
                            "OLLAMA_CONTEXT_LENGTH, else a default by GPU memory: 4096 tokens "
                            "under 24 GB). `hearth claude` loads it and checks."
                        )
            elif self.cloud is not None:
                details = await self.cloud.show(model)
                context, can_think = details.context_length or None, details.can_think
        except ProviderError as exc:
            notes.append(exc.message)
        key = None
        if provider == "cloud":
            key, _ = await self._ctx.secrets.get_api_key()
        result = claude_env(
            provider="cloud" if provider == "cloud" else "local",
            model=model,
            local_url=self._ctx.local_url,
            cloud_url=self._ctx.cloud_url,
            api_key=key,
            context_length=context,
            cloud_model=cloud_model,
            served_context=served,
            can_think=can_think,
        )
        return dataclasses.replace(result, warnings=[*notes, *result.warnings])

    async def _served_context(self, model: str, *, load: bool) -> int | None:
        """The context the local server runs `model` with: /api/ps for a loaded model; with
        `load`, after loading it as Claude Code's requests will (None: not known)."""
        if load:
            return await self.local.load(model) or None
        for running in await self.local.running():
            if same_model(running.name, model):
                return running.context_length or None
        return None

    async def aclose(self) -> None:
        await self.local.aclose()
        if self.cloud is not None:
            await self.cloud.aclose()
