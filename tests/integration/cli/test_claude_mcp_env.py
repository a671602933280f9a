"""`hearth claude-env --with-mcp` shows the MCP configuration `hearth claude` passes, and
the window's launch arguments follow its switch."""

from __future__ import annotations

import json
import subprocess

import pytest

from desktop.ui.admin import ModelsController
from tests.fakes.ollama_server import FakeOllama
from tests.integration.conftest import run_hearth

pytestmark = pytest.mark.integration


def test_env_with_mcp_is_still_valid_shell(
    fake_ollama: FakeOllama, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    result = run_hearth(["claude-env", "--model", "qwen3:8b", "--with-mcp", "--kb", "notes"], env)
    assert result.returncode == 0, result.stderr
    comment, allowed, variables = result.stdout.splitlines()[-3:]
    assert comment.startswith("# hearth claude also passes: --mcp-config='")
    config = json.loads(comment.split("'", 1)[1].rsplit("'", 1)[0])
    assert allowed == (
        "# and: --allowedTools=mcp__hearth__search_knowledge_base,"
        "mcp__hearth__list_knowledge_bases,mcp__hearth__read_document"
    )
    assert variables == (
        "# with: ENABLE_TOOL_SEARCH=false MCP_CONNECTION_NONBLOCKING=0 MCP_CONNECT_TIMEOUT_MS=30000"
    )
    assert config["mcpServers"]["hearth"]["args"][-3:] == ["mcp", "--kb", "notes"]
    assert cli_env["HEARTH_DATA_DIR"] in config["mcpServers"]["hearth"]["args"]
    evaluated = subprocess.run(
        ["sh", "-c", result.stdout + "\nenv"], capture_output=True, text=True, check=True
    )
    assert "ANTHROPIC_MODEL=qwen3:8b" in evaluated.stdout


def test_window_launch_arguments_follow_the_switch() -> None:
    assert ModelsController.claude_arguments("qwen3:8b", True) == ["claude", "--model", "qwen3:8b"]
    assert ModelsController.claude_arguments("qwen3:8b", False)[-1] == "--no-mcp"
