"""Claude Code's environment: variables per route, the 64k warning, shell quoting, the MCP
server command."""

from __future__ import annotations

import json
import sys

import pytest

from desktop.core.errors import AuthenticationFailed
from desktop.providers.claude_code import (
    HEARTH_TOOLS,
    claude_env,
    format_env,
    hearth_command,
    mcp_arguments,
    mcp_config,
    mcp_server_command,
)

pytestmark = pytest.mark.unit
URLS = {"local_url": "http://127.0.0.1:11434", "cloud_url": "https://ollama.com"}


def test_local_route_sets_what_ollama_launch_sets() -> None:
    result = claude_env(
        provider="local", model="qwen3-coder:30b", api_key="sk-x", context_length=262144, **URLS
    )
    env = result.env
    assert env["ANTHROPIC_BASE_URL"] == "http://127.0.0.1:11434"
    assert env["ANTHROPIC_AUTH_TOKEN"] == "ollama"
    assert env["ANTHROPIC_API_KEY"] == ""
    for name in (
        "ANTHROPIC_MODEL",
        "ANTHROPIC_DEFAULT_OPUS_MODEL",
        "ANTHROPIC_DEFAULT_SONNET_MODEL",
        "ANTHROPIC_DEFAULT_HAIKU_MODEL",
        "CLAUDE_CODE_SUBAGENT_MODEL",
    ):
        assert env[name] == "qwen3-coder:30b"
    assert env["CLAUDE_CODE_ATTRIBUTION_HEADER"] == "0"
    assert env["CLAUDE_CODE_TOTAL_TOKENS_REMINDER"] == "off"
    assert env["CLAUDE_CODE_AUTO_COMPACT_WINDOW"] == "262144"
    assert env["DISABLE_ERROR_REPORTING"] == env["DISABLE_FEEDBACK_COMMAND"] == "1"
    assert "sk-x" not in env.values()
    assert result.warnings == []


@pytest.mark.parametrize(
    ("model", "routed"),
    [
        ("glm-5.2", "glm-5.2:cloud"),
        ("gpt-oss:120b", "gpt-oss:120b-cloud"),
        ("gpt-oss:120b-cloud", "gpt-oss:120b-cloud"),
    ],
)
def test_cloud_model_goes_through_the_local_server_by_default(model: str, routed: str) -> None:
    result = claude_env(
        provider="local",
        model=model,
        api_key="sk-never-printed",
        context_length=202752,
        cloud_model=True,
        **URLS,
    )
    assert result.model == routed
    assert result.env["ANTHROPIC_MODEL"] == result.env["CLAUDE_CODE_SUBAGENT_MODEL"] == routed
    assert result.env["ANTHROPIC_BASE_URL"] == "http://127.0.0.1:11434"
    assert result.env["ANTHROPIC_AUTH_TOKEN"] == "ollama"
    assert "sk-never-printed" not in result.env.values()


def test_local_url_loses_a_v1_suffix() -> None:
    result = claude_env(
        provider="local",
        model="qwen3:8b",
        api_key=None,
        context_length=None,
        local_url="http://10.0.0.5:11434/v1/",
        cloud_url="https://ollama.com",
    )
    assert result.env["ANTHROPIC_BASE_URL"] == "http://10.0.0.5:11434"
    assert "CLAUDE_CODE_AUTO_COMPACT_WINDOW" not in result.env


def test_direct_cloud_route_uses_the_key_and_warns() -> None:
    result = claude_env(
        provider="cloud",
        model="gpt-oss:120b-cloud",
        api_key="sk-cloud",
        context_length=131072,
        **URLS,
    )
    assert result.env["ANTHROPIC_BASE_URL"] == "https://ollama.com"
    assert result.env["ANTHROPIC_AUTH_TOKEN"] == "sk-cloud"
    assert result.model == "gpt-oss:120b"
    assert any("401" in w for w in result.warnings)
    with pytest.raises(AuthenticationFailed):
        claude_env(
            provider="cloud", model="gpt-oss:120b", api_key=None, context_length=None, **URLS
        )


