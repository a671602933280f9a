"""Choosing who writes an answer: the local server or Ollama Cloud.

Local, Cloud or Auto (local when reachable and the model is there, else the cloud, only
if the person enabled it). Nothing is ever sent to the cloud unless the cloud is enabled:
that includes cloud model names routed through a signed-in local server.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from desktop.core.errors import (
    AuthenticationFailed,
    CloudNotAllowed,
    ModelNotFound,
    ProviderError,
    ProviderUnreachable,
)
from desktop.core.models import ProviderKind, RoutingMode
from desktop.core.ports import ModelClient
from desktop.core.settings import DEFAULT_CLOUD_URL, DEFAULT_LOCAL_URL
from desktop.providers.names import direct_cloud_name, is_cloud_name, same_model

log = logging.getLogger(__name__)

_DEFAULT_PORT = 11434


def local_base_url(settings_url: str, env: Mapping[str, str]) -> str:
    """The local server's base URL: OLLAMA_HOST, then OLLAMA_URL, then the setting.

    Accepts the forms Ollama accepts ("0.0.0.0", "host:port", "http://host:port"); a
    listen-everywhere address becomes loopback, a missing port becomes 11434.
    """
    raw = (env.get("OLLAMA_HOST") or env.get("OLLAMA_URL") or settings_url or "").strip()
    if not raw:
        return DEFAULT_LOCAL_URL
    if "://" not in raw:
        raw = f"http://{raw}"
    parts = urlsplit(raw)
    host = parts.hostname or "127.0.0.1"
    if host in ("0.0.0.0", "::"):  # noqa: S104 - a listen address, mapped to loopback
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    port = parts.port or (_DEFAULT_PORT if parts.scheme == "http" else 443)
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{host}:{port}{path}"


def cloud_base_url(settings_url: str, env: Mapping[str, str]) -> str:
    """Ollama Cloud's base URL: HEARTH_CLOUD_URL, then the setting, then ollama.com."""
    raw = (env.get("HEARTH_CLOUD_URL") or settings_url or DEFAULT_CLOUD_URL).strip()
    return raw.rstrip("/")


@dataclass(frozen=True, slots=True)
class Route:
    """Who will write the answer: the client, where it is, the model name it knows, why."""

    client: ModelClient
    kind: ProviderKind
    model: str
    reason: str


class ProviderRouter:
    """Resolves the routing mode into a client and model name.

    Args:
        mode: the person's choice (Local, Cloud, Auto).
        local: the local server's client.
        cloud: the cloud client (None when no API key is set).
        cloud_enabled: whether the person allowed the cloud at all.
        key_source: where the key would come from, for the "no key" message.
    """

    def __init__(
        self,
        mode: RoutingMode,
        local: ModelClient,
        cloud: ModelClient | None,
        *,
        cloud_enabled: bool,
        key_source: str = "",
    ) -> None:
        self.mode = mode
        self.local = local
        self.cloud = cloud
        self.cloud_enabled = cloud_enabled
        self._key_source = key_source

    async def resolve(self, local_model: str, cloud_model: str) -> Route:
        """Pick the route for one answer.

        Raises:
            CloudNotAllowed: the cloud would be needed but is not enabled.
            AuthenticationFailed: the cloud is needed and no API key is set.
            ProviderUnreachable, ModelNotFound: the local server cannot serve the model
                and the cloud is not an option.
        """
        if self.mode is RoutingMode.CLOUD:
            return self._cloud(cloud_model or local_model, "Cloud mode")
        if self.mode is RoutingMode.LOCAL:
            return self._local(local_model, "Local mode")
        return await self._auto(local_model, cloud_model)

    def _local(self, model: str, reason: str) -> Route:
        if not model:
            raise ModelNotFound(
                "No chat model is chosen for the local server.",
                "Pick one in the model picker, or pull one (hearth models pull llama3.2).",
                provider=ProviderKind.LOCAL.value,
            )
        if is_cloud_name(model) and not self.cloud_enabled:
            raise CloudNotAllowed(
                f"{model} is a cloud model, and the cloud is turned off.",
                "Turn on Ollama Cloud in Settings, or choose a local model.",
                provider=ProviderKind.CLOUD.value,
            )
        return Route(self.local, ProviderKind.LOCAL, model, reason)

    def _cloud(self, model: str, reason: str) -> Route:
        if not self.cloud_enabled:
            raise CloudNotAllowed(
                "Ollama Cloud is turned off, so nothing was sent there.",
                "Turn on Ollama Cloud in Settings, or switch to Local.",
                provider=ProviderKind.CLOUD.value,
            )
        if self.cloud is None:
            raise AuthenticationFailed(
                "No Ollama Cloud API key is set.",
                "Add your key in Settings (from https://ollama.com/settings/keys) "
                "or set OLLAMA_API_KEY.",
                provider=ProviderKind.CLOUD.value,
                key_source=self._key_source or "no API key is set",
            )
        if not model:
            raise ModelNotFound(
                "No cloud model is chosen.",
                "Pick one from the cloud catalogue (hearth models list --provider cloud).",
                provider=ProviderKind.CLOUD.value,
            )
        return Route(self.cloud, ProviderKind.CLOUD, direct_cloud_name(model), reason)

    async def _auto(self, local_model: str, cloud_model: str) -> Route:
        problem: ProviderError
        try:
            installed = [m.name for m in await self.local.list_models()]
        except ProviderError as exc:
            problem = exc
        else:
            if local_model and (
                is_cloud_name(local_model) or any(same_model(local_model, n) for n in installed)
            ):
                return self._local(local_model, "the local server has the model")
            problem = ModelNotFound(
                f"The model {local_model or '(none chosen)'} is not installed locally.",
                f"Pull it with `hearth models pull {local_model}`" if local_model else "",
                provider=ProviderKind.LOCAL.value,
                model=local_model,
                can_pull=bool(local_model),
            )
        if self.cloud_enabled and self.cloud is not None and (cloud_model or local_model):
            log.info("auto route: cloud (%s)", problem.kind)
            reason = (
                "the local server is not reachable"
                if isinstance(problem, ProviderUnreachable)
                else "the local server does not have the model"
            )
            return self._cloud(cloud_model or local_model, reason)
        if not self.cloud_enabled:
            problem.hint = (
                f"{problem.hint} Or turn on Ollama Cloud in Settings to answer from the cloud."
            ).strip()
        raise problem
