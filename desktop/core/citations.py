"""The one reader of citation marks in an answer, shared by the window's chips, the
sources under an answer, the history export and the CLI.

Recognised marks: `[2]`, `[2, 3]`, `[2,3]`, `[2-4]` (a range), `[1][2][3]` (adjacent marks),
and the fullwidth `【1】` / `【1, 2】` / `【1，2】` common in Chinese output. A number outside
1..count (count = passages actually sent to the model) is no citation: it is left as plain
text and not counted. `[1](http://...)` is a Markdown link, not a mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"\d{1,4}"
_DASH = r"\s*[-–—]\s*"
_SEP = r"\s*[,，、]\s*"
_ITEM = rf"{_NUMBER}(?:{_DASH}{_NUMBER})?"
_LIST = rf"{_ITEM}(?:{_SEP}{_ITEM})*"
_MARK = re.compile(rf"\[({_LIST})\](?!\()|【({_LIST})】")
_SPLIT_ITEMS = re.compile(_SEP)
_SPLIT_RANGE = re.compile(_DASH)
MAX_RANGE = 50  # a longer "range" is a year span or a typo, not a citation


@dataclass(frozen=True, slots=True)
class CitationMark:
    """One mark in the text.

    Attributes:
        start, end: where the whole mark (brackets included) is in the text.
        numbers: the in-range source numbers it cites, in written order, each once.
        stray: numbers it names that are out of range (to be left as plain text).
    """

    start: int
    end: int
    numbers: tuple[int, ...]
    stray: tuple[int, ...] = ()


def _expand(item: str) -> list[int]:
    bounds = [int(x) for x in _SPLIT_RANGE.split(item)]
    if len(bounds) == 1:
        return bounds
    low, high = bounds
    if high < low or high - low >= MAX_RANGE:
        return []
    return list(range(low, high + 1))


def find_marks(text: str, count: int) -> list[CitationMark]:
    """The marks of `text` that cite at least one source in 1..count, in text order."""
    marks: list[CitationMark] = []
    for match in _MARK.finditer(text):
        body = match.group(1) if match.group(1) is not None else match.group(2)
        numbers: list[int] = []
        stray: list[int] = []
        for item in _SPLIT_ITEMS.split(body):
            for n in _expand(item):
                target = numbers if 1 <= n <= count else stray
                if n not in target:
                    target.append(n)
        if numbers:
            marks.append(CitationMark(match.start(), match.end(), tuple(numbers), tuple(stray)))
    return marks


def cited_numbers(text: str, count: int) -> list[int]:
    """Source numbers in 1..count cited anywhere in `text`, in first-seen order."""
    seen: list[int] = []
    for mark in find_marks(text, count):
        seen.extend(n for n in mark.numbers if n not in seen)
    return seen
