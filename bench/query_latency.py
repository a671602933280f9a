"""Query latency of hybrid search at 100,000 chunks (p50, p95), on the real store.

The store is filled with SciFact's abstracts, chunked by the real chunker and embedded
once by the built-in embedder; to reach 100k chunks the chunks are repeated as separate
documents (copies keep their own ids, text and vector, with a little noise on the vector
so the vector index is not trivially degenerate). Queries are SciFact's test claims,
each embedded at query time as in the app.

    python -m bench.query_latency [--chunks 100000] [--random-vectors]

With --random-vectors the stored vectors are random (set-up in minutes instead of the
half hour the built-in embedder needs for SciFact's chunks on two cores); the search
path measured is the same.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.beir import load
from desktop.core.chunking import chunk_document
from desktop.core.documents import Chunk, LoadedDocument, TextSegment
from desktop.core.fusion import fuse_scores, hybrid_weights, max_marginal_relevance
from desktop.core.knowledge_base import EmbedderSet, ExecutorEmbedder
from desktop.core.retrieval import HybridRetriever
from desktop.core.store_session import StoreSession
from desktop.embedders.builtin import BuiltinEmbedder
from desktop.store.indexes import ChromaLexicalIndexes
from desktop.store.lexical import BM25Index
from desktop.store.registry import SqliteRegistry
from desktop.store.vectors import open_chroma_client

OUT = Path(__file__).resolve().parent / "out"
BATCH = 2000


def base_chunks() -> list[tuple[str, list[Chunk]]]:
    ds = load("scifact")
    docs = []
    for doc_id, text in ds.corpus.items():
        loaded = LoadedDocument(f"{doc_id}.txt", (TextSegment(text),))
        docs.append((doc_id, chunk_document(loaded, doc_id="x")))
    return docs


async def main_async(target: int, random_vectors: bool) -> dict[str, float]:
    embedder = BuiltinEmbedder()
    docs = base_chunks()
    flat = [c for _, chunks in docs for c in chunks]
    rng = np.random.default_rng(7)
    started = time.perf_counter()
    if random_vectors:
        # Stored vectors drawn at random: no clusters to exploit, so the vector index works
        # at least as hard as with real ones; queries are still embedded for real.
        vectors = rng.normal(size=(len(flat), embedder.dimension)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    else:
        vectors = np.asarray(embedder.embed_documents([c.text for c in flat]), dtype=np.float32)
    print(f"{len(flat)} base chunk vectors in {time.perf_counter() - started:.0f}s", flush=True)
    with tempfile.TemporaryDirectory(prefix="hearth-latency-") as tmp:
        data = Path(tmp)
        registry = SqliteRegistry(data / "hearth.db")
        indexes = ChromaLexicalIndexes(
            functools.partial(open_chroma_client, "embedded", data / "chroma"),
            data / "lexical",
            BM25Index,
        )
        record = registry.ensure_kb("bench", embedder.embedder_id, embedder.dimension)
        vindex = indexes.vector_index(record.collection_name, record.embedder_id, record.dimension)
        lexical = indexes.lexical_index(record.key)
        total, copy = 0, 0
        started = time.perf_counter()
        while total < target:
            paths = [f"/bench/copy{copy}/{doc_id}.txt" for doc_id, _ in docs]
            rows = registry.add_queued("bench", paths)
            chunks: list[Chunk] = []
            for row, (_, doc_chunks) in zip(rows, docs, strict=True):
                chunks.extend(
                    Chunk(
                        f"{row.doc_id}:{c.ordinal}",
                        row.doc_id,
                        row.path,
                        c.ordinal,
                        c.text,
                        None,
                        (),
                        c.start,
                        c.end,
                    )
                    for c in doc_chunks
                )
            noisy = vectors + rng.normal(0, 0.01, vectors.shape).astype(np.float32)
            noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
            for start in range(0, len(chunks), BATCH):
                vindex.add(chunks[start : start + BATCH], noisy[start : start + BATCH].tolist())
            lexical.add(chunks)
            lexical.commit()
            registry.mark_ready(
                [(row.doc_id, "h", 0.0, 0, len(c)) for row, (_, c) in zip(rows, docs, strict=True)]
            )
            total += len(chunks)
            copy += 1
            print(f"  {total} chunks stored ({time.perf_counter() - started:.0f}s)", flush=True)
        retriever = HybridRetriever(
            StoreSession(registry, indexes),
            EmbedderSet(ExecutorEmbedder(embedder)),
            fuse_scores,
            weights=hybrid_weights,
            diversify=max_marginal_relevance,
        )
        queries = list(load("scifact").queries.values())
        for q in queries[:5]:
            await retriever.search(q, "bench", k=8)  # warm caches
        times = []
        for q in queries:
            t0 = time.perf_counter()
            await retriever.search(q, "bench", k=8)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    result = {
        "stored_vectors": "random" if random_vectors else "embedded",
        "chunks": total,
        "queries": len(times),
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "max_ms": times[-1],
    }
    print(json.dumps(result, indent=2))
    OUT.mkdir(exist_ok=True)
    (OUT / "query_latency.json").write_text(json.dumps(result, indent=2))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument(
        "--random-vectors", action="store_true", help="store random vectors (fast set-up)"
    )
    args = parser.parse_args()
    asyncio.run(main_async(args.chunks, args.random_vectors))


if __name__ == "__main__":
    main()
