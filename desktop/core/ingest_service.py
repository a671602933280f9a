"""Ingestion: files in, searchable chunks out, one consistent step per document.

`IngestService.ingest` reports progress through an `on_event` callback (queued, reading,
embedding n/m, ready, skipped, failed, then a summary) and returns the summary. Run it as a
task: cancelling the task stops between embedding batches, cleans the documents it had
started, and keeps the ones already complete.

Consistency protocol, per document: the row goes to `indexing` before any chunk is
written; old chunks leave every index; new chunks are written to the vector index and the
lexical index; then (after the lexical commit) rows become `ready` in one registry step.
Searches hide every document that is not `ready`, so a document is never half-visible.
`recover()` on start repairs what a crash left behind.

Throughput: a reader task hashes, loads and chunks the next files while the embedder works
on the current batch, and batches span documents so many small files still fill batches.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import os
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Collection, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from desktop.core.documents import Chunk, DocumentRecord, DocumentStatus, KnowledgeBaseRecord
from desktop.core.errors import AppError, FileUnreadable, IngestError, StoreError
from desktop.core.ports import (
    AsyncEmbedder,
    Chunker,
    DocumentReader,
    DocumentRegistry,
    EmbedderLookup,
    IndexStore,
    LexicalIndex,
    VectorIndex,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

_HASH_BLOCK = 1 << 20
# Chroma spends a few milliseconds on every write whatever its size: write in big batches.
_WRITE_BATCH = 256
_UNFINISHED = (DocumentStatus.QUEUED, DocumentStatus.INDEXING)


# ---- events -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileQueued:
    path: str


@dataclass(frozen=True, slots=True)
class FileReading:
    path: str


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
    | FileEmbedding
    | FileReady
    | FileSkipped
    | FileFailed
    | FileRemoved
    | IngestSummary
)
EventCallback = Callable[[IngestEvent], None]


@dataclass(frozen=True, slots=True)
class RecoveryReport:
    """What `recover()` repaired.

    Attributes:
        requeued: per knowledge base, the paths of documents to index again (`resume`).
        orphan_chunks: chunks removed because no ready document owned them.
        abandoned_swaps: knowledge bases whose unfinished re-embedding was dropped.
        dropped: collections and lexical folders deleted that were left to delete.
    """

    requeued: dict[str, list[str]] = field(default_factory=dict)
    orphan_chunks: int = 0
    abandoned_swaps: tuple[str, ...] = ()
    dropped: int = 0


def doc_id_of(chunk_id: str) -> str:
    """The document id inside a chunk id ("<doc_id>:<ordinal>")."""
    return chunk_id.rpartition(":")[0]


# ---- the service ------------------------------------------------------------------------


class IngestService:
    """Indexes files into knowledge bases and keeps every index consistent.

    Args:
        registry: knowledge bases and document states.
        indexes: opens the vector and lexical indexes of a knowledge base.
        embedders: the embedders available, by id.
        reader: expands folders and loads files.
        chunker: cuts loaded documents into chunks with ids "<doc_id>:<ordinal>".
        batch_size: texts per embedding call.
        commit_interval: seconds between lexical commits while a long run goes on;
            finished documents become ready (and searchable) at each commit.
        executor: where blocking work runs (None: the loop's default executor).
        write_gate: awaited before every write; raises (StoreBusy) when this process may
            not change the store now, because another one is changing it.
    """

    def __init__(
        self,
        registry: DocumentRegistry,
        indexes: IndexStore,
        embedders: EmbedderLookup,
        reader: DocumentReader,
        chunker: Chunker,
        *,
        batch_size: int = 32,
        commit_interval: float = 2.0,
        executor: Executor | None = None,
        write_gate: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.registry = registry
        self.indexes = indexes
        self.embedders = embedders
        self.reader = reader
        self.chunker = chunker
        self.batch_size = max(1, batch_size)
        self.commit_interval = commit_interval
        self.executor = executor
        self._write_gate = write_gate
        self._locks: dict[str, asyncio.Lock] = {}
        self._repair = False
        self._requeued: dict[str, list[str]] = {}

    async def writable(self) -> None:
        """Wait until this process may write (raise when another process is writing), and
        first repair what a failed cleanup left."""
        if self._write_gate is not None:
            await self._write_gate()
        if self._repair:
            self._repair = False
            await self.run(self.indexes.reconnect)
            for kb, paths in (await self.recover()).requeued.items():
                self._requeued.setdefault(kb, []).extend(paths)

    def needs_repair(self) -> None:
        """A run could not clean up after itself: `recover()` before the next write, and
        index its unfinished files again with the next ingestion into their base."""
        self._repair = True

    def lock(self, kb: str) -> asyncio.Lock:
        """The lock held while a knowledge base's indexes are written (ingest, removal,
        the final step of an embedder swap)."""
        return self._locks.setdefault(kb, asyncio.Lock())

    async def run(self, fn: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        """Run blocking work in the executor. When the caller is cancelled, wait for the
        thread to finish first (a thread cannot be stopped), so cleanup sees its result."""
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(self.executor, functools.partial(fn, *args, **kwargs))
        try:
            return await asyncio.shield(fut)
        except asyncio.CancelledError:
            with contextlib.suppress(BaseException):
                await asyncio.wait([fut])
            if fut.done() and not fut.cancelled():
                fut.exception()  # mark it retrieved; the cancellation is what matters now
            raise

    async def open(
        self, kb: str, *, create: bool = False
    ) -> tuple[KnowledgeBaseRecord, VectorIndex, LexicalIndex]:
        """Open a knowledge base's indexes; with `create`, make it (for the current embedder)
        when it does not exist."""
        if create:
            current = self.embedders.current
            record = await self.run(
                self.registry.ensure_kb, kb, current.embedder_id, current.dimension
            )
        else:
            record = await self.run(self.registry.get_kb, kb)
        vectors = await self.run(
            self.indexes.vector_index,
            record.collection_name,
            record.embedder_id,
            record.dimension,
        )
        lexical = await self.run(self.indexes.lexical_index, record.key)
        return record, vectors, lexical

    async def ingest(
        self,
        paths: Sequence[str | Path],
        kb: str,
        *,
        on_event: EventCallback | None = None,
        force: bool = False,
    ) -> IngestSummary:
        """Index files and folders into a knowledge base (created when missing).

        Args:
            paths: files and folders; folders are searched for supported files.
            kb: the knowledge base's name.
            on_event: called on the event loop with each progress event.
            force: index every file again, even when its content is unchanged.

        Returns:
            The summary (also sent as the last event).

        Raises:
            EmbedderMismatch: the knowledge base was built by an embedder not available now.
            StoreError: the registry or an index failed; the run stopped.
            AppError: the embedder failed; the run stopped and the files it was on failed.
            StoreBusy: another process is changing the store; nothing was done.
        """
        await self.writable()
        paths = [*paths, *self._requeued.pop(kb, [])]
        async with self.lock(kb):
            # Opened under the lock: an embedder swap may have switched collections meanwhile.
            record, vectors, lexical = await self.open(kb, create=True)
            embedder = self.embedders.for_id(record.embedder_id)
            run = _IngestRun(self, record, embedder, vectors, lexical, on_event or _ignore, force)
            return await run.execute(paths)

    async def remove_documents(self, kb: str, doc_ids: Collection[str]) -> None:
        """Remove documents: their rows go first, then their chunks leave every index."""
        await self.writable()
        async with self.lock(kb):
            record, vectors, lexical = await self.open(kb)
            await self.run(self.registry.begin_removal, doc_ids)
            await self.run(_remove_chunks, vectors, lexical, doc_ids)
            await self.run(self.registry.finish_removal, doc_ids)
        log.info("removed %d documents from %s", len(doc_ids), record.name)

    async def prune_missing(self, kb: str, *, on_event: EventCallback | None = None) -> list[str]:
        """Remove documents whose files no longer exist; return their paths."""
        docs = await self.run(self.registry.documents, kb)
        existing = await self.run(_existing, [d.path for d in docs])
        gone = [d for d in docs if d.path not in existing]
        if gone:
            await self.remove_documents(kb, [d.doc_id for d in gone])
        for doc in gone:
            (on_event or _ignore)(FileRemoved(doc.path))
        return [d.path for d in gone]

    async def drop_pending(self) -> int:
        """Delete the collections and lexical folders the registry lists as no longer used
        (a removed knowledge base, the old side of an embedder swap); return how many."""
        drops = await self.run(self.registry.pending_drops)
        for kind, name in drops:
            if kind == "collection":
                await self.run(self.indexes.drop_collection, name)
            else:
                await self.run(self.indexes.drop_lexical, name)
            await self.run(self.registry.drop_done, kind, name)
        return len(drops)

    async def recover(self) -> RecoveryReport:
        """Repair what a crash left: finish pending deletions, clean documents that were not
        ready (re-queue them when their file still exists), drop orphan chunks, and make the
        lexical and vector indexes agree with the registry.

        Only for the process allowed to write (the write gate calls it): in any other, a
        document another process is indexing would look like a crash's leftover."""
        requeued: dict[str, list[str]] = {}
        abandoned: list[str] = []
        orphans = 0
        for record in await self.run(self.registry.list_kbs):
            if record.pending_collection:
                await self.run(self.registry.abandon_swap, record.name)
                abandoned.append(record.name)
        dropped = await self.drop_pending()
        for record in await self.run(self.registry.list_kbs):
            async with self.lock(record.name):
                paths, removed = await self._recover_kb(record)
            orphans += removed
            if paths:
                requeued[record.name] = paths
        report = RecoveryReport(requeued, orphans, tuple(abandoned), dropped)
        log.info("recovery: %s", report)
        return report

    async def resume(
        self, report: RecoveryReport, *, on_event: EventCallback | None = None
    ) -> list[IngestSummary]:
        """Index again the documents `recover()` re-queued."""
        return [
            await self.ingest(paths, kb, on_event=on_event) for kb, paths in report.requeued.items()
        ]

    async def _recover_kb(self, record: KnowledgeBaseRecord) -> tuple[list[str], int]:
        vectors = await self.run(
            self.indexes.vector_index,
            record.collection_name,
            record.embedder_id,
            record.dimension,
        )
        lexical = await self.run(self.indexes.lexical_index, record.key)
        removals = await self.run(self.registry.pending_removals, record.name)
        if removals:
            await self.run(_remove_chunks, vectors, lexical, removals)
            await self.run(self.registry.finish_removal, removals)
        unfinished = await self.run(self.registry.documents, record.name, _UNFINISHED)
        await self.run(_remove_chunks, vectors, lexical, [d.doc_id for d in unfinished])
        ready = await self.run(self.registry.documents, record.name, [DocumentStatus.READY])
        broken, orphans = await self.run(_audit, vectors, lexical, ready)
        await self.run(_remove_chunks, vectors, lexical, [d.doc_id for d in broken] + orphans)
        stale = [*unfinished, *broken]
        existing = await self.run(_existing, [d.path for d in stale])
        again = [d for d in stale if d.path in existing]
        gone = [d.doc_id for d in stale if d.path not in existing]
        await self.run(self.registry.set_status, [d.doc_id for d in again], DocumentStatus.QUEUED)
        if gone:
            await self.run(self.registry.begin_removal, gone)
            await self.run(self.registry.finish_removal, gone)
        return [d.path for d in again], len(orphans)


