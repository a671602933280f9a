"""Choosing who writes an answer: the local server or Ollama Cloud, and where they are.

Local, Cloud or Auto (local when reachable and the model is there, else the cloud, only
if the person enabled it). Nothing is ever sent to the cloud unless the cloud is enabled:
that includes cloud model names routed through a signed-in local server.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from desktop.core.errors import (
    AuthenticationFailed,
    CloudNotAllowed,
    ModelNotFound,
    ProviderError,
    ProviderUnreachable,
    RequestRejected,
)
from desktop.core.models import ProviderKind, RoutingMode
from desktop.core.ports import ModelClient
from desktop.core.settings import DEFAULT_CLOUD_URL, DEFAULT_LOCAL_URL
from desktop.providers.errors import KEYS_URL, NO_KEY
from desktop.providers.names import direct_cloud_name, is_cloud_name, same_model

log = logging.getLogger(__name__)

_DEFAULT_PORT = 11434
_SCHEME_PORTS = {"http": 80, "https": 443}
# Listen-everywhere addresses in OLLAMA_HOST mean "this machine" to a client.
_ANY_ADDRESSES = {"", "0.0.0.0", "::"}  # noqa: S104 - mapped to loopback, never bound


def local_base_url(settings_url: str, env: Mapping[str, str]) -> str:
    """The local server's base URL: OLLAMA_HOST, then OLLAMA_URL, then the setting.

    Parsed as the official client parses OLLAMA_HOST: a bare "host" or "host:port" gets
    http and port 11434; "http://host" port 80 and "https://host" port 443; a path is
    kept. "0.0.0.0" (a listen address) and a missing host become 127.0.0.1.

    Raises:
        RequestRejected: the address cannot be parsed (for example a bad port).
    """
    raw = (env.get("OLLAMA_HOST") or env.get("OLLAMA_URL") or settings_url or "").strip()
    if not raw:
        return DEFAULT_LOCAL_URL
    scheme, sep, rest = raw.partition("://")
    port = _SCHEME_PORTS.get(scheme, _DEFAULT_PORT) if sep else _DEFAULT_PORT
    if not sep:
        scheme, rest = "http", raw
    parts = urlsplit(f"{scheme}://{rest}")
    try:
        port = parts.port or port
    except ValueError:
        raise RequestRejected(
            f"The local server address {raw!r} is not valid.",
            "Use host, host:port or http://host:port (in Settings or OLLAMA_HOST).",
            provider=ProviderKind.LOCAL.value,
        ) from None
    host = parts.hostname or ""
    if host in _ANY_ADDRESSES:
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}{parts.path.rstrip('/')}"


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
        tags_ttl: seconds Auto mode reuses the local server's model list.
    """

    def __init__(
        self,
        mode: RoutingMode,
        local: ModelClient,
        cloud: ModelClient | None,
        *,
        cloud_enabled: bool,
        key_source: str = "",
        tags_ttl: float = 5.0,
    ) -> None:
        self.mode = mode
        self.local = local
        self.cloud = cloud
        self.cloud_enabled = cloud_enabled
        self._key_source = key_source
        self._tags_ttl = tags_ttl
        self._tags: list[str] = []
        self._tags_at: float | None = None

    async def resolve(self, local_model: str, cloud_model: str) -> Route:
        """Pick the route for one answer.

        Args:
            local_model: the model chosen for the local server (may be a cloud name such
                as "glm-4.7:cloud", which a signed-in local server sends to the cloud).
            cloud_model: the model chosen for Ollama Cloud (catalogue name).

        Raises:
            CloudNotAllowed: the cloud would be needed but is not enabled.
            AuthenticationFailed: the cloud is needed and no API key is set.
            ModelNotFound: no model is chosen, or Auto found it neither locally nor could
                use the cloud.
            ProviderUnreachable: Auto could not reach the local server and could not use
                the cloud.
        """
        if self.mode is RoutingMode.CLOUD:
            return self._cloud(self._cloud_choice(local_model, cloud_model), "Cloud mode is on")
        if self.mode is RoutingMode.LOCAL:
            return self._local(local_model, "Local mode is on")
        return await self._auto(local_model, cloud_model)

    @staticmethod
    def _cloud_choice(local_model: str, cloud_model: str) -> str:
        """The cloud model to use: the chosen one, else a cloud-named local choice."""
        if cloud_model:
            return cloud_model
        return local_model if is_cloud_name(local_model) else ""

    def _local(self, model: str, reason: str) -> Route:
        if not model:
            raise ModelNotFound(
                "No local model is chosen.",
                "Pick one in the model picker, or pull one with `hearth models pull NAME`.",
                provider=ProviderKind.LOCAL.value,
            )
        self._refuse_cloud_name(model)
        return Route(self.local, ProviderKind.LOCAL, model, reason)

    def _refuse_cloud_name(self, model: str) -> None:
        """A cloud name on the local server reaches the cloud: only with consent."""
        if is_cloud_name(model) and not self.cloud_enabled:
            raise CloudNotAllowed(
                f"{model} is a cloud model (the local server would send the question to "
                "Ollama Cloud), and the cloud is turned off.",
                "Turn on Ollama Cloud in Settings, or choose a local model.",
                provider=ProviderKind.CLOUD.value,
            )

    def _cloud(self, model: str, reason: str) -> Route:
        if not self.cloud_enabled:
            raise CloudNotAllowed(
                "Ollama Cloud is turned off, so nothing was sent there.",
                "Turn on Ollama Cloud in Settings, or switch to Local.",
                provider=ProviderKind.CLOUD.value,
            )
        if self.cloud is None and is_cloud_name(model):
            # Without a key, a signed-in local server reaches the cloud for `:cloud` names.
            return Route(
                self.local,
                ProviderKind.LOCAL,
                model,
                f"{model} runs in Ollama Cloud through the local server",
            )
        if self.cloud is None:
            raise AuthenticationFailed(
                "No Ollama Cloud API key is set.",
                f"Create a key at {KEYS_URL} and paste it in Settings, or set OLLAMA_API_KEY.",
                provider=ProviderKind.CLOUD.value,
                key_source=self._key_source or NO_KEY,
            )
        if not model:
            raise ModelNotFound(
                "No cloud model is chosen.",
                "Choose one in the model picker: in Cloud mode it lists the Ollama Cloud "
                "catalogue.",
                provider=ProviderKind.CLOUD.value,
            )
        return Route(self.cloud, ProviderKind.CLOUD, direct_cloud_name(model), reason)

    async def _installed(self) -> list[str]:
        """The local server's model names, reused for a few seconds."""
        now = time.monotonic()
        if self._tags_at is None or now - self._tags_at >= self._tags_ttl:
            self._tags = [m.name for m in await self.local.list_models()]
            self._tags_at = now
        return self._tags

    async def _auto(self, local_model: str, cloud_model: str) -> Route:
        self._refuse_cloud_name(local_model)
        cloud_named = is_cloud_name(local_model)
        problem: ProviderError
        try:
            installed = await self._installed()
        except ProviderError as exc:
            problem = exc
        else:
            if cloud_named:
                return self._local(
                    local_model, f"{local_model} runs in Ollama Cloud through the local server"
                )
            if local_model and any(same_model(local_model, n) for n in installed):
                return self._local(local_model, f"Local model {local_model} is installed")
            problem = ModelNotFound(
                f"The model {local_model} is not installed locally."
                if local_model
                else "No local model is chosen.",
                f"Pull it with `hearth models pull {local_model}`."
                if local_model
                else "Pick one in the model picker.",
                provider=ProviderKind.LOCAL.value,
                model=local_model,
                can_pull=bool(local_model),
            )
        target = self._cloud_choice(local_model, cloud_model)
        if self.cloud_enabled and self.cloud is not None and target:
            log.info("auto route: cloud (%s)", problem.kind)
            why = (
                "Local Ollama is not reachable"
                if isinstance(problem, ProviderUnreachable)
                else f"The local server does not have {local_model or 'a chosen model'}"
            )
            return self._cloud(target, f"{why}; using Ollama Cloud")
        problem.hint = f"{problem.hint} {self._cloud_advice(target)}".strip()
        raise problem

    def _cloud_advice(self, target: str) -> str:
        """What would let Auto answer from the cloud instead."""
        if not self.cloud_enabled:
            return "Or turn on Ollama Cloud in Settings to answer from the cloud."
        if self.cloud is None:
            return "Or add an Ollama Cloud API key in Settings to answer from the cloud."
        if not target:
            return "Or choose a cloud model to answer from the cloud."
        return ""
