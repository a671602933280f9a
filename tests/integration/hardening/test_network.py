"""Nothing leaves the machine but what the person configured, and failures are clear."""

from __future__ import annotations

import socket

import pytest

from desktop.core.errors import ProviderUnreachable
from desktop.core.models import ProviderKind
from desktop.providers.ollama import OllamaClient

pytestmark = pytest.mark.integration


@pytest.mark.allow_outside_network
def test_the_guard_refuses_connections_off_the_machine() -> None:
    with (
        pytest.raises(OSError, match="test network guard"),
        socket.create_connection(("203.0.113.7", 443), timeout=1),
    ):
        pass


@pytest.mark.allow_outside_network
async def test_a_dns_failure_is_a_clear_unreachable_error() -> None:
    async with OllamaClient(
        "https://ollama.invalid", kind=ProviderKind.CLOUD, api_key="k", retries=0
    ) as client:
        with pytest.raises(ProviderUnreachable) as info:
            await client.list_models()
        status = await client.status()
    assert info.value.message == "Could not reach Ollama Cloud."
    assert "internet connection" in info.value.hint
    assert not status.reachable


async def test_a_local_server_ignores_proxy_variables(
    monkeypatch: pytest.MonkeyPatch, fake_ollama: object
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://203.0.113.9:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://203.0.113.9:3128")
    monkeypatch.setenv("ALL_PROXY", "http://203.0.113.9:3128")
    async with OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL) as client:  # type: ignore[attr-defined]
        assert [m.name for m in await client.list_models()]
