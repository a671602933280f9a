"""How far the tokenizer-free token estimate (`desktop.core.text.estimate_tokens`) is from
the built-in embedder's real tokenizer, per language.

Chunk sizes and prompt budgets use the estimate; these bands are what the module docstring
promises. Here the real/estimate ratio is 0.93 (English), 1.07 (Russian) and 0.72
(Chinese); on the evaluation sets it came out at 1.26 (SciFact abstracts), 1.09 (XQuAD
English) and 0.81 (XQuAD Chinese).
"""

from __future__ import annotations

import pytest

from desktop.core.text import estimate_tokens
from desktop.embedders.builtin import BuiltinEmbedder

pytestmark = pytest.mark.integration

ENGLISH = (
    "The library lends books to students for two weeks. Rare books may only be read in the "
    "reading room, and the staff keep a list of who asked for them. Late returns are fined "
    "a small amount per day, which goes towards buying new titles for the collection. "
    "Anyone may suggest a title; the committee meets once a month to decide."
)
RUSSIAN = (
    "Библиотека университета выдаёт студентам книги на две недели. Редкими книгами можно "
    "пользоваться только в читальном зале, а сотрудники записывают, кто их просил. За "
    "просрочку берут небольшой штраф за каждый день, и эти деньги идут на покупку новых "
    "книг. Любой может предложить книгу; комиссия собирается раз в месяц и решает."
)
CHINESE = (
    "大学图书馆向学生出借图书，借期为两周。珍本只能在阅览室阅读，工作人员会记录借阅者的姓名。"
    "逾期归还每天收取少量罚款，这笔钱用于购买新书。任何人都可以推荐书目，委员会每月开会一次"
    "作出决定。"
)


@pytest.fixture(scope="module")
def embedder() -> BuiltinEmbedder:
    model = BuiltinEmbedder()
    model.load()
    return model


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [(ENGLISH, 0.8, 1.4), (RUSSIAN, 0.9, 1.5), (CHINESE, 0.6, 0.9)],
    ids=["english", "russian", "chinese"],
)
def test_the_estimate_is_within_its_band(
    embedder: BuiltinEmbedder, text: str, low: float, high: float
) -> None:
    overhead = embedder.count_tokens([""])[0]  # the passage prefix and special tokens
    real = embedder.count_tokens([text])[0] - overhead
    ratio = real / estimate_tokens(text)
    assert low <= ratio <= high, f"real {real} tokens, estimate {estimate_tokens(text):.1f}"
