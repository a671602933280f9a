"""Text formats read as a stream of decoded blocks: plain text, code, Markdown,
reStructuredText, HTML, CSV/TSV and JSON/JSON Lines.

Every reader takes a `TextDecoder` and a `SegmentBuilder` and returns the document's title
("" when the format has none). Only JSON is parsed as a whole, and only up to
`JSON_PRETTY_CHARS`; larger JSON is kept as it is.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser

from desktop.core.errors import CorruptFile
from desktop.ingest.encoding import TextDecoder
from desktop.ingest.segments import SECTION_CHARS, SEPARATOR, Headings, Section, SegmentBuilder

TextReader = Callable[[TextDecoder, SegmentBuilder], str]

JSON_PRETTY_CHARS = 32 * 1024 * 1024
CSV_ROWS_PER_SEGMENT = 50


def lines(blocks: Iterable[str], *, keepends: bool = False) -> Iterator[str]:
    """The lines of decoded blocks, a line cut across blocks joined again (its pieces are
    joined once, so a single line of hundreds of megabytes costs no more than its size)."""
    carry: list[str] = []
    for block in blocks:
        parts = block.split("\n")
        if len(parts) == 1:
            carry.append(block)
            continue
        parts[0] = "".join([*carry, parts[0]])
        carry = [parts.pop()]
        yield from (part + "\n" for part in parts) if keepends else parts
    tail = "".join(carry)
    if tail:
        yield tail


def read_plain(decoder: TextDecoder, out: SegmentBuilder) -> str:
    for block in decoder.blocks():
        out.add(block)
    return ""


def read_code(decoder: TextDecoder, out: SegmentBuilder) -> str:
    for block in decoder.blocks():
        out.add(block, kind="code")
    return ""


# ---- Markdown -------------------------------------------------------------------------------

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
# The closing hashes are taken off in _atx_text: a pattern for them (a lazy text group
# followed by optional "\s+#+\s*$") backtracks quadratically over a line of spaces.
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*))?$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")


def _closes(line: str, fence: str) -> bool:
    """A closing fence: only fence characters, at least as many as the opening one."""
    stripped = line.strip()
    return len(stripped) >= len(fence) and stripped == fence[0] * len(stripped)


def _atx_text(raw: str) -> str:
    """A heading's text without its optional closing sequence of hashes."""
    text = raw.rstrip()
    unclosed = text.rstrip("#")
    if unclosed != text and (not unclosed or unclosed[-1].isspace()):
        text = unclosed.rstrip()
    return text


def read_markdown(decoder: TextDecoder, out: SegmentBuilder) -> str:
    section = Section(out)
    title = ""
    fence: str | None = None
    code: list[str] = []
    for line in lines(decoder.blocks()):
        if fence is not None:
            if _closes(line, fence):
                section.block("\n".join(code), "code")
                fence, code = None, []
            else:
                code.append(line)
            continue
        opening = _FENCE.match(line)
        heading = _ATX.match(line)
        setext = _SETEXT.match(line)
        underlined = section.take_title() if setext else None
        if opening:
            fence = opening.group(1)
            section.flush()
        elif heading or underlined is not None:
            level = len(heading.group(1)) if heading else (1 if line.strip()[0] == "=" else 2)
            text = _atx_text(heading.group(2) or "") if heading else str(underlined)
            section.heading(level, text)
            title = title or text.strip()
        else:
            section.line(line)
    if fence is not None:
        section.block("\n".join(code), "code")
    section.flush()
    return title


# ---- reStructuredText -----------------------------------------------------------------------

_RST_ADORN = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")


def read_rst(decoder: TextDecoder, out: SegmentBuilder) -> str:
    """Section titles are underlined; each adornment character gets a level in the order
    it first appears, as reStructuredText itself does."""
    section = Section(out)
    levels: list[str] = []
    title = ""
    pending: str | None = None
    for line in lines(decoder.blocks()):
        underline = _RST_ADORN.match(line)
        if (
            pending is not None
            and pending.strip()
            and underline
            and not _RST_ADORN.match(pending)
            and len(line.strip()) >= len(pending.strip())
        ):
            if underline.group(1) not in levels:
                levels.append(underline.group(1))
            section.heading(levels.index(underline.group(1)) + 1, pending)
            title = title or pending.strip()
            pending = None
            continue
        if pending is not None and not _RST_ADORN.match(pending):
            section.line(pending)
        pending = line
    if pending is not None and not _RST_ADORN.match(pending):
        section.line(pending)
    section.flush()
    return title


# ---- HTML -----------------------------------------------------------------------------------

_SKIP_TAGS = {"script", "style", "nav", "noscript", "template", "svg", "head", "footer"}
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "section",
    "article",
    "blockquote",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "figcaption",
    "hr",
    "main",
    "aside",
    "header",
}
# Rows and list items break the line where they start only, so that neighbours stay in
# one paragraph.
_ITEM_TAGS = {"tr", "li"}
_HEADING_TAG = re.compile(r"h[1-6]")


