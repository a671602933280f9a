"""Building blocks for the service tests: the services wired by the composition
(`desktop.knowledge`: its indexes and `StoreServices`) over a temp folder (SQLite, chromadb,
the BM25 index, fusion and MMR) with the small hashing embedder. They leave out the data
folder's write lock, which the composition's own tests cover, so that a test can stand
for several runs on one folder and drive crash recovery itself.

`PlainTextReader` and `ParagraphChunker` are small but real implementations of the reader
and chunker ports (UTF-8 text files, one chunk per paragraph), so the tests can state
exact chunk counts; the real loaders and chunker have tests of their own.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from chromadb.api import ClientAPI

from desktop.core.documents import Chunk, LoadedDocument, TextSegment
from desktop.core.errors import CorruptFile, IngestError, UnsupportedFile
from desktop.core.events import IngestEvent
from desktop.core.ingest_service import IngestService
from desktop.core.knowledge_base import EmbedderSet, ExecutorEmbedder, KnowledgeBaseService
from desktop.core.ports import AsyncEmbedder, PageProgress
from desktop.core.retrieval import HybridRetriever
from desktop.core.settings import StoreSettings
from desktop.core.store_session import StoreSession
from desktop.infra.paths import resolve_paths
from desktop.knowledge import StoreServices, open_indexes
from desktop.store.indexes import ChromaLexicalIndexes
from desktop.store.registry import SqliteRegistry
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

    def load(self, path: Path, on_page: PageProgress | None = None) -> LoadedDocument:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CorruptFile(
                f"{path} is not valid UTF-8 text.", "Save it as UTF-8.", path=str(path)
            ) from exc
        return LoadedDocument(str(path), (TextSegment(text),))

    def interrupt(self) -> None:
        """Reads are quick and in this process: there is nothing to stop."""


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


@dataclass
class Stack:
    """Everything the services need, over one data folder."""

    data: Path
    client: ClientAPI
    registry: SqliteRegistry
    indexes: ChromaLexicalIndexes
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
    paths = resolve_paths(data)
    registry = SqliteRegistry(paths.db_path)
    indexes = open_indexes(paths, StoreSettings())
    embedders = EmbedderSet(
        embedder or ExecutorEmbedder(HashingEmbedder(32)), batch_size=batch_size
    )
    session = StoreSession(registry, indexes)
    services = StoreServices.over(session, embedders, PlainTextReader(), ParagraphChunker())
    return Stack(
        data,
        indexes.client,
        registry,
        indexes,
        embedders,
        services.ingest,
        services.kbs,
        services.retriever,
        [],
    )


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
