"""The fake Ollama server is faithful: the official `ollama` client works against it unchanged."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import ollama
import pytest

from tests.fakes.ollama_server import FakeModel, FakeOllama
from tests.fakes.plugin import CLOUD_KEY

pytestmark = pytest.mark.integration


@pytest.fixture
async def client(fake_ollama: FakeOllama) -> AsyncIterator[ollama.AsyncClient]:
    async with ollama.AsyncClient(host=fake_ollama.url) as official:
        yield official


async def test_list_show_ps_with_official_client(
    fake_ollama: FakeOllama, client: ollama.AsyncClient
) -> None:
    listed = await client.list()
    names = [m.model for m in listed.models]
    assert "llama3.2:latest" in names
    assert listed.models[0].details is not None
    shown = await client.show("llama3.2")
    assert shown.modelinfo is not None
    assert shown.modelinfo["llama.context_length"] == 8192
    assert shown.capabilities is not None and "tools" in shown.capabilities
    await client.chat(model="llama3.2", messages=[{"role": "user", "content": "hi"}])
    running = await client.ps()
    assert [m.model for m in running.models] == ["llama3.2:latest"]


async def test_chat_streaming_and_non_streaming(
    fake_ollama: FakeOllama, client: ollama.AsyncClient
) -> None:
    reply = await client.chat(model="llama3.2", messages=[{"role": "user", "content": "why?"}])
    assert reply.message.content == "You asked: why?"
    assert reply.done_reason == "stop"
    parts = [
        part
        async for part in await client.chat(
            model="qwen3:8b", messages=[{"role": "user", "content": "Sky [1] and [2]"}], stream=True
        )
    ]
    thinking = "".join(p.message.thinking or "" for p in parts)
    content = "".join(p.message.content or "" for p in parts)
    assert thinking == "Let me think about this."
    assert content == "Based on the sources, the answer is in the documents [1][2]."
    assert parts[-1].done and parts[-1].eval_count == len(content.split())
    assert all(not p.done for p in parts[:-1])
    assert fake_ollama.requests_to("/api/chat")[1].json()["stream"] is True


async def test_num_predict_stops_with_length(
    fake_ollama: FakeOllama, client: ollama.AsyncClient
) -> None:
    fake_ollama.set_reply("one two three four five")
    reply = await client.chat(
        model="llama3.2", messages=[{"role": "user", "content": "x"}], options={"num_predict": 2}
    )
    assert reply.message.content == "one two "
    assert reply.done_reason == "length"


async def test_embed_pull_delete(fake_ollama: FakeOllama, client: ollama.AsyncClient) -> None:
    embedded = await client.embed(model="nomic-embed-text", input=["a", "b", "a"])
    vectors = embedded.embeddings
    assert len(vectors) == 3 and len(vectors[0]) == 768
    assert vectors[0] == vectors[2] and vectors[0] != vectors[1]
    assert abs(sum(v * v for v in vectors[0]) - 1.0) < 1e-6

    fake_ollama.add_pullable("mistral", [3_000_000, 500], chunk=1_000_000)
    progress = [p async for p in await client.pull("mistral", stream=True)]
    statuses = [p.status for p in progress]
    assert statuses[0] == "pulling manifest" and statuses[-1] == "success"
    completed = [p.completed for p in progress if p.completed]
    assert completed == sorted(completed[:3]) + completed[3:]  # grows within the first layer
    assert "mistral:latest" in [m.model for m in (await client.list()).models]
    deleted = await client.delete("mistral")
    assert deleted.status == "success"
    with pytest.raises(ollama.ResponseError) as missing:
        await client.delete("mistral")
    assert missing.value.status_code == 404


async def test_errors_match_the_real_server(
    fake_ollama: FakeOllama, client: ollama.AsyncClient
) -> None:
    with pytest.raises(ollama.ResponseError) as unknown:
        await client.chat(model="nope", messages=[{"role": "user", "content": "x"}])
    assert (unknown.value.status_code, unknown.value.error) == (404, "model 'nope' not found")
    with pytest.raises(ollama.ResponseError) as no_think:
        await client.chat(model="llama3.2", messages=[{"role": "user", "content": "x"}], think=True)
    assert no_think.value.status_code == 400
    assert no_think.value.error == '"llama3.2" does not support thinking'
    with pytest.raises(ollama.ResponseError) as embed_missing:
        await client.embed(model="ghost", input="x")
    assert embed_missing.value.error == 'model "ghost" not found, try pulling it first'
    with pytest.raises(ollama.ResponseError) as pull_missing:
        async for _ in await client.pull("does-not-exist", stream=True):
            pass
    assert pull_missing.value.error == "pull model manifest: file does not exist"

    fake_ollama.error_mid_stream(after_chunks=2, message="boom")
    with pytest.raises(ollama.ResponseError) as mid:
        async for _ in await client.chat(
            model="llama3.2", messages=[{"role": "user", "content": "a b c d"}], stream=True
        ):
            pass
    assert (mid.value.status_code, mid.value.error) == (-1, "boom")


async def test_unknown_route_and_method_are_text(fake_ollama: FakeOllama) -> None:
    async with httpx.AsyncClient(base_url=fake_ollama.url) as http:
        missing = await http.get("/api/nothing")
        assert (missing.status_code, missing.text) == (404, "404 page not found")
        assert missing.headers["content-type"].startswith("text/plain")
        wrong = await http.get("/api/chat")
        assert (wrong.status_code, wrong.text) == (405, "405 method not allowed")
        root = await http.get("/")
        assert root.text == "Ollama is running"
        empty = await http.post("/api/chat")
        assert empty.json() == {"error": "missing request body"}


async def test_ndjson_framing_has_no_blank_lines(fake_ollama: FakeOllama) -> None:
    async with (
        httpx.AsyncClient(base_url=fake_ollama.url) as http,
        http.stream(
            "POST",
            "/api/chat",
            json={"model": "qwen3:8b", "messages": [{"role": "user", "content": "hello there"}]},
        ) as response,
    ):
        assert response.headers["content-type"] == "application/x-ndjson"
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert raw.endswith(b"\n")
    lines = raw.decode().split("\n")[:-1]
    assert all(line for line in lines)
    parsed = [json.loads(line) for line in lines]
    assert all("message" in p and "role" in p["message"] for p in parsed)
    assert parsed[-1]["done"] is True and "done_reason" in parsed[-1]
    assert "done_reason" not in parsed[0]


def test_cloud_mode_demands_the_bearer_key(fake_cloud: FakeOllama) -> None:
    with (
        ollama.Client(host=fake_cloud.url) as anonymous,
        pytest.raises(ollama.ResponseError) as denied,
    ):
        anonymous.list()
    assert (denied.value.status_code, denied.value.error) == (401, "unauthorized")
    headers = {"Authorization": f"Bearer {CLOUD_KEY}"}
    with ollama.Client(host=fake_cloud.url, headers=headers) as client:
        _check_cloud_client(client)


def _check_cloud_client(client: ollama.Client) -> None:
    assert [m.model for m in client.list().models] == ["gpt-oss:120b", "gemma4:31b"]
    reply = client.chat(model="gpt-oss:120b", messages=[{"role": "user", "content": "hi"}])
    assert reply.message.content == "You asked: hi"
    with pytest.raises(ollama.ResponseError) as no_embed:
        client.embed(model="gpt-oss:120b", input="x")
    assert no_embed.value.status_code == 404


def test_signed_out_local_server_refuses_cloud_names() -> None:
    with (
        FakeOllama(models=[FakeModel("llama3.2")]) as server,
        ollama.Client(host=server.url) as client,
    ):
        with pytest.raises(ollama.ResponseError) as denied:
            client.chat(model="glm-4.7:cloud", messages=[{"role": "user", "content": "x"}])
        assert denied.value.status_code == 401
    cloud = [FakeModel("gpt-oss:120b", capabilities=("completion", "thinking"))]
    with FakeOllama(cloud_models=cloud) as server, ollama.Client(host=server.url) as client:
        reply = client.chat(
            model="gpt-oss:120b-cloud", messages=[{"role": "user", "content": "hey"}]
        )
        assert reply.message.content == "You asked: hey"


async def test_anthropic_messages_stream(fake_ollama: FakeOllama) -> None:
    body = {
        "model": "qwen3:8b",
        "max_tokens": 100,
        "stream": True,
        "thinking": {"type": "enabled", "budget_tokens": 100},
        "messages": [{"role": "user", "content": "Hello"}],
    }
    async with httpx.AsyncClient(base_url=fake_ollama.url) as http:
        response = await http.post("/v1/messages", json=body, headers={"x-api-key": "ignored"})
        assert response.headers["content-type"] == "text/event-stream"
        blocks = [b for b in response.text.split("\n\n") if b]
        events = [b.split("\n")[0].removeprefix("event: ") for b in blocks]
        assert events[0] == "message_start" and events[-1] == "message_stop"
        assert "ping" not in events and "message_delta" in events
        datas = [json.loads(b.split("\n")[1].removeprefix("data: ")) for b in blocks]
        text = "".join(
            d["delta"].get("text", "") for d in datas if d["type"] == "content_block_delta"
        )
        assert text == "You asked: Hello"
        bad = await http.post("/v1/messages", json={"model": "qwen3:8b", "messages": []})
        assert bad.status_code == 400
        assert bad.json()["type"] == "error"
        assert bad.json()["error"]["type"] == "invalid_request_error"
        assert bad.json()["request_id"].startswith("req_")