def test_small_context_warns() -> None:
    result = claude_env(
        provider="local", model="llama3.2", api_key=None, context_length=8192, **URLS
    )
    assert result.warnings == [
        "Claude Code needs a 64k+ context; llama3.2 takes at most 8192 tokens. "
        "Choose a larger model."
    ]
    unknown = claude_env(provider="local", model="x", api_key=None, context_length=None, **URLS)
    assert "could not be checked" in unknown.warnings[0]


def test_the_context_the_server_runs_the_model_with_is_what_counts() -> None:
    served = claude_env(
        provider="local",
        model="qwen3-coder",
        api_key=None,
        context_length=262144,
        served_context=4096,
        **URLS,
    )
    (warning,) = served.warnings
    assert warning.startswith(
        "Claude Code needs a 64k+ context; the server runs qwen3-coder with 4096 tokens "
        "(the model takes up to 262144). Raise it: start the server with "
        "OLLAMA_CONTEXT_LENGTH=65536"
    )
    assert served.env["CLAUDE_CODE_AUTO_COMPACT_WINDOW"] == "4096"
    enough = claude_env(
        provider="local",
        model="qwen3-coder",
        api_key=None,
        context_length=262144,
        served_context=131072,
        **URLS,
    )
    assert enough.warnings == []
    assert enough.env["CLAUDE_CODE_AUTO_COMPACT_WINDOW"] == "131072"


@pytest.mark.parametrize(("can_think", "off"), [(False, True), (True, False), (None, False)])
def test_thinking_and_effort_off_only_for_a_model_that_cannot_think(
    can_think: bool | None, off: bool
) -> None:
    env = claude_env(
        provider="local",
        model="m",
        api_key=None,
        context_length=131072,
        can_think=can_think,
        **URLS,
    ).env
    assert env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] == "1"
    assert (env.get("CLAUDE_CODE_DISABLE_THINKING") == "1") is off
    assert (env.get("CLAUDE_CODE_EFFORT_LEVEL") == "unset") is off


@pytest.mark.parametrize(
    ("shell", "expected"),
    [
        ("sh", "export A='it'\\''s $HOME'\nexport B=''\nexport C='a b'"),
        ("fish", "set -gx A 'it\\'s $HOME'\nset -gx B ''\nset -gx C 'a b'"),
        ("powershell", "$env:A = 'it''s $HOME'\n$env:B = ''\n$env:C = 'a b'"),
    ],
)
def test_shell_quoting(shell: str, expected: str) -> None:
    env = {"A": "it's $HOME", "B": "", "C": "a b"}
    assert format_env(env, shell) == expected  # type: ignore[arg-type]


def test_fish_keeps_backslashes_and_powershell_doubles_typographic_quotes() -> None:
    assert format_env({"P": "C:\\dir\\"}, "fish") == "set -gx P 'C:\\\\dir\\\\'"
    doubled = "$env:Q = '\u2019\u2019x\u2018\u2018'"
    assert format_env({"Q": "\u2019x\u2018"}, "powershell") == doubled


def test_mcp_server_command_is_the_bundle_itself_when_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "executable", "/opt/hearth/hearth")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert mcp_server_command("/d", "notes") == [
        "/opt/hearth/hearth",
        "--data-dir",
        "/d",
        "mcp",
        "--kb",
        "notes",
    ]
    server = json.loads(mcp_config("/d"))["mcpServers"]["hearth"]
    assert server == {"command": "/opt/hearth/hearth", "args": ["--data-dir", "/d", "mcp"]}


def test_mcp_server_command_runs_the_package_from_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "executable", "/venv/bin/python")
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert hearth_command() == ["/venv/bin/python", "-m", "desktop"]
    assert mcp_server_command("/d") == [
        "/venv/bin/python",
        "-m",
        "desktop",
        "--data-dir",
        "/d",
        "mcp",
    ]


def test_mcp_arguments_are_one_item_each_and_allow_only_the_read_only_tools() -> None:
    config, allowed = mcp_arguments("/d", hearth=["hearth"])
    assert json.loads(config.removeprefix("--mcp-config="))["mcpServers"]["hearth"]["args"] == [
        "--data-dir",
        "/d",
        "mcp",
    ]
    assert allowed.removeprefix("--allowedTools=").split(",") == list(HEARTH_TOOLS)
    assert {t.removeprefix("mcp__hearth__") for t in HEARTH_TOOLS} == {
        "search_knowledge_base",
        "list_knowledge_bases",
        "read_document",
    }
