"""Retrieval quality of the parts, and the choice of the fusion and its weights.

Embeds each corpus once with the built-in embedder (cached in bench/out/cache, keyed by
the embedder id), ranks with dense search (exact cosine) and with the BM25 index, then
sweeps the dense weight of two fusions: weighted reciprocal-rank fusion (rrf) and the
weighted sum of min-max normalised scores (score). SciFact is tuned on its *train*
queries, so its test figures stay honest. Finally it reports BM25 alone, dense alone and
the shipped hybrid (`desktop.core.fusion`) on the test queries, and writes JSON to
bench/out/components.json.

    python -m bench.tune_fusion [--sets scifact:train xquad-zh zh-en ...] [--report-only]
    python -m bench.tune_fusion --keyword-only [--compare bench/out/keyword_rankings.json]

`--keyword-only` reports BM25 alone (no embedding, seconds) and keeps its rankings in
bench/out/keyword_rankings.json; `--compare FILE` counts the queries whose ranking differs
from FILE's, so a change to the keyword index can show the hybrid cannot have moved.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.beir import Dataset, evaluate, load
from desktop.core.documents import Chunk
from desktop.core.fusion import fuse_scores, hybrid_weights, weighted_rrf
from desktop.embedders.builtin import BuiltinEmbedder
from desktop.store.lexical import BM25Index

DENSE_WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)
DEPTH = 100
OUT = Path(__file__).resolve().parent / "out"
REPORT_SETS = ("scifact", "xquad-en", "xquad-zh", "zh-en", "en-zh")

Ranked = dict[str, list[tuple[str, float]]]


def corpus_matrix(ds: Dataset, ids: list[str], embedder: BuiltinEmbedder) -> np.ndarray:
    """Corpus vectors, embedded once per embedder and corpus."""
    corpus_name = {"zh-en": "xquad-en", "en-zh": "xquad-zh"}.get(ds.name, ds.name)
    cache = OUT / "cache" / f"{embedder.embedder_id.replace(':', '_')}-{corpus_name}.npy"
    if cache.exists():
        return np.load(cache)
    started = time.perf_counter()
    matrix = np.asarray(embedder.embed_documents([ds.corpus[i] for i in ids]), dtype=np.float32)
    print(f"  embedded {len(ids)} docs in {time.perf_counter() - started:.1f}s")
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, matrix)
    return matrix


def rankings(ds: Dataset, embedder: BuiltinEmbedder) -> tuple[Ranked, Ranked]:
    ids = list(ds.corpus)
    matrix = corpus_matrix(ds, ids, embedder)
    qids = list(ds.queries)
    queries = np.asarray([embedder.embed_query(ds.queries[q]) for q in qids], dtype=np.float32)
    sims = queries @ matrix.T
    dense = {
        q: [(ids[j], float(sims[n, j])) for j in np.argsort(-sims[n])[:DEPTH]]
        for n, q in enumerate(qids)
    }
    return dense, keyword_rankings(ds)


def keyword_rankings(ds: Dataset) -> Ranked:
    with tempfile.TemporaryDirectory() as tmp:
        index = BM25Index(Path(tmp))
        index.add([Chunk(f"{i}:0", i, i, 0, ds.corpus[i]) for i in ds.corpus])
        index.commit()
        lexical = {
            q: [(c.split(":")[0], s) for c, s in index.search(text, DEPTH)]
            for q, text in ds.queries.items()
        }
        index.close()
    return lexical


def keyword_report(compare: Path | None) -> None:
    """BM25 alone on the report sets; with `compare`, the queries ranked differently."""
    before = json.loads(compare.read_text()) if compare else {}
    kept: dict[str, dict[str, list[str]]] = {}
    print(f"{'set':<10} {'BM25':>13}   (nDCG@10 / Recall@100)")
    for name in REPORT_SETS:
        ds = load(name)
        started = time.perf_counter()
        ranked = {q: [d for d, _ in r] for q, r in keyword_rankings(ds).items()}
        seconds = time.perf_counter() - started
        kept[name] = ranked
        scores = evaluate(ranked, ds)
        line = f"{name:<10} {scores['ndcg@10']:.3f}/{scores['recall@100']:.3f}  ({seconds:.1f}s)"
        if name in before:
            moved = sum(ranked[q] != before[name].get(q) for q in ranked)
            top10 = sum(ranked[q][:10] != before[name].get(q, [])[:10] for q in ranked)
            line += f"  rankings differing: {moved} of {len(ranked)} (top 10: {top10})"
        print(line, flush=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "keyword_rankings.json").write_text(json.dumps(kept))


def sweep(ds: Dataset, dense: Ranked, lexical: Ranked) -> None:
    for label, fuse in (("rrf", weighted_rrf), ("score", fuse_scores)):
        row = []
        for w in DENSE_WEIGHTS:
            fused = {
                q: [d for d, _ in fuse([dense[q], lexical[q]], [w, 1 - w])] for q in ds.queries
            }
            row.append(evaluate(fused, ds)["ndcg@10"])
        print(f"{ds.name + ' ' + label:<20} " + "  ".join(f"{v:.3f} " for v in row), flush=True)


def shipped(ds: Dataset, dense: Ranked, lexical: Ranked) -> dict[str, float]:
    """The hybrid as the app runs it: weights chosen per query from the leading dense hits."""
    fused = {}
    for q, text in ds.queries.items():
        leading = [ds.corpus[d] for d, _ in dense[q][:3]]
        weights = hybrid_weights(text, leading)
        fused[q] = [d for d, _ in fuse_scores([dense[q], lexical[q]], weights)]
    return evaluate(fused, ds)


def report(embedder: BuiltinEmbedder) -> None:
    results: dict[str, dict[str, dict[str, float]]] = {}
    print(f"{'set':<10} {'BM25':>13} {'dense':>13} {'hybrid':>13}   (nDCG@10 / Recall@100)")
    for name in REPORT_SETS:
        ds = load(name)
        dense, lexical = rankings(ds, embedder)
        row = {
            "bm25": evaluate({q: [d for d, _ in r] for q, r in lexical.items()}, ds),
            "dense": evaluate({q: [d for d, _ in r] for q, r in dense.items()}, ds),
            "hybrid": shipped(ds, dense, lexical),
        }
        results[name] = row
        cells = "".join(f" {v['ndcg@10']:.3f}/{v['recall@100']:.3f}" for v in row.values())
        print(f"{name:<10}{cells}", flush=True)
    OUT.mkdir(exist_ok=True)
    payload = {"embedder": embedder.embedder_id, "results": results}
    (OUT / "components.json").write_text(json.dumps(payload, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sets", nargs="+", default=["scifact:train", "xquad-en", "xquad-zh", "zh-en", "en-zh"]
    )
    parser.add_argument("--report-only", action="store_true", help="skip the weight sweep")
    parser.add_argument("--keyword-only", action="store_true", help="BM25 alone, no embedding")
    parser.add_argument("--compare", type=Path, help="keyword rankings kept by an earlier run")
    args = parser.parse_args()
    if args.keyword_only:
        keyword_report(args.compare)
        return
    embedder = BuiltinEmbedder()
    if not args.report_only:
        print("set / fusion        " + "  ".join(f"w={w:<4}" for w in DENSE_WEIGHTS))
        for spec in args.sets:
            name, _, split = spec.partition(":")
            ds = load(name, split or "test")
            print(f"{spec}: {len(ds.corpus)} docs, {len(ds.queries)} queries", flush=True)
            sweep(ds, *rankings(ds, embedder))
    report(embedder)


if __name__ == "__main__":
    main()
