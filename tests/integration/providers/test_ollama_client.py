"""The Ollama client against the fake server over real loopback HTTP. The cloud API key
goes to the cloud and nowhere else: not to the local server, not into a log record (at
DEBUG, httpx and httpcore included), not into any error text."""

from __future__ import annotations

import asyncio
import logging
import socket
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from desktop.core.errors import (
    AppError,
    AuthenticationFailed,
    ModelNotFound,
    Overloaded,
    ProviderTimeout,
    ProviderUnreachable,
    RateLimited,
    StreamInterrupted,
    SubscriptionRequired,
)
from desktop.core.models import ChatDelta, ChatMessage, ProviderKind
from desktop.providers.ollama import OllamaClient
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import CLOUD_KEY

pytestmark = pytest.mark.integration
HI = [ChatMessage("user", "hello there")]
WRONG_KEY = "sk-wrong-canary-7d41"


def local(server: FakeOllama, **kw: object) -> OllamaClient:
    return OllamaClient(server.url, kind=ProviderKind.LOCAL, backoff_base=0.01, **kw)  # type: ignore[arg-type]


def cloud(server: FakeOllama, key: str = CLOUD_KEY, **kw: object) -> OllamaClient:
    return OllamaClient(
        server.url,
        kind=ProviderKind.CLOUD,
        api_key=key,
        key_source="the OLLAMA_API_KEY environment variable",
        backoff_base=0.01,
        **kw,  # type: ignore[arg-type]
    )


async def collect(stream: AsyncIterator[ChatDelta], into: list[str]) -> None:
    async for delta in stream:
        into.append(delta.content)


def free_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


async def test_status_list_show_running(fake_ollama: FakeOllama) -> None:
    async with local(fake_ollama) as client:
        status = await client.status()
        assert status.reachable
        assert status.version == "0.33.0"
        assert status.model_count == 3
        models = {m.name: m for m in await client.list_models()}
        assert models["llama3.2:latest"].parameter_size == "3.2B"
        assert models["llama3.2:latest"].quantization == "Q4_K_M"
        details = await client.show("qwen3:8b")
        assert details.context_length == 40960
        assert details.can_think
        await client.chat("llama3.2", HI)
        running = await client.running()
        assert [r.name for r in running] == ["llama3.2:latest"]


async def test_status_of_a_dead_server_is_unreachable_not_an_exception() -> None:
    async with OllamaClient(free_port_url(), kind=ProviderKind.LOCAL, retries=0) as client:
        status = await client.status()
    assert not status.reachable


async def test_unreachable_server_says_is_ollama_running() -> None:
    async with OllamaClient(
        free_port_url(), kind=ProviderKind.LOCAL, retries=1, backoff_base=0.01
    ) as c:
        with pytest.raises(ProviderUnreachable) as info:
            await c.list_models()
    assert "Could not reach the Ollama server at http://127.0.0.1:" in info.value.message
    assert info.value.hint.startswith("Is Ollama running?")


async def test_chat_stream_yields_deltas_then_stats_and_sends_options(
    fake_ollama: FakeOllama,
) -> None:
    fake_ollama.set_reply("The sky is blue because of Rayleigh scattering.")
    async with local(fake_ollama) as client:
        deltas = [d async for d in client.chat_stream("llama3.2", HI, options={"num_ctx": 8192})]
    text = "".join(d.content for d in deltas)
    assert text == "The sky is blue because of Rayleigh scattering."
    assert len(deltas) > 3
    assert deltas[-1].done
    assert deltas[-1].stats is not None and deltas[-1].stats.output_tokens > 0
    body = fake_ollama.requests_to("/api/chat")[-1].json()
    assert body["options"] == {"num_ctx": 8192}
    assert body["stream"] is True


