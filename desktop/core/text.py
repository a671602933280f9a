"""Writing systems: the Unicode ranges Hearth tells scripts apart by, in one place.

The range strings (`KANA`, `HAN`, ...) go inside a regex character class, so they can be
combined (`f"[{KANA}{HAN}]"`) or negated (`f"[^\\W{CJK}]"`); the compiled patterns match
one character of the script.
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
