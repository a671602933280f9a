"""`hearth models` and the global options, against the fake server."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from desktop.cli import main
from tests.fakes.ollama_server import FakeOllama
from tests.integration.conftest import ROOT, run_hearth

pytestmark = pytest.mark.integration


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == "hearth 0.1.0"


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_models_list_as_table_and_json(
    fake_ollama: FakeOllama,
    cli_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OLLAMA_HOST", fake_ollama.url)
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["NAME", "SIZE", "PARAMS", "QUANT", "MODIFIED"]
    assert "llama3.2:latest" in out and "2.0 GB" in out and "Q4_K_M" in out
    assert main(["models", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {m["name"] for m in data} == {"llama3.2:latest", "qwen3:8b", "nomic-embed-text:latest"}


def test_unreachable_server_is_exit_1_with_a_hint(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "OLLAMA_HOST": "127.0.0.1:9"}
    result = run_hearth(["models", "list"], env)
    assert result.returncode == 1
    assert "error: Could not reach the Ollama server at http://127.0.0.1:9." in result.stderr
    assert "hint: Is Ollama running?" in result.stderr
    assert "Traceback" not in result.stderr


def test_cloud_catalogue_needs_the_cloud_enabled(
    fake_cloud: FakeOllama, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OLLAMA_API_KEY": "sk-test-cloud-key-123", "HEARTH_CLOUD_URL": fake_cloud.url}
    refused = run_hearth(["models", "list", "--provider", "cloud"], env)
    assert refused.returncode == 1
    assert "Ollama Cloud is turned off" in refused.stderr
    assert fake_cloud.requests == []
    config = cli_env["HEARTH_DATA_DIR"] + "/config/settings.json"
    with open(config, "w", encoding="utf-8") as handle:
        json.dump({"schema_version": 1, "provider": {"cloud_enabled": True}}, handle)
    listed = run_hearth(["models", "list", "--provider", "cloud"], env)
    assert listed.returncode == 0, listed.stderr
    assert "gpt-oss:120b" in listed.stdout


def test_pull_shows_progress_and_installs(fake_ollama: FakeOllama, cli_env: dict[str, str]) -> None:
    fake_ollama.add_pullable("phi4:mini", (3_000_000, 20_000), chunk=250_000)
    fake_ollama.set_token_delay(0.02)
    result = run_hearth(
        ["models", "pull", "phi4:mini"], {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    )
    assert result.returncode == 0, result.stderr
    assert "100.0%" in result.stderr
    assert "/3.0 MB" in result.stderr
    assert "phi4:mini is ready." in result.stderr
    assert "phi4:mini" in fake_ollama.models


def test_pull_of_an_unknown_model_fails(fake_ollama: FakeOllama, cli_env: dict[str, str]) -> None:
    result = run_hearth(["models", "pull", "no-such"], {**cli_env, "OLLAMA_HOST": fake_ollama.url})
    assert result.returncode == 1
    assert "file does not exist" in result.stderr


def test_ctrl_c_cancels_a_pull(fake_ollama: FakeOllama, cli_env: dict[str, str]) -> None:
    fake_ollama.add_pullable("big:latest", (50_000_000,), chunk=100_000)
    fake_ollama.set_token_delay(0.05)
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "models", "pull", "big"],
        env={**cli_env, "OLLAMA_HOST": fake_ollama.url},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()
    assert first.strip()
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "cancelled" in err
    assert "Traceback" not in err
    assert "big:latest" not in fake_ollama.models


def test_rm_needs_confirmation_without_a_terminal(
    fake_ollama: FakeOllama, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    refused = run_hearth(["models", "rm", "qwen3:8b"], env, stdin="")
    assert refused.returncode == 1
    assert "--yes" in refused.stderr
    assert "qwen3:8b" in fake_ollama.models
    done = run_hearth(["models", "rm", "qwen3:8b", "--yes"], env)
    assert done.returncode == 0
    assert "qwen3:8b" not in fake_ollama.models
