"""Reading order of loose OCR lines: columns, rows, table cells, a slight rotation."""

from __future__ import annotations

import pytest

from desktop.ingest.layout import Line as OcrLine
from desktop.ingest.layout import reading_order

pytestmark = pytest.mark.unit


def line(text: str, left: float, top: float, right: float, height: float = 30) -> OcrLine:
    return OcrLine(text, (left, top, right, top + height), 0.9)


def test_two_columns_are_read_one_after_the_other() -> None:
    lines = [
        line(f"{side}{row}", left, 100 + 50 * row, left + 500)
        for row in range(4)
        for side, left in (("L", 90), ("R", 650))
    ]
    assert reading_order(lines, 1240).split("\n") == [
        "L0",
        "L1",
        "L2",
        "L3",
        "R0",
        "R1",
        "R2",
        "R3",
    ]


def test_table_cells_stay_in_their_rows_even_on_a_slightly_turned_page() -> None:
    # Each cell sits 8 px lower than the one to its left (about 1° of rotation).
    lines = [
        line(f"r{row}c{col}", 90 + 380 * col, 100 + 60 * row + 8 * col, 300 + 380 * col)
        for row in range(3)
        for col in range(3)
    ]
    assert reading_order(lines[::-1], 1240).split("\n") == [
        "r0c0 | r0c1 | r0c2",
        "r1c0 | r1c1 | r1c2",
        "r2c0 | r2c1 | r2c2",
    ]


def test_words_of_one_line_are_joined_with_a_space() -> None:
    lines = [line("Hello,", 90, 100, 200), line("world", 215, 102, 320)]
    assert reading_order(lines, 1240) == "Hello, world"
