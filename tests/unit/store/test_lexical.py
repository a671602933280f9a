"""The keyword analyser (stems, stop words from the shipped lists, CJK bigrams) and the
BM25 index on disk: its own inverted index, scoring as SQLite FTS5 does, kept small and
exact through many small writes and removals, and the move from the FTS5 layout."""

from __future__ import annotations

import math
import random
import sqlite3
from pathlib import Path

import pytest

from desktop.core.documents import Chunk
from desktop.store import lexical
from desktop.store.lexical import BM25Index, iter_terms

pytestmark = pytest.mark.unit

STOPWORDS = Path(lexical.__file__).parent / "stopwords"


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


@pytest.mark.parametrize(("language", "stop"), [("en", "ENGLISH_STOP"), ("ru", "RUSSIAN_STOP")])
def test_the_analyser_uses_the_shipped_list(language: str, stop: str) -> None:
    words = (STOPWORDS / f"{language}.txt").read_text(encoding="utf-8").split()
    assert len(words) == len(set(words)) > 50
    assert getattr(lexical, stop) == frozenset(words)
    assert all(w == w.lower() for w in words)


def test_stop_words_are_dropped_and_content_words_kept() -> None:
    assert list(iter_terms("the invoice of the year")) == ["invoic", "year"]
    assert list(iter_terms("и книга в доме")) == ["книг", "дом"]


def test_the_licence_ships_with_the_lists() -> None:
    text = (STOPWORDS / "LICENSE").read_text(encoding="utf-8")
    assert "stopwords-iso" in text
    assert "Copyright (c) 2016 Gene Diaz" in text


WORDS = [f"word{n}" for n in range(40)] + ["common"] * 12 + ["rare"]
QUERIES = ["word1 word2", "common word3", "rare", "common", "word7 word8 word9 common rare"]


def corpus(seed: int, docs: int) -> list[Chunk]:
    rng = random.Random(seed)
    chunks = []
    for d in range(docs):
        for c in range(rng.randint(1, 3)):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40)))
            chunks.append(Chunk(f"d{d}:{c}", f"d{d}", f"/d{d}", c, text))
    return chunks


def fts5_ranking(chunks: list[Chunk], query: str, k: int) -> list[tuple[str, float]]:
    """What SQLite FTS5's bm25() gives for the same analysed terms (ties by row order)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(chunk_id UNINDEXED, terms)")
    db.executemany(
        "INSERT INTO t VALUES (?, ?)", [(c.chunk_id, " ".join(iter_terms(c.text))) for c in chunks]
    )
    match = " OR ".join(f'"{t}"' for t in dict.fromkeys(iter_terms(query)))
    rows = db.execute(
        "SELECT chunk_id, bm25(t) FROM t WHERE t MATCH ? ORDER BY bm25(t), rowid LIMIT ?",
        (match, k),
    ).fetchall()
    db.close()
    return [(str(cid), -float(score)) for cid, score in rows]


def same_ranking(got: list[tuple[str, float]], expected: list[tuple[str, float]]) -> None:
    assert [cid for cid, _ in got] == [cid for cid, _ in expected]
    assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-9)


def test_scores_are_fts5_bm25(tmp_path: Path) -> None:
    chunks = corpus(1, 60)
    index = BM25Index(tmp_path)
    index.add(chunks)
    index.commit()
    for query in QUERIES:
        same_ranking(index.search(query, 25), fts5_ranking(chunks, query, 25))
    index.close()


def test_small_writes_and_removals_end_as_one_big_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexical, "COMPACT_FROM", 40)
    chunks = corpus(2, 300)
    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    rng = random.Random(3)
    index = BM25Index(tmp_path / "small")
    live: dict[str, list[Chunk]] = {}
    for n, (doc, doc_chunks) in enumerate(by_doc.items()):
        index.add(doc_chunks)
        live[doc] = doc_chunks
        if n % 3 == 2:
            gone = rng.choice(sorted(live))
            index.remove_documents([gone])
            del live[gone]
        index.commit()
    kept = [c for doc_chunks in live.values() for c in doc_chunks]
    whole = BM25Index(tmp_path / "whole")
    whole.add(kept)
    whole.commit()
    assert index.chunk_ids() == whole.chunk_ids() == {c.chunk_id for c in kept}
    for query in QUERIES:
        same_ranking(index.search(query, 30), whole.search(query, 30))
        same_ranking(index.search(query, 30), fts5_ranking(kept, query, 30))
    # 300 single-document writes leave each term a handful of segments, and the removed
    # passages' postings were dropped once they were many.
    db = sqlite3.connect(tmp_path / "small" / "lexical.db")
    (segments,) = db.execute(
        "SELECT max(n) FROM (SELECT count(*) AS n FROM postings GROUP BY term)"
    ).fetchone()
    (left_behind,) = db.execute("SELECT count(*) FROM removed").fetchone()
    db.close()
    assert segments <= 2 * math.log2(len(by_doc))
    assert len(chunks) - len(kept) > 100  # passages removed in all
    assert left_behind <= max(40, lexical.COMPACT_SHARE * len(kept))
    index.close()
    whole.close()


def test_a_filter_of_many_documents_gives_the_same_hits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chunks = corpus(4, 80)
    index = BM25Index(tmp_path)
    index.add(chunks)
    index.commit()
    allowed = {f"d{n}" for n in range(0, 80, 3)}
    few = index.search("common word5", 20, allowed)
    monkeypatch.setattr(lexical, "FEW_DOCUMENTS", 0)
    assert index.search("common word5", 20, allowed) == few
    assert few and {cid.split(":")[0] for cid, _ in few} <= allowed
    # The whole index's statistics score the kept passages, as FTS5 with a SQL filter did.
    everything = fts5_ranking(chunks, "common word5", len(chunks))
    same_ranking(few, [(cid, s) for cid, s in everything if cid.split(":")[0] in allowed][:20])
    index.close()


def test_an_index_in_the_fts5_layout_is_moved_over(tmp_path: Path) -> None:
    chunks = corpus(5, 30)
    db = sqlite3.connect(tmp_path / "lexical.db")
    db.execute(
        "CREATE VIRTUAL TABLE chunks USING fts5(chunk_id UNINDEXED, doc_id UNINDEXED, terms, "
        "tokenize = \"unicode61 remove_diacritics 0 tokenchars '-._'\")"
    )
    db.executemany(
        "INSERT INTO chunks VALUES (?, ?, ?)",
        [(c.chunk_id, c.doc_id, " ".join(iter_terms(c.text))) for c in chunks],
    )
    db.commit()
    db.close()
    index = BM25Index(tmp_path)
    assert index.chunk_ids() == {c.chunk_id for c in chunks}
    for query in QUERIES:
        same_ranking(index.search(query, 10), fts5_ranking(chunks, query, 10))
    index.close()
    db = sqlite3.connect(tmp_path / "lexical.db")
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'chunks'").fetchone() is None
    db.close()
