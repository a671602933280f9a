"""Cloud privacy through the real command line: a never-to-cloud knowledge base stays
local, consent is required, and after a full session the key is nowhere but the cloud."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import CLOUD_KEY
from tests.integration.conftest import run_hearth

pytestmark = pytest.mark.integration


def configure(data: Path, **privacy: object) -> None:
    config = data / "config"
    config.mkdir(parents=True, exist_ok=True)
    settings = {
        "schema_version": 1,
        "provider": {"mode": "cloud", "cloud_enabled": True, "cloud_model": "gpt-oss:120b"},
        "privacy": privacy,
    }
    (config / "settings.json").write_text(json.dumps(settings))


def test_private_knowledge_base_never_reaches_the_cloud(
    tmp_path: Path, cli_env: dict[str, str], fake_ollama: FakeOllama, fake_cloud: FakeOllama
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "salary.txt").write_text(
        "Anna's salary is 7,400 euros a month; her e-mail is anna@example.com."
    )
    env = {
        **cli_env,
        "OLLAMA_HOST": fake_ollama.url,
        "HEARTH_CLOUD_URL": fake_cloud.url,
        "OLLAMA_API_KEY": CLOUD_KEY,
    }
    data = Path(cli_env["HEARTH_DATA_DIR"])
    for kb in ("private", "public"):
        assert run_hearth(["ingest", str(docs), "--kb", kb], env).returncode == 0
    configure(data, local_only_kbs=["private"], scrub_cloud_text=True)

    refused = run_hearth(["--verbose", "ask", "What is Anna's salary?", "--kb", "private"], env)
    assert refused.returncode == 1
    assert "marked never to be sent to the cloud" in refused.stderr
    assert "salary.txt" in refused.stdout  # the passages are still shown
    assert fake_cloud.requests_to("/api/chat") == []

    answered = run_hearth(
        ["--verbose", "ask", "What is Anna's salary?", "--kb", "public", "--json"], env
    )
    assert answered.returncode == 0, answered.stderr
    assert json.loads(answered.stdout)["provider"] == "cloud"
    sent = fake_cloud.requests_to("/api/chat")[-1]
    assert sent.headers["authorization"] == f"Bearer {CLOUD_KEY}"
    body = json.dumps(sent.json(), ensure_ascii=False)
    assert "anna@example.com" not in body  # scrubbed before it left
    assert "7,400" in body  # the rest of the passage went as it was

    # After the whole session: the key went to the cloud only, and no file holds it.
    assert all(
        CLOUD_KEY not in json.dumps(r.headers) + r.body.decode("utf-8", "replace")
        for r in fake_ollama.requests
    )
    for path in data.rglob("*"):
        if path.is_file():
            assert CLOUD_KEY.encode() not in path.read_bytes(), path
    assert CLOUD_KEY not in refused.stderr + answered.stderr


def test_nothing_goes_to_the_cloud_without_consent(
    tmp_path: Path, cli_env: dict[str, str], fake_cloud: FakeOllama
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The launch code is 0000.")
    env = {
        **cli_env,
        "OLLAMA_HOST": "127.0.0.1:9",
        "HEARTH_CLOUD_URL": fake_cloud.url,
        "OLLAMA_API_KEY": CLOUD_KEY,
    }
    assert run_hearth(["ingest", str(docs)], env).returncode == 0
    result = run_hearth(["ask", "launch code?", "--provider", "auto", "--model", "llama3.2"], env)
    assert result.returncode == 1
    assert "turn on Ollama Cloud" in result.stderr
    assert fake_cloud.requests == []