def _ignore(event: IngestEvent) -> None:
    """The default event callback: no one is listening."""


def _remove_chunks(vectors: VectorIndex, lexical: LexicalIndex, doc_ids: Collection[str]) -> None:
    if not doc_ids:
        return
    vectors.remove_documents(doc_ids)
    lexical.remove_documents(doc_ids)
    lexical.commit()


def _audit(
    vectors: VectorIndex, lexical: LexicalIndex, ready: Sequence[DocumentRecord]
) -> tuple[list[DocumentRecord], list[str]]:
    """Compare the indexes with the ready documents. Return ready documents whose chunks are
    not all in both indexes, and ids of documents that own chunks but are not ready."""
    expected = sum(d.chunk_count for d in ready)
    lexical_ids = lexical.chunk_ids()
    if vectors.count() == expected == len(lexical_ids):
        return [], []
    vector_ids = vectors.chunk_ids()
    known = {d.doc_id for d in ready}
    orphans = sorted({doc_id_of(c) for c in vector_ids | lexical_ids} - known)
    per_doc_vec = chunks_per_document(vector_ids)
    per_doc_lex = chunks_per_document(lexical_ids)
    broken = [
        d
        for d in ready
        if per_doc_vec.get(d.doc_id, 0) != d.chunk_count
        or per_doc_lex.get(d.doc_id, 0) != d.chunk_count
    ]
    return broken, orphans


