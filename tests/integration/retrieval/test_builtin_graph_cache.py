"""The built-in embedder keeps its encoder graph in the cache folder between runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.embedders.builtin import BuiltinEmbedder
from tests.integration.conftest import ROOT

pytestmark = pytest.mark.integration

TEXTS = ["query text about tea", "Ещё одно предложение.", "绿茶用80度的水泡两分钟。"]


def test_the_cached_graph_gives_the_same_vectors_and_a_bad_one_is_rebuilt(
    tmp_path: Path,
) -> None:
    fresh = BuiltinEmbedder().embed_documents(TEXTS)
    first = BuiltinEmbedder(cache_dir=tmp_path)
    assert first.embed_documents(TEXTS) == fresh
    [graph] = tmp_path.glob("*.onnx")
    size = graph.stat().st_size
    assert size > 10_000_000
    assert not list(tmp_path.glob("*.part"))

    again = BuiltinEmbedder(cache_dir=tmp_path)
    assert again.embed_documents(TEXTS) == fresh
    assert again.embed_query(TEXTS[0]) == first.embed_query(TEXTS[0])

    graph.write_bytes(b"not a graph")
    repaired = BuiltinEmbedder(cache_dir=tmp_path)
    assert repaired.embed_documents(TEXTS) == fresh
    assert graph.stat().st_size == size


def test_a_load_from_the_cache_needs_neither_onnx_nor_the_tokenizers_library(
    tmp_path: Path,
) -> None:
    BuiltinEmbedder(cache_dir=tmp_path).load()
    probe = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from desktop.embedders.builtin import BuiltinEmbedder
        embedder = BuiltinEmbedder(cache_dir=Path({str(tmp_path)!r}))
        assert len(embedder.embed_query("how long do cats sleep")) == 384
        print(sorted(m for m in ("onnx", "tokenizers") if m in sys.modules))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_float32_graph_gives_the_int8_graphs_vectors_and_its_own_cache_file(
    tmp_path: Path,
) -> None:
    int8 = BuiltinEmbedder(cache_dir=tmp_path, precision="int8")
    float32 = BuiltinEmbedder(cache_dir=tmp_path, precision="float32")
    assert (int8.precision, float32.precision) == ("int8", "float32")
    assert int8.embedder_id == float32.embedder_id  # one index takes either
    for a, b in zip(int8.embed_documents(TEXTS), float32.embed_documents(TEXTS), strict=True):
        assert sum(x * y for x, y in zip(a, b, strict=True)) > 0.995
    assert len(list(tmp_path.glob("*.onnx"))) == 2
