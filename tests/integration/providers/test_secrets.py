"""The cloud API key goes to the cloud and nowhere else: not to the local server, not into
a log record (at DEBUG, httpx and httpcore included), not into any error text."""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from desktop.core.errors import AppError
from desktop.core.models import ChatMessage, ProviderKind
from desktop.providers.ollama import OllamaClient
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import CLOUD_KEY

pytestmark = pytest.mark.integration
HI = [ChatMessage("user", "What is in my notes?")]
WRONG_KEY = "sk-wrong-canary-7d41"


async def drain(stream: AsyncIterator[Any]) -> None:
    async for _ in stream:
        pass


async def exercise(client: OllamaClient, model: str, errors: list[str]) -> None:
    """Every operation, successful or failing; failures' full texts go into `errors`."""
    calls: list[Callable[[], Awaitable[Any]]] = [
        client.status,
        client.list_models,
        client.running,
        lambda: client.show(model),
        lambda: client.show("no-such-model"),
        lambda: client.chat(model, HI, options={"num_ctx": 4096}),
        lambda: drain(client.chat_stream(model, HI, think=False)),
        lambda: drain(client.chat_stream("no-such-model", HI)),
        lambda: client.embed("nomic-embed-text", ["a", "b"]),
        lambda: drain(client.pull("no-such-model")),
        lambda: client.delete("no-such-model"),
    ]
    for call in calls:
        try:
            await call()
        except AppError as exc:
            errors.append("".join(traceback.format_exception(exc)) + repr(exc) + exc.hint)


async def test_the_key_reaches_only_the_cloud(
    fake_ollama: FakeOllama, fake_cloud: FakeOllama, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # Other tests may have quieted these through setup_logging; this one needs their DEBUG.
    for name in ("httpx", "httpcore", "desktop"):
        caplog.set_level(logging.DEBUG, logger=name)
    errors: list[str] = []
    fake_cloud.fail_next("/api/chat", 503, "Server overloaded, please retry shortly")
    fake_cloud.error_mid_stream(after_chunks=1)
    fake_ollama.drop_connection_mid_stream(after_chunks=1)
    async with (
        OllamaClient(
            fake_cloud.url,
            kind=ProviderKind.CLOUD,
            api_key=CLOUD_KEY,
            key_source="the system keyring",
            backoff_base=0.01,
        ) as cloud,
        # A key handed to a local client by mistake must still never be sent.
        OllamaClient(
            fake_ollama.url,
            kind=ProviderKind.LOCAL,
            api_key=CLOUD_KEY,
            key_source="the system keyring",
            backoff_base=0.01,
        ) as local,
        OllamaClient(
            fake_cloud.url, kind=ProviderKind.CLOUD, api_key=WRONG_KEY, retries=0
        ) as wrong,
    ):
        await exercise(cloud, "gpt-oss:120b", errors)
        await exercise(local, "llama3.2", errors)
        await exercise(wrong, "gpt-oss:120b", errors)
        texts = [repr(cloud), repr(local), repr(wrong)]

    cloud_requests = [r for r in fake_cloud.requests if r.path != "/"]
    assert len(cloud_requests) > 10
    with_key = [
        r for r in cloud_requests if r.headers.get("authorization") == f"Bearer {CLOUD_KEY}"
    ]
    assert len(with_key) > 10
    assert all(CLOUD_KEY.encode() not in r.body for r in fake_cloud.requests)
    assert len(fake_ollama.requests) > 10
    for request in fake_ollama.requests:
        assert "authorization" not in request.headers
        assert CLOUD_KEY not in str(request.headers)
        assert CLOUD_KEY.encode() not in request.body

    assert len(errors) > 5
    assert any("rejected the API key from" in text for text in errors)
    records = "\n".join(
        f"{r.name} {r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records
    )
    assert any(r.name.startswith("httpcore") for r in caplog.records), "DEBUG was captured"
    for secret in (CLOUD_KEY, WRONG_KEY):
        assert secret not in records
        assert secret not in caplog.text
        assert all(secret not in text for text in errors)
        assert all(secret not in text for text in texts)
