"""Routing modes against the fake servers: every branch, and nothing reaches the cloud
unless the person enabled it."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest

from desktop.core.errors import (
    AuthenticationFailed,
    CloudNotAllowed,
    ModelNotFound,
    ProviderUnreachable,
)
from desktop.core.models import ProviderKind, RoutingMode
from desktop.providers.ollama import OllamaClient
from desktop.providers.router import ProviderRouter
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import CLOUD_KEY

pytestmark = pytest.mark.integration
AUTO, LOCAL, CLOUD = RoutingMode.AUTO, RoutingMode.LOCAL, RoutingMode.CLOUD


def dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture
async def local(fake_ollama: FakeOllama) -> AsyncIterator[OllamaClient]:
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL, retries=0) as client:
        yield client


@pytest.fixture
async def dead() -> AsyncIterator[OllamaClient]:
    async with OllamaClient(dead_url(), kind=ProviderKind.LOCAL, retries=0) as client:
        yield client


@pytest.fixture
async def cloud(fake_cloud: FakeOllama) -> AsyncIterator[OllamaClient]:
    async with OllamaClient(
        fake_cloud.url, kind=ProviderKind.CLOUD, api_key=CLOUD_KEY, retries=0
    ) as client:
        yield client


# ---- Local ------------------------------------------------------------------------------


async def test_local_mode_uses_the_local_client(
    local: OllamaClient, cloud: OllamaClient, fake_ollama: FakeOllama, fake_cloud: FakeOllama
) -> None:
    route = await ProviderRouter(LOCAL, local, cloud, cloud_enabled=True).resolve(
        "llama3.2", "gpt-oss:120b"
    )
    assert (route.client, route.kind, route.model) == (local, ProviderKind.LOCAL, "llama3.2")
    assert route.reason == "Local mode is on"
    # Local mode leaves a missing model to the chat call's own error: no probing.
    assert fake_ollama.requests == [] and fake_cloud.requests == []


async def test_local_mode_without_a_model(local: OllamaClient) -> None:
    with pytest.raises(ModelNotFound) as info:
        await ProviderRouter(LOCAL, local, None, cloud_enabled=False).resolve("", "")
    assert info.value.message == "No local model is chosen."
    assert "hearth models pull NAME" in info.value.hint


async def test_cloud_names_through_the_local_server_need_consent(local: OllamaClient) -> None:
    with pytest.raises(CloudNotAllowed) as info:
        await ProviderRouter(LOCAL, local, None, cloud_enabled=False).resolve("glm-4.7:cloud", "")
    assert info.value.message.startswith("glm-4.7:cloud is a cloud model")
    route = await ProviderRouter(LOCAL, local, None, cloud_enabled=True).resolve(
        "glm-4.7:cloud", ""
    )
    assert (route.kind, route.model) == (ProviderKind.LOCAL, "glm-4.7:cloud")


# ---- Cloud ------------------------------------------------------------------------------


async def test_cloud_mode_uses_the_catalogue_name(
    local: OllamaClient, cloud: OllamaClient, fake_ollama: FakeOllama
) -> None:
    route = await ProviderRouter(CLOUD, local, cloud, cloud_enabled=True).resolve(
        "llama3.2", "gpt-oss:120b-cloud"
    )
    assert (route.client, route.kind, route.model) == (cloud, ProviderKind.CLOUD, "gpt-oss:120b")
    assert route.reason == "Cloud mode is on"
    assert fake_ollama.requests == []


async def test_cloud_mode_needs_consent_a_key_and_a_model(
    local: OllamaClient, cloud: OllamaClient, fake_cloud: FakeOllama
) -> None:
    with pytest.raises(CloudNotAllowed) as off:
        await ProviderRouter(CLOUD, local, cloud, cloud_enabled=False).resolve("", "gpt-oss:120b")
    assert off.value.message == "Ollama Cloud is turned off, so nothing was sent there."
    with pytest.raises(AuthenticationFailed) as nokey:
        await ProviderRouter(
            CLOUD, local, None, cloud_enabled=True, key_source="the system keyring"
        ).resolve("", "gpt-oss:120b")
    assert nokey.value.message == "No Ollama Cloud API key is set."
    assert "https://ollama.com/settings/keys" in nokey.value.hint
    assert nokey.value.key_source == "the system keyring"
    with pytest.raises(ModelNotFound) as nomodel:
        await ProviderRouter(CLOUD, local, cloud, cloud_enabled=True).resolve("llama3.2", "")
    assert nomodel.value.message == "No cloud model is chosen."
    assert "model picker" in nomodel.value.hint and "hearth" not in nomodel.value.hint
    assert fake_cloud.requests == []


async def test_cloud_mode_takes_a_cloud_named_local_choice(
    local: OllamaClient, cloud: OllamaClient
) -> None:
    route = await ProviderRouter(CLOUD, local, cloud, cloud_enabled=True).resolve(
        "glm-4.7:cloud", ""
    )
    assert (route.kind, route.model) == (ProviderKind.CLOUD, "glm-4.7")


async def test_cloud_mode_without_a_key_sends_cloud_names_through_the_local_server(
    local: OllamaClient,
) -> None:
    route = await ProviderRouter(CLOUD, local, None, cloud_enabled=True).resolve(
        "llama3.2", "gpt-oss:120b-cloud"
    )
    assert (route.client, route.model) == (local, "gpt-oss:120b-cloud")
    with pytest.raises(CloudNotAllowed):
        await ProviderRouter(CLOUD, local, None, cloud_enabled=False).resolve(
            "", "gpt-oss:120b-cloud"
        )


# ---- Auto -------------------------------------------------------------------------------


async def test_auto_prefers_the_installed_local_model(
    local: OllamaClient, cloud: OllamaClient, fake_cloud: FakeOllama
) -> None:
    route = await ProviderRouter(AUTO, local, cloud, cloud_enabled=True).resolve(
        "llama3.2", "gpt-oss:120b"
    )
    assert (route.client, route.kind, route.model) == (local, ProviderKind.LOCAL, "llama3.2")
    assert route.reason == "Local model llama3.2 is installed"
    assert fake_cloud.requests == []


async def test_auto_falls_back_to_the_cloud_when_local_is_down(
    dead: OllamaClient, cloud: OllamaClient
) -> None:
    route = await ProviderRouter(AUTO, dead, cloud, cloud_enabled=True).resolve(
        "llama3.2", "gpt-oss:120b-cloud"
    )
    assert (route.client, route.kind, route.model) == (cloud, ProviderKind.CLOUD, "gpt-oss:120b")
    assert route.reason == "Local Ollama is not reachable; using Ollama Cloud"


async def test_auto_never_falls_back_while_the_cloud_is_off(
    dead: OllamaClient, cloud: OllamaClient, fake_cloud: FakeOllama
) -> None:
    with pytest.raises(ProviderUnreachable) as info:
        await ProviderRouter(AUTO, dead, cloud, cloud_enabled=False).resolve(
            "llama3.2", "gpt-oss:120b"
        )
    assert info.value.message.startswith("Could not reach the Ollama server at")
    assert info.value.hint == (
        "Is Ollama running? Start it with `ollama serve` or open the Ollama app. "
        "Or turn on Ollama Cloud in Settings to answer from the cloud."
    )
    assert fake_cloud.requests == []


async def test_auto_with_a_model_missing_locally(
    local: OllamaClient, cloud: OllamaClient, fake_cloud: FakeOllama
) -> None:
    with pytest.raises(ModelNotFound) as info:
        await ProviderRouter(AUTO, local, cloud, cloud_enabled=False).resolve("mistral", "")
    assert info.value.can_pull
    assert info.value.message == "The model mistral is not installed locally."
    assert info.value.hint.startswith("Pull it with `hearth models pull mistral`.")
    assert fake_cloud.requests == []
    route = await ProviderRouter(AUTO, local, cloud, cloud_enabled=True).resolve(
        "mistral", "gemma4:31b"
    )
    assert (route.kind, route.model) == (ProviderKind.CLOUD, "gemma4:31b")
    assert route.reason == "The local server does not have mistral; using Ollama Cloud"


async def test_auto_without_a_key_or_a_cloud_model_explains_the_way_out(
    local: OllamaClient, cloud: OllamaClient
) -> None:
    with pytest.raises(ModelNotFound) as nokey:
        await ProviderRouter(AUTO, local, None, cloud_enabled=True).resolve("mistral", "gemma4:31b")
    assert nokey.value.hint.endswith(
        "Or add an Ollama Cloud API key in Settings to answer from the cloud."
    )
    with pytest.raises(ModelNotFound) as nomodel:
        await ProviderRouter(AUTO, local, cloud, cloud_enabled=True).resolve("mistral", "")
    assert nomodel.value.hint.endswith("Or choose a cloud model to answer from the cloud.")


async def test_auto_with_a_cloud_name_for_the_local_server(
    local: OllamaClient, dead: OllamaClient, cloud: OllamaClient, fake_ollama: FakeOllama
) -> None:
    with pytest.raises(CloudNotAllowed):
        await ProviderRouter(AUTO, local, cloud, cloud_enabled=False).resolve("glm-4.7:cloud", "")
    assert fake_ollama.requests == []
    through_local = await ProviderRouter(AUTO, local, cloud, cloud_enabled=True).resolve(
        "glm-4.7:cloud", ""
    )
    assert (through_local.kind, through_local.model) == (ProviderKind.LOCAL, "glm-4.7:cloud")
    assert through_local.reason == "glm-4.7:cloud runs in Ollama Cloud through the local server"
    direct = await ProviderRouter(AUTO, dead, cloud, cloud_enabled=True).resolve(
        "glm-4.7:cloud", ""
    )
    assert (direct.kind, direct.model) == (ProviderKind.CLOUD, "glm-4.7")


async def test_auto_reuses_the_model_list_for_a_few_seconds(
    local: OllamaClient, fake_ollama: FakeOllama
) -> None:
    cached = ProviderRouter(AUTO, local, None, cloud_enabled=False, tags_ttl=60)
    for _ in range(3):
        await cached.resolve("llama3.2", "")
    assert len(fake_ollama.requests_to("/api/tags")) == 1
    fresh = ProviderRouter(AUTO, local, None, cloud_enabled=False, tags_ttl=0)
    await fresh.resolve("llama3.2", "")
    await fresh.resolve("llama3.2", "")
    assert len(fake_ollama.requests_to("/api/tags")) == 3