async def test_thinking_deltas_are_separate(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_reply("Forty-two.", thinking="Let me count carefully.")
    async with local(fake_ollama) as client:
        deltas = [d async for d in client.chat_stream("qwen3:8b", HI, think=True)]
    assert "".join(d.thinking for d in deltas) == "Let me count carefully."
    assert "".join(d.content for d in deltas) == "Forty-two."


async def test_chat_non_streaming_records_model_and_provider(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_reply("Short answer.")
    async with local(fake_ollama) as client:
        reply = await client.chat("llama3.2", HI)
    assert reply.content == "Short answer."
    assert reply.provider is ProviderKind.LOCAL
    assert reply.model.startswith("llama3.2")


async def test_error_in_the_middle_of_a_stream(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_reply("one two three four five six seven eight")
    fake_ollama.error_mid_stream(after_chunks=3)
    got: list[str] = []
    async with local(fake_ollama) as client:
        with pytest.raises(StreamInterrupted) as info:
            await collect(client.chat_stream("llama3.2", HI), got)
    text = "".join(got)
    assert text == "one two three "
    assert info.value.message == (
        f"The Ollama server at {fake_ollama.url} stopped with an error: an error was "
        f"encountered while running the model ({len(text)} characters of the reply had arrived)."
    )
    assert info.value.hint.endswith("The partial answer was kept.")
    assert len(fake_ollama.requests_to("/api/chat")) == 1


async def test_a_chat_that_streamed_text_is_never_replayed(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_reply("alpha beta gamma delta epsilon")
    fake_ollama.drop_connection_mid_stream(after_chunks=2)
    got: list[str] = []
    async with local(fake_ollama, retries=3) as client:
        with pytest.raises(StreamInterrupted) as info:
            await collect(client.chat_stream("llama3.2", HI), got)
    assert "".join(got) == "alpha beta "
    assert "broke off (11 characters of the reply had arrived)" in info.value.message
    assert len(fake_ollama.requests_to("/api/chat")) == 1


async def test_a_stall_after_text_is_a_timeout_reported_as_interrupted(
    fake_ollama: FakeOllama,
) -> None:
    fake_ollama.set_reply("slow words arrive here")
    fake_ollama.set_token_delay(1.0)
    got: list[str] = []
    async with local(fake_ollama, retries=3, read_timeout=0.2) as client:
        with pytest.raises(StreamInterrupted) as info:
            await collect(client.chat_stream("llama3.2", HI), got)
    assert got == ["slow "]
    assert info.value.message == (
        f"The Ollama server at {fake_ollama.url} did not answer in time: the reply stalled "
        "for 0.2 s (5 characters of the reply had arrived)."
    )
    assert len(fake_ollama.requests_to("/api/chat")) == 1


async def test_a_drop_before_the_first_token_is_retried(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_reply("Second time lucky.")
    fake_ollama.drop_connection_mid_stream(after_chunks=0)
    async with local(fake_ollama, retries=2) as client:
        text = "".join([d.content async for d in client.chat_stream("llama3.2", HI)])
    assert text == "Second time lucky."
    assert len(fake_ollama.requests_to("/api/chat")) == 2


async def test_a_malformed_line_is_a_clear_error(fake_ollama: FakeOllama) -> None:
    fake_ollama.malformed_line_mid_stream(after_chunks=2)
    async with local(fake_ollama, retries=0) as client:
        with pytest.raises(StreamInterrupted) as info:
            async for _ in client.chat_stream("llama3.2", HI):
                pass
    assert info.value.message == (
        f"The Ollama server at {fake_ollama.url} sent a malformed line in the middle of a "
        "reply (11 characters of the reply had arrived)."
    )


async def test_retries_before_the_first_token_then_succeeds(fake_ollama: FakeOllama) -> None:
    fake_ollama.fail_next(
        "/api/chat",
        503,
        "server busy, please try again.  maximum pending requests exceeded",
        times=2,
    )
    fake_ollama.set_reply("Finally.")
    async with local(fake_ollama, retries=3) as client:
        text = "".join([d.content async for d in client.chat_stream("llama3.2", HI)])
    assert text == "Finally."
    assert len(fake_ollama.requests_to("/api/chat")) == 3


async def test_retries_give_up_with_the_last_error(fake_cloud: FakeOllama) -> None:
    fake_cloud.fail_next(
        "/api/chat", 503, "Server overloaded, please retry shortly (ref: a)", times=5
    )
    async with cloud(fake_cloud, retries=2) as client:
        with pytest.raises(Overloaded):
            await client.chat("gpt-oss:120b", HI)
    assert len(fake_cloud.requests_to("/api/chat")) == 3


async def test_first_token_timeout(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_first_token_delay(1.5)
    async with local(fake_ollama, retries=0, first_token_timeout=0.3) as client:
        with pytest.raises(ProviderTimeout) as info:
            async for _ in client.chat_stream("llama3.2", HI):
                pass
    assert info.value.message == (
        f"The Ollama server at {fake_ollama.url} did not answer in time: no reply started "
        "within 0.3 s."
    )
    assert "first-token timeout" in info.value.hint


async def test_closing_a_stream_closes_the_response(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_reply(" ".join(f"word{i}" for i in range(400)))
    fake_ollama.set_token_delay(0.01)
    async with local(fake_ollama) as client:
        stream = client.chat_stream("llama3.2", HI)
        first = await anext(stream)
        await stream.aclose()
        with pytest.raises(StopAsyncIteration):
            await anext(stream)
        assert await asyncio.to_thread(fake_ollama.stream_aborted.wait, 30)
        # The connection is gone: the server's next write failed, the pool holds nothing.
        assert fake_ollama.aborted_streams == 1
        assert first.content == "word0 "
        # The client stays usable after a closed stream.
        assert (await client.status()).reachable


async def test_breaking_out_of_the_loop_closes_the_response(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_reply(" ".join(f"word{i}" for i in range(400)))
    fake_ollama.set_token_delay(0.01)
    seen = 0
    async with local(fake_ollama) as client:
        async for _ in client.chat_stream("llama3.2", HI):
            seen += 1
            if seen == 3:
                break
        assert await asyncio.to_thread(fake_ollama.stream_aborted.wait, 30)
    assert seen == 3
    assert fake_ollama.aborted_streams == 1


async def test_cancelling_the_consumer_task_closes_the_response(fake_ollama: FakeOllama) -> None:
    fake_ollama.set_reply(" ".join(f"word{i}" for i in range(400)))
    fake_ollama.set_token_delay(0.01)
    first = asyncio.Event()

    async with local(fake_ollama) as client:

        async def consume() -> None:
            async for _ in client.chat_stream("llama3.2", HI):
                first.set()

        task = asyncio.create_task(consume())
        await first.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await asyncio.to_thread(fake_ollama.stream_aborted.wait, 30)
    assert fake_ollama.aborted_streams == 1


async def test_embed_batches_and_keeps_order(fake_ollama: FakeOllama) -> None:
    texts = [f"text number {i}" for i in range(10)]
    async with local(fake_ollama, embed_batch=4) as client:
        vectors = await client.embed("nomic-embed-text", texts)
        single = await client.embed("nomic-embed-text", [texts[7]])
        assert await client.embed("nomic-embed-text", []) == []
    assert len(vectors) == 10
    assert len(vectors[0]) == 768
    assert vectors[7] == pytest.approx(single[0])
    assert len(fake_ollama.requests_to("/api/embed")) == 4


async def test_pull_reports_layers_and_overall_progress(fake_ollama: FakeOllama) -> None:
    fake_ollama.add_pullable("phi4:mini", layer_sizes=(3_000_000, 500_000), chunk=500_000)
    async with local(fake_ollama) as client:
        updates = [
            (p.status, p.completed, p.total, len(p.layers)) async for p in client.pull("phi4:mini")
        ]
        names = [m.name for m in await client.list_models()]
    assert updates[-1][0] == "success"
    assert updates[-1][1] == updates[-1][2] == 3_500_000
    assert max(u[3] for u in updates) == 2
    fractions = [u[1] for u in updates]
    assert fractions == sorted(fractions)
    assert "phi4:mini" in names


async def test_pull_of_an_unknown_model_fails_in_stream(fake_ollama: FakeOllama) -> None:
    async with local(fake_ollama) as client:
        with pytest.raises(ModelNotFound) as info:
            async for _ in client.pull("no-such-model"):
                pass
    assert info.value.message.startswith(
        "There is no model named no-such-model in the Ollama library (the server said: "
    )
    assert "file does not exist" in info.value.message
    assert not info.value.can_pull


async def test_cancelling_a_pull_closes_the_download(fake_ollama: FakeOllama) -> None:
    fake_ollama.add_pullable("big:1b", layer_sizes=(50_000_000,), chunk=100_000)
    fake_ollama.set_token_delay(0.01)
    async with local(fake_ollama) as client:
        pull = client.pull("big:1b")
        async for progress in pull:
            if progress.completed:
                break
        await pull.aclose()
        assert await asyncio.to_thread(fake_ollama.stream_aborted.wait, 30)
        names = [m.name for m in await client.list_models()]
    assert fake_ollama.aborted_streams == 1
    assert "big:1b" not in names


async def test_delete_and_missing_model(fake_ollama: FakeOllama) -> None:
    async with local(fake_ollama) as client:
        await client.delete("qwen3:8b")
        assert "qwen3:8b" not in [m.name for m in await client.list_models()]
        with pytest.raises(ModelNotFound) as info:
            await client.delete("qwen3:8b")
    assert info.value.can_pull
    assert info.value.model == "qwen3:8b"


async def test_chat_with_a_missing_model_offers_a_pull(fake_ollama: FakeOllama) -> None:
    async with local(fake_ollama) as client:
        with pytest.raises(ModelNotFound) as info:
            async for _ in client.chat_stream("mistral", HI):
                pass
    assert (
        info.value.message
        == f"The model mistral is not available on the Ollama server at {fake_ollama.url}."
    )
    assert "hearth models pull mistral" in info.value.hint


async def test_cloud_sends_the_key_and_local_never_does(
    fake_ollama: FakeOllama, fake_cloud: FakeOllama
) -> None:
    async with (
        cloud(fake_cloud) as c,
        OllamaClient(fake_ollama.url, kind=ProviderKind.LOCAL, api_key=CLOUD_KEY) as plain,
    ):
        catalogue = [m.name for m in await c.list_models()]
        reply = await c.chat("gpt-oss:120b", HI)
        await plain.list_models()
    assert "gpt-oss:120b" in catalogue
    assert reply.provider is ProviderKind.CLOUD
    assert all(r.headers.get("authorization") == f"Bearer {CLOUD_KEY}" for r in fake_cloud.requests)
    assert all("authorization" not in r.headers for r in fake_ollama.requests)
    assert CLOUD_KEY not in repr(c)


async def test_wrong_key_names_its_source_and_never_the_key(
    fake_cloud: FakeOllama, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with cloud(fake_cloud, key="sk-wrong-key-999") as client:
        with pytest.raises(AuthenticationFailed) as info:
            await client.list_models()
    assert "the OLLAMA_API_KEY environment variable" in info.value.message
    assert "sk-wrong-key-999" not in str(info.value)
    assert "sk-wrong-key-999" not in caplog.text


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


async def test_cloud_quota_and_subscription_errors(fake_cloud: FakeOllama) -> None:
    fake_cloud.fail_next(
        "/api/chat",
        429,
        "you've reached your weekly usage limit, please wait or upgrade to continue",
    )
    fake_cloud.fail_next(
        "/api/chat",
        403,
        "this model requires a subscription, upgrade for access: https://ollama.com/upgrade",
    )
    async with cloud(fake_cloud, retries=0) as client:
        with pytest.raises(RateLimited) as limited:
            await client.chat("gpt-oss:120b", HI)
        with pytest.raises(SubscriptionRequired):
            await client.chat("gpt-oss:120b", HI)
    assert limited.value.limit == "weekly"


async def test_a_cloud_client_without_a_key_says_none_is_set(fake_cloud: FakeOllama) -> None:
    async with OllamaClient(fake_cloud.url, kind=ProviderKind.CLOUD, retries=0) as client:
        with pytest.raises(AuthenticationFailed) as info:
            await client.list_models()
    assert info.value.message == "Ollama Cloud needs an API key, and no API key is set."
    assert all("authorization" not in r.headers for r in fake_cloud.requests)


async def test_status_with_a_rejected_key_says_why(fake_cloud: FakeOllama) -> None:
    async with OllamaClient(
        fake_cloud.url, kind=ProviderKind.CLOUD, api_key="sk-wrong-key-999", retries=0
    ) as client:
        with pytest.raises(AuthenticationFailed) as info:
            await client.status()
    assert info.value.message == "Ollama Cloud rejected the API key from Hearth's settings."


async def test_embed_sends_64_texts_per_request_by_default(fake_ollama: FakeOllama) -> None:
    texts = [f"passage {i}" for i in range(130)]
    async with local(fake_ollama) as client:
        vectors = await client.embed("nomic-embed-text", texts)
    sizes = [len(r.json()["input"]) for r in fake_ollama.requests_to("/api/embed")]
    assert sizes == [64, 64, 2]
    assert len(vectors) == 130


async def test_pull_measures_speed_and_time_left(fake_ollama: FakeOllama) -> None:
    fake_ollama.add_pullable("tiny:1b", layer_sizes=(2_000_000,), chunk=100_000)
    fake_ollama.set_token_delay(0.03)
    async with local(fake_ollama) as client:
        seen = [
            (p.completed, p.total, p.bytes_per_second, p.seconds_left)
            async for p in client.pull("tiny:1b")
        ]
    measured = [(done, total, speed, left) for done, total, speed, left in seen if speed > 0]
    assert measured, "a speed was measured while downloading"
    done, total, speed, left = measured[0]
    assert left == pytest.approx((total - done) / speed)
    assert seen[-1][0] == seen[-1][1] == 2_000_000
