"""ChromaLexicalIndexes: shared index objects, embedder checks, deleting indexes."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from desktop.core.documents import Chunk
from desktop.core.errors import EmbedderMismatch, StoreError
from desktop.store.indexes import ChromaLexicalIndexes
from desktop.store.lexical import BM25Index
from desktop.store.vectors import open_chroma_client

pytestmark = pytest.mark.integration


def _store(tmp_path: Path) -> ChromaLexicalIndexes:
    return ChromaLexicalIndexes(
        functools.partial(open_chroma_client, "embedded", tmp_path / "chroma"),
        tmp_path / "lexical",
        BM25Index,
    )


def test_the_same_index_object_is_shared(tmp_path: Path) -> None:
    store = _store(tmp_path)
    vectors = store.vector_index("hearth-kb-1", "test:e", 4)
    assert store.vector_index("hearth-kb-1", "test:e", 4) is vectors
    lexical = store.lexical_index("kb-1")
    assert store.lexical_index("kb-1") is lexical
    with pytest.raises(EmbedderMismatch):
        store.vector_index("hearth-kb-1", "test:other", 4)


def test_dropping_indexes(tmp_path: Path) -> None:
    store = _store(tmp_path)
    vectors = store.vector_index("hearth-kb-1", "test:e", 4)
    vectors.add([Chunk("d:0", "d", "/d.txt", 0, "text")], [[1.0, 0.0, 0.0, 0.0]])
    lexical = store.lexical_index("kb-1")
    lexical.add([Chunk("d:0", "d", "/d.txt", 0, "text")])
    lexical.commit()
    assert (tmp_path / "lexical" / "kb-1").is_dir()

    store.drop_collection("hearth-kb-1")
    store.drop_lexical("kb-1")
    store.drop_lexical("kb-1")
    assert not (tmp_path / "lexical" / "kb-1").exists()
    # Opening again starts empty rather than returning the dropped objects.
    assert store.vector_index("hearth-kb-1", "test:e", 4).count() == 0
    assert store.lexical_index("kb-1").chunk_ids() == set()


@pytest.mark.parametrize("key", ["", "../escape", "a/b", ".hidden", "a\\b"])
def test_keys_cannot_leave_the_lexical_folder(tmp_path: Path, key: str) -> None:
    store = _store(tmp_path)
    with pytest.raises(StoreError, match="not a valid"):
        store.lexical_index(key)
    with pytest.raises(StoreError, match="not a valid"):
        store.drop_lexical(key)
