"""Fusion of the dense and keyword rankings: weighted RRF, score fusion, script-aware
weights, MMR."""

from __future__ import annotations

import pytest

from desktop.core.fusion import (
    CROSS_SCRIPT_WEIGHTS,
    SAME_SCRIPT_WEIGHTS,
    dominant_script,
    fuse_scores,
    hybrid_weights,
    max_marginal_relevance,
    weighted_rrf,
)

pytestmark = pytest.mark.unit


def ranked(*ids: str) -> list[tuple[str, float]]:
    return [(cid, 1.0 / n) for n, cid in enumerate(ids, start=1)]


def test_weighted_rrf() -> None:
    fused = weighted_rrf([ranked("a", "b", "c"), ranked("b", "c")], [1.0, 1.0])
    assert [d for d, _ in fused][:1] == ["b"]
    only_first = weighted_rrf([ranked("a", "b"), ranked("b", "a")], [1.0, 0.0])
    assert [d for d, _ in only_first] == ["a", "b"]
    with pytest.raises(ValueError, match="one weight per ranking"):
        weighted_rrf([ranked("a")], [1.0, 1.0])


def test_score_fusion_normalises_each_side() -> None:
    dense = [("a", 0.9), ("b", 0.5), ("c", 0.1)]
    keyword = [("c", 40.0), ("b", 30.0)]
    fused = dict(fuse_scores([dense, keyword], [0.5, 0.5]))
    assert fused["a"] == pytest.approx(0.5)
    assert fused["b"] == pytest.approx(0.25)
    assert fused["c"] == pytest.approx(0.5)
    assert fuse_scores([[("x", 3.0)], []], [1.0, 1.0]) == [("x", 1.0)]


def test_weights_follow_the_script_of_question_and_passages() -> None:
    assert hybrid_weights("Сколько стоит?", ["The price is 5 euros."]) == CROSS_SCRIPT_WEIGHTS
    assert hybrid_weights("价格是多少", ["The price is 5 euros."]) == CROSS_SCRIPT_WEIGHTS
    assert hybrid_weights("What is the price?", ["The price is 5 euros."]) == SAME_SCRIPT_WEIGHTS
    assert hybrid_weights("2024?", ["任何"]) == SAME_SCRIPT_WEIGHTS


def test_compatibility_ideographs_count_as_cjk() -> None:
    # U+F900-FAFF (CJK Compatibility Ideographs) are CJK like the rest of desktop.core.text.
    question = "\uf900\uf901\uf902"
    assert dominant_script(question) == "cjk"
    assert hybrid_weights(question, ["The price is 5 euros."]) == CROSS_SCRIPT_WEIGHTS
    assert hybrid_weights(question, ["价格是多少"]) == SAME_SCRIPT_WEIGHTS


def test_mmr_prefers_diverse_passages() -> None:
    vectors = {"a": [1.0, 0.0], "a2": [0.99, 0.01], "b": [0.0, 1.0]}
    picked = max_marginal_relevance(
        [1.0, 0.0], [("a", 1.0), ("a2", 0.95), ("b", 0.6)], vectors, 2, lambda_=0.4
    )
    assert [d for d, _ in picked] == ["a", "b"]
