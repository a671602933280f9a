"""`hearth status`, as a real process against the fake local server and the fake cloud."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes.lock_holder import lock_holder
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import CLOUD_KEY
from tests.integration.conftest import run_hearth

pytestmark = pytest.mark.integration


def test_status_reports_server_cloud_knowledge_and_lock(
    tmp_path: Path, cli_env: dict[str, str], fake_ollama: FakeOllama, fake_cloud: FakeOllama
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cats.md").write_text("# Cats\n\nCats sleep sixteen hours a day.\n")
    env = {
        **cli_env,
        "OLLAMA_HOST": fake_ollama.url,
        "HEARTH_CLOUD_URL": fake_cloud.url,
        "OLLAMA_API_KEY": CLOUD_KEY,
    }
    assert run_hearth(["ingest", str(docs), "--kb", "notes"], env).returncode == 0
    # The cloud is off: the key is named but not sent anywhere.
    off = run_hearth(["status", "--json"], env)
    assert off.returncode == 0, off.stderr
    report = json.loads(off.stdout)
    local = report["local"]
    assert local["reachable"] is True and local["version"] == "0.33.0"
    assert local["url"] == fake_ollama.url and local["latency_ms"] >= 0
    assert "llama3.2:latest" in local["models"] and "qwen3:8b" in local["models"]
    assert report["cloud"] == {
        "enabled": False,
        "url": fake_cloud.url,
        "key_source": "environment",
        "key_accepted": None,
    }
    assert fake_cloud.requests == []
    assert report["knowledge_bases"] == [
        {
            "name": "notes",
            "documents": 1,
            "by_status": {"ready": 1},
            "chunks": 1,
            "embedder": report["knowledge_bases"][0]["embedder"],
        }
    ]
    assert report["knowledge_bases"][0]["embedder"].startswith("builtin")
    # `kb list --json` prints knowledge bases the same way.
    listed = run_hearth(["kb", "list", "--json"], env)
    assert json.loads(listed.stdout) == report["knowledge_bases"]
    assert report["data_folder"]["path"] == cli_env["HEARTH_DATA_DIR"]
    assert report["data_folder"]["write_lock"] is None
    # The cloud on: the key is checked against the cloud API for real.
    assert run_hearth(["config", "set", "provider.cloud_enabled", "true"], env).returncode == 0
    on = json.loads(run_hearth(["status", "--json"], env).stdout)["cloud"]
    assert on["enabled"] is True and on["key_accepted"] is True
    assert fake_cloud.requests_to("/api/tags")
    assert all(r.headers.get("authorization") == f"Bearer {CLOUD_KEY}" for r in fake_cloud.requests)
    refused = run_hearth(["status", "--json"], {**env, "OLLAMA_API_KEY": "sk-wrong"})
    assert json.loads(refused.stdout)["cloud"]["key_accepted"] is False
    text = run_hearth(["status"], {**env, "OLLAMA_API_KEY": "sk-wrong"}).stdout
    assert "Ollama Cloud: on, key from OLLAMA_API_KEY, key refused" in text
    assert "sk-wrong" not in text and CLOUD_KEY not in text
    # Another process holds the write lock: status names it, and does not take it.
    with lock_holder(Path(cli_env["HEARTH_DATA_DIR"]), "hearth watch") as holder:
        held = json.loads(run_hearth(["status", "--json"], env).stdout)["data_folder"]
        assert held["write_lock"]["holder"] == "hearth watch"
        assert held["write_lock"]["pid"] == holder.pid
        plain = run_hearth(["status"], env).stdout
        assert f"being changed by hearth watch (process {holder.pid}," in plain
        assert holder.poll() is None


def test_status_with_nothing_running(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "OLLAMA_HOST": "127.0.0.1:9"}
    result = run_hearth(["status"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Local server: http://127.0.0.1:9 not reachable",
        "Ollama Cloud: off, no key, key not checked",
        "Knowledge bases: none yet (add files with: hearth ingest PATH)",
        f"Data folder: {cli_env['HEARTH_DATA_DIR']} (nobody is changing it)",
    ]
