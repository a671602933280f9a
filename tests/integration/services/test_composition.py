"""The composition root: saved settings reach the live objects at once, and what is running
meanwhile (an answer) finishes on the clients it started with."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import aclosing
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from desktop.app import Context, Services, bootstrap
from desktop.core.errors import SecretStoreUnavailable
from desktop.core.models import ChatMessage
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import CLOUD_KEY

pytestmark = pytest.mark.integration

REPLY = " ".join(f"word{n}" for n in range(30))


def context(tmp_path: Path, local: FakeOllama, cloud: FakeOllama | None = None) -> Context:
    env = {"OLLAMA_HOST": local.url, "HOME": str(tmp_path)}
    if cloud is not None:
        env["HEARTH_CLOUD_URL"] = cloud.url
    ctx = bootstrap(str(tmp_path / "data"), env=env)
    ctx.settings.provider.chat_model = "llama3.2"
    ctx.settings.provider.mode = "local"
    return ctx


@pytest.fixture
def no_keyring() -> Iterator[None]:
    original = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(original)


async def test_an_answer_streaming_while_settings_are_applied_finishes(
    fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    fake_ollama.set_reply(REPLY)
    fake_ollama.set_token_delay(0.02)
    ctx = context(tmp_path, fake_ollama)
    async with await Services.open(ctx) as services:
        route = await services.router.resolve("llama3.2", "")
        question = [ChatMessage("user", "How many words?")]
        async with aclosing(route.client.chat_stream(route.model, question)) as stream:
            first = await anext(stream)
            # Saving a setting (here: a longer connect timeout) while the answer streams.
            ctx.settings.provider.connect_timeout_s += 1
            ctx.save_settings()
            await services.apply_settings()
            assert services.local is not route.client  # new answers use the new client
            rest = [delta async for delta in stream]
    text = first.content + "".join(d.content for d in rest)
    assert text.split() == REPLY.split()
    assert rest[-1].stats is not None  # the reply ended with its stats, not an error
    assert fake_ollama.aborted_streams == 0


async def test_a_client_replaced_by_settings_still_serves_a_late_caller(
    fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    fake_ollama.set_reply(REPLY)
    async with await Services.open(context(tmp_path, fake_ollama)) as services:
        old = services.local
        await services.apply_settings()
        # Nothing was running, so it closed at once; a caller holding it still gets answers.
        assert (await old.status()).reachable
        assert (await services.local.status()).reachable


async def test_a_key_file_allowed_in_settings_is_used_without_a_restart(
    fake_ollama: FakeOllama,
    fake_cloud: FakeOllama,
    tmp_path: Path,
    no_keyring: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ctx = context(tmp_path, fake_ollama, fake_cloud)
    ctx.settings.provider.cloud_enabled = True
    async with await Services.open(ctx) as services:
        with pytest.raises(SecretStoreUnavailable):
            await services.secrets.set_api_key(CLOUD_KEY)
        # "Keep the API key in a private file", saved in Settings:
        ctx.settings.secrets.allow_file_fallback = True
        ctx.save_settings()
        await services.apply_settings()
        await services.secrets.set_api_key(CLOUD_KEY)
        await services.refresh_cloud()
        assert services.cloud is not None
        assert (await services.cloud.status()).reachable
        assert "file" in services.key_source
    assert ctx.paths.key_file.exists()


async def test_the_knowledge_services_are_built_once_even_if_the_first_caller_gives_up(
    fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    async with Services(context(tmp_path, fake_ollama)) as services:
        first = asyncio.ensure_future(services.knowledge())
        await asyncio.sleep(0)
        first.cancel()
        second = await services.knowledge()
        assert first.cancelled()
        assert await services.knowledge() is second
        assert second.writable
