"""Events the core streams to whoever listens.

An answer: sources first, then thinking and text, then the end (`ChatEvent`). An ingestion
run: per file queued, reading (OCR page n/m), embedding n/m, then ready, skipped or failed,
and a summary at the end (`IngestEvent`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.core.documents import SearchHit
from desktop.core.errors import AppError
from desktop.core.models import ChatStats, ProviderKind


@dataclass(frozen=True, slots=True)
class Citation:
    """Source number `n` of an answer: exactly a passage that was placed in the prompt."""

    n: int
    hit: SearchHit


@dataclass(frozen=True, slots=True)
class Retrieved:
    """The numbered sources, in prompt order (also sent when no model can answer)."""

    citations: list[Citation]
    query: str = ""


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the person should know about this answer (sources left out, ...)."""

    text: str


@dataclass(frozen=True, slots=True)
class PartRead:
    """A whole-document answer too long for one call is under way: `part` of `parts` is
    being read (`stage` "reading": notes from a part of a document) or combined (`stage`
    "combining": notes too long for the answer, condensed into shorter notes)."""

    stage: str
    part: int
    parts: int


@dataclass(frozen=True, slots=True)
class Thinking:
    text: str


@dataclass(frozen=True, slots=True)
class Token:
    text: str


@dataclass(frozen=True, slots=True)
class Done:
    """The answer is complete; who wrote it, how fast, and which sources it cited."""

    model: str
    provider: ProviderKind
    stats: ChatStats
    used_citations: list[int] = field(default_factory=list)
    omitted_sources: int = 0


@dataclass(frozen=True, slots=True)
class Error:
    """The answer failed; `partial_text` is what had arrived (kept, never discarded)."""

    error: AppError
    partial_text: str = ""


ChatEvent = Retrieved | Notice | PartRead | Thinking | Token | Done | Error


# ---- ingestion --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileQueued:
    path: str


@dataclass(frozen=True, slots=True)
class FileReading:
    path: str


@dataclass(frozen=True, slots=True)
class FileRecognising:
    """OCR is reading the file's `page`-th of the `pages` pages that need it (scans in a
    PDF, frames of a picture)."""

    path: str
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class FileEmbedding:
    """`done` of the file's `total` chunks are embedded."""

    path: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class FileReady:
    path: str
    doc_id: str
    chunk_count: int


@dataclass(frozen=True, slots=True)
class FileSkipped:
    """The file was left as it was; `reason` is "unchanged"."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class FileFailed:
    """The file could not be indexed; `kind` is the error class name (UnsupportedFile ...)."""

    path: str
    message: str
    hint: str
    kind: str


@dataclass(frozen=True, slots=True)
class FileRemoved:
    path: str


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ingestion run did. `cancelled` is True when it was stopped early."""

    kb: str
    files: int = 0
    ready: int = 0
    skipped: int = 0
    failed: int = 0
    chunks: int = 0
    seconds: float = 0.0
    cancelled: bool = False


IngestEvent = (
    FileQueued
    | FileReading
    | FileRecognising
    | FileEmbedding
    | FileReady
    | FileSkipped
    | FileFailed
    | FileRemoved
    | IngestSummary
)
EventCallback = Callable[[IngestEvent], None]
