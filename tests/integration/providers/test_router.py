"""Routing modes against real fake servers: nothing reaches the cloud unless enabled."""

from __future__ import annotations

import socket

import pytest

from desktop.core.errors import (
    AuthenticationFailed,
    CloudNotAllowed,
    ModelNotFound,
    ProviderUnreachable,
)
from desktop.core.models import ProviderKind, RoutingMode
from desktop.providers.ollama import OllamaClient
from desktop.providers.router import ProviderRouter, cloud_base_url, local_base_url
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import CLOUD_KEY

pytestmark = pytest.mark.integration


def dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def clients(local_url: str, cloud: FakeOllama) -> tuple[OllamaClient, OllamaClient]:
    return (
        OllamaClient(local_url, kind=ProviderKind.LOCAL, retries=0),
        OllamaClient(cloud.url, kind=ProviderKind.CLOUD, api_key=CLOUD_KEY, retries=0),
    )


async def test_auto_prefers_the_local_model(
    fake_ollama: FakeOllama, fake_cloud: FakeOllama
) -> None:
    local, cloud = clients(fake_ollama.url, fake_cloud)
    router = ProviderRouter(RoutingMode.AUTO, local, cloud, cloud_enabled=True)
    route = await router.resolve("llama3.2", "gpt-oss:120b")
    assert (route.kind, route.model) == (ProviderKind.LOCAL, "llama3.2")
    assert fake_cloud.requests == []
    await local.aclose()
    await cloud.aclose()


async def test_auto_falls_back_to_the_cloud_only_when_enabled(fake_cloud: FakeOllama) -> None:
    local, cloud = clients(dead_url(), fake_cloud)
    enabled = ProviderRouter(RoutingMode.AUTO, local, cloud, cloud_enabled=True)
    route = await enabled.resolve("llama3.2", "gpt-oss:120b-cloud")
    assert (route.kind, route.model) == (ProviderKind.CLOUD, "gpt-oss:120b")
    assert route.reason == "the local server is not reachable"
    disabled = ProviderRouter(RoutingMode.AUTO, local, cloud, cloud_enabled=False)
    with pytest.raises(ProviderUnreachable) as info:
        await disabled.resolve("llama3.2", "gpt-oss:120b")
    assert "turn on Ollama Cloud" in info.value.hint
    assert fake_cloud.requests == []
    await local.aclose()
    await cloud.aclose()


async def test_auto_with_a_missing_local_model(
    fake_ollama: FakeOllama, fake_cloud: FakeOllama
) -> None:
    local, cloud = clients(fake_ollama.url, fake_cloud)
    with pytest.raises(ModelNotFound) as info:
        await ProviderRouter(RoutingMode.AUTO, local, cloud, cloud_enabled=False).resolve(
            "mistral", ""
        )
    assert info.value.can_pull
    route = await ProviderRouter(RoutingMode.AUTO, local, cloud, cloud_enabled=True).resolve(
        "mistral", "gemma4:31b"
    )
    assert route.kind is ProviderKind.CLOUD
    assert route.reason == "the local server does not have the model"
    await local.aclose()
    await cloud.aclose()


async def test_cloud_mode_needs_consent_and_a_key(fake_ollama: FakeOllama) -> None:
    local = OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL)
    with pytest.raises(CloudNotAllowed):
        await ProviderRouter(RoutingMode.CLOUD, local, None, cloud_enabled=False).resolve(
            "", "gpt-oss:120b"
        )
    with pytest.raises(AuthenticationFailed) as info:
        await ProviderRouter(RoutingMode.CLOUD, local, None, cloud_enabled=True).resolve(
            "", "gpt-oss:120b"
        )
    assert info.value.message == "No Ollama Cloud API key is set."
    await local.aclose()


async def test_cloud_names_through_the_local_server_need_consent(fake_ollama: FakeOllama) -> None:
    local = OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL)
    with pytest.raises(CloudNotAllowed):
        await ProviderRouter(RoutingMode.LOCAL, local, None, cloud_enabled=False).resolve(
            "glm-4.7:cloud", ""
        )
    route = await ProviderRouter(RoutingMode.LOCAL, local, None, cloud_enabled=True).resolve(
        "glm-4.7:cloud", ""
    )
    assert (route.kind, route.model) == (ProviderKind.LOCAL, "glm-4.7:cloud")
    await local.aclose()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:11434"),
        ({"OLLAMA_HOST": "0.0.0.0"}, "http://127.0.0.1:11434"),
        ({"OLLAMA_HOST": "gpu-box:8080"}, "http://gpu-box:8080"),
        ({"OLLAMA_URL": "https://ollama.internal/"}, "https://ollama.internal:443"),
        (
            {"OLLAMA_HOST": "http://[::1]:11500", "OLLAMA_URL": "http://ignored"},
            "http://[::1]:11500",
        ),
    ],
)
def test_local_url_from_environment(env: dict[str, str], expected: str) -> None:
    assert local_base_url("http://127.0.0.1:11434", env) == expected


def test_cloud_url_override() -> None:
    assert cloud_base_url("https://ollama.com", {}) == "https://ollama.com"
    assert (
        cloud_base_url("https://ollama.com", {"HEARTH_CLOUD_URL": "https://gw.example/"})
        == "https://gw.example"
    )
