"""Documents, their text segments, and chunks: what ingestion produces and retrieval returns."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

# The knowledge base used by the commands, the MCP server and the window when none is named.
DEFAULT_KB = "default"


@dataclass(frozen=True, slots=True)
class TextSegment:
    """A run of text from one place in a file: a page of a PDF, a section under a heading.

    Attributes:
        text: the text itself.
        page: 1-based page number for paged formats (PDF), else None.
        heading_path: the headings above this text, outermost first.
        start: character offset of `text` in the document's full text.
        kind: "text", "code" or "table": lets the chunker keep code blocks whole.
    """

    text: str
    page: int | None = None
    heading_path: tuple[str, ...] = ()
    start: int = 0
    kind: str = "text"


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """The readable content of one file."""

    path: str
    segments: tuple[TextSegment, ...]
    title: str = ""
    encoding: str = ""
    mime: str = ""

    @property
    def char_count(self) -> int:
        return sum(len(s.text) for s in self.segments)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage small enough to embed and to place in a prompt.

    Attributes:
        chunk_id: stable id, unique within a knowledge base (document id + ordinal).
        doc_id: id of the document in the registry.
        source: the file path as ingested.
        ordinal: position of the chunk in its document (0-based).
        text: the passage.
        page: page number (PDF) or None.
        heading_path: headings above the passage.
        start, end: character offsets in the document's full text.
    """

    chunk_id: str
    doc_id: str
    source: str
    ordinal: int
    text: str
    page: int | None = None
    heading_path: tuple[str, ...] = ()
    start: int = 0
    end: int = 0


def doc_id_of(chunk_id: str) -> str:
    """The document id inside a chunk id ("<doc_id>:<ordinal>")."""
    return chunk_id.rpartition(":")[0]


def chunks_per_document(chunk_ids: Collection[str]) -> dict[str, int]:
    """How many of these chunk ids each document owns."""
    return dict(Counter(doc_id_of(c) for c in chunk_ids))


class DocumentStatus(enum.StrEnum):
    QUEUED = "queued"
    INDEXING = "indexing"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """One document as the registry knows it."""

    doc_id: str
    kb: str
    path: str
    content_hash: str
    mtime: float
    size: int
    status: DocumentStatus
    error: str = ""
    chunk_count: int = 0


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One retrieved passage with its fused score and rank (1-based), and the knowledge base
    it came from ("" where only one was searched and none was named)."""

    chunk: Chunk
    score: float
    rank: int
    dense_score: float | None = None
    lexical_score: float | None = None
    extra: dict[str, float] = field(default_factory=dict)
    kb: str = ""


@dataclass(frozen=True, slots=True)
class KnowledgeBaseRecord:
    """One knowledge base as the registry knows it.

    Attributes:
        name: the name people see and type (`--kb NAME`).
        key: a filesystem-safe id, used for the lexical index folder.
        embedder_id: the embedder whose vectors fill `collection_name`.
        dimension: the length of those vectors.
        collection_name: the vector collection searches use.
        created_at: seconds since the epoch.
        pending_collection: a collection being filled by a new embedder ("" when none).
        pending_embedder_id: the embedder filling `pending_collection`.
        pending_dimension: the vector length of `pending_embedder_id`.
    """

    name: str
    key: str
    embedder_id: str
    dimension: int
    collection_name: str
    created_at: float
    pending_collection: str = ""
    pending_embedder_id: str = ""
    pending_dimension: int = 0


@dataclass(frozen=True, slots=True)
class KnowledgeBaseSummary:
    """A knowledge base with its document counts, for listings."""

    record: KnowledgeBaseRecord
    status_counts: dict[DocumentStatus, int]
    chunk_count: int

    @property
    def document_count(self) -> int:
        return sum(self.status_counts.values())
