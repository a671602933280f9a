"""The keyword analyser, the BM25 index on disk, and fusion."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.documents import Chunk
from desktop.core.fusion import (
    CROSS_SCRIPT_WEIGHTS,
    SAME_SCRIPT_WEIGHTS,
    dominant_script,
    fuse_scores,
    hybrid_weights,
    max_marginal_relevance,
    weighted_rrf,
)
from desktop.store.lexical import BM25Index, iter_terms

pytestmark = pytest.mark.unit


def terms(text: str) -> list[str]:
    return list(iter_terms(text))


def test_english_stemming_and_stop_words() -> None:
    assert terms("The runner was running") == ["runner", "run"]


def test_russian_forms_share_a_stem() -> None:
    assert terms("книгами")[0] == terms("книга")[0] == terms("книги")[0]
    assert "и" not in " ".join(terms("кошки и собаки"))


def test_chinese_becomes_bigrams() -> None:
    assert terms("机器学习") == ["机器", "器学", "学习"]
    assert terms("猫") == ["猫"]


def test_codes_are_kept_whole() -> None:
    out = terms("Error ERR-4012 in v1.2.3")
    assert "err-4012" in out and "v1.2.3" in out


def chunk(cid: str, text: str) -> Chunk:
    return Chunk(cid, cid.split(":")[0], f"/{cid}", int(cid.split(":")[1]), text)


def test_index_add_search_filter_remove_persist(tmp_path: Path) -> None:
    index = BM25Index(tmp_path)
    index.add(
        [
            chunk("a:0", "Cats are small domesticated carnivorous mammals."),
            chunk("a:1", "Кошки любят спать на солнце."),
            chunk("b:0", "Dogs bark; error ERR-4012 means the leash broke."),
            chunk("c:0", "机器学习是人工智能的一个分支。"),
        ]
    )
    assert index.search("cat", 5) == []  # not visible before commit
    index.commit()
    assert index.search("cat", 5)[0][0] == "a:0"
    assert index.search("кошка спит", 5)[0][0] == "a:1"
    assert index.search("ERR-4012", 5)[0][0] == "b:0"
    assert index.search("学习", 5)[0][0] == "c:0"
    unfiltered = dict(index.search("cats dogs", 5))
    assert set(unfiltered) == {"a:0", "b:0"}
    # The filter drops other documents' chunks and leaves the kept chunk's score as it was.
    assert index.search("cats dogs", 5, doc_ids={"b"}) == [
        ("b:0", pytest.approx(unfiltered["b:0"]))
    ]
    index.remove_documents(["a"])
    index.commit()
    assert index.chunk_ids() == {"b:0", "c:0"}
    index.close()
    reopened = BM25Index(tmp_path)
    assert reopened.chunk_ids() == {"b:0", "c:0"}
    assert reopened.search("cat", 5) == []
    reopened.close()


def test_uncommitted_writes_are_lost_on_close(tmp_path: Path) -> None:
    index = BM25Index(tmp_path)
    index.add([chunk("a:0", "committed text")])
    index.commit()
    index.add([chunk("b:0", "pending text")])
    index.close()
    assert BM25Index(tmp_path).chunk_ids() == {"a:0"}


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
