"""Choose the hybrid-search fusion and its weights by measurement.

Embeds each corpus once with the built-in embedder, ranks with dense search (exact
cosine) and with the BM25 index, then sweeps the dense weight of two fusions: weighted
reciprocal-rank fusion (rrf) and the weighted sum of min-max normalised scores (score).
SciFact is tuned on its *train* queries, so the test figures stay honest.

    python -m bench.tune_fusion [--sets scifact:train xquad-zh zh-en ...]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.beir import Dataset, evaluate, load
from desktop.core.documents import Chunk
from desktop.core.fusion import fuse_scores, weighted_rrf
from desktop.embedders.builtin import BuiltinEmbedder
from desktop.store.lexical import BM25Index

DENSE_WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)
DEPTH = 100


Ranked = dict[str, list[tuple[str, float]]]


def rankings(ds: Dataset, embedder: BuiltinEmbedder) -> tuple[Ranked, Ranked]:
    ids = list(ds.corpus)
    started = time.perf_counter()
    matrix = np.asarray(embedder.embed_documents([ds.corpus[i] for i in ids]), dtype=np.float32)
    print(f"  embedded {len(ids)} docs in {time.perf_counter() - started:.1f}s")
    qids = list(ds.queries)
    queries = np.asarray(embedder.embed_documents([ds.queries[q] for q in qids]), dtype=np.float32)
    sims = queries @ matrix.T
    dense = {
        q: [(ids[j], float(sims[n, j])) for j in np.argsort(-sims[n])[:DEPTH]]
        for n, q in enumerate(qids)
    }
    with tempfile.TemporaryDirectory() as tmp:
        index = BM25Index(Path(tmp))
        index.add([Chunk(f"{i}:0", i, i, 0, ds.corpus[i]) for i in ids])
        index.commit()
        lexical = {
            q: [(c.split(":")[0], s) for c, s in index.search(ds.queries[q], DEPTH)] for q in qids
        }
        index.close()
    return dense, lexical


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sets", nargs="+", default=["scifact:train", "xquad-en", "xquad-zh", "zh-en", "en-zh"]
    )
    args = parser.parse_args()
    embedder = BuiltinEmbedder()
    print("set / fusion        " + "  ".join(f"w={w:<4}" for w in DENSE_WEIGHTS))
    for spec in args.sets:
        name, _, split = spec.partition(":")
        ds = load(name, split or "test")
        print(f"{spec}: {len(ds.corpus)} docs, {len(ds.queries)} queries")
        dense, lexical = rankings(ds, embedder)
        for label, fuse in (("rrf", weighted_rrf), ("score", fuse_scores)):
            row = []
            for w in DENSE_WEIGHTS:
                fused = {
                    q: [d for d, _ in fuse([dense[q], lexical[q]], [w, 1 - w])] for q in ds.queries
                }
                row.append(evaluate(fused, ds)["ndcg@10"])
            print(f"{spec + ' ' + label:<20} " + "  ".join(f"{v:.3f} " for v in row))


if __name__ == "__main__":
    main()
