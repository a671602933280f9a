"""`hearth models` and the global options, against the fake server."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys

import pytest

from desktop.app import Services, bootstrap
from desktop.cli import main
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import CLOUD_KEY
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


def test_cloud_catalogue_needs_a_key_or_the_cloud_enabled(
    fake_cloud: FakeOllama, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "HEARTH_CLOUD_URL": fake_cloud.url}
    refused = run_hearth(["models", "list", "--provider", "cloud"], env)
    assert refused.returncode == 1
    assert "error: Ollama Cloud is turned off and no API key is set" in refused.stderr
    assert "hint: Set OLLAMA_API_KEY" in refused.stderr
    assert fake_cloud.requests == []
    config = cli_env["HEARTH_DATA_DIR"] + "/config/settings.json"
    with open(config, "w", encoding="utf-8") as handle:
        json.dump({"schema_version": 1, "provider": {"cloud_enabled": True}}, handle)
    no_key = run_hearth(["models", "list", "--provider", "cloud"], env)
    assert no_key.returncode == 1
    assert "error: No Ollama Cloud API key is set." in no_key.stderr
    assert fake_cloud.requests == []
    listed = run_hearth(
        ["models", "list", "--provider", "cloud", "--json"],
        {**env, "OLLAMA_API_KEY": CLOUD_KEY},
    )
    assert listed.returncode == 0, listed.stderr
    assert {m["name"] for m in json.loads(listed.stdout)} == {"gpt-oss:120b", "gemma4:31b"}
    assert CLOUD_KEY not in listed.stdout + listed.stderr


def test_cloud_cannot_pull_or_delete(fake_cloud: FakeOllama, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "HEARTH_CLOUD_URL": fake_cloud.url, "OLLAMA_API_KEY": CLOUD_KEY}
    pulled = run_hearth(["models", "pull", "gpt-oss:120b", "--provider", "cloud"], env)
    assert pulled.returncode == 1
    assert "error: Ollama Cloud models cannot be pulled" in pulled.stderr
    removed = run_hearth(["models", "rm", "gpt-oss:120b", "--provider", "cloud", "--yes"], env)
    assert removed.returncode == 1
    assert "error: Ollama Cloud models cannot be deleted" in removed.stderr
    assert fake_cloud.requests_to("/api/pull") == fake_cloud.requests_to("/api/delete") == []


def test_no_subcommand_without_a_window_says_so(
    cli_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # None in sys.modules makes the import fail exactly as in a build without the window.
    monkeypatch.setitem(sys.modules, "desktop.ui.main", None)
    assert main([]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "error: The desktop window is not available in this build; "
        "use the subcommands (hearth --help)."
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["search"],
        ["search", "q", "--batch", "q.jsonl"],
        ["search", "q", "-k", "0"],
        ["models", "pull"],
        ["--no-such"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage: hearth" in capsys.readouterr().err


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
    line = proc.stderr.readline()
    assert line.strip()
    while "pulling layer" not in line:  # the download is under way
        line = proc.stderr.readline()
        assert line, "the pull ended before a layer started"
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


async def test_knowledge_is_built_once_for_concurrent_callers(cli_env: dict[str, str]) -> None:
    ctx = bootstrap(cli_env["HEARTH_DATA_DIR"], env=cli_env)
    async with Services(ctx) as services:
        first, second = await asyncio.gather(services.knowledge(), services.knowledge())
    assert first is second
