"""Crash recovery: make the registry and both indexes agree again.

A crash (or a cleanup the store refused) can leave documents `queued` or `indexing`, chunks
without a ready document, removals and drops half done, and an embedder swap unfinished.
`recover` repairs all of it; the documents whose files still exist are re-queued so the next
ingestion (or `IngestService.resume`) indexes them again.

Only for the process allowed to write (the write gate runs it): in any other, a document
another process is indexing would look like a crash's leftover.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop.core.documents import (
    DocumentRecord,
    DocumentStatus,
    KnowledgeBaseRecord,
    chunks_per_document,
    doc_id_of,
)
from desktop.core.ports import LexicalIndex, VectorIndex
from desktop.core.store_session import StoreSession

log = logging.getLogger(__name__)

UNFINISHED = (DocumentStatus.QUEUED, DocumentStatus.INDEXING)


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


async def recover(session: StoreSession) -> RecoveryReport:
    """Repair what a crash left: finish pending deletions, clean documents that were not
    ready (re-queue them when their file still exists), drop orphan chunks, and make the
    lexical and vector indexes agree with the registry."""
    registry = session.registry
    requeued: dict[str, list[str]] = {}
    abandoned: list[str] = []
    orphans = 0
    for record in await session.run(registry.list_kbs):
        if record.pending_collection:
            await session.run(registry.abandon_swap, record.name)
            abandoned.append(record.name)
    dropped = await session.drop_pending()
    for record in await session.run(registry.list_kbs):
        async with session.lock(record.name):
            paths, removed = await _recover_kb(session, record)
        orphans += removed
        if paths:
            requeued[record.name] = paths
    report = RecoveryReport(requeued, orphans, tuple(abandoned), dropped)
    log.info("recovery: %s", report)
    return report


async def repair(session: StoreSession) -> None:
    """After a cleanup the store refused: reopen the store, recover, and leave the files to
    index again for the next ingestion into their knowledge base."""
    await session.reconnect()
    session.requeue((await recover(session)).requeued)


async def _recover_kb(session: StoreSession, record: KnowledgeBaseRecord) -> tuple[list[str], int]:
    registry = session.registry
    vectors = await session.vectors(record)
    lexical = await session.lexical(record)
    removals = await session.run(registry.pending_removals, record.name)
    if removals:
        await session.remove_chunks(vectors, lexical, removals)
        await session.run(registry.finish_removal, removals)
    unfinished = await session.run(registry.documents, record.name, UNFINISHED)
    await session.remove_chunks(vectors, lexical, [d.doc_id for d in unfinished])
    ready = await session.run(registry.documents, record.name, [DocumentStatus.READY])
    broken, orphans = await session.run(_audit, vectors, lexical, ready)
    await session.remove_chunks(vectors, lexical, [d.doc_id for d in broken] + orphans)
    stale = [*unfinished, *broken]
    existing = await session.run(existing_paths, [d.path for d in stale])
    again = [d for d in stale if d.path in existing]
    gone = [d.doc_id for d in stale if d.path not in existing]
    await session.run(registry.set_status, [d.doc_id for d in again], DocumentStatus.QUEUED)
    if gone:
        await session.run(registry.begin_removal, gone)
        await session.run(registry.finish_removal, gone)
    return [d.path for d in again], len(orphans)


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


def existing_paths(paths: Sequence[str]) -> set[str]:
    """Blocking: those of `paths` that exist."""
    return {p for p in paths if os.path.exists(p)}
