"""The plain-Python query tokenizer gives exactly the ids `tokenizers` gives."""

from __future__ import annotations

import random

import pytest

from desktop.embedders.builtin import _tokenizer, packaged_model_path
from desktop.embedders.e5_format import PackedE5, read_packed
from desktop.embedders.unigram import UnigramTokenizer

pytestmark = pytest.mark.integration

SAMPLES = [
    "query: how long do cats sleep",
    "query: Сколько спят кошки?",
    "query: 猫每天睡多久？绿茶用80度的水泡两分钟。",
    "query: mixed   spaces\tand a tab\nand a newline  ",
    "  leading spaces",
    "query: emoji 🐈‍⬛ and symbols ∮ ⨌ ꙮ 𓀀 and math α≤β",
    "query: ÀÉÎÕÜ ß ŉ ﬁ ligatures and ＦＵＬＬＷＩＤＴＨ",
    "query: <s> </s> <unk> <pad> literal specials",
    "query: C++ std::vector<int>::iterator it = v.begin(); // code",
    "query: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ᚠᚢᚦᚨᚱᚲ ⵜⴰⵎⴰⵣⵉⵖⵜ unusual scripts",
    "query: trailing space ",
    "query: ",
    "x",
]


@pytest.fixture(scope="module")
def packed() -> PackedE5:
    return read_packed(packaged_model_path())


def random_texts(pieces: list[str], count: int) -> list[str]:
    rng = random.Random(20261203)
    alphabet = "abcxyzАБВжя猫茶 \t\n.,!?-😀∮ꙮ𓀀ñé"
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.6:
                parts.append(rng.choice(pieces).replace("\u2581", " "))
            else:
                parts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))))
        texts.append("".join(parts))
    return texts


def test_same_ids_as_the_tokenizers_library(packed: PackedE5) -> None:
    library = _tokenizer(packed.pieces, packed.scores, packed.unk)
    ours = UnigramTokenizer(packed.pieces, packed.scores, packed.unk)
    texts = SAMPLES + random_texts(packed.pieces, 3000)
    expected = [e.ids for e in library.encode_batch(texts, add_special_tokens=False)]
    mismatched = [(t, e) for t, e in zip(texts, expected, strict=True) if ours.encode(t) != e]
    assert not mismatched, mismatched[:3]
