"""The built-in embedder: offline, unit vectors, one space for English, Russian, Chinese."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from desktop.embedders.builtin import DIMENSION, BuiltinEmbedder, EmbedderUnavailable, _weights_path

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
    assert all(len(v) == DIMENSION for v in vectors)
    assert all(math.isclose(math.sqrt(sum(x * x for x in v)), 1.0, abs_tol=1e-3) for v in vectors)
    assert embedder.embed_documents([]) == []
    assert embedder.embedder_id.startswith("builtin:use-multilingual-v3@")


def test_translations_are_closer_than_other_topics(embedder: BuiltinEmbedder) -> None:
    en, ru, zh, other = embedder.embed_documents(
        [
            "The cat is sleeping on the warm windowsill.",
            "Кошка спит на тёплом подоконнике.",
            "猫正在温暖的窗台上睡觉。",
            "Interest rates rose by half a percent this quarter.",
        ]
    )
    assert cosine(en, ru) > cosine(en, other) + 0.2
    assert cosine(en, zh) > cosine(en, other) + 0.2
    query = embedder.embed_query("Где спит кошка?")
    assert cosine(query, en) > cosine(query, other)


def test_a_damaged_model_file_is_refused(tmp_path: Path) -> None:
    damaged = tmp_path / "weights.npz"
    shutil.copy(_weights_path(), damaged)
    with damaged.open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\0\0\0\0")
    with pytest.raises(EmbedderUnavailable) as info:
        BuiltinEmbedder(weights=damaged).load()
    assert "missing or damaged" in info.value.message
    assert "Reinstall Hearth" in info.value.hint
