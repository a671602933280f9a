"""Writing systems and token estimates, in one place.

The Unicode ranges Hearth tells scripts apart by: the range strings (`KANA`, `HAN`, ...) go
inside a regex character class, so they can be combined (`f"[{KANA}{HAN}]"`) or negated
(`f"[^\\W{CJK}]"`); the compiled patterns match one character of the script.

Token estimates need no tokenizer and work without spaces: each Chinese, Japanese or
Korean character counts as one token, each other word (a run of letters or digits, a very
long run counting once per 24 characters) as 1.3 tokens, and other symbols as one token per
three characters. Measured against the built-in embedder's own tokenizer
(`tests/integration/retrieval/test_token_estimate.py`), the real count is 0.9 to 1.3 times
the estimate for English (plain to scientific prose), about 1.1 times for Russian and 0.7 to
0.8 times for Chinese: a chunk of English abstracts holds up to a quarter more real tokens
than the chunk size says, a chunk of Chinese a fifth fewer.
"""

from __future__ import annotations

import re

KANA = "\u3040-\u30ff"  # Hiragana and Katakana
HAN_EXTENSION_A = "\u3400-\u4dbf"  # CJK Unified Ideographs Extension A
HAN = "\u4e00-\u9fff"  # CJK Unified Ideographs
HANGUL = "\uac00-\ud7af"  # Hangul syllables
HAN_COMPATIBILITY = "\uf900-\ufaff"  # CJK Compatibility Ideographs
# Characters that are words of their own (no spaces between them) in Chinese, Japanese
# and Korean text.
CJK = KANA + HAN_EXTENSION_A + HAN + HANGUL + HAN_COMPATIBILITY
CYRILLIC = "\u0400-\u04ff"
BASIC_CYRILLIC = "А-Яа-яЁё"  # the Russian alphabet
LATIN = "A-Za-z\u00c0-\u024f"  # ASCII letters, Latin-1 Supplement and Latin Extended-A/B

CJK_CHAR = re.compile(f"[{CJK}]")
CJK_RUN = re.compile(f"[{CJK}]+")
KANA_CHAR = re.compile(f"[{KANA}]")
HAN_CHAR = re.compile(f"[{HAN}]")
HANGUL_CHAR = re.compile(f"[{HANGUL}]")
CYRILLIC_CHAR = re.compile(f"[{CYRILLIC}]")
BASIC_CYRILLIC_CHAR = re.compile(f"[{BASIC_CYRILLIC}]")
LATIN_CHAR = re.compile(f"[{LATIN}]")


def is_cjk(char: str) -> bool:
    """Whether `char` (one character) is a CJK character in the sense of `CJK`."""
    return CJK_CHAR.fullmatch(char) is not None


_WORD = re.compile(rf"[^\W{CJK}]{{1,24}}")
_SYMBOL = re.compile(r"[^\w\s]")
_WORD_WEIGHT = 1.3


def estimate_tokens(text: str) -> float:
    """Estimated tokens in `text` (see the module docstring)."""
    return (
        len(CJK_CHAR.findall(text))
        + _WORD_WEIGHT * len(_WORD.findall(text))
        + len(_SYMBOL.findall(text)) / 3
    )
