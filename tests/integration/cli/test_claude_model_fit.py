"""`hearth claude` fits Claude Code to the model: the context the server really runs it with,
and no thinking or effort asked of a model that cannot think (with a stand-in Claude Code);
and the fake server's Anthropic route treats thinking as Ollama's does."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.ollama_server import FakeModel, FakeOllama
from tests.integration.cli.test_claude_cli import stand_in_claude
from tests.integration.conftest import run_hearth

pytestmark = pytest.mark.integration

CODER = FakeModel("qwen3-coder:latest", context_length=262144, capabilities=("completion", "tools"))
THINKER = FakeModel(
    "qwen3:8b", context_length=40960, capabilities=("completion", "thinking", "tools")
)


@pytest.fixture
def server() -> Iterator[FakeOllama]:
    """A server on a small GPU: models run with 4096 tokens unless told otherwise."""
    big = FakeModel(
        "big-ctx:latest", context_length=262144, capabilities=CODER.capabilities, num_ctx=131072
    )
    with FakeOllama(models=[CODER, THINKER, big], default_num_ctx=4096) as fake:
        yield fake


def _launch(tmp_path: Path, env: dict[str, str], model: str) -> tuple[str, dict[str, str]]:
    record = tmp_path / "record.json"
    stand_in_claude(tmp_path / "bin", record)
    env = {**env, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{env['PATH']}"}
    result = run_hearth(["claude", "--model", model, "--", "-p", "hi"], env)
    assert result.returncode == 3, result.stderr
    return result.stderr, json.loads(record.read_text())["env"]


def test_warns_about_the_context_the_server_runs_the_model_with(
    tmp_path: Path, server: FakeOllama, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OLLAMA_HOST": server.url}
    # Before the launch the model is not loaded: claude-env says it cannot tell yet.
    printed = run_hearth(["claude-env", "--model", "qwen3-coder"], env)
    assert printed.returncode == 0, printed.stderr
    assert "not loaded, so the context the server will run it with is not checked" in (
        printed.stderr
    )
    assert "export CLAUDE_CODE_AUTO_COMPACT_WINDOW='262144'" in printed.stdout

    stderr, seen = _launch(tmp_path, env, "qwen3-coder")
    # The model takes 262144 tokens, but the server runs it with its default of 4096.
    assert "the server runs qwen3-coder with 4096 tokens" in stderr
    assert "OLLAMA_CONTEXT_LENGTH=65536" in stderr and "num_ctx" in stderr
    assert seen["CLAUDE_CODE_AUTO_COMPACT_WINDOW"] == "4096"
    ps = httpx.get(f"{server.url}/api/ps").json()["models"]
    assert [(m["name"], m["context_length"]) for m in ps] == [("qwen3-coder:latest", 4096)]

    # Loaded now, claude-env reads the served context too.
    again = run_hearth(["claude-env", "--model", "qwen3-coder"], env)
    assert "the server runs qwen3-coder with 4096 tokens" in again.stderr
    assert "export CLAUDE_CODE_AUTO_COMPACT_WINDOW='4096'" in again.stdout


def test_a_modelfile_num_ctx_is_what_the_model_runs_with(
    tmp_path: Path, server: FakeOllama, cli_env: dict[str, str]
) -> None:
    stderr, seen = _launch(tmp_path, {**cli_env, "OLLAMA_HOST": server.url}, "big-ctx")
    assert "64k" not in stderr
    assert seen["CLAUDE_CODE_AUTO_COMPACT_WINDOW"] == "131072"


def test_a_model_that_cannot_think_is_asked_for_neither_thinking_nor_effort(
    tmp_path: Path, server: FakeOllama, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OLLAMA_HOST": server.url}
    _, coder = _launch(tmp_path / "coder", env, "qwen3-coder")
    assert coder["CLAUDE_CODE_DISABLE_THINKING"] == "1"
    assert coder["CLAUDE_CODE_EFFORT_LEVEL"] == "unset"
    assert coder["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] == "1"
    _, thinker = _launch(tmp_path / "thinker", env, "qwen3:8b")
    assert "CLAUDE_CODE_DISABLE_THINKING" not in thinker
    assert "CLAUDE_CODE_EFFORT_LEVEL" not in thinker
    assert thinker["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] == "1"


def _message(server: FakeOllama, model: str, **extra: Any) -> httpx.Response:
    body = {
        "model": model,
        "max_tokens": 64,
        "messages": [{"role": "user", "content": "hi"}],
        **extra,
    }
    return httpx.post(f"{server.url}/v1/messages", json=body)


def test_anthropic_route_thinking_as_ollama_converts_it(server: FakeOllama) -> None:
    claude_code = {"thinking": {"type": "adaptive"}, "output_config": {"effort": "high"}}
    # A model that cannot think: thinking is dropped (relax_thinking), not refused.
    plain = _message(server, "qwen3-coder", **claude_code)
    assert plain.status_code == 200, plain.text
    assert [b["type"] for b in plain.json()["content"]] == ["text"]
    assert server.relaxed_thinking == 1
    assert _message(server, "qwen3-coder").status_code == 200
    assert server.relaxed_thinking == 1
    # A thinking model: the effort level becomes `think`, so it thinks.
    thought = _message(server, "qwen3:8b", **claude_code)
    assert [b["type"] for b in thought.json()["content"]] == ["thinking", "text"]
    off = _message(server, "qwen3:8b", thinking={"type": "disabled"})
    assert [b["type"] for b in off.json()["content"]] == ["text"]
    # Tools for a model without the capability are refused in Anthropic's error format.
    tool = {"name": "t", "input_schema": {"type": "object"}}
    no_tools = FakeModel("gemma:2b", capabilities=("completion",))
    server.add_model(no_tools)
    refused = _message(server, "gemma:2b", tools=[tool])
    assert refused.status_code == 400
    assert refused.json()["error"]["type"] == "invalid_request_error"
    assert "does not support tools" in refused.json()["error"]["message"]


def test_anthropic_route_streams_a_scripted_tool_use(server: FakeOllama) -> None:
    tool = {"name": "search", "input_schema": {"type": "object"}}
    server.queue_tool_use("search", {"query": "tea"})
    reply = _message(server, "qwen3-coder", tools=[tool], stream=True)
    events = [
        json.loads(line.removeprefix("data: "))
        for line in reply.text.splitlines()
        if line.startswith("data: ")
    ]
    started = [e["content_block"] for e in events if e["type"] == "content_block_start"]
    assert started == [{"type": "tool_use", "id": started[0]["id"], "name": "search", "input": {}}]
    deltas = [e["delta"] for e in events if e["type"] == "content_block_delta"]
    assert deltas == [{"type": "input_json_delta", "partial_json": '{"query":"tea"}'}]
    stop = next(e for e in events if e["type"] == "message_delta")
    assert stop["delta"]["stop_reason"] == "tool_use"
    # The call is used up: the next request gets text.
    after = _message(server, "qwen3-coder", tools=[tool])
    assert after.json()["stop_reason"] == "end_turn"
