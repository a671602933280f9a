"""Reading the BEIR-layout evaluation sets and scoring rankings (nDCG@10, Recall@100),
computed the way BEIR computes them (graded gain from qrels, log2 discount)."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass(frozen=True)
class Dataset:
    name: str
    corpus: dict[str, str]  # doc id -> text (title and body)
    queries: dict[str, str]  # query id -> text (only queries with judgments)
    qrels: dict[str, dict[str, int]]  # query id -> doc id -> relevance


def _jsonl(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])
    return qrels


def load(name: str, split: str = "test", *, data: Path = DATA) -> Dataset:
    """A dataset by folder name; "zh-en" / "en-zh" are the cross-lingual sets built from
    the parallel XQuAD sets (questions in one language, paragraphs in the other)."""
    if name in ("zh-en", "en-zh"):
        q_lang, c_lang = name.split("-")
        questions = load(f"xquad-{q_lang}", split, data=data)
        corpus = load(f"xquad-{c_lang}", split, data=data)
        shared = {q: t for q, t in questions.queries.items() if q in corpus.qrels}
        return Dataset(name, corpus.corpus, shared, {q: corpus.qrels[q] for q in shared})
    folder = data / name
    corpus = {
        d["_id"]: (f"{d.get('title', '')}\n{d['text']}".strip())
        for d in _jsonl(folder / "corpus.jsonl")
    }
    qrels = _qrels(folder / "qrels" / f"{split}.tsv")
    queries = {q["_id"]: q["text"] for q in _jsonl(folder / "queries.jsonl") if q["_id"] in qrels}
    return Dataset(name, corpus, queries, qrels)


def ndcg_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    dcg = sum(judged.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranking[:k]))
    ideal = sorted(judged.values(), reverse=True)[:k]
    idcg = sum(rel / math.log2(i + 2) for i, rel in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 100) -> float:
    relevant = {d for d, rel in judged.items() if rel > 0}
    return len(relevant & set(ranking[:k])) / len(relevant) if relevant else 0.0


def evaluate(rankings: Mapping[str, Sequence[str]], ds: Dataset) -> dict[str, float]:
    """Mean nDCG@10 and Recall@100 over the dataset's queries (a missing ranking is 0)."""
    n = len(ds.queries)
    return {
        "ndcg@10": sum(ndcg_at(rankings.get(q, ()), ds.qrels[q]) for q in ds.queries) / n,
        "recall@100": sum(recall_at(rankings.get(q, ()), ds.qrels[q]) for q in ds.queries) / n,
    }
