"""The stop-word lists ship as data files and are what the keyword analyser drops."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.store import lexical
from desktop.store.lexical import iter_terms

pytestmark = pytest.mark.unit

FOLDER = Path(lexical.__file__).parent / "stopwords"


@pytest.mark.parametrize(("language", "stop"), [("en", "ENGLISH_STOP"), ("ru", "RUSSIAN_STOP")])
def test_the_analyser_uses_the_shipped_list(language: str, stop: str) -> None:
    words = (FOLDER / f"{language}.txt").read_text(encoding="utf-8").split()
    assert len(words) == len(set(words)) > 50
    assert getattr(lexical, stop) == frozenset(words)
    assert all(w == w.lower() for w in words)


def test_stop_words_are_dropped_and_content_words_kept() -> None:
    assert list(iter_terms("the invoice of the year")) == ["invoic", "year"]
    assert list(iter_terms("и книга в доме")) == ["книг", "дом"]


def test_the_licence_ships_with_the_lists() -> None:
    text = (FOLDER / "LICENSE").read_text(encoding="utf-8")
    assert "stopwords-iso" in text
    assert "Copyright (c) 2016 Gene Diaz" in text
