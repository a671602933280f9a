"""Cutting documents into passages that fit an embedder and a prompt.

Structure first: a chunk never crosses a segment (a page, a section under a heading), it
prefers paragraph breaks, then sentence ends (including 。！？ and the Russian and English
marks), and keeps code blocks whole when they fit (else it splits them by lines).
Neighbouring chunks of a section share about `overlap_tokens` of text.

Token counts are estimates that need no tokenizer and work without spaces: each Chinese,
Japanese or Korean character counts as one token, each other word (a run of letters or
digits) as 1.3 tokens, other symbols as one token per three.

Offsets: `chunk.start`/`chunk.end` index the document's full text, in which every segment
sits at its `TextSegment.start`; so `full_text[chunk.start:chunk.end] == chunk.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.documents import Chunk, LoadedDocument, TextSegment

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+|[^\w\s]+", re.UNICODE)
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+|(?<=[。！？；])")
_WORD_WEIGHT = 1.3


def count_tokens(text: str) -> float:
    """Estimated tokens in `text` (see the module docstring)."""
    total = 0.0
    for match in _TOKEN.finditer(text):
        piece = match.group(0)
        if len(piece) == 1 and re.match(rf"[{_CJK}]", piece):
            total += 1
        elif piece[0].isalnum() or piece[0] == "_":
            total += _WORD_WEIGHT
        else:
            total += max(1, len(piece)) / 3
    return total


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    tokens: float


def _spans(text: str, pattern: re.Pattern[str], offset: int = 0) -> list[_Span]:
    spans: list[_Span] = []
    position = 0
    for match in pattern.finditer(text):
        if match.end() <= position or match.start() == 0:
            continue
        piece = text[position : match.start()]
        if piece.strip():
            spans.append(_Span(offset + position, offset + match.start(), count_tokens(piece)))
        position = match.end()
    if text[position:].strip():
        spans.append(_Span(offset + position, offset + len(text), count_tokens(text[position:])))
    return spans


def _hard_split(text: str, offset: int, max_tokens: int) -> list[_Span]:
    """Split a run with no usable breaks by token windows."""
    spans: list[_Span] = []
    start, tokens = 0, 0.0
    for match in _TOKEN.finditer(text):
        weight = count_tokens(match.group(0))
        if tokens + weight > max_tokens and tokens > 0:
            spans.append(_Span(offset + start, offset + match.start(), tokens))
            start, tokens = match.start(), 0.0
        tokens += weight
    if text[start:].strip():
        spans.append(_Span(offset + start, offset + len(text), tokens))
    return spans


def _units(segment: TextSegment, max_tokens: int) -> list[_Span]:
    """Break a segment into pieces no larger than `max_tokens`, at the best boundaries."""
    text = segment.text
    if segment.kind == "code":
        if count_tokens(text) <= max_tokens:
            return [_Span(0, len(text), count_tokens(text))] if text.strip() else []
        return _refine(_spans(text, re.compile(r"\n")), text, max_tokens, code=True)
    return _refine(_spans(text, _PARAGRAPH), text, max_tokens, code=False)


def _refine(spans: list[_Span], text: str, max_tokens: int, *, code: bool) -> list[_Span]:
    out: list[_Span] = []
    for span in spans:
        if span.tokens <= max_tokens:
            out.append(span)
            continue
        piece = text[span.start : span.end]
        finer = [] if code else _spans(piece, _SENTENCE_END, span.start)
        if len(finer) <= 1:
            out.extend(_hard_split(piece, span.start, max_tokens))
            continue
        for sentence in finer:
            if sentence.tokens <= max_tokens:
                out.append(sentence)
            else:
                out.extend(
                    _hard_split(text[sentence.start : sentence.end], sentence.start, max_tokens)
                )
    return out


def _pack(units: list[_Span], max_tokens: int, overlap_tokens: int) -> list[tuple[int, int]]:
    """Greedily group units into (first, last) index ranges with a token overlap."""
    groups: list[tuple[int, int]] = []
    first = 0
    while first < len(units):
        last, total = first, units[first].tokens
        while last + 1 < len(units) and total + units[last + 1].tokens <= max_tokens:
            last += 1
            total += units[last].tokens
        groups.append((first, last))
        if last + 1 >= len(units):
            break
        # Start the next chunk a few units back, so neighbours share some context.
        nxt, carried = last + 1, 0.0
        while nxt - 1 > first and carried + units[nxt - 1].tokens <= overlap_tokens:
            nxt -= 1
            carried += units[nxt].tokens
        if carried + units[last + 1].tokens > max_tokens:
            nxt = last + 1
        first = nxt
    return groups


def chunk_document(
    doc: LoadedDocument, *, doc_id: str, max_tokens: int = 350, overlap_tokens: int = 50
) -> list[Chunk]:
    """Cut a loaded document into chunks with ids "<doc_id>:<ordinal>"."""
    max_tokens = max(16, max_tokens)
    overlap_tokens = max(0, min(overlap_tokens, max_tokens // 2))
    chunks: list[Chunk] = []
    for segment in doc.segments:
        units = _units(segment, max_tokens)
        for first, last in _pack(units, max_tokens, overlap_tokens):
            start, end = units[first].start, units[last].end
            raw = segment.text[start:end]
            lead = len(raw) - len(raw.lstrip())
            text = raw.strip()
            if not text:
                continue
            absolute = segment.start + start + lead
            chunks.append(
                Chunk(
                    chunk_id=f"{doc_id}:{len(chunks)}",
                    doc_id=doc_id,
                    source=doc.path,
                    ordinal=len(chunks),
                    text=text,
                    page=segment.page,
                    heading_path=segment.heading_path,
                    start=absolute,
                    end=absolute + len(text),
                )
            )
    return chunks


def full_text(doc: LoadedDocument) -> str:
    """The document's full text, each segment at its `start` (gaps are blank lines)."""
    parts: list[str] = []
    length = 0
    for segment in doc.segments:
        if segment.start > length:
            parts.append("\n" * (segment.start - length))
            length = segment.start
        parts.append(segment.text)
        length += len(segment.text)
    return "".join(parts)
