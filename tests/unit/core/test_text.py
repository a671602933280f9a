"""The script ranges and the token estimate in desktop.core.text, and the modules that read
text by those ranges."""

from __future__ import annotations

import pytest

from desktop.core.prompting import language_instruction
from desktop.core.text import (
    BASIC_CYRILLIC_CHAR,
    CJK_RUN,
    CYRILLIC_CHAR,
    LATIN_CHAR,
    estimate_tokens,
    is_cjk,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "char",
    [
        "\u3040",  # first of Hiragana
        "ア",  # Katakana
        "\u30ff",
        "\u3400",  # Extension A
        "\u4dbf",
        "学",
        "\u9fff",
        "한",
        "\ud7af",
        "\uf900",  # Compatibility Ideographs
        "\ufaff",
    ],
)
def test_cjk_characters(char: str) -> None:
    assert is_cjk(char)


@pytest.mark.parametrize("char", ["a", "é", "Ж", "1", " ", "。", "\u303f", "\ufb00", "\ud7b0"])
def test_not_cjk(char: str) -> None:
    assert not is_cjk(char)


def test_other_scripts() -> None:
    assert CYRILLIC_CHAR.fullmatch("ї") and BASIC_CYRILLIC_CHAR.fullmatch("ё")
    assert not BASIC_CYRILLIC_CHAR.fullmatch("ї")
    assert LATIN_CHAR.fullmatch("ß") and not LATIN_CHAR.fullmatch("Ж")
    assert CJK_RUN.findall("ab 机器学习 cd 한국") == ["机器学习", "한국"]


def test_users_agree_on_the_ranges() -> None:
    assert estimate_tokens("\uf900\uf901") == 2  # one token a CJK character
    assert "Japanese" in language_instruction("これは何?")
    assert "Korean" in language_instruction("이것은 무엇입니까?")
    assert "Chinese" in language_instruction("这是什么?")
    assert "Russian" in language_instruction("Что это?")


def test_token_estimate_without_spaces() -> None:
    assert estimate_tokens("机器学习很有趣") == 7
    assert estimate_tokens("日本語のテキスト") == 8
    assert estimate_tokens("hello world") == pytest.approx(2.6)
    assert estimate_tokens("Привет мир") == pytest.approx(2.6)
    assert estimate_tokens("a, b.") == pytest.approx(2 * 1.3 + 2 / 3)
    assert estimate_tokens("x" * 48) == pytest.approx(2.6)  # a long run counts per 24 chars
    assert estimate_tokens("  \n\t") == 0
