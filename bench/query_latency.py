"""Query latency of hybrid search at 100,000 chunks (p50, p95), on the real store.

The store is filled with SciFact's abstracts, chunked by the real chunker and embedded
once by the built-in embedder; to reach 100k chunks the chunks are repeated as separate
documents (copies keep their own ids, text and vector, with a little noise on the vector
so the vector index is not trivially degenerate). Queries are SciFact's test claims,
each embedded at query time as in the app.

    python -m bench.query_latency [--chunks 100000] [--random-vectors] [--store DIR]

With --random-vectors the stored vectors are random (set-up in minutes instead of the
half hour the built-in embedder needs for SciFact's chunks on two cores); the search
path measured is the same. With --store DIR the filled store is kept in DIR and reused
by the next run (so two versions of the code can be measured in turn on the same store).

Besides the end-to-end latency, each query is also run step by step to show where the
time goes: registry lookups, query embedding, keyword search, vector search, reading
the leading chunks and fusion (medians and p95 per step). The processor time per search
(all threads) is reported too: on a machine shared with other work, wall time is mostly
waiting for a core.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


def fill(
    registry: SqliteRegistry,
    indexes: ChromaLexicalIndexes,
    embedder: BuiltinEmbedder,
    target: int,
    random_vectors: bool,
) -> int:
    """Fill the knowledge base "bench" with at least `target` chunks; return the count."""
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
    return total


class Steps:
    """Times of each step of a search, by step name (milliseconds)."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        yield
        self.times.setdefault(name, []).append((time.perf_counter() - t0) * 1000)

    def summary(self) -> dict[str, dict[str, float]]:
        return {name: percentiles(values) for name, values in self.times.items()}


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "max_ms": round(ordered[-1], 2),
    }


def split(
    session: StoreSession, embedder: BuiltinEmbedder, queries: list[str], n: int
) -> dict[str, dict[str, float]]:
    """Run the retriever's steps one by one, in its order, timing each (single thread)."""
    registry = session.registry
    steps = Steps()
    record = registry.get_kb("bench")
    vectors = session.indexes.vector_index(
        record.collection_name, record.embedder_id, record.dimension
    )
    lexical = session.indexes.lexical_index(record.key)
    search: Callable[..., list[tuple[str, float]]] = lexical.search
    for query in queries:
        with steps.step("registry (kb, hidden documents)"):
            registry.get_kb("bench")
            hidden = registry.hidden_doc_ids("bench")
            allowed = registry.ready_doc_ids("bench") if hidden else None
        with steps.step("query embedding"):
            query_vector = embedder.embed_query(query)
        with steps.step("keyword search"):
            lexical_hits = search(query, n, allowed)
        with steps.step("vector search"):
            dense_hits = vectors.search(query_vector, n, allowed)
        with steps.step("leading dense chunks read (language of the hits)"):
            leading = vectors.get([cid for cid, _ in dense_hits[:5]])
        with steps.step("fusion"):
            weights = hybrid_weights(query, [c.text for c in leading])
            fused = fuse_scores([dense_hits, lexical_hits], weights)
        with steps.step("top 8 chunks read"):
            vectors.get([cid for cid, _ in fused[:8]])
    return steps.summary()


async def main_async(target: int, random_vectors: bool, store: Path | None) -> dict[str, object]:
    embedder = BuiltinEmbedder()
    with tempfile.TemporaryDirectory(prefix="hearth-latency-") as tmp:
        data = store or Path(tmp)
        data.mkdir(parents=True, exist_ok=True)
        registry = SqliteRegistry(data / "hearth.db")
        indexes = ChromaLexicalIndexes(
            functools.partial(open_chroma_client, "embedded", data / "chroma"),
            data / "lexical",
            BM25Index,
        )
        existing = [kb for kb in registry.list_kbs() if kb.name == "bench"]
        total = registry.chunk_total("bench") if existing else 0
        if total < target:
            total += fill(registry, indexes, embedder, target - total, random_vectors)
        else:
            print(f"reusing {total} chunks in {data}", flush=True)
        session = StoreSession(registry, indexes)
        retriever = HybridRetriever(
            session,
            EmbedderSet(ExecutorEmbedder(embedder)),
            fuse_scores,
            weights=hybrid_weights,
            diversify=max_marginal_relevance,
        )
        queries = list(load("scifact").queries.values())
        for q in queries[:5]:
            await retriever.search(q, "bench", k=8)  # warm caches
        times, cpu = [], []
        for q in queries:
            t0, c0 = time.perf_counter(), time.process_time()
            await retriever.search(q, "bench", k=8)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        steps = split(session, embedder, queries, 50)
        indexes.close()
        registry.close()
    result: dict[str, object] = {
        "stored_vectors": "random" if random_vectors else "embedded",
        "chunks": total,
        "queries": len(times),
        "load_average": os.getloadavg(),
        **percentiles(times),
        # Processor time of the whole process (every thread) per search: on a loaded
        # machine, wall time is mostly waiting for a core, this is not.
        "processor": percentiles(cpu),
        "steps": steps,
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
    parser.add_argument("--store", type=Path, help="keep (and reuse) the filled store here")
    args = parser.parse_args()
    asyncio.run(main_async(args.chunks, args.random_vectors, args.store))


if __name__ == "__main__":
    main()
