"""The never-to-the-cloud rule for a knowledge base, as a route policy."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from desktop.core.errors import CloudNotAllowed
from desktop.core.models import ProviderKind
from desktop.core.routing import RoutePolicy

pytestmark = pytest.mark.unit


@dataclass
class FakeRoute:
    kind: ProviderKind
    model: str = "gpt-oss:120b"
    reason: str = "Cloud mode"
    client: object = None


def policy(kind: ProviderKind, local_only: set[str]) -> RoutePolicy:
    async def resolve() -> FakeRoute:
        return FakeRoute(kind)

    return RoutePolicy(resolve, lambda: local_only)  # type: ignore[arg-type]


async def test_a_local_only_base_never_gets_a_cloud_route() -> None:
    with pytest.raises(CloudNotAllowed) as info:
        await policy(ProviderKind.CLOUD, {"private"})(["private"])
    assert "'private'" in info.value.message and "Cloud mode" in info.value.message


async def test_other_bases_and_local_routes_pass() -> None:
    route = await policy(ProviderKind.CLOUD, {"private"})(["default"])
    assert route.kind is ProviderKind.CLOUD
    route = await policy(ProviderKind.LOCAL, {"private"})(["private"])
    assert route.kind is ProviderKind.LOCAL


async def test_the_rule_is_read_when_the_answer_is_routed() -> None:
    local_only: set[str] = set()
    routes = policy(ProviderKind.CLOUD, local_only)
    await routes(["notes"])
    local_only.add("notes")  # saved in Settings meanwhile
    with pytest.raises(CloudNotAllowed):
        await routes(["notes"])


async def test_one_local_only_base_among_several_keeps_the_answer_local() -> None:
    with pytest.raises(CloudNotAllowed) as info:
        await policy(ProviderKind.CLOUD, {"diary"})(["recipes", "diary", "work"])
    assert "'diary'" in info.value.message
    route = await policy(ProviderKind.LOCAL, {"diary"})(["recipes", "diary"])
    assert route.kind is ProviderKind.LOCAL
