"""Documents, their text segments, and chunks: what ingestion produces and retrieval returns."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

# The knowledge base used by the commands, the MCP server and the window when none is named.
DEFAULT_KB = "default"

# A rectangle on a page as fractions of the page's width and height, from its top-left
# corner: (left, top, right, bottom), each 0..1, whatever the page's size or resolution.
Box = tuple[float, float, float, float]


def boxes_from(value: object) -> tuple[Box, ...]:
    """Boxes kept as lists of four numbers (JSON); anything else is no boxes."""
    if not isinstance(value, list):
        return ()
    out: list[Box] = []
    for item in value:
        if not isinstance(item, list) or len(item) != 4:
            return ()
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in item):
            return ()
        left, top, right, bottom = (float(x) for x in item)
        out.append((left, top, right, bottom))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class TextRegion:
    """A line read by OCR and where it stands on its page."""

    text: str
    box: Box


@dataclass(frozen=True, slots=True)
class TextSegment:
    """A run of text from one place in a file: a page of a PDF, a section under a heading.

    Attributes:
        text: the text itself.
        page: 1-based page number for paged formats (PDF), else None.
        heading_path: the headings above this text, outermost first.
        start: character offset of `text` in the document's full text.
        kind: "text", "code" or "table": lets the chunker keep code blocks whole.
        ocr: the text was read by OCR from a picture of the page.
        regions: for OCR'd text, the page's recognised lines with their places.
    """

    text: str
    page: int | None = None
    heading_path: tuple[str, ...] = ()
    start: int = 0
    kind: str = "text"
    ocr: bool = False
    regions: tuple[TextRegion, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadingNotes:
    """How a document's text was obtained, as the document list shows it.

    Attributes:
        ocr_pages: the pages (1-based) whose text was read by OCR.
        uncertain_pages: those of them recognised with low confidence.
        repaired: a damaged text encoding (mojibake) was repaired.
    """

    ocr_pages: tuple[int, ...] = ()
    uncertain_pages: tuple[int, ...] = ()
    repaired: bool = False


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """The readable content of one file."""

    path: str
    segments: tuple[TextSegment, ...]
    title: str = ""
    encoding: str = ""
    mime: str = ""
    notes: ReadingNotes = ReadingNotes()

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
        start, end: character offsets in the document's full text (both 0 when a
            knowledge base from before they were kept does not know them).
        ocr: the passage was read by OCR (None: indexed before Hearth kept this).
        regions: for an OCR'd passage, where its lines stand on the page.
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
    ocr: bool | None = None
    regions: tuple[Box, ...] = ()

    @property
    def offsets(self) -> tuple[int, int] | None:
        """(start, end) in the document's full text, or None when they are not known."""
        return (self.start, self.end) if self.end > self.start else None


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
    notes: ReadingNotes = ReadingNotes()


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
