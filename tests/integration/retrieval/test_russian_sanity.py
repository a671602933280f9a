"""A small Russian retrieval check: no Russian benchmark ships, so questions whose words
appear in other grammatical forms than in the passages (and English and Chinese questions)
must still find the right Russian passage through the real embedder, BM25 index and
fusion."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.core.documents import Chunk
from desktop.core.fusion import fuse_scores, hybrid_weights
from desktop.embedders.builtin import BuiltinEmbedder
from desktop.store.lexical import BM25Index

pytestmark = pytest.mark.integration

PASSAGES = {
    "moscow": "Московский метрополитен открылся в 1935 году; первая линия соединила Сокольники "
    "и Парк культуры.",
    "tea": "Чай в России пьют из самовара: воду нагревают углями, а заварку держат в "
    "маленьком чайнике сверху.",
    "baikal": "Байкал — самое глубокое озеро планеты, его глубина достигает 1642 метров, и в "
    "нём около пятой части пресной воды Земли.",
    "library": "Библиотека университета выдаёт студентам книги на две недели; редкими книгами "
    "можно пользоваться только в читальном зале.",
    "rocket": "Первый искусственный спутник Земли запустили 4 октября 1957 года ракетой Р-7.",
    "bread": "Ржаной хлеб пекут на закваске; тесто бродит несколько часов, поэтому мякиш "
    "получается плотным и кисловатым.",
}
QUESTIONS = [
    ("Когда открыли метро в Москве?", "moscow"),
    ("Какая глубина у озера Байкал?", "baikal"),
    ("Сколько времени можно держать книгу из библиотеки?", "library"),
    ("В каком году запустили первый спутник?", "rocket"),
    ("Почему мякиш ржаного хлеба плотный?", "bread"),
    ("How is tea made with a samovar?", "tea"),
    ("贝加尔湖有多深？", "baikal"),
]


@pytest.fixture(scope="module")
def search(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], list[str]]]:
    embedder = BuiltinEmbedder()
    ids = list(PASSAGES)
    vectors = dict(zip(ids, embedder.embed_documents([PASSAGES[i] for i in ids]), strict=True))
    index = BM25Index(Path(tmp_path_factory.mktemp("ru")))
    index.add([Chunk(f"{i}:0", i, f"/{i}.txt", 0, PASSAGES[i]) for i in ids])
    index.commit()

    def run(question: str) -> list[str]:
        query = embedder.embed_query(question)
        dense = sorted(
            (
                (f"{i}:0", sum(a * b for a, b in zip(query, v, strict=True)))
                for i, v in vectors.items()
            ),
            key=lambda kv: -kv[1],
        )
        weights = hybrid_weights(question, [PASSAGES[c.split(":")[0]] for c, _ in dense[:3]])
        fused = fuse_scores([dense, index.search(question, 10)], weights)
        return [c.split(":")[0] for c, _ in fused]

    yield run
    index.close()


@pytest.mark.parametrize(("question", "expected"), QUESTIONS)
def test_the_right_passage_comes_first(
    search: Callable[[str], list[str]], question: str, expected: str
) -> None:
    assert search(question)[0] == expected


def test_keywords_alone_match_other_word_forms(tmp_path: Path) -> None:
    index = BM25Index(tmp_path)
    index.add([Chunk(f"{i}:0", i, f"/{i}.txt", 0, t) for i, t in PASSAGES.items()])
    index.commit()
    assert index.search("редкая книга", 3)[0][0] == "library:0"
    assert index.search("глубокими озёрами", 3)[0][0] == "baikal:0"
    index.close()
