"""`hearth claude-env` evaluated by real shells, and `hearth claude` with a stand-in."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.providers.claude_code import format_env
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import CLOUD_KEY, cloud_models, local_models
from tests.integration.conftest import ROOT, run_hearth

pytestmark = pytest.mark.integration

STAND_IN = """#!{python}
import json, os, sys
with open({out!r}, "w") as f:
    json.dump({{"argv": sys.argv[1:], "env": dict(os.environ)}}, f)
sys.exit(3)
"""


def stand_in_claude(folder: Path, out: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "claude"
    script.write_text(STAND_IN.format(python=sys.executable, out=str(out)))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize("shell", ["sh", "bash"])
def test_claude_env_is_valid_shell(
    shell: str, fake_ollama: FakeOllama, cli_env: dict[str, str]
) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    result = run_hearth(["claude-env", "--model", "qwen3:8b"], env)
    assert result.returncode == 0, result.stderr
    assert "64k+" in result.stderr  # qwen3:8b has 40960 tokens
    evaluated = subprocess.run(
        [shell, "-c", result.stdout + "\nenv"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert f"ANTHROPIC_BASE_URL={fake_ollama.url}" in evaluated
    assert "ANTHROPIC_API_KEY=" in evaluated
    assert "ANTHROPIC_MODEL=qwen3:8b" in evaluated
    assert "CLAUDE_CODE_AUTO_COMPACT_WINDOW=40960" in evaluated


@pytest.mark.parametrize("shell", ["sh", "bash", "dash"])
def test_awkward_values_survive_a_real_shell(shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    values = {
        "HEARTH_T_QUOTES": 'it\'s "quoted"',
        "HEARTH_T_DOLLAR": "$HOME `id` $(id) \\n",
        "HEARTH_T_SPACES": "  two  spaces ",
        "HEARTH_T_EMPTY": "",
    }
    script = format_env(values, "sh") + "\nenv -0"
    out = subprocess.run([shell, "-c", script], capture_output=True, check=True).stdout
    seen = dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)
    assert {k: seen[k] for k in values} == values


def test_cloud_model_goes_through_the_signed_in_local_server(
    fake_cloud: FakeOllama, cli_env: dict[str, str]
) -> None:
    with FakeOllama(models=local_models(), cloud_models=cloud_models()) as local:
        env = {
            **cli_env,
            "OLLAMA_HOST": local.url,
            "HEARTH_CLOUD_URL": fake_cloud.url,
            "OLLAMA_API_KEY": CLOUD_KEY,
        }
        result = run_hearth(["claude-env", "--model", "gpt-oss:120b"], env)
    assert result.returncode == 0, result.stderr
    assert "export ANTHROPIC_MODEL='gpt-oss:120b-cloud'" in result.stdout
    assert f"export ANTHROPIC_BASE_URL='{local.url}'" in result.stdout
    assert "export CLAUDE_CODE_AUTO_COMPACT_WINDOW='131072'" in result.stdout
    assert CLOUD_KEY not in result.stdout + result.stderr
    assert "warning" not in result.stderr


def test_direct_cloud_route_prints_the_key_it_was_asked_for(
    fake_cloud: FakeOllama, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "HEARTH_CLOUD_URL": fake_cloud.url, "OLLAMA_API_KEY": CLOUD_KEY}
    args = ["claude-env", "--provider", "cloud", "--model", "gpt-oss:120b-cloud"]
    result = run_hearth(args, env)
    assert result.returncode == 0, result.stderr
    assert f"export ANTHROPIC_AUTH_TOKEN='{CLOUD_KEY}'" in result.stdout
    assert "export ANTHROPIC_MODEL='gpt-oss:120b'" in result.stdout
    assert "401" in result.stderr
    assert CLOUD_KEY not in result.stderr
    without_key = run_hearth(args, {**cli_env, "HEARTH_CLOUD_URL": fake_cloud.url})
    assert without_key.returncode == 1
    assert "error: The direct cloud route needs an Ollama Cloud API key" in without_key.stderr


def test_claude_env_for_fish_and_powershell(
    fake_ollama: FakeOllama, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    fish = run_hearth(["claude-env", "--model", "qwen3:8b", "--shell", "fish"], env)
    assert "set -gx ANTHROPIC_AUTH_TOKEN 'ollama'" in fish.stdout
    ps = run_hearth(["claude-env", "--model", "qwen3:8b", "--shell", "powershell"], env)
    assert "$env:ANTHROPIC_API_KEY = ''" in ps.stdout


def _with_stand_in(tmp_path: Path, env: dict[str, str]) -> tuple[dict[str, str], Path]:
    record = tmp_path / "record.json"
    stand_in_claude(tmp_path / "bin", record)
    return {**env, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{env['PATH']}"}, record


def test_claude_starts_with_the_environment_and_arguments(
    tmp_path: Path, fake_ollama: FakeOllama, cli_env: dict[str, str]
) -> None:
    env, record = _with_stand_in(tmp_path, {**cli_env, "OLLAMA_HOST": fake_ollama.url})
    result = run_hearth(["claude", "--model", "qwen3:8b", "--", "fix the failing test"], env)
    assert result.returncode == 3, result.stderr  # the stand-in's own exit code comes back
    seen = json.loads(record.read_text())
    # Hearth's options come first, each one argv item, so Claude Code cannot read the
    # person's prompt as one more MCP config or allowed tool.
    model, config, allowed, *rest = seen["argv"][1:]
    assert seen["argv"][0] == "--model" and model == "qwen3:8b"
    assert config.startswith("--mcp-config=")
    server = json.loads(config.removeprefix("--mcp-config="))["mcpServers"]["hearth"]
    assert [server["command"], *server["args"]] == [
        sys.executable,
        "-m",
        "desktop",
        "--data-dir",
        cli_env["HEARTH_DATA_DIR"],
        "mcp",
    ]
    assert allowed == (
        "--allowedTools=mcp__hearth__search_knowledge_base,"
        "mcp__hearth__list_knowledge_bases,mcp__hearth__read_document"
    )
    assert rest == ["fix the failing test"]
    assert seen["env"]["ENABLE_TOOL_SEARCH"] == "false"
    assert seen["env"]["MCP_CONNECTION_NONBLOCKING"] == "0"
    assert seen["env"]["MCP_CONNECT_TIMEOUT_MS"] == "30000"
    assert seen["env"]["ANTHROPIC_BASE_URL"] == fake_ollama.url
    assert seen["env"]["ANTHROPIC_AUTH_TOKEN"] == "ollama"
    assert seen["env"]["ANTHROPIC_API_KEY"] == ""
    assert seen["env"]["CLAUDE_CODE_SUBAGENT_MODEL"] == "qwen3:8b"


def test_claude_options_hearth_does_not_know_pass_through_in_order(
    tmp_path: Path, fake_ollama: FakeOllama, cli_env: dict[str, str]
) -> None:
    env, record = _with_stand_in(tmp_path, {**cli_env, "OLLAMA_HOST": fake_ollama.url})
    args = ["claude", "--model", "qwen3:8b", "-p", "hi", "-v", "--", "--model", "x", "--"]
    result = run_hearth(args, env)
    assert result.returncode == 3, result.stderr
    assert json.loads(record.read_text())["argv"][4:] == ["-p", "hi", "-v", "--model", "x", "--"]


def test_claude_without_tools_adds_nothing_and_sets_no_mcp_variables(
    tmp_path: Path, fake_ollama: FakeOllama, cli_env: dict[str, str]
) -> None:
    env, record = _with_stand_in(tmp_path, {**cli_env, "OLLAMA_HOST": fake_ollama.url})
    result = run_hearth(["claude", "--model", "qwen3:8b", "--no-mcp", "-p", "hi"], env)
    assert result.returncode == 3, result.stderr
    seen = json.loads(record.read_text())
    assert seen["argv"] == ["--model", "qwen3:8b", "-p", "hi"]
    assert "ENABLE_TOOL_SEARCH" not in seen["env"]
    assert "MCP_CONNECTION_NONBLOCKING" not in seen["env"]


def test_claude_refuses_a_dead_server_unless_asked(tmp_path: Path, cli_env: dict[str, str]) -> None:
    env, record = _with_stand_in(tmp_path, {**cli_env, "OLLAMA_HOST": "127.0.0.1:9"})
    result = run_hearth(["claude", "--model", "qwen3:8b", "--", "-p", "hi"], env)
    assert result.returncode == 1
    assert "error: The local Ollama server at http://127.0.0.1:9 does not answer" in result.stderr
    assert "ollama serve" in result.stderr and "OLLAMA_HOST" in result.stderr
    assert "Traceback" not in result.stderr
    assert not record.exists()
    anyway = run_hearth(["claude", "--model", "qwen3:8b", "--launch-anyway", "--", "-p", "hi"], env)
    assert anyway.returncode == 3, anyway.stderr
    assert json.loads(record.read_text())["argv"][-2:] == ["-p", "hi"]


def test_claude_env_into_a_closed_pipe_ends_quietly(
    fake_ollama: FakeOllama, cli_env: dict[str, str]
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head -1` that has already gone
    try:
        result = subprocess.run(
            [sys.executable, "-m", "desktop", "claude-env", "--model", "qwen3:8b"],
            env={**cli_env, "OLLAMA_HOST": fake_ollama.url},
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 141
    assert "BrokenPipe" not in result.stderr and "Traceback" not in result.stderr


def test_claude_missing_says_how_to_install(tmp_path: Path, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "PATH": str(tmp_path / "empty"), "HOME": str(tmp_path)}
    result = run_hearth(["claude", "--model", "qwen3:8b"], env)
    assert result.returncode == 1
    assert "error: Claude Code is not installed" in result.stderr
    assert "npm install -g @anthropic-ai/claude-code" in result.stderr


def test_claude_env_without_a_model(cli_env: dict[str, str]) -> None:
    result = run_hearth(["claude-env"], cli_env)
    assert result.returncode == 1
    assert "No model chosen for Claude Code" in result.stderr