def chunks_per_document(chunk_ids: Collection[str]) -> dict[str, int]:
    """How many of these chunk ids each document owns."""
    return dict(Counter(doc_id_of(c) for c in chunk_ids))


def _absolute(paths: Sequence[Path]) -> list[str]:
    """Absolute paths without duplicates; symlinks are kept as the person gave them."""
    return list(dict.fromkeys(os.path.abspath(p) for p in paths))


def _existing(paths: Sequence[str]) -> set[str]:
    return {p for p in paths if os.path.exists(p)}


def _file_state(path: str) -> tuple[float, int]:
    try:
        st = os.stat(path)
    except OSError as exc:
        raise FileUnreadable(
            f"{path} could not be opened ({exc.strerror or exc}).",
            "Check that the file still exists and that you may read it.",
            path=path,
        ) from exc
    return st.st_mtime, st.st_size


def _hash_file(path: str) -> str:
    digest = hashlib.blake2b(digest_size=20)
    try:
        with open(path, "rb") as fh:
            while block := fh.read(_HASH_BLOCK):
                digest.update(block)
    except OSError as exc:
        raise FileUnreadable(
            f"{path} could not be read ({exc.strerror or exc}).",
            "Check that the file still exists and that you may read it.",
            path=path,
        ) from exc
    return digest.hexdigest()