class HtmlText(HTMLParser):
    """Visible text of an HTML page: headings h1-h6 as the heading path, `<pre>` as code,
    table cells separated by " | ", scripts, styles, navigation and footers dropped."""

    def __init__(self, out: SegmentBuilder, page: int | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.out = out
        self.page = page
        self.headings = Headings()
        self.title = ""
        self._buffer: list[str] = []
        self._size = 0
        self._skip = 0
        self._heading_level = 0
        self._heading_text: list[str] = []
        self._pre = 0
        self._in_title = False
        self._first_cell = True

    def flush(self, kind: str = "text") -> None:
        text = "".join(self._buffer)
        if kind == "text":
            text = re.sub(r"[ \t\r\f\v]+", " ", text)
            text = re.sub(r"\n\s*\n+", "\n\n", text)
            text = "\n".join(line.strip() for line in text.split("\n"))
        self.out.add(text, page=self.page, heading_path=self.headings.path, kind=kind)
        self._buffer.clear()
        self._size = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag == "body":
            # HTML may leave </head> out; the body is never part of it.
            self._skip = 0
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif self._skip:
            return
        elif _HEADING_TAG.fullmatch(tag):
            self.flush()
            self._heading_level = int(tag[1])
            self._heading_text = []
        elif tag == "pre":
            self.flush()
            self._pre += 1
        elif tag in ("td", "th"):
            if not self._first_cell:
                self._buffer.append(" | ")
            self._first_cell = False
        elif tag in _BLOCK_TAGS:
            if tag == "tr":
                self._first_cell = True
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif _HEADING_TAG.fullmatch(tag) and self._heading_level:
            self.headings.enter(self._heading_level, "".join(self._heading_text))
            self._heading_level = 0
        elif tag == "pre" and self._pre:
            self.flush(kind="code")
            self._pre -= 1
        elif tag in _BLOCK_TAGS and tag not in _ITEM_TAGS:
            self._break()

    def _break(self) -> None:
        self._buffer.append("\n")
        # A page without headings would otherwise gather all its text in one buffer.
        if self._size > SECTION_CHARS and not self._pre:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._skip:
            return
        if self._heading_level:
            self._heading_text.append(data)
        else:
            self._buffer.append(data)
            self._size += len(data)
            if self._size > 4 * SECTION_CHARS:
                # Text with no block tag at all (one huge paragraph or <pre>): cut it
                # anywhere, as Section does, or cleaning it up holds many copies of it.
                self.flush(kind="code" if self._pre else "text")

    def close(self) -> None:
        super().close()
        self.flush()


def read_html(decoder: TextDecoder, out: SegmentBuilder) -> str:
    parser = HtmlText(out)
    for block in decoder.blocks():
        parser.feed(block)
    parser.close()
    return " ".join(parser.title.split())


# ---- CSV and JSON ---------------------------------------------------------------------------


def _row_text(names: list[str], row: list[str]) -> str:
    """A row as "name: value" pairs; `names` (the header's, computed once) grows for a row
    longer than the header."""
    names += [f"column {i + 1}" for i in range(len(names), len(row))]
    cells = zip(names, row, strict=False)  # a short row just lacks the last columns
    return "; ".join(f"{name}: {value.strip()}" for name, value in cells if value.strip())


def _dialect(sample: str, tab: bool) -> type[csv.Dialect] | csv.Dialect:
    if tab:
        return csv.excel_tab
    if "\n" in sample:
        # A row cut in half would mislead the sniffer.
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _read_table(decoder: TextDecoder, out: SegmentBuilder, *, tab: bool) -> str:
    blocks = decoder.blocks()
    first = next(blocks, "")
    dialect = _dialect(first[:20000], tab)
    rows = csv.reader(lines(itertools.chain([first], blocks), keepends=True), dialect)
    try:
        header = next(rows, None)
        if header is None:
            return ""
        names = [h.strip() or f"column {i + 1}" for i, h in enumerate(header)]
        batch: list[str] = []
        for row in rows:
            text = _row_text(names, row)
            if text:
                batch.append(text)
            if len(batch) >= CSV_ROWS_PER_SEGMENT:
                out.add("\n".join(batch), kind="table")
                batch = []
    except csv.Error as exc:
        raise CorruptFile(
            f"is not a readable table ({exc}, line {rows.line_num})",
            "Check the file in a spreadsheet and export it again.",
        ) from None
    out.add("\n".join(batch) if batch or out.segments else " | ".join(header), kind="table")
    return ""


def read_csv(decoder: TextDecoder, out: SegmentBuilder) -> str:
    return _read_table(decoder, out, tab=False)


def read_tsv(decoder: TextDecoder, out: SegmentBuilder) -> str:
    return _read_table(decoder, out, tab=True)


def _pretty(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def read_json(decoder: TextDecoder, out: SegmentBuilder) -> str:
    """One JSON value, pretty-printed; kept as written when it is too big or too deeply
    nested to parse."""
    blocks = decoder.blocks()
    taken: list[str] = []
    total = 0
    for block in blocks:
        taken.append(block)
        total += len(block)
        if total > JSON_PRETTY_CHARS:
            for piece in itertools.chain(taken, blocks):
                out.add(piece, kind="code")
            return ""
    text = "".join(taken)
    try:
        pretty = _pretty(json.loads(text))
    except RecursionError:
        pretty = text
    except ValueError as exc:
        raise CorruptFile(
            f"is not valid JSON ({exc})", "Fix the file, or rename it to .txt."
        ) from None
    out.add(pretty, kind="code")
    return ""


def read_json_lines(decoder: TextDecoder, out: SegmentBuilder) -> str:
    """One JSON value per line, each pretty-printed, `CSV_ROWS_PER_SEGMENT` values to a
    segment (a segment each made millions of segments of a file of tiny lines)."""
    batch: list[str] = []
    for number, line in enumerate(lines(decoder.blocks()), start=1):
        if not line.strip():
            continue
        try:
            batch.append(_pretty(json.loads(line)))
        except RecursionError:
            batch.append(line)
        except ValueError as exc:
            raise CorruptFile(
                f"is not valid JSON Lines (line {number}: {exc})",
                "Fix that line, or rename the file to .txt.",
            ) from None
        if len(batch) >= CSV_ROWS_PER_SEGMENT:
            out.add(SEPARATOR.join(batch), kind="code")
            batch = []
    out.add(SEPARATOR.join(batch), kind="code")
    return ""
