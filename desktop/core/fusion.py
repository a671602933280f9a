"""Combining rankings and diversifying results.

Hybrid search fuses the dense and keyword rankings by a weighted sum of their min-max
normalised scores (`fuse_scores`); weighted reciprocal-rank fusion (`weighted_rrf`) is
compared in the benchmarks, where it measured worse within one knowledge base (SciFact
train nDCG@10 0.714 at its best weight against 0.734); it fuses the rankings of several
knowledge bases, whose scores come from different indexes and cannot be compared. The
weights depend on the question: when it is written in another script than the passages
it finds (a Chinese question over English documents), keywords cannot match and the
dense side leads; otherwise both sides count the same. Measured in docs/retrieval.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from desktop.core.text import CJK_CHAR, CYRILLIC_CHAR, LATIN_CHAR

RRF_K = 60
# (dense, keyword) weights, chosen on SciFact train and the XQuAD sets (docs/retrieval.md).
SAME_SCRIPT_WEIGHTS = (0.5, 0.5)
CROSS_SCRIPT_WEIGHTS = (0.8, 0.2)

Ranking = Sequence[tuple[str, float]]

_SCRIPTS = {"cjk": CJK_CHAR, "cyrillic": CYRILLIC_CHAR, "latin": LATIN_CHAR}


def _check(rankings: Sequence[Ranking], weights: Sequence[float]) -> None:
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")


def weighted_rrf(
    rankings: Sequence[Ranking], weights: Sequence[float], *, k: int = RRF_K
) -> list[tuple[str, float]]:
    """score(d) = sum_i w_i / (k + rank_i(d)); scores in the input are ignored."""
    _check(rankings, weights)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if weight <= 0:
            continue
        for rank, (item, _) in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def fuse_scores(rankings: Sequence[Ranking], weights: Sequence[float]) -> list[tuple[str, float]]:
    """score(d) = sum_i w_i * (s_i(d) - min_i) / (max_i - min_i); a missing item scores 0
    in that ranking, and a ranking whose scores are all equal gives each of its items 1."""
    _check(rankings, weights)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if weight <= 0 or not ranking:
            continue
        values = [score for _, score in ranking]
        low, high = min(values), max(values)
        for item, score in ranking:
            norm = (score - low) / (high - low) if high > low else 1.0
            scores[item] = scores.get(item, 0.0) + weight * norm
    return sorted(scores.items(), key=lambda kv: -kv[1])


def dominant_script(text: str) -> str:
    """ "cjk", "cyrillic", "latin" or "" (no letters): the script with the most characters."""
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS.items()}
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] else ""


def hybrid_weights(query: str, passages: Sequence[str]) -> tuple[float, float]:
    """(dense, keyword) weights for a query, given the passages dense search found first."""
    asked = dominant_script(query)
    found = dominant_script(" ".join(passages))
    if asked and found and asked != found:
        return CROSS_SCRIPT_WEIGHTS
    return SAME_SCRIPT_WEIGHTS


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def max_marginal_relevance(
    query: Sequence[float],
    candidates: Sequence[tuple[str, float]],
    vectors: Mapping[str, Sequence[float]],
    k: int,
    *,
    lambda_: float = 0.5,
) -> list[tuple[str, float]]:
    """Pick `k` candidates, each time the one most similar to the query and least similar
    to those already picked (classic MMR on cosine similarity). Candidates without a
    vector are left out. Returns (id, fused score) pairs in picking order."""
    pool = [(cid, score) for cid, score in candidates if cid in vectors]
    relevance = {cid: _cosine(query, vectors[cid]) for cid, _ in pool}
    picked: list[tuple[str, float]] = []
    while pool and len(picked) < k:
        best_index, best_value = 0, -math.inf
        for index, (cid, _) in enumerate(pool):
            redundancy = max((_cosine(vectors[cid], vectors[p]) for p, _ in picked), default=0.0)
            value = lambda_ * relevance[cid] - (1 - lambda_) * redundancy
            if value > best_value:
                best_index, best_value = index, value
        picked.append(pool.pop(best_index))
    return picked
