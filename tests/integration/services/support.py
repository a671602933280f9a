"""Building blocks for the service tests: a real store in a temp folder.

`PlainTextReader`, `ParagraphChunker` and `TokenLexicalIndex` are small but real
implementations of the reader, chunker and lexical ports (plain-text files, paragraph
chunks, a persisted keyword index), so the services run end to end on real files, real
SQLite and real chromadb. `reciprocal_rank_fusion` and `max_marginal_relevance` follow the
fusion ports' contracts; the retriever tests check how it uses them, not ranking quality.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from chromadb.api import ClientAPI

from desktop.core.documents import Chunk, LoadedDocument, TextSegment
from desktop.core.errors import CorruptFile, IngestError, UnsupportedFile
from desktop.core.ingest_service import IngestEvent, IngestService
from desktop.core.knowledge_base import EmbedderSet, ExecutorEmbedder, KnowledgeBaseService
from desktop.core.ports import AsyncEmbedder
from desktop.core.retrieval import HybridRetriever
from desktop.store.kb import ChromaIndexStore
from desktop.store.registry import SqliteRegistry
from desktop.store.vectors import open_chroma_client
from tests.fakes.embedder import HashingEmbedder

_WORD = re.compile(r"\w+", re.UNICODE)
E = TypeVar("E")


class PlainTextReader:
    """Reads .txt and .md files as UTF-8; folders are searched recursively."""

    suffixes = (".txt", ".md")

    def expand(self, paths: Sequence[Path]) -> tuple[list[Path], list[IngestError]]:
        files: list[Path] = []
        errors: list[IngestError] = []
        for path in paths:
            if path.is_dir():
                files.extend(sorted(p for p in path.rglob("*") if p.suffix in self.suffixes))
            elif path.suffix in self.suffixes:
                files.append(path)
            else:
                errors.append(UnsupportedFile(f"{path} is not a text file.", "", path=str(path)))
        return files, errors

    def load(self, path: Path) -> LoadedDocument:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CorruptFile(
                f"{path} is not valid UTF-8 text.", "Save it as UTF-8.", path=str(path)
            ) from exc
        return LoadedDocument(str(path), (TextSegment(text),))


class ParagraphChunker:
    """One chunk per blank-line-separated paragraph."""

    def __call__(self, doc: LoadedDocument, *, doc_id: str) -> list[Chunk]:
        chunks: list[Chunk] = []
        text = "".join(s.text for s in doc.segments)
        for match in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):
            chunks.append(
                Chunk(
                    chunk_id=f"{doc_id}:{len(chunks)}",
                    doc_id=doc_id,
                    source=doc.path,
                    ordinal=len(chunks),
                    text=match.group(0).strip(),
                    start=match.start(),
                    end=match.end(),
                )
            )
        return chunks


class TokenLexicalIndex:
    """A keyword index persisted as JSON: score = number of query words in the chunk."""

    def __init__(self, directory: Path) -> None:
        self._file = directory / "index.json"
        self._lock = threading.Lock()
        self._committed: dict[str, tuple[str, list[str]]] = {}
        if self._file.exists():
            raw = json.loads(self._file.read_text())
            self._committed = {k: (v[0], v[1]) for k, v in raw.items()}
        self._staged = dict(self._committed)

    def add(self, chunks: Sequence[Chunk]) -> None:
        with self._lock:
            for c in chunks:
                self._staged[c.chunk_id] = (c.doc_id, _WORD.findall(c.text.lower()))

    def remove_documents(self, doc_ids: Collection[str]) -> None:
        with self._lock:
            gone = set(doc_ids)
            self._staged = {k: v for k, v in self._staged.items() if v[0] not in gone}

    def commit(self) -> None:
        with self._lock:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            self._file.write_text(json.dumps(self._staged))
            self._committed = dict(self._staged)

    def search(
        self, query: str, k: int, doc_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        words = set(_WORD.findall(query.lower()))
        with self._lock:
            scored = [
                (cid, float(sum(1 for t in tokens if t in words)))
                for cid, (doc_id, tokens) in self._committed.items()
                if doc_ids is None or doc_id in doc_ids
            ]
        hits = sorted((h for h in scored if h[1] > 0), key=lambda h: (-h[1], h[0]))
        return hits[:k]

    def chunk_ids(self) -> set[str]:
        with self._lock:
            return set(self._committed)


@dataclass
class Stack:
    """Everything the services need, over one data folder."""

    data: Path
    client: ClientAPI
    registry: SqliteRegistry
    indexes: ChromaIndexStore
    embedders: EmbedderSet
    ingest: IngestService
    kbs: KnowledgeBaseService
    retriever: HybridRetriever
    events: list[IngestEvent]

    def record(self, event: IngestEvent) -> None:
        self.events.append(event)

    def of_type(self, kind: type[E]) -> list[E]:
        return [e for e in self.events if isinstance(e, kind)]


def make_stack(data: Path, embedder: AsyncEmbedder | None = None, *, batch_size: int = 4) -> Stack:
    registry = SqliteRegistry(data / "hearth.db")
    client = open_chroma_client("embedded", data / "chroma")
    indexes = ChromaIndexStore(client, data / "lexical", TokenLexicalIndex)
    embedders = EmbedderSet(embedder or ExecutorEmbedder(HashingEmbedder(32)))
    ingest = IngestService(
        registry,
        indexes,
        embedders,
        PlainTextReader(),
        ParagraphChunker(),
        batch_size=batch_size,
    )
    kbs = KnowledgeBaseService(ingest, embedders)
    retriever = HybridRetriever(
        registry,
        indexes,
        embedders,
        reciprocal_rank_fusion,
        weights=(1.0, 1.0),
        diversify=max_marginal_relevance,
    )
    return Stack(data, client, registry, indexes, embedders, ingest, kbs, retriever, [])


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], weights: Sequence[float]
) -> list[tuple[str, float]]:
    """Weighted RRF with the usual constant 60, the contract of `desktop.core.fusion`."""
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, chunk_id in enumerate(ranking, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (60 + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def max_marginal_relevance(
    query: Sequence[float],
    candidates: Sequence[tuple[str, float]],
    vectors: Mapping[str, Sequence[float]],
    k: int,
) -> list[tuple[str, float]]:
    """Greedy MMR (lambda 0.5) on cosine similarity of unit vectors."""

    def sim(a: Sequence[float], b: Sequence[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True))

    chosen: list[tuple[str, float]] = []
    left = [c for c in candidates if c[0] in vectors]
    while left and len(chosen) < k:
        best = max(
            left,
            key=lambda c: (
                0.5 * sim(query, vectors[c[0]])
                - 0.5 * max((sim(vectors[c[0]], vectors[o]) for o, _ in chosen), default=0.0)
            ),
        )
        chosen.append(best)
        left.remove(best)
    return chosen


class GatedEmbedder:
    """An async embedder that stops before its `block_at`-th call until released, so a test
    can act (cancel, search, ingest) while an embedding is in progress."""

    def __init__(self, inner: HashingEmbedder, block_at: int) -> None:
        self._inner = inner
        self._block_at = block_at
        self.calls = 0
        self.reached = asyncio.Event()
        self.release = asyncio.Event()

    @property
    def embedder_id(self) -> str:
        return self._inner.embedder_id

    @property
    def dimension(self) -> int:
        return self._inner.dimension

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls == self._block_at:
            self.reached.set()
            await self.release.wait()
        return self._inner.embed_documents(texts)

    async def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)


def write_paragraphs(path: Path, paragraphs: Sequence[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return path


def index_state(stack: Stack, kb: str) -> tuple[set[str], set[str]]:
    """(vector chunk ids, lexical chunk ids) of a knowledge base."""
    record = stack.registry.get_kb(kb)
    vectors = stack.indexes.vector_index(
        record.collection_name, record.embedder_id, record.dimension
    )
    lexical = stack.indexes.lexical_index(record.key)
    return vectors.chunk_ids(), lexical.chunk_ids()
