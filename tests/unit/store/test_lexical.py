"""The keyword analyser (stems, stop words from the shipped lists, CJK bigrams) and the
BM25 index on disk."""

from __future__ import annotations

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
