"""The curated catalogue of local models shipped with the package."""

from __future__ import annotations

import re

import pytest

from desktop.core.model_catalogue import USES, popular_models

pytestmark = pytest.mark.unit


def test_every_entry_is_complete_and_embedders_are_marked() -> None:
    models = popular_models()
    names = [m.name for m in models]
    assert len(names) == len(set(names))
    assert {"llama3.2:3b", "qwen2.5:7b", "mistral:7b", "nomic-embed-text", "bge-m3"} <= set(names)
    for m in models:
        assert m.use in USES
        assert re.fullmatch(r"\d+(\.\d)? (MB|GB)", m.size), m
        assert re.fullmatch(r"\d+(\.\d)?[MB]", m.parameters), m
        assert m.context >= 512
    embedders = {m.name for m in models if m.embedding}
    assert embedders == {
        "nomic-embed-text",
        "mxbai-embed-large",
        "bge-m3",
        "embeddinggemma",
        "all-minilm",
    }
