"""ChromaVectorIndex against real chromadb: embedded, and a `chroma run` server over HTTP."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from chromadb.api import ClientAPI

from desktop.core.documents import Chunk
from desktop.core.errors import EmbedderMismatch, StoreError
from desktop.store.vectors import ChromaVectorIndex, drop_collection, open_chroma_client
from tests.fakes.embedder import HashingEmbedder

pytestmark = pytest.mark.integration

EMB = HashingEmbedder(32)

TEXTS = {
    "a": ["The invoice total was 4 200 euros.", "Payment is due within thirty days."],
    "b": ["Rust borrow checker rules explained.", "Lifetimes tie references to owners."],
    "c": ["Выручка выросла на двенадцать процентов.", "人工智能改变了搜索。"],
}


def _chunks(doc_id: str, texts: list[str], *, page: int | None = None) -> list[Chunk]:
    out = []
    start = 0
    for i, text in enumerate(texts):
        out.append(
            Chunk(
                chunk_id=f"{doc_id}:{i}",
                doc_id=doc_id,
                source=f"/docs/{doc_id}.txt",
                ordinal=i,
                text=text,
                page=page,
                heading_path=("Report", "Figures") if i else (),
                start=start,
                end=start + len(text),
            )
        )
        start += len(text) + 1
    return out


def _name() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def _filled(client: ClientAPI) -> ChromaVectorIndex:
    index = ChromaVectorIndex(client, _name(), embedder_id=EMB.embedder_id, dimension=EMB.dimension)
    for doc_id, texts in TEXTS.items():
        chunks = _chunks(doc_id, texts, page=3 if doc_id == "a" else None)
        index.add(chunks, EMB.embed_documents([c.text for c in chunks]))
    return index


def test_search_returns_closest_chunks_with_cosine_similarity(
    chroma_client: tuple[str, ClientAPI],
) -> None:
    _, client = chroma_client
    index = _filled(client)
    hits = index.search(EMB.embed_query("Payment is due within thirty days."), 3)
    assert hits[0][0] == "a:1"
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert index.count() == 6
    assert index.chunk_ids() == {f"{d}:{i}" for d in TEXTS for i in range(2)}


def test_chunks_round_trip_with_positions(chroma_client: tuple[str, ClientAPI]) -> None:
    _, client = chroma_client
    index = _filled(client)
    got = index.get(["c:1", "missing:0", "a:1", "a:0"])
    assert [c.chunk_id for c in got] == ["c:1", "a:1", "a:0"]
    c1, a1, a0 = got
    assert c1.text == "人工智能改变了搜索。"
    assert c1.page is None
    assert c1.heading_path == ("Report", "Figures")
    assert a1.page == 3
    assert a0.heading_path == ()
    assert (a1.doc_id, a1.source, a1.ordinal) == ("a", "/docs/a.txt", 1)
    assert a1.start == len(TEXTS["a"][0]) + 1
    assert a1.end == a1.start + len(TEXTS["a"][1])
    assert [c.chunk_id for c in index.document_chunks("b")] == ["b:0", "b:1"]
    vectors = index.embeddings(["b:0"])
    assert vectors["b:0"] == pytest.approx(EMB.embed_query(TEXTS["b"][0]), abs=1e-6)


def test_ocr_mark_and_line_places_round_trip_and_older_chunks_read_as_unknown(
    chroma_client: tuple[str, ClientAPI],
) -> None:
    _, client = chroma_client
    index = ChromaVectorIndex(client, _name(), embedder_id=EMB.embedder_id, dimension=EMB.dimension)
    boxes = ((0.0645, 0.08, 0.7, 0.1123), (0.0645, 0.13, 0.52, 0.16))
    scanned = Chunk("s:0", "s", "/scan.pdf", 0, "Invoice 4471.", 1, (), 0, 13, True, boxes)
    typed = Chunk("t:0", "t", "/t.pdf", 0, "Typed text.", 1, (), 0, 11, False)
    # As a knowledge base from before offsets and the OCR mark were kept wrote it.
    legacy = Chunk("l:0", "l", "/l.txt", 0, "Old text.")
    chunks = [scanned, typed, legacy]
    index.add(chunks, EMB.embed_documents([c.text for c in chunks]))
    got = {c.chunk_id: c for c in index.get(["s:0", "t:0", "l:0"])}
    assert (got["s:0"].ocr, got["s:0"].regions, got["s:0"].offsets) == (True, boxes, (0, 13))
    assert (got["t:0"].ocr, got["t:0"].regions) == (False, ())
    assert (got["l:0"].ocr, got["l:0"].regions, got["l:0"].offsets) == (None, (), None)


def test_filter_by_document_and_remove(chroma_client: tuple[str, ClientAPI]) -> None:
    _, client = chroma_client
    index = _filled(client)
    query = EMB.embed_query("invoice payment euros")
    only_b = index.search(query, 10, doc_ids={"b"})
    assert {cid for cid, _ in only_b} == {"b:0", "b:1"}
    assert index.search(query, 10, doc_ids=set()) == []
    index.remove_documents({"a", "c"})
    assert index.chunk_ids() == {"b:0", "b:1"}
    assert {cid for cid, _ in index.search(query, 10)} == {"b:0", "b:1"}
    index.remove_documents(set())
    assert index.count() == 2


def test_writing_a_chunk_again_replaces_it(chroma_client: tuple[str, ClientAPI]) -> None:
    _, client = chroma_client
    index = _filled(client)
    [old] = index.get(["a:0"])
    new = Chunk("a:0", "a", old.source, 0, "Completely new words here.", start=0, end=26)
    index.add([new], EMB.embed_documents([new.text]))
    assert index.count() == 6
    assert index.get(["a:0"])[0].text == "Completely new words here."


def test_reopening_with_another_embedder_raises(chroma_client: tuple[str, ClientAPI]) -> None:
    _, client = chroma_client
    index = _filled(client)
    with pytest.raises(EmbedderMismatch, match="hashing"):
        ChromaVectorIndex(client, index.name, embedder_id="other:model", dimension=32)
    with pytest.raises(EmbedderMismatch):
        ChromaVectorIndex(client, index.name, embedder_id=EMB.embedder_id, dimension=64)
    same = ChromaVectorIndex(
        client, index.name, embedder_id=EMB.embedder_id, dimension=EMB.dimension
    )
    assert same.count() == 6


def test_vectors_of_the_wrong_length_are_refused(chroma_client: tuple[str, ClientAPI]) -> None:
    _, client = chroma_client
    index = _filled(client)
    chunk = _chunks("d", ["short text"])
    with pytest.raises(EmbedderMismatch):
        index.add(chunk, [[0.1] * 16])
    assert index.count() == 6


def test_drop_collection_is_idempotent(chroma_client: tuple[str, ClientAPI]) -> None:
    _, client = chroma_client
    index = _filled(client)
    drop_collection(client, index.name)
    drop_collection(client, index.name)
    assert index.name not in [c.name for c in client.list_collections()]


def test_more_chunks_than_one_chroma_batch(tmp_path: Path) -> None:
    client = open_chroma_client("embedded", tmp_path / "chroma")
    index = ChromaVectorIndex(client, _name(), embedder_id="test:tiny", dimension=4)
    n = client.get_max_batch_size() + 50
    chunks = [Chunk(f"d:{i}", "d", "/d.txt", i, f"t{i}") for i in range(n)]
    vectors = [[1.0, float(i % 7), float(i % 11), 1.0] for i in range(n)]
    index.add(chunks, vectors)
    assert index.count() == n
    assert len(index.chunk_ids()) == n
    index.remove_documents({"d"})
    assert index.count() == 0


def test_empty_collection_search_is_empty(tmp_path: Path) -> None:
    client = open_chroma_client("embedded", tmp_path / "chroma")
    index = ChromaVectorIndex(client, _name(), embedder_id="test:tiny", dimension=4)
    assert index.search([1.0, 0.0, 0.0, 0.0], 5) == []
    assert index.get([]) == []
    assert index.chunk_ids() == set()


def test_unreachable_server_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Chroma server") as info:
        open_chroma_client("server", tmp_path, "http://127.0.0.1:9")
    assert "Settings" in info.value.hint


def test_a_damaged_embedded_store_is_reported_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "chroma"
    folder.mkdir()
    junk = b"\x00garbage, not sqlite" * 5000
    (folder / "chroma.sqlite3").write_bytes(junk)
    with pytest.raises(StoreError, match="damaged") as info:
        open_chroma_client("embedded", folder)
    assert str(folder) in info.value.hint
    assert (folder / "chroma.sqlite3").read_bytes() == junk
