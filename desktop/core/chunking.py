"""Cutting documents into passages that fit an embedder and a prompt.

Structure first: a chunk never crosses a section (consecutive segments with the same page
and heading path), so it never spans two pages or two headings. Inside a section it ends
preferably where a segment ends (before a code block or a table), then at a paragraph
break, then at a sentence end (including 。！？ and the Russian and English marks), then
at a line end; only text with none of these is cut between words. Code blocks stay whole
when they fit, else they are cut between lines. Neighbouring chunks of a section share
whole sentences (or lines) worth up to `overlap_tokens`.

Token counts are `desktop.core.text.estimate_tokens`: estimates that need no tokenizer.

Offsets: a document's full text holds every segment at its `TextSegment.start`, the gaps
between them filled with line breaks (the loaders leave one blank line, "\\n\\n", between
segments); `full_text(doc)` builds it. `chunk.start`/`chunk.end` index that text, and
`full_text(doc)[chunk.start:chunk.end] == chunk.text`.

Text read by OCR keeps that mark and the places of its lines: a chunk of such text holds
the boxes of the lines it contains (or begins or ends inside), so a viewer can show the
passage where it stands on the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from desktop.core.documents import Box, Chunk, LoadedDocument, TextSegment
from desktop.core.text import CJK, estimate_tokens

_TOKEN = re.compile(rf"[{CJK}]|[^\W{CJK}]{{1,24}}|[^\w\s]+")

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE = re.compile(r"[.!?…;]+[\"'»”’)\]]*\s+|[。！？；]+[」』”’）》]*\s*")
_LINE = re.compile(r"\n")
# What a comparison of OCR lines with a chunk ignores: spacing and the table cell marks.
_LOOSE = re.compile(r"[\s|]+")
# A chunk that begins or ends inside a line shares at least this much of it.
_EDGE_CHARS = 12

# How good a place to end a chunk the end of a unit is.
_MID_TEXT, _LINE_END, _PARAGRAPH_END, _SEGMENT_END = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class _Unit:
    """A piece that is never cut: start and end in the full text, its tokens, and how
    good a place its end is to end a chunk."""

    start: int
    end: int
    tokens: float
    strength: int


@dataclass(frozen=True, slots=True)
class _Level:
    """One way of cutting text: where, how strong the cuts are, and whether to cut even
    pieces that fit."""

    pattern: re.Pattern[str]
    strength: int
    always: bool


_TEXT_LEVELS = (
    _Level(_PARAGRAPH, _PARAGRAPH_END, True),
    _Level(_SENTENCE, _LINE_END, True),
    _Level(_LINE, _LINE_END, False),
)
_CODE_LEVELS = (_Level(_PARAGRAPH, _PARAGRAPH_END, True), _Level(_LINE, _LINE_END, True))
_TABLE_LEVELS = (_Level(_LINE, _LINE_END, True),)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop outer whitespace, but keep the indentation of the first line (code): a chunk
    starts at the beginning of its line whenever only spaces precede it."""
    first = start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        line_start = text.rfind("\n", first, start) + 1 or first
        if line_start < start and text[line_start:start].strip(" \t") == "":
            start = line_start
    return start, end


