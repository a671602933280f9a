"""The one citation reader: every form, out-of-range numbers, Chinese brackets."""

from __future__ import annotations

import pytest

from desktop.core.citations import CitationMark, cited_numbers, find_marks

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Picked in May [2].", [2]),
        ("Both say so [2, 3].", [2, 3]),
        ("Both say so [2,3].", [2, 3]),
        ("All of them [2-4].", [2, 3, 4]),
        ("All of them [2 – 4].", [2, 3, 4]),
        ("Adjacent [1][2][3].", [1, 2, 3]),
        ("苹果在九月采摘【1】。", [1]),
        ("两者都提到【1, 2】。", [1, 2]),
        ("两者都提到【1，2】。", [1, 2]),
        ("Mixed [3] then [1] then [3] again [2-3].", [3, 1, 2]),
    ],
)
def test_every_form_is_read(text: str, expected: list[int]) -> None:
    assert cited_numbers(text, 8) == expected


def test_numbers_outside_the_sent_passages_are_not_citations() -> None:
    assert cited_numbers("As [9] says, and [0] too.", 8) == []
    assert find_marks("As [9] says.", 8) == []
    assert cited_numbers("See [2, 9] and [7-12].", 8) == [2, 7, 8]
    (mark,) = find_marks("See [2, 9].", 8)
    assert mark == CitationMark(4, 10, (2,), (9,))


def test_no_citation() -> None:
    assert cited_numbers("The sources do not say.", 8) == []
    assert cited_numbers("Arrays like a[i] and [x, y] are not marks.", 8) == []
    assert cited_numbers("Nothing was sent [1].", 0) == []


def test_links_reversed_and_huge_ranges_are_not_citations() -> None:
    assert cited_numbers("a link [1](http://x) and [2]", 8) == [2]
    assert cited_numbers("[3-1] and [1-2000]", 8) == []


def test_marks_carry_their_position() -> None:
    text = "A [1][2] B 【3】"
    marks = find_marks(text, 8)
    assert [text[m.start : m.end] for m in marks] == ["[1]", "[2]", "【3】"]
    assert [m.numbers for m in marks] == [(1,), (2,), (3,)]
