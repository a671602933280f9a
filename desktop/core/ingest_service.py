"""Ingestion: files in, searchable chunks out, one consistent step per document.

`IngestService.ingest` reports progress through an `on_event` callback (queued, reading,
embedding n/m, ready, skipped, failed, then a summary; see `desktop.core.events`) and returns
the summary. Run it as a task: cancelling the task stops between embedding batches, cleans
the documents it had started, and keeps the ones already complete.

The pipeline of one run is `desktop.core.ingest_pipeline`; crash recovery is
`desktop.core.recovery`; every store access goes through the shared `StoreSession`.
Searches hide every document that is not `ready`, so a document is never half-visible.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from pathlib import Path

from desktop.core.events import EventCallback, FileRemoved, IngestEvent, IngestSummary
from desktop.core.ingest_pipeline import IngestRun, absolute_paths
from desktop.core.ports import Chunker, DocumentReader, EmbedderLookup
from desktop.core.recovery import RecoveryReport, existing_paths, recover
from desktop.core.store_session import StoreSession

log = logging.getLogger(__name__)


class IngestService:
    """Indexes files into knowledge bases and keeps every index consistent.

    Args:
        session: the store session shared with the other services.
        embedders: the embedders available, by id (and the embedding batch size).
        reader: expands folders and loads files.
        chunker: cuts loaded documents into chunks with ids "<doc_id>:<ordinal>".
        commit_interval: seconds between lexical commits while a long run goes on;
            finished documents become ready (and searchable) at each commit.
    """

    def __init__(
        self,
        session: StoreSession,
        embedders: EmbedderLookup,
        reader: DocumentReader,
        chunker: Chunker,
        *,
        commit_interval: float = 2.0,
    ) -> None:
        self.session = session
        self.embedders = embedders
        self.reader = reader
        self.chunker = chunker
        self.commit_interval = commit_interval

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
        session = self.session
        await session.writable()
        paths = [*paths, *session.take_requeued(kb)]
        async with session.lock(kb):
            # Opened under the lock: an embedder swap may have switched collections meanwhile.
            record, vectors, lexical = await session.open(kb, create_for=self.embedders.current)
            run = IngestRun(
                session,
                self.reader,
                self.chunker,
                record,
                vectors,
                lexical,
                self.embedders.for_id(record.embedder_id),
                on_event or _ignore,
                force=force,
                batch_size=self.embedders.batch_size,
                commit_interval=self.commit_interval,
            )
            return await run.execute(paths)

    def keep_unfinished(self) -> None:
        """The process is closing: runs cancelled from now on leave every file they have
        not finished queued in the registry (its half-written chunks removed), so the next
        start's crash recovery indexes it (`resume`), where a cancelled run forgets them."""
        self.session.closing = True

    async def queue_for_next_start(self, paths: Sequence[str | Path], kb: str) -> None:
        """Queue files and folders in the registry without indexing them, for the next
        start's crash recovery to index (files handed over while the process is closing).
        Files the knowledge base already has keep their row as it is."""
        session = self.session
        await session.writable()
        files, _ = await session.run(self.reader.expand, [Path(p) for p in paths])
        names = await session.run(absolute_paths, files)
        async with session.lock(kb):
            await session.run(
                session.registry.ensure_kb,
                kb,
                self.embedders.current.embedder_id,
                self.embedders.current.dimension,
            )
            created = await session.run(session.registry.add_queued, kb, names)
        log.info("%d files queued in %s for the next start", len(created), kb)

    async def remove_documents(self, kb: str, doc_ids: Collection[str]) -> None:
        """Remove documents: their rows go first, then their chunks leave every index."""
        session = self.session
        await session.writable()
        async with session.lock(kb):
            record, vectors, lexical = await session.open(kb)
            await session.run(session.registry.begin_removal, doc_ids)
            await session.remove_chunks(vectors, lexical, doc_ids)
            await session.run(session.registry.finish_removal, doc_ids)
        log.info("removed %d documents from %s", len(doc_ids), record.name)

    async def prune_missing(self, kb: str, *, on_event: EventCallback | None = None) -> list[str]:
        """Remove documents whose files no longer exist; return their paths."""
        docs = await self.session.run(self.session.registry.documents, kb)
        existing = await self.session.run(existing_paths, [d.path for d in docs])
        gone = [d for d in docs if d.path not in existing]
        if gone:
            await self.remove_documents(kb, [d.doc_id for d in gone])
        for doc in gone:
            (on_event or _ignore)(FileRemoved(doc.path))
        return [d.path for d in gone]

    async def recover(self) -> RecoveryReport:
        """Repair what a crash left (see `desktop.core.recovery`); only for the process
        allowed to write."""
        return await recover(self.session)

    async def resume(
        self, report: RecoveryReport, *, on_event: EventCallback | None = None
    ) -> list[IngestSummary]:
        """Index again the documents `recover()` re-queued."""
        return [
            await self.ingest(paths, kb, on_event=on_event) for kb, paths in report.requeued.items()
        ]


def _ignore(event: IngestEvent) -> None:
    """The default event callback: no one is listening."""
