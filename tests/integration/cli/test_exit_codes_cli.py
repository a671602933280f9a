"""Every command that prints data ends quietly into a closed pipe (`| head -1`), and Ctrl+C
while a command waits ends it with exit 130, never a traceback."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.ollama_server import FakeOllama
from tests.fakes.plugin import local_models
from tests.integration.conftest import (
    interrupt,
    into_closed_pipe,
    run_hearth,
    running,
    start_hearth,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """An environment with a knowledge base of one file and a fake local server (shared by
    this module's closed-pipe cases: indexing once keeps them fast)."""
    root = tmp_path_factory.mktemp("pipes")
    docs = root / "docs"
    docs.mkdir()
    (docs / "cats.md").write_text("# Cats\n\nCats sleep sixteen hours a day.\n")
    (root / "queries.jsonl").write_text(
        '{"_id": "q1", "text": "cats"}\n{"_id": "q2", "text": "sleep"}\n'
    )
    with FakeOllama(models=local_models()) as server:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.lower().endswith("_proxy") and k not in ("OLLAMA_URL", "OLLAMA_API_KEY")
        }
        env.update(HEARTH_DATA_DIR=str(root / "data"), OLLAMA_HOST=server.url, QUERIES=str(root))
        assert run_hearth(["ingest", str(docs)], env).returncode == 0
        yield env


PRINTING = [
    ["status"],
    ["status", "--json"],
    ["history", "list", "--json"],
    ["config", "list"],
    ["config", "get", "provider.mode"],
    ["key", "status", "--json"],
    ["models", "list"],
    ["models", "list", "--json"],
    ["kb", "list"],
    ["search", "cats"],
    ["search", "cats", "--json"],
    ["search", "--batch", "QUERIES"],
    ["ask", "How long do cats sleep?", "--model", "llama3.2"],
    ["ask", "How long do cats sleep?", "--model", "llama3.2", "--json"],
]


@pytest.mark.parametrize("args", PRINTING, ids=" ".join)
def test_a_printing_command_ends_quietly_into_a_closed_pipe(
    args: list[str], indexed: dict[str, str]
) -> None:
    args = [str(Path(indexed["QUERIES"], "queries.jsonl")) if a == "QUERIES" else a for a in args]
    result = into_closed_pipe(args, indexed)
    assert result.returncode == 141, result.stderr
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_ctrl_c_while_an_answer_is_awaited_exits_130(
    cli_env: dict[str, str], fake_ollama: FakeOllama, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cats.md").write_text("# Cats\n\nCats sleep sixteen hours a day.\n")
    env = {**cli_env, "OLLAMA_HOST": fake_ollama.url}
    assert run_hearth(["ingest", str(docs)], env).returncode == 0
    fake_ollama.set_first_token_delay(60)
    args = ["ask", "How long do cats sleep?", "--model", "llama3.2"]
    with running(start_hearth(args, env)) as proc:
        deadline = time.monotonic() + 90
        while not fake_ollama.requests_to("/api/chat"):  # wait for the question to be asked
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        err = interrupt(proc)
    assert proc.returncode == 130, err
    assert "cancelled" in err and "Traceback" not in err
