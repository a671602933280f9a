"""Retrieval quality through the real command line: `hearth ingest` then
`hearth search --batch`, on the evaluation sets in ../shared/data.

Each corpus document becomes one text file; the results of a query are chunk hits, turned
into a document ranking by first appearance. Prints nDCG@10 and Recall@100 per set, the
ingestion rate next to the raw embedder's rate measured in the same run, and writes JSON
to bench/out/retrieval_quality.json.

    python -m bench.retrieval_quality [--sets scifact xquad-en xquad-zh zh-en en-zh]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.beir import Dataset, evaluate, load
from desktop.embedders.builtin import BuiltinEmbedder

OUT = Path(__file__).resolve().parent / "out"
DEPTH = 100
SETS = ("scifact", "xquad-en", "xquad-zh", "zh-en", "en-zh")


def hearth(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HEARTH_DATA_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )


def write_corpus(ds: Dataset, folder: Path) -> None:
    folder.mkdir(parents=True)
    for doc_id, text in ds.corpus.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")


def run_set(ds: Dataset, work: Path) -> dict[str, float]:
    corpus = work / f"{ds.name}-corpus"
    data = work / "data"
    if not corpus.exists():
        write_corpus(ds, corpus)
    started = time.perf_counter()
    ingest = hearth(["ingest", str(corpus), "--kb", ds.name], data)
    ingest_seconds = time.perf_counter() - started
    chunks = int(ingest.stderr.rsplit("(", 1)[1].split()[0])
    queries = work / f"{ds.name}-queries.jsonl"
    queries.write_text(
        "".join(
            json.dumps({"_id": q, "text": t}, ensure_ascii=False) + "\n"
            for q, t in ds.queries.items()
        ),
        encoding="utf-8",
    )
    started = time.perf_counter()
    out = hearth(["search", "--batch", str(queries), "--kb", ds.name, "-k", str(DEPTH)], data)
    search_seconds = time.perf_counter() - started
    rankings: dict[str, list[str]] = {}
    for line in out.stdout.splitlines():
        row = json.loads(line)
        docs: list[str] = []
        for hit in row["results"]:
            doc = Path(hit["source"]).stem
            if doc not in docs:
                docs.append(doc)
        rankings[row["query_id"]] = docs
    scores = evaluate(rankings, ds)
    return {
        **scores,
        "docs": len(ds.corpus),
        "queries": len(ds.queries),
        "chunks": chunks,
        "ingest_seconds": ingest_seconds,
        "ingest_chunks_per_second": chunks / ingest_seconds,
        "search_seconds": search_seconds,
    }


def raw_embedder_rate(ds: Dataset, limit: int = 1000) -> float:
    """Texts per second of the embedder alone on the same documents (after loading)."""
    embedder = BuiltinEmbedder()
    embedder.load()
    texts = list(ds.corpus.values())[:limit]
    started = time.perf_counter()
    embedder.embed_documents(texts)
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sets", nargs="+", default=["scifact", "xquad-en", "xquad-zh", "zh-en", "en-zh"]
    )
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as tmp:
        for name in args.sets:
            ds = load(name)
            results[name] = run_set(ds, Path(tmp))
            r = results[name]
            print(
                f"{name:<9} nDCG@10 {r['ndcg@10']:.3f}  Recall@100 {r['recall@100']:.3f}  "
                f"{r['docs']} docs -> {r['chunks']} chunks, "
                f"ingest {r['ingest_chunks_per_second']:.1f} chunks/s, "
                f"{r['queries']} queries in {r['search_seconds']:.1f}s",
                flush=True,
            )
        raw = raw_embedder_rate(load("scifact"))
        ingest_rate = results.get("scifact", {}).get("ingest_chunks_per_second", 0.0)
        print(f"raw embedder on SciFact abstracts: {raw:.1f} texts/s")
        if ingest_rate:
            print(f"ingestion reached {ingest_rate / raw:.0%} of the raw embedder's rate")
        results["raw_embedder_texts_per_second"] = {"scifact": raw}
    OUT.mkdir(exist_ok=True)
    (OUT / "retrieval_quality.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