# ---- one run ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Prepared:
    """A file read and chunked, ready to embed."""

    record: DocumentRecord
    content_hash: str
    mtime: float
    size: int
    chunks: list[Chunk]


@dataclass(slots=True)
class _Unreadable:
    record: DocumentRecord
    error: IngestError


@dataclass(slots=True)
class _ReaderCrashed:
    error: BaseException


class _Sentinel:
    """A marker passed between the reader and the indexing loop."""


_END = _Sentinel()
_UNCHANGED = _Sentinel()


@dataclass(slots=True)
class _InFlight:
    """A document whose chunks are being embedded and written."""

    item: _Prepared
    embedded: int = 0

    @property
    def path(self) -> str:
        return self.item.record.path

    @property
    def doc_id(self) -> str:
        return self.item.record.doc_id


class _IngestRun:
    """State of one `ingest` call: a reader task feeding an embedding loop."""

    def __init__(
        self,
        service: IngestService,
        record: KnowledgeBaseRecord,
        embedder: AsyncEmbedder,
        vectors: VectorIndex,
        lexical: LexicalIndex,
        emit: EventCallback,
        force: bool,
    ) -> None:
        self.s = service
        self.kb = record
        self.embedder = embedder
        self.vectors = vectors
        self.lexical = lexical
        self.emit = emit
        self.force = force
        self.started = time.monotonic()
        # Room for a batch of one-chunk files, so batches fill even with small files.
        self.queue: asyncio.Queue[object] = asyncio.Queue(maxsize=service.batch_size)
        self.owned: set[str] = set()  # queued rows this run may delete if it stops early
        self.inflight: dict[str, DocumentRecord] = {}  # rows set to indexing, not yet done
        self.pending: deque[tuple[_InFlight, Chunk]] = deque()
        self.buffer: list[tuple[Chunk, list[float]]] = []  # embedded, not yet written
        self.complete: list[_InFlight] = []  # all chunks embedded, not yet ready
        self.write: asyncio.Future[None] | None = None
        self.last_commit = time.monotonic()
        self.counts = {"files": 0, "ready": 0, "skipped": 0, "failed": 0, "chunks": 0}

    async def execute(self, paths: Sequence[str | Path]) -> IngestSummary:
        files, errors = await self.s.run(self.s.reader.expand, [Path(p) for p in paths])
        for error in errors:
            self._failed(error.path, error)
        names = await self.s.run(_absolute, files)
        self.counts["files"] = len(names) + len(errors)
        await self.s.run(self.s.registry.add_queued, self.kb.name, names)
        queued = await self.s.run(self.s.registry.documents, self.kb.name, [DocumentStatus.QUEUED])
        wanted = set(names)
        self.owned = {d.doc_id for d in queued if d.path in wanted}
        for name in names:
            self.emit(FileQueued(name))
        reader = asyncio.create_task(self._read_all(names))
        cancelled = False
        try:
            await self._index_loop()
        except asyncio.CancelledError:
            cancelled = True
            await self._stop(reader, None)
            raise
        except BaseException as exc:
            reason = exc if isinstance(exc, AppError) else AppError(f"Indexing stopped: {exc}")
            await self._stop(reader, reason)
            raise
        finally:
            summary = self._summary(cancelled)
            self.emit(summary)
        return summary

    def _summary(self, cancelled: bool) -> IngestSummary:
        return IngestSummary(
            kb=self.kb.name,
            seconds=time.monotonic() - self.started,
            cancelled=cancelled,
            **self.counts,
        )

    async def _discard(self, half: list[DocumentRecord], error: AppError | None) -> None:
        """Take half-written documents out: their chunks leave the indexes, the rows this run
        added (or resumed) leave, and older rows say why their file is not searchable."""
        await self.s.run(_remove_chunks, self.vectors, self.lexical, [d.doc_id for d in half])
        new = sorted(self.owned)
        kept = [d.doc_id for d in half if d.doc_id not in self.owned]
        if new:
            await self.s.run(self.s.registry.begin_removal, new)
            await self.s.run(self.s.registry.finish_removal, new)
        reason = error or AppError(
            "Indexing was cancelled before this file was done.", "Add the file again."
        )
        if kept:
            await self.s.run(self.s.registry.set_status, kept, DocumentStatus.FAILED, str(reason))

    def _failed(self, path: str, error: AppError) -> None:
        self.counts["failed"] += 1
        self.emit(FileFailed(path, error.message, error.hint, error.kind))

    # -- reader side (a task) --

    async def _read_all(self, names: list[str]) -> None:
        try:
            for name in names:
                item = await self._prepare(name)
                if item is not None:
                    await self.queue.put(item)
            await self.queue.put(_END)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # handed to the indexing loop, which re-raises it
            await self.queue.put(_ReaderCrashed(exc))

    async def _prepare(self, path: str) -> _Prepared | _Unreadable | None:
        self.emit(FileReading(path))
        item = await self.s.run(self._read, path)
        if isinstance(item, _Sentinel):  # only ever _UNCHANGED here
            self._skipped(path)
            return None
        return item

    def _read(self, path: str) -> _Prepared | _Unreadable | _Sentinel | None:
        """Blocking, in one executor call per file: the unchanged checks (mtime and size,
        then the content hash), then loading and chunking."""
        record = self.s.registry.get_document(self.kb.name, path)
        if record is None:  # removed by someone else since it was queued
            return None
        try:
            mtime, size = _file_state(path)
            ready = record.status is DocumentStatus.READY and not self.force
            if ready and (record.mtime, record.size) == (mtime, size):
                return _UNCHANGED
            content_hash = _hash_file(path)
            if ready and record.content_hash == content_hash:
                self.s.registry.touch(record.doc_id, mtime, size)
                return _UNCHANGED
            chunks = self.s.chunker(self.s.reader.load(Path(path)), doc_id=record.doc_id)
        except IngestError as exc:
            return _Unreadable(record, exc)
        if not chunks:
            error = IngestError(
                f"{path} has no text to index.", "Check that the file is not empty.", path=path
            )
            return _Unreadable(record, error)
        return _Prepared(record, content_hash, mtime, size, chunks)

    def _skipped(self, path: str) -> None:
        self.counts["skipped"] += 1
        self.emit(FileSkipped(path, "unchanged"))

    # -- indexing side (the calling task) --

    async def _index_loop(self) -> None:
        done_reading = False
        while True:
            while not done_reading and len(self.pending) < self.s.batch_size:
                if self.pending and self.queue.empty():
                    break  # keep the embedder busy rather than wait for the reader
                done_reading = await self._take(await self.queue.get())
            if not self.pending:
                break
            await self._embed_batch()
        await self._await_write()
        await self._flush(commit=True)

    async def _take(self, item: object) -> bool:
        """Handle one item from the reader; return True at the end of input."""
        if item is _END:
            return True
        if isinstance(item, _ReaderCrashed):
            raise item.error
        if isinstance(item, _Unreadable):
            await self._mark_failed(item.record, item.error)
        elif isinstance(item, _Prepared):
            await self._begin(item)
        return False

    async def _mark_failed(self, record: DocumentRecord, error: IngestError) -> None:
        await self._start(record)
        await self.s.run(
            self.s.registry.set_status, [record.doc_id], DocumentStatus.FAILED, str(error)
        )
        del self.inflight[record.doc_id]
        self.owned.discard(record.doc_id)
        self._failed(record.path, error)

    async def _start(self, record: DocumentRecord) -> None:
        """Set the row to indexing, then take the old version's chunks out of every index."""
        self.inflight[record.doc_id] = record
        await self.s.run(self.s.registry.set_status, [record.doc_id], DocumentStatus.INDEXING)
        if record.status in (DocumentStatus.READY, DocumentStatus.INDEXING):
            await self.s.run(_remove_chunks, self.vectors, self.lexical, [record.doc_id])

    async def _begin(self, item: _Prepared) -> None:
        doc_id = item.record.doc_id
        for chunk in item.chunks:
            if chunk.doc_id != doc_id or doc_id_of(chunk.chunk_id) != doc_id:
                raise StoreError(f"The chunker gave chunk {chunk.chunk_id} a foreign id.")
        await self._start(item.record)
        state = _InFlight(item)
        self.pending.extend((state, chunk) for chunk in item.chunks)

    async def _embed_batch(self) -> None:
        size = min(self.s.batch_size, len(self.pending))
        batch = [self.pending.popleft() for _ in range(size)]
        vectors = await self.embedder.embed_documents([chunk.text for _, chunk in batch])
        if len(vectors) != len(batch) or any(len(v) != self.kb.dimension for v in vectors):
            raise StoreError(
                f"The embedder {self.embedder.embedder_id} returned vectors of the wrong "
                f"number or length (expected {len(batch)} of {self.kb.dimension}).",
                "Check the embedding model in Settings.",
            )
        touched: dict[str, _InFlight] = {}
        for (state, chunk), vector in zip(batch, vectors, strict=True):
            self.buffer.append((chunk, vector))
            state.embedded += 1
            touched[state.doc_id] = state
        for state in touched.values():
            total = len(state.item.chunks)
            self.emit(FileEmbedding(state.path, state.embedded, total))
            if state.embedded == total:
                self.complete.append(state)
        commit_due = bool(self.complete) and (
            time.monotonic() - self.last_commit >= self.s.commit_interval
        )
        if commit_due or len(self.buffer) >= _WRITE_BATCH:
            # Written while the next batch is embedded; writes stay in order.
            await self._await_write()
            self.write = asyncio.ensure_future(self._flush(commit=commit_due))

    async def _await_write(self) -> None:
        if self.write is not None:
            write, self.write = self.write, None
            await write

    async def _flush(self, *, commit: bool) -> None:
        """Write the buffered vectors; with `commit`, also make complete documents visible:
        add them to the lexical index, commit it, then mark their rows ready in one step."""
        buffer, self.buffer = self.buffer, []
        done: list[_InFlight] = []
        if commit:
            done, self.complete = self.complete, []
            self.last_commit = time.monotonic()
        if buffer:
            chunks = [chunk for chunk, _ in buffer]
            await self.s.run(self.vectors.add, chunks, [vector for _, vector in buffer])
        if not done:
            return
        await self.s.run(self.lexical.add, [c for d in done for c in d.item.chunks])
        await self.s.run(self.lexical.commit)
        await self.s.run(
            self.s.registry.mark_ready,
            [
                (d.doc_id, d.item.content_hash, d.item.mtime, d.item.size, len(d.item.chunks))
                for d in done
            ],
        )
        for state in done:
            del self.inflight[state.doc_id]
            self.owned.discard(state.doc_id)
            self.counts["ready"] += 1
            self.counts["chunks"] += len(state.item.chunks)
            self.emit(FileReady(state.path, state.doc_id, len(state.item.chunks)))

    async def _stop(self, reader: asyncio.Task[None], error: AppError | None) -> None:
        """Clean up after a cancellation or a failure; shielded so a second cancel cannot
        leave half-written documents behind (recover() would still repair them)."""
        await asyncio.shield(asyncio.ensure_future(self._cleanup(reader, error)))

    async def _cleanup(self, reader: asyncio.Task[None], error: AppError | None) -> None:
        reader.cancel()
        with contextlib.suppress(BaseException):
            await reader
        if self.write is not None:
            with contextlib.suppress(BaseException):
                await self.write
            self.write = None
        # Documents whose chunks are all embedded are kept: only writing them is left.
        with contextlib.suppress(AppError):
            await self._flush(commit=True)
        half = list(self.inflight.values())
        try:
            await self._discard(half, error)
        except AppError as exc:
            # The store refuses even this (a full disk, say): repair before the next write.
            log.warning("could not clean up after the stopped run: %s", exc.message)
            self.s.needs_repair()
            if error is None:
                raise
        if error is not None:
            for record in half:
                self._failed(record.path, error)
        log.info(
            "ingestion into %s stopped (%s): %d half-written documents cleaned",
            self.kb.name,
            "failed" if error else "cancelled",
            len(half),
        )
