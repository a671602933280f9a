"""One ingestion run: a reader task feeding an embedding loop, and its cleanup.

The reader hashes, loads and chunks the next files (one executor call per file) while the
embedder works on the current batch; batches span documents so many small files still fill
batches. Per document the row goes to `indexing` before any chunk is written, old chunks
leave every index, new chunks go to the vector index, and complete documents become `ready`
in one registry step after the lexical commit. A cancelled or failed run keeps the documents
it completed and cleans the half-written ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.core.blocking import Stopped
from desktop.core.documents import (
    Chunk,
    DocumentRecord,
    DocumentStatus,
    KnowledgeBaseRecord,
    ReadingNotes,
    doc_id_of,
)
from desktop.core.errors import AppError, FileUnreadable, IngestError, StoreError
from desktop.core.events import (
    EventCallback,
    FileEmbedding,
    FileFailed,
    FileQueued,
    FileReading,
    FileReady,
    FileRecognising,
    FileSkipped,
    IngestSummary,
)
from desktop.core.ports import AsyncEmbedder, Chunker, DocumentReader, LexicalIndex, VectorIndex
from desktop.core.recovery import repair
from desktop.core.store_session import StoreSession

log = logging.getLogger(__name__)

_HASH_BLOCK = 1 << 20
# Chroma spends a few milliseconds on every write whatever its size: write in big batches.
_WRITE_BATCH = 256


def absolute_paths(paths: Sequence[Path]) -> list[str]:
    """Absolute paths without duplicates; symlinks are kept as the person gave them."""
    return list(dict.fromkeys(os.path.abspath(p) for p in paths))


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


@dataclass(slots=True)
class _Prepared:
    """A file read and chunked, ready to embed."""

    record: DocumentRecord
    content_hash: str
    mtime: float
    size: int
    chunks: list[Chunk]
    notes: ReadingNotes


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


class IngestRun:
    """State of one `IngestService.ingest` call: a reader task feeding an embedding loop.

    Args:
        session: the store session (the caller holds the knowledge base's lock).
        reader: expands folders and loads files.
        chunker: cuts loaded documents into chunks.
        record, vectors, lexical: the knowledge base and its opened indexes.
        embedder: the knowledge base's embedder.
        emit: called with each progress event.
        force: index unchanged files again.
        batch_size: texts per embedding call.
        commit_interval: seconds between commits that make finished documents ready.
    """

    def __init__(
        self,
        session: StoreSession,
        reader: DocumentReader,
        chunker: Chunker,
        record: KnowledgeBaseRecord,
        vectors: VectorIndex,
        lexical: LexicalIndex,
        embedder: AsyncEmbedder,
        emit: EventCallback,
        *,
        force: bool,
        batch_size: int,
        commit_interval: float,
    ) -> None:
        self.session = session
        self.registry = session.registry
        self.reader = reader
        self.chunker = chunker
        self.kb = record
        self.embedder = embedder
        self.vectors = vectors
        self.lexical = lexical
        self.emit = emit
        self.force = force
        self.batch_size = batch_size
        self.commit_interval = commit_interval
        self.started = time.monotonic()
        # Room for a batch of one-chunk files, so batches fill even with small files.
        self.queue: asyncio.Queue[object] = asyncio.Queue(maxsize=batch_size)
        self.owned: set[str] = set()  # queued rows this run may delete if it stops early
        self.inflight: dict[str, DocumentRecord] = {}  # rows set to indexing, not yet done
        self.pending: deque[tuple[_InFlight, Chunk]] = deque()
        self.buffer: list[tuple[Chunk, list[float]]] = []  # embedded, not yet written
        self.complete: list[_InFlight] = []  # all chunks embedded, not yet ready
        self.write: asyncio.Future[None] | None = None
        self.last_commit = time.monotonic()
        self.counts = {"files": 0, "ready": 0, "skipped": 0, "failed": 0, "chunks": 0}
        # Set when the run stops: a file being read stops at its next OCR page.
        self.stopping = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None

    async def execute(self, paths: Sequence[str | Path]) -> IngestSummary:
        self.loop = asyncio.get_running_loop()
        files, errors = await self.session.run(self.reader.expand, [Path(p) for p in paths])
        for error in errors:
            self._failed(error.path, error)
        names = await self.session.run(absolute_paths, files)
        self.counts["files"] = len(names) + len(errors)
        await self.session.run(self.registry.add_queued, self.kb.name, names)
        queued = await self.session.run(
            self.registry.documents, self.kb.name, [DocumentStatus.QUEUED]
        )
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
        added (or resumed) leave, and older rows say why their file is not searchable.

        A run stopped because the process is closing forgets nothing: every file it did not
        finish stays queued, and the next start's crash recovery indexes it again."""
        await self.session.remove_chunks(self.vectors, self.lexical, [d.doc_id for d in half])
        if error is None and self.session.closing:
            unfinished = sorted(self.owned | {d.doc_id for d in half})
            await self.session.run(self.registry.set_status, unfinished, DocumentStatus.QUEUED)
            return
        new = sorted(self.owned)
        kept = [d.doc_id for d in half if d.doc_id not in self.owned]
        if new:
            await self.session.run(self.registry.begin_removal, new)
            await self.session.run(self.registry.finish_removal, new)
        reason = error or AppError(
            "Indexing was cancelled before this file was done.", "Add the file again."
        )
        if kept:
            await self.session.run(
                self.registry.set_status, kept, DocumentStatus.FAILED, str(reason)
            )

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
        item = await self.session.run(self._read, path)
        if isinstance(item, _Sentinel):  # only ever _UNCHANGED here
            self._skipped(path)
            return None
        return item

    def _recognising(self, path: str, page: int, pages: int) -> None:
        """In the reading thread, before each page OCR reads: stop there when the run is
        stopping, else tell the listeners (on the loop's thread)."""
        if self.stopping.is_set():
            raise Stopped
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.emit, FileRecognising(path, page, pages))

    def _chunks(self, path: str, doc_id: str) -> tuple[list[Chunk], ReadingNotes]:
        """The file's chunks and how its text was read. A reader that fails in a way of
        its own (a parsing library's bug, a native library's error) fails this one file
        with a sentence, and the batch goes on; the details go to the log."""
        try:
            document = self.reader.load(Path(path), functools.partial(self._recognising, path))
            return list(self.chunker(document, doc_id=doc_id)), document.notes
        except (IngestError, Stopped):
            raise
        except Exception as exc:
            log.exception("reading %s failed unexpectedly", path)
            raise IngestError(
                f"{Path(path).name} could not be read: Hearth's reader failed on it.",
                "The details are in Hearth's log. Saving the file again from its "
                "application often helps.",
                path=path,
            ) from exc

    def _read(self, path: str) -> _Prepared | _Unreadable | _Sentinel | None:
        """Blocking, in one executor call per file: the unchanged checks (mtime and size,
        then the content hash), then loading and chunking."""
        record = self.registry.get_document(self.kb.name, path)
        if record is None:  # removed by someone else since it was queued
            return None
        try:
            mtime, size = _file_state(path)
            ready = record.status is DocumentStatus.READY and not self.force
            if ready and (record.mtime, record.size) == (mtime, size):
                return _UNCHANGED
            content_hash = _hash_file(path)
            if ready and record.content_hash == content_hash:
                self.registry.touch(record.doc_id, mtime, size)
                return _UNCHANGED
            chunks, notes = self._chunks(path, record.doc_id)
        except IngestError as exc:
            return _Unreadable(record, exc)
        if not chunks:
            error = IngestError(
                f"{path} has no text to index.", "Check that the file is not empty.", path=path
            )
            return _Unreadable(record, error)
        return _Prepared(record, content_hash, mtime, size, chunks, notes)

    def _skipped(self, path: str) -> None:
        self.counts["skipped"] += 1
        self.emit(FileSkipped(path, "unchanged"))

    # -- indexing side (the calling task) --

    async def _index_loop(self) -> None:
        done_reading = False
        while True:
            while not done_reading and len(self.pending) < self.batch_size:
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
        await self.session.run(
            self.registry.set_status, [record.doc_id], DocumentStatus.FAILED, str(error)
        )
        del self.inflight[record.doc_id]
        self.owned.discard(record.doc_id)
        self._failed(record.path, error)

    async def _start(self, record: DocumentRecord) -> None:
        """Set the row to indexing, then take the old version's chunks out of every index."""
        self.inflight[record.doc_id] = record
        await self.session.run(self.registry.set_status, [record.doc_id], DocumentStatus.INDEXING)
        if record.status in (DocumentStatus.READY, DocumentStatus.INDEXING):
            await self.session.remove_chunks(self.vectors, self.lexical, [record.doc_id])

    async def _begin(self, item: _Prepared) -> None:
        doc_id = item.record.doc_id
        for chunk in item.chunks:
            if chunk.doc_id != doc_id or doc_id_of(chunk.chunk_id) != doc_id:
                raise StoreError(f"The chunker gave chunk {chunk.chunk_id} a foreign id.")
        await self._start(item.record)
        state = _InFlight(item)
        self.pending.extend((state, chunk) for chunk in item.chunks)

    async def _embed_batch(self) -> None:
        size = min(self.batch_size, len(self.pending))
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
            time.monotonic() - self.last_commit >= self.commit_interval
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
            await self.session.run(self.vectors.add, chunks, [vector for _, vector in buffer])
        if not done:
            return
        await self.session.run(self.lexical.add, [c for d in done for c in d.item.chunks])
        await self.session.run(self.lexical.commit)
        await self.session.run(
            self.registry.mark_ready,
            [
                (d.doc_id, d.item.content_hash, d.item.mtime, d.item.size, len(d.item.chunks))
                for d in done
            ],
            {d.doc_id: d.item.notes for d in done},
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
        self.stopping.set()
        reader.cancel()
        while not reader.done():
            # A file being read stops now rather than when its reader gives up.
            self.reader.interrupt()
            await asyncio.wait({reader}, timeout=0.1)
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
            self.session.needs_repair(functools.partial(repair, self.session))
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
