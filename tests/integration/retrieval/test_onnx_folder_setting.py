"""An ONNX model folder chosen in the settings ("onnx:FOLDER") is the embedder a new
knowledge base is built with, through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.app import bootstrap
from desktop.core.knowledge_base import ExecutorEmbedder
from desktop.core.models import ProviderKind
from desktop.embedders.builtin import BuiltinEmbedder
from desktop.embedders.choice import open_embedder
from desktop.embedders.runtime import EmbedderUnavailable
from desktop.providers.ollama import OllamaClient
from tests.integration.conftest import run_hearth
from tests.integration.retrieval.test_onnx_folder import DIM, write_model

pytestmark = pytest.mark.integration


def test_a_model_folder_in_the_settings_embeds_the_knowledge_base(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    folder = tmp_path / "tiny-model"
    write_model(folder)
    (folder / "config.json").write_text(json.dumps({"hidden_size": DIM}))
    ctx = bootstrap(cli_env["HEARTH_DATA_DIR"], env=cli_env)
    ctx.settings.embedding.embedder = f"onnx:{folder}"
    ctx.save_settings()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cats.txt").write_text("cat cat cat", encoding="utf-8")
    (docs / "dogs.txt").write_text("dog dog dog", encoding="utf-8")

    ingest = run_hearth(["ingest", str(docs)], cli_env)
    assert ingest.returncode == 0, ingest.stderr
    listing = run_hearth(["kb", "list"], cli_env)
    assert "embedder onnx:tiny-model@" in listing.stdout, listing.stdout
    found = run_hearth(["search", "dog", "--json", "-k", "1"], cli_env)
    assert found.returncode == 0, found.stderr
    assert "dogs.txt" in found.stdout and "cats.txt" not in found.stdout


async def test_a_folder_that_is_no_model_is_refused_when_chosen(tmp_path: Path) -> None:
    local = OllamaClient("http://127.0.0.1:9", kind=ProviderKind.LOCAL)
    builtin = ExecutorEmbedder(BuiltinEmbedder())
    try:
        with pytest.raises(EmbedderUnavailable, match="not an ONNX embedding model folder"):
            await open_embedder(f"onnx:{tmp_path}", builtin=builtin, local=local)
    finally:
        await local.aclose()
