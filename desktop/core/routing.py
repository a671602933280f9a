"""Which model may answer about a knowledge base: the never-to-the-cloud rule."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence

from desktop.core.errors import CloudNotAllowed
from desktop.core.models import ProviderKind
from desktop.core.ports import Route


class RoutePolicy:
    """Routes answers, refusing the cloud for a knowledge base marked local-only.

    Implements ChatService's `resolve_route`.

    Args:
        resolve: the route the provider settings choose now (Local, Cloud or Auto).
        local_only: the knowledge bases never to be sent to the cloud, as set now.
    """

    def __init__(
        self,
        resolve: Callable[[], Awaitable[Route]],
        local_only: Callable[[], Collection[str]],
    ) -> None:
        self._resolve = resolve
        self._local_only = local_only

    async def __call__(self, kbs: Sequence[str]) -> Route:
        """The route for an answer from the knowledge bases `kbs`.

        Raises:
            CloudNotAllowed: the answer would come from the cloud and one of `kbs` is
                local-only (the first such is named).
            AppError: no route (see the provider router).
        """
        route = await self._resolve()
        if route.kind is not ProviderKind.CLOUD:
            return route
        local_only = self._local_only()
        kb = next((name for name in kbs if name in local_only), None)
        if kb is not None:
            raise CloudNotAllowed(
                f"The knowledge base {kb!r} is marked never to be sent to the cloud, "
                f"and the answer would have come from Ollama Cloud ({route.reason}).",
                "Start the local Ollama server with a chat model, or change the knowledge "
                "base's privacy in Settings.",
                provider=ProviderKind.CLOUD.value,
            )
        return route