def _pieces(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """text[start:end] cut after each match of `pattern`, trimmed, blank pieces dropped."""
    cuts = [m.end() for m in pattern.finditer(text, start, end) if start < m.end() < end]
    pieces = []
    for a, b in zip([start, *cuts], [*cuts, end], strict=True):
        a, b = _trim(text, a, b)
        if a < b:
            pieces.append((a, b))
    return pieces


def _hard(text: str, start: int, end: int, strength: int, max_tokens: int) -> Iterator[_Unit]:
    """Cut a run without usable breaks between tokens (words, CJK characters)."""
    first, tokens = start, 0.0
    for match in _TOKEN.finditer(text, start, end):
        weight = estimate_tokens(match.group(0))
        if tokens + weight > max_tokens and tokens > 0:
            a, b = _trim(text, first, match.start())
            yield _Unit(a, b, tokens, _MID_TEXT)
            first, tokens = match.start(), 0.0
        tokens += weight
    a, b = _trim(text, first, end)
    if a < b:
        yield _Unit(a, b, tokens, strength)


def _divide(
    text: str,
    span: tuple[int, int],
    strength: int,
    levels: Sequence[_Level],
    max_tokens: int,
) -> Iterator[_Unit]:
    """Units of text[start:end]; the last one ends with `strength`."""
    start, end = span
    if levels and levels[0].always:
        yield from _divide_at(text, span, strength, levels, max_tokens)
        return
    tokens = estimate_tokens(text[start:end])
    if tokens <= max_tokens:
        yield _Unit(start, end, tokens, strength)
    elif levels:
        yield from _divide_at(text, span, strength, levels, max_tokens)
    else:
        yield from _hard(text, start, end, strength, max_tokens)


def _divide_at(
    text: str,
    span: tuple[int, int],
    strength: int,
    levels: Sequence[_Level],
    max_tokens: int,
) -> Iterator[_Unit]:
    """Cut at the first level's breaks, then divide each piece further."""
    level, rest = levels[0], levels[1:]
    pieces = _pieces(text, *span, level.pattern)
    for number, piece in enumerate(pieces, start=1):
        inner = strength if number == len(pieces) else level.strength
        yield from _divide(text, piece, inner, rest, max_tokens)


def _units(segment: TextSegment, max_tokens: int) -> list[_Unit]:
    """The segment's units, with offsets in the document's full text."""
    text = segment.text
    span = _trim(text, 0, len(text))
    if span[0] == span[1]:
        return []
    levels: tuple[_Level, ...]
    if segment.kind == "code":
        levels = () if estimate_tokens(text) <= max_tokens else _CODE_LEVELS
    elif segment.kind == "table":
        levels = _TABLE_LEVELS
    else:
        levels = _TEXT_LEVELS
    base = segment.start
    return [
        _Unit(base + u.start, base + u.end, u.tokens, u.strength)
        for u in _divide(text, span, _SEGMENT_END, levels, max_tokens)
    ]


def _sections(segments: Sequence[TextSegment]) -> Iterator[list[TextSegment]]:
    """Runs of consecutive segments with the same page and heading path, in order."""
    run: list[TextSegment] = []
    for segment in segments:
        if run and (
            segment.page != run[-1].page
            or segment.heading_path != run[-1].heading_path
            or segment.start < run[-1].start + len(run[-1].text)
        ):
            yield run
            run = []
        run.append(segment)
    if run:
        yield run


def _best_end(units: Sequence[_Unit], first: int, last: int) -> int:
    """The unit to end a full chunk on: the strongest break that keeps at least half of
    the chunk, the latest of equals."""
    total = sum(u.tokens for u in units[first : last + 1])
    best, best_strength, kept = last, -1, 0.0
    for index in range(first, last + 1):
        kept += units[index].tokens
        if kept >= total / 2 and units[index].strength >= best_strength:
            best, best_strength = index, units[index].strength
    return best


def _pack(units: Sequence[_Unit], max_tokens: int, overlap_tokens: int) -> list[tuple[int, int]]:
    """Group units into (first, last) index ranges, neighbours sharing some units."""
    groups: list[tuple[int, int]] = []
    first = 0
    while first < len(units):
        last, total = first, units[first].tokens
        while last + 1 < len(units) and total + units[last + 1].tokens <= max_tokens:
            last += 1
            total += units[last].tokens
        if last + 1 < len(units):
            last = _best_end(units, first, last)
        groups.append((first, last))
        first = _next_start(units, first, last, max_tokens, overlap_tokens)
    return groups


def _next_start(
    units: Sequence[_Unit], first: int, last: int, max_tokens: int, overlap_tokens: int
) -> int:
    """Where the chunk after units[first..last] starts: a few units back, so neighbours
    share context, but never back to `first` and never so far that the next unit no
    longer fits."""
    start, carried = last + 1, 0.0
    if start >= len(units):
        return start
    room = max_tokens - units[start].tokens
    while start - 1 > first:
        weight = units[start - 1].tokens
        if carried + weight > overlap_tokens or carried + weight > room:
            break
        start -= 1
        carried += weight
    return start


def _text_between(section: Sequence[TextSegment], start: int, end: int) -> str:
    """full_text[start:end] for offsets inside one section."""
    parts: list[str] = []
    position = start
    for segment in section:
        seg_end = segment.start + len(segment.text)
        if seg_end <= position:
            continue
        if segment.start >= end:
            break
        if segment.start > position:
            parts.append("\n" * (segment.start - position))
            position = segment.start
        parts.append(segment.text[position - segment.start : min(end, seg_end) - segment.start])
        position = min(end, seg_end)
    return "".join(parts)


def _loose(text: str) -> str:
    return _LOOSE.sub("", text)


def _regions_in(section: Sequence[TextSegment], text: str) -> tuple[Box, ...]:
    """The boxes of the section's OCR lines that the chunk text holds, or begins or ends
    inside."""
    chunk = _loose(text)
    head, tail = chunk[:_EDGE_CHARS], chunk[-_EDGE_CHARS:]
    boxes: list[Box] = []
    for segment in section:
        for region in segment.regions:
            line = _loose(region.text)
            if line and (line in chunk or head in line or tail in line) and region.box not in boxes:
                boxes.append(region.box)
    return tuple(boxes)


def chunk_document(
    doc: LoadedDocument, *, doc_id: str, max_tokens: int = 350, overlap_tokens: int = 50
) -> list[Chunk]:
    """Cut a loaded document into chunks with ids "<doc_id>:<ordinal>".

    Args:
        doc: the document.
        doc_id: the document's id in the registry; chunk ids start with it.
        max_tokens: the most tokens a chunk may hold (estimated; at least 16).
        overlap_tokens: about how many tokens neighbouring chunks of a section share (at
            most half of `max_tokens`).
    """
    max_tokens = max(16, max_tokens)
    overlap_tokens = max(0, min(overlap_tokens, max_tokens // 2))
    chunks: list[Chunk] = []
    for section in _sections(doc.segments):
        units = [unit for segment in section for unit in _units(segment, max_tokens)]
        ocr = any(segment.ocr for segment in section)
        for first, last in _pack(units, max_tokens, overlap_tokens):
            start, end = units[first].start, units[last].end
            text = _text_between(section, start, end)
            chunks.append(
                Chunk(
                    chunk_id=f"{doc_id}:{len(chunks)}",
                    doc_id=doc_id,
                    source=doc.path,
                    ordinal=len(chunks),
                    text=text,
                    page=section[0].page,
                    heading_path=section[0].heading_path,
                    start=start,
                    end=end,
                    ocr=ocr,
                    regions=_regions_in(section, text) if ocr else (),
                )
            )
    return chunks


def full_text(doc: LoadedDocument) -> str:
    """The document's full text, each segment at its `start` (gaps are line breaks)."""
    parts: list[str] = []
    length = 0
    for segment in doc.segments:
        if segment.start > length:
            parts.append("\n" * (segment.start - length))
            length = segment.start
        parts.append(segment.text)
        length += len(segment.text)
    return "".join(parts)
