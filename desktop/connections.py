"""The model servers of one run: the local Ollama client, the cloud client and the router
between them, rebuilt from the settings in one place (`apply`)."""

from __future__ import annotations

import dataclasses
import logging

from desktop.context import Context
from desktop.core.errors import ProviderError
from desktop.core.models import ProviderKind, RoutingMode, ServerStatus
from desktop.core.ports import Route
from desktop.infra.logging import register_secret
from desktop.infra.secrets import NO_KEY
from desktop.providers.claude_code import ClaudeEnv, claude_env
from desktop.providers.names import is_cloud_name, local_route_name
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

    async def probe_local(self, url: str) -> ServerStatus:
        """Test a local server address before it is saved (reachable, version, latency)."""
        client = self._client(local_base_url(url, {}), ProviderKind.LOCAL)
        try:
            return await client.status()
        finally:
            await client.aclose()

    async def claude_env(self, provider: str, model: str) -> ClaudeEnv:
        """Claude Code's environment for `model` through the local server ("local") or
        straight to Ollama Cloud ("cloud"). What the servers could not say (a context
        length) is among the result's warnings."""
        cloud_model = is_cloud_name(model)
        context: int | None = None
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
                context = (await self.local.show(shown)).context_length or None
            elif self.cloud is not None:
                context = (await self.cloud.show(model)).context_length or None
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
        )
        return dataclasses.replace(result, warnings=[*notes, *result.warnings])

    async def aclose(self) -> None:
        await self.local.aclose()
        if self.cloud is not None:
            await self.cloud.aclose()
