"""Open a data folder the way Hearth starts (crash recovery included), then print, as JSON,
whether the store is consistent: run as `python -m tests.integration.hardening.store_audit DIR`.

Consistent: every ready document has exactly its chunks in the vector store and in the
keyword index, nothing else is there, and a dense search can reach every vector (chromadb's
vector index, not only its table of records, holds them all).
"""

from __future__ import annotations

import asyncio
import json
import sys

from desktop.app import Services, bootstrap
from desktop.core.documents import DocumentStatus


async def audit(data_dir: str) -> dict[str, object]:
    ctx = bootstrap(data_dir)
    async with await Services.open(ctx) as services:
        knowledge = await services.knowledge()
        report = knowledge.recovery
        problems: list[str] = []
        ready = 0
        for record in knowledge.registry.list_kbs():
            _, vectors, lexical = await knowledge.session.open(record.name)
            docs = knowledge.registry.documents(record.name)
            expected: set[str] = set()
            for doc in docs:
                if doc.status is DocumentStatus.READY:
                    ready += 1
                    expected |= {f"{doc.doc_id}:{n}" for n in range(doc.chunk_count)}
                elif doc.status is DocumentStatus.INDEXING:
                    problems.append(f"{doc.path} still indexing after recovery")
            dense, keyword = vectors.chunk_ids(), lexical.chunk_ids()
            probe = await knowledge.embedders.current.embed_query("audit")
            reachable = {cid for cid, _ in vectors.search(probe, max(1, len(dense)))}
            if reachable != dense:
                problems.append(
                    f"{record.name}: {len(dense - reachable)} of {len(dense)} vectors "
                    "cannot be found by a search"
                )
            if dense != expected:
                problems.append(
                    f"{record.name}: vector chunks differ from ready documents "
                    f"({len(dense - expected)} extra, {len(expected - dense)} missing)"
                )
            if keyword != expected:
                problems.append(
                    f"{record.name}: keyword chunks differ from ready documents "
                    f"({len(keyword - expected)} extra, {len(expected - keyword)} missing)"
                )
        return {
            "consistent": not problems,
            "problems": problems,
            "ready": ready,
            "requeued": sum(len(v) for v in report.requeued.values()) if report else 0,
            "orphans": report.orphan_chunks if report else 0,
        }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(audit(sys.argv[1]))))
