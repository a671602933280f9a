"""Putting positioned text back in reading order: for OCR engines that return loose
lines, and for PDF text layers, whose characters come in whatever order the producer
drew them.

Boxes are (left, top, right, bottom) with y growing downwards, in any unit.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# A page number alone on a line: "7", "- 7 -", "Page 7", "7 / 12", "Стр. 7", "第 7 页".
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page|p\.|стр\.?|страница|第)?\s*\d+\s*(?:(?:/|of|из)\s*\d+)?"
    r"\s*(?:页)?\s*(?:[-–—])?\s*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
# A line repeated at the top or bottom of at least this share of pages runs on every page.
_RUNNING_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    box: tuple[float, float, float, float]
    confidence: float = 1.0


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines that share a row (they overlap vertically by half their height), top to
    bottom, each row left to right. A slight page rotation is allowed for: a line joins
    the row of its left neighbour, not of the row's first line."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda item: item.box[0]):
        top, bottom = line.box[1], line.box[3]
        best = None
        for row in rows:
            last = row[-1]
            overlap = min(bottom, last.box[3]) - max(top, last.box[1])
            height = min(bottom - top, last.box[3] - last.box[1])
            if last.box[2] <= line.box[0] + 5 and overlap > 0.5 * height:
                best = row
                break
        if best is None:
            rows.append([line])
        else:
            best.append(line)
    rows.sort(key=lambda row: sum(item.box[1] for item in row) / len(row))
    return rows


def _columns(lines: list[Line], width: float) -> list[list[Line]]:
    """The groups to read one after the other. Two columns when a gutter near the middle
    is crossed by no line and the lines on each side fill their side's width (text set
    in columns; table cells leave most of it empty); then what stands above both columns
    (a running header) comes first and what stands below both (a page number) last.
    Else one group."""
    if not lines:
        return []
    middle = width / 2
    crossing = [line for line in lines if line.box[0] < middle < line.box[2]]
    left = [line for line in lines if line.box[2] <= middle]
    right = [line for line in lines if line.box[0] >= middle]
    if crossing or len(left) < 3 or len(right) < 3:
        return [lines]

    def full(side: list[Line]) -> list[Line]:
        extent = max(line.box[2] for line in side) - min(line.box[0] for line in side)
        return [line for line in side if line.box[2] - line.box[0] >= 0.7 * extent]

    full_left, full_right = full(left), full(right)
    if len(full_left) < 0.6 * len(left) or len(full_right) < 0.6 * len(right):
        return [lines]
    top = min(line.box[1] for line in full_left + full_right)
    bottom = max(line.box[3] for line in full_left + full_right)
    above = [line for line in lines if line.box[3] <= top]
    below = [line for line in lines if line.box[1] >= bottom]
    inside = [line for line in lines if line.box[3] > top and line.box[1] < bottom]
    groups = [above, [x for x in inside if x in left], [x for x in inside if x in right], below]
    return [group for group in groups if group]


def ordered_rows(lines: list[Line], width: float) -> list[list[Line]]:
    """The rows of loose lines in reading order: columns left to right, rows top to
    bottom, each row left to right (the same `Line` objects)."""
    return [row for column in _columns(lines, width) for row in _rows(column)]


def reading_order(lines: list[Line], width: float) -> str:
    """The text of loose lines in reading order: columns left to right, rows top to
    bottom; lines of one row far apart (table cells) joined with " | "."""
    out = []
    for row in ordered_rows(lines, width):
        text = row[0].text
        for before, line in itertools.pairwise(row):
            gap = line.box[0] - before.box[2]
            height = line.box[3] - line.box[1]
            text += (" | " if gap > 1.5 * height else " ") + line.text
        out.append(text)
    return "\n".join(out)


def lines_from_chars(chars: Iterable[tuple[str, tuple[float, float, float, float]]]) -> list[Line]:
    """Characters with their boxes, in the order a PDF draws them, grouped into runs: a
    run ends where the next character sits on another line or far to the side (more
    than its own height away, as between table cells or columns). Spaces separate words
    and carry no box of their own; line breaks are ignored."""
    runs: list[Line] = []
    text: list[str] = []
    box: list[float] = []
    space = False

    def close() -> None:
        if text and "".join(text).strip():
            runs.append(Line("".join(text).strip(), (box[0], box[1], box[2], box[3])))

    for ch, (left, top, right, bottom) in chars:
        if ch in "\r\n":
            continue
        if ch.isspace() or right <= left:
            space = bool(text)
            continue
        if text:
            height = max(bottom - top, box[3] - box[1], 1e-6)
            overlap = min(bottom, box[3]) - max(top, box[1])
            gap = left - box[2]
            if overlap < 0.5 * min(bottom - top, box[3] - box[1]) or gap > height or gap < -height:
                close()
                text, box, space = [], [], False
        if not text:
            text, box = [ch], [left, top, right, bottom]
            continue
        if space:
            text.append(" ")
            space = False
        text.append(ch)
        box = [min(box[0], left), min(box[1], top), max(box[2], right), max(box[3], bottom)]
    close()
    return runs


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """The pages' lines without running headers and footers (a line among the first or
    last two of a page that recurs there, digits aside, on at least half the pages and
    at least two) and without page numbers alone on the first or last line."""

    def key(line: str) -> str:
        return _DIGITS.sub("#", line.strip().lower())

    counts: Counter[str] = Counter()
    if len(pages) >= 2:
        for lines in pages:
            ends = {key(line) for line in lines[:2] + lines[-2:]}
            counts.update(ends)
    running = {k for k, n in counts.items() if n >= max(2, _RUNNING_SHARE * len(pages))}
    out = []
    for lines in pages:
        kept = list(lines)
        for position in (0, 0, -1, -1):  # up to two lines at each end
            if kept and (key(kept[position]) in running or _PAGE_NUMBER.match(kept[position])):
                kept.pop(position)
        out.append(kept)
    return out


def split_tables(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Runs of lines as ("text", lines) or ("table", rows): a table is two or more lines
    in a row with the same number of cells (" | ") and at least two cells."""
    blocks: list[tuple[str, list[str]]] = []
    for cells, group in itertools.groupby(lines, key=lambda line: line.count(" | ") + 1):
        rows = list(group)
        kind = "table" if cells >= 2 and len(rows) >= 2 else "text"
        if blocks and blocks[-1][0] == kind == "text":
            blocks[-1][1].extend(rows)
        else:
            blocks.append((kind, rows))
    return blocks
