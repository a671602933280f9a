"""The real Claude Code CLI (from npm, the versions ./bootstrap.sh test pins) launched by
`hearth claude` exactly as a person types it, against the fake server's /v1/messages: the
model's scripted search runs through `hearth mcp` and its passages come back to the model.

The fast stand-in tests are beside this one (test_claude_cli.py, mcp/test_mcp_server.py).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.ollama_server import FakeModel, FakeOllama
from tests.integration.conftest import run_hearth

pytestmark = pytest.mark.integration

# The versions bootstrap.sh installs: 2.1.197 (sends its first request before MCP servers
# connect unless told to wait) and 2.1.332 (holds MCP tools behind a ToolSearch step).
VERSIONS = ("2.1.197", "2.1.332")
SEARCH = "mcp__hearth__search_knowledge_base"


@pytest.fixture(params=VERSIONS)
def claude(request: pytest.FixtureRequest) -> Path:
    """The installed Claude Code CLI of one pinned version."""
    path = Path(sys.prefix) / "node" / f"claude-code-{request.param}" / "node_modules" / ".bin"
    if not (path / "claude").exists():
        pytest.skip(f"Claude Code {request.param} is not installed in {path} (./bootstrap.sh test)")
    return path / "claude"


class ProxyRecorder:
    """An HTTP(S) proxy that lets nothing through and records what was asked of it: a session
    that stays on the local server never comes here."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with conn:
                line = conn.makefile("rb").readline().decode(errors="replace").strip()
                self.asked.append(line)
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    def close(self) -> None:
        self._server.close()


@pytest.fixture
def proxy() -> Iterator[ProxyRecorder]:
    recorder = ProxyRecorder()
    yield recorder
    recorder.close()


def _tool_results(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        block
        for message in body["messages"]
        if isinstance(message.get("content"), list)
        for block in message["content"]
        if block.get("type") == "tool_result"
    ]


def test_real_claude_code_searches_the_knowledge_base_through_hearth(
    tmp_path: Path, cli_env: dict[str, str], proxy: ProxyRecorder, claude: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tea.txt").write_text("Green tea is steeped at 80 degrees for two minutes.\n")
    (docs / "cats.md").write_text("# Cats\n\nCats sleep about sixteen hours a day.\n")
    ingested = run_hearth(["ingest", str(docs)], cli_env)
    assert ingested.returncode == 0, ingested.stderr

    coder = FakeModel(
        "qwen3-coder:latest",
        context_length=262144,
        capabilities=("completion", "tools"),
        family="qwen3moe",
    )
    with FakeOllama(models=[coder], default_num_ctx=65536) as fake:
        fake.queue_tool_use(SEARCH, {"query": "green tea temperature"})
        fake.set_reply("Steep green tea at 80 degrees.")
        home = tmp_path / "home"
        work = tmp_path / "work"
        home.mkdir()
        work.mkdir()
        # Only what Hearth sets reaches Claude Code (not a surrounding session's settings).
        clean = {k: v for k, v in cli_env.items() if not k.startswith(("CLAUDE", "ANTHROPIC"))}
        env = {
            **clean,
            "OLLAMA_HOST": fake.url,
            "HOME": str(home),
            "PATH": f"{claude.parent}{os.pathsep}{clean['PATH']}",
            "HTTPS_PROXY": proxy.url,
            "HTTP_PROXY": proxy.url,
            "NO_PROXY": "127.0.0.1,localhost",
        }
        # As a person types it: the prompt right after `--`.
        typed = ["claude", "--model", "qwen3-coder", "--", "-p", "How hot is tea water?"]
        result = subprocess.run(
            [sys.executable, "-m", "desktop", *typed],
            env=env,
            cwd=work,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        requests = [r.json() for r in fake.requests_to("/v1/messages")]

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Steep green tea at 80 degrees."
    first = requests[0]
    # Hearth's tools are offered in the very first request, not behind a ToolSearch step.
    offered = {t["name"] for t in first["tools"]}
    assert {SEARCH, "mcp__hearth__list_knowledge_bases", "mcp__hearth__read_document"} <= offered
    assert "ToolSearch" not in offered
    # qwen3-coder cannot think: Claude Code asks for neither thinking nor an effort level.
    assert "thinking" not in first and "output_config" not in first
    assert fake.relaxed_thinking == 0
    # The next request carries the search's passages as the tool result, with no error.
    answered = [r for r in requests if _tool_results(r)]
    assert answered, [list(r) for r in requests]
    (tool_result,) = _tool_results(answered[0])
    assert not tool_result.get("is_error"), tool_result
    passages = json.dumps(tool_result["content"])
    assert "Green tea is steeped at 80 degrees for two minutes." in passages
    assert str(docs / "tea.txt") in passages
    # Nothing left the machine: every request went to the local server.
    assert proxy.asked == []
