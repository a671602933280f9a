"""Rendering a conversation into one QTextDocument.

Questions sit in frames (tinted boxes); answers are plain blocks between them. Answers are
not framed because Qt lays a frame out again as a whole whenever its text changes, which
would make every flush of a long answer cost more than the one before.

A streamed answer is rendered incrementally: finished Markdown blocks (paragraphs, lists,
tables, each line of a code block) are inserted once and never touched again; only the
last, still-growing block is replaced on each flush. The cost of a flush therefore depends
on the length of the last block, not of the answer.
"""

from __future__ import annotations

import asyncio
import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pygments import lex
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import _TokenType
from pygments.util import ClassNotFound
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFrameFormat,
    QTextLength,
)

from desktop.core.citations import cited_numbers, find_marks
from desktop.core.conversations import StoredCitation
from desktop.ui.links import Link, LinkKind
from desktop.ui.theme import Colors

Region = Callable[[], tuple[int, int]]
_FENCE = re.compile(r"^\s{0,3}(```|~~~)\s*([\w+#.-]*)")


@dataclass(slots=True)
class MessageEntry:
    """One message as the chat view shows it.

    Attributes:
        key: the view's id for the message (also used in link targets).
        role: "user" or "assistant".
        provider: "local" or "cloud" once known.
        tokens_per_second: the answer's speed, 0 when unknown.
        hint: what to do about `error`.
        show_thinking: whether the thinking section is expanded.
        show_searched: whether the passages searched but not cited are listed.
        streaming: the answer is still arriving.
        waiting: what a streaming answer waits for, shown until its first words arrive.
        stopped: the person stopped the answer (`error` says so, quietly, not as a failure).
    """

    key: int
    role: str
    content: str = ""
    thinking: str = ""
    citations: list[StoredCitation] = field(default_factory=list)
    provider: str = ""
    model: str = ""
    tokens_per_second: float = 0.0
    error: str = ""
    hint: str = ""
    notice: str = ""
    show_thinking: bool = False
    show_searched: bool = False
    streaming: bool = False
    waiting: str = ""
    stopped: bool = False
    stored_id: int = 0
    code_blocks: list[str] = field(default_factory=list)


def source_count(citations: list[StoredCitation]) -> int:
    """How many passages were sent with the answer (source numbers run 1..count)."""
    return max((c.number for c in citations), default=0)


def cited_and_searched(
    entry: MessageEntry,
) -> tuple[list[StoredCitation], list[StoredCitation]]:
    """The sources the answer cites, and the passages searched but not cited."""
    cited = set(cited_numbers(entry.content, source_count(entry.citations)))
    sources = [c for c in entry.citations if c.number in cited]
    searched = [c for c in entry.citations if c.number not in cited]
    return sources, searched


def link_citations(markdown: str, key: int, count: int) -> str:
    """Turn each cited source number (1..count) into its own citation link.

    `[2, 3]`, `[2-4]` and `【1】` become one chip per number; chips that would touch
    (`[1][2]`) are kept apart by a space. Numbers out of range stay plain text, and links
    already written as `[x](y)` are left.
    """
    out: list[str] = []
    pos = 0
    for mark in find_marks(markdown, count):
        if out and mark.start == pos:
            out.append(" ")  # right after the previous mark: a gap, not one blob
        out.append(markdown[pos : mark.start])
        chips = [f"[\\[{n}\\]]({Link(LinkKind.CITE, key, n).href})" for n in mark.numbers]
        chips += [f"\\[{n}\\]" for n in mark.stray]
        out.append(" ".join(chips))
        pos = mark.end
    out.append(markdown[pos:])
    return "".join(out)


_INLINE_CODE = re.compile(r"`([^`]+)`")


def split_code(text: str) -> list[tuple[str, bool]]:
    """A hint's plain text and its `commands`, in order: (text, is_code), backticks gone."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for match in _INLINE_CODE.finditer(text):
        if match.start() > pos:
            parts.append((text[pos : match.start()], False))
        parts.append((match.group(1), True))
        pos = match.end()
    if pos < len(text):
        parts.append((text[pos:], False))
    return parts


def hint_html(text: str) -> str:
    """A message as rich text: escaped, with its `commands` set in code type."""
    return "".join(
        f"<code>{html.escape(part, quote=False)}</code>" if code else html.escape(part, quote=False)
        for part, code in split_code(text)
    )


def _markdown_fragment(markdown: str) -> QTextDocument:
    """Parse Markdown into a scratch document whose first block is empty.

    Inserting a fragment merges its first block into the block at the cursor (losing a
    heading or list format), so the real content starts at the second block.
    """
    tmp = QTextDocument()
    tmp.setMarkdown(markdown, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    first = tmp.firstBlock()
    fmt = first.blockFormat()
    text_list = first.textList()
    cursor = QTextCursor(tmp)
    cursor.insertBlock(fmt)
    if text_list is not None:
        text_list.remove(tmp.firstBlock())
    cursor.setPosition(0)
    cursor.setBlockFormat(QTextBlockFormat())
    return tmp


# Languages whose lexers are built ahead of the first answer, one per turn of the event loop
# (building one imports its module and compiles its rules: up to 20 ms each when idle; all
# at once, at the first code block, they made a visible stall).
COMMON_LANGUAGES = ("python", "bash", "javascript", "typescript", "json", "sql", "yaml", "c")


@functools.lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


async def warm_lexers() -> None:
    """Build the common lexers, one per turn of the event loop. On the window's thread on
    purpose: a Python thread beside PySide can deadlock it (a Qt object freed by the
    garbage collector in that thread takes Qt's lock, then waits for the GIL)."""
    for language in COMMON_LANGUAGES:
        _lexer(language)
        await asyncio.sleep(0.02)


class Styler:
    """Formats shared by every message: chips, code, muted text."""

    def __init__(self, colors: Colors) -> None:
        self.colors = colors
        self.mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.chip = QTextCharFormat()
        self.chip.setBackground(QColor(colors.chip))
        self.chip.setForeground(QColor(colors.chip_text))
        self.chip.setFontUnderline(False)
        self.chip.setFontWeight(QFont.Weight.DemiBold)
        self.code_block = QTextBlockFormat()
        self.code_block.setBackground(QColor(colors.code_bg))
        self.code_block.setLeftMargin(8)
        # A long line wraps inside its block (the transcript is one document, which cannot
        # scroll one block sideways; unbreakable lines made the whole transcript scroll).
        # Copy takes the code as written, unwrapped.
        self.code_char = QTextCharFormat()
        self.code_char.setFont(self.mono)
        self.code_char.setForeground(QColor(colors.text))
        self.muted = QTextCharFormat()
        self.muted.setForeground(QColor(colors.muted))
        self.muted.setFontPointSize(8.5)
        self.paragraph = QTextBlockFormat()
        self.paragraph.setBottomMargin(6)
        self.paragraph.setLineHeight(125, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        self._token_formats: dict[_TokenType, QTextCharFormat | None] = {}
        self._style = get_style_by_name(colors.pygments_style)

    def link(self, color: str | None = None, *, bold: bool = False) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(color or self.colors.accent))
        fmt.setFontUnderline(False)
        fmt.setFontPointSize(8.5)
        if bold:
            fmt.setFontWeight(QFont.Weight.DemiBold)
        return fmt

    def token_format(self, token: _TokenType) -> QTextCharFormat | None:
        if token not in self._token_formats:
            spec = self._style.style_for_token(token)
            fmt: QTextCharFormat | None = None
            if spec.get("color") or spec.get("bold") or spec.get("italic"):
                fmt = QTextCharFormat()
                if spec.get("color"):
                    fmt.setForeground(QColor("#" + str(spec["color"])))
                if spec.get("bold"):
                    fmt.setFontWeight(QFont.Weight.Bold)
                if spec.get("italic"):
                    fmt.setFontItalic(True)
            self._token_formats[token] = fmt
        return self._token_formats[token]

    def polish(self, doc: QTextDocument) -> None:
        """Paragraph spacing and citation chips on a freshly parsed scratch document."""
        cursor = QTextCursor(doc)
        block = doc.firstBlock().next()
        while block.isValid():
            if block.textList() is None and not block.blockFormat().hasProperty(
                QTextBlockFormat.Property.BlockCodeFence
            ):
                cursor.setPosition(block.position())
                cursor.mergeBlockFormat(self.paragraph)
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                link = Link.parse(frag.charFormat().anchorHref())
                if link is not None and link.kind is LinkKind.CITE:
                    cursor.setPosition(frag.position())
                    cursor.setPosition(
                        frag.position() + frag.length(), QTextCursor.MoveMode.KeepAnchor
                    )
                    cursor.mergeCharFormat(self.chip)
                it += 1
            block = block.next()

    def highlight(self, doc: QTextDocument, start: int, code: str, language: str) -> None:
        """Colour a finished code block whose first character is at `start`."""
        lexer = _lexer(language) if language else None
        if lexer is None:
            return
        cursor = QTextCursor(doc)
        offset = start
        for token, value in lex(code, lexer):
            fmt = self.token_format(token)
            if fmt is not None and value.strip():
                cursor.setPosition(offset)
                cursor.setPosition(offset + len(value), QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(fmt)
            offset += len(value)


def insert_markdown(cursor: QTextCursor, markdown: str, styler: Styler) -> None:
    """Insert Markdown as new blocks after the cursor's block."""
    doc = _markdown_fragment(markdown)
    styler.polish(doc)
    cursor.insertFragment(QTextDocumentFragment(doc))


@dataclass(slots=True)
class _OpenCode:
    language: str
    header_offset: int
    start_offset: int
    lines: list[str] = field(default_factory=list)


class LiveAnswer:
    """The growing Markdown body of one answer, at the end of the answer's region.

    Call `append()` as tokens arrive and `flush()` on a timer; `finish()` renders the rest.
    Code blocks found are listed in `entry.code_blocks` (for the Copy links).

    Args:
        doc: the conversation document.
        region: returns the answer's current (start, end) positions in `doc`.
        entry: the answer.
        styler: shared formats.
    """

    def __init__(
        self, doc: QTextDocument, region: Region, entry: MessageEntry, styler: Styler
    ) -> None:
        self._region = region
        self._doc = doc
        self._entry = entry
        self._styler = styler
        self._text = ""
        self._consumed = 0
        self._paragraph: list[str] = []
        self._code: _OpenCode | None = None
        self._live = self._offset_at_end()
        self.dirty = False

    def _start(self) -> int:
        return self._region()[0]

    def _end(self) -> int:
        return self._region()[1]

    def _cursor(self, offset: int | None = None) -> QTextCursor:
        cursor = QTextCursor(self._doc)
        pos = self._end() if offset is None else self._start() + offset
        cursor.setPosition(pos)
        return cursor

    def _offset_at_end(self) -> int:
        start, end = self._region()
        return end - start

    def append(self, text: str) -> None:
        self._text += text
        self._entry.content = self._text
        self.dirty = True

    def flush(self) -> None:
        """Render what arrived since the last flush."""
        if not self.dirty:
            return
        self.dirty = False
        self._clear_live()
        cut = self._text.rfind("\n") + 1
        if cut > self._consumed:
            for line in self._text[self._consumed : cut - 1].split("\n"):
                self._take_line(line)
            self._consumed = cut
        self._live = self._offset_at_end()
        self._render_tail(self._text[self._consumed :])

    def finish(self) -> None:
        """Render the rest as finished blocks (an unclosed code block is closed)."""
        self._clear_live()
        rest = self._text[self._consumed :]
        if rest:
            for line in rest.split("\n"):
                self._take_line(line)
        self._consumed = len(self._text)
        if self._code is not None:
            self._close_code()
        self._flush_paragraph()
        self._live = self._offset_at_end()

    def _clear_live(self) -> None:
        cursor = self._cursor(self._live)
        cursor.setPosition(self._end(), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()

    def _take_line(self, line: str) -> None:
        fence = _FENCE.match(line)
        if self._code is not None:
            if fence and not fence.group(2):
                self._close_code()
            else:
                self._code.lines.append(line)
                self._code_line(line)
            return
        if fence:
            self._flush_paragraph()
            self._open_code(fence.group(2))
        elif not line.strip():
            self._flush_paragraph()
        else:
            self._paragraph.append(line)

    def _flush_paragraph(self) -> None:
        if self._paragraph:
            markdown = link_citations(
                "\n".join(self._paragraph), self._entry.key, source_count(self._entry.citations)
            )
            insert_markdown(self._cursor(), markdown, self._styler)
            self._paragraph = []

    def _open_code(self, language: str) -> None:
        cursor = self._cursor()
        header_offset = self._offset_at_end()
        cursor.insertBlock(QTextBlockFormat(), self._styler.muted)
        cursor.insertText(
            (language or QCoreApplication.translate("ChatDocument", "code")) + "   ",
            self._styler.muted,
        )
        index = len(self._entry.code_blocks)
        copy = self._styler.link()
        copy.setAnchor(True)
        copy.setAnchorHref(Link(LinkKind.COPY_CODE, self._entry.key, index).href)
        cursor.insertText(QCoreApplication.translate("ChatDocument", "Copy"), copy)
        self._entry.code_blocks.append("")
        self._code = _OpenCode(language, header_offset, self._offset_at_end() + 1)

    def _code_line(self, line: str) -> None:
        cursor = self._cursor()
        cursor.insertBlock(self._styler.code_block, self._styler.code_char)
        cursor.insertText(line, self._styler.code_char)

    def _close_code(self) -> None:
        code = self._code
        assert code is not None
        self._code = None
        text = "\n".join(code.lines)
        self._entry.code_blocks[-1] = text
        if code.lines:
            start = self._start() + code.start_offset
            self._styler.highlight(self._doc, start, text, code.language)
        cursor = self._cursor()
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())

    def _render_tail(self, partial: str) -> None:
        if self._code is not None:
            if partial:
                self._code_line(partial)
            return
        lines = [*self._paragraph, partial] if partial else self._paragraph
        if lines:
            markdown = link_citations(
                "\n".join(lines), self._entry.key, source_count(self._entry.citations)
            )
            insert_markdown(self._cursor(), markdown, self._styler)


def question_frame_format(colors: Colors) -> QTextFrameFormat:
    fmt = QTextFrameFormat()
    fmt.setPadding(12)
    fmt.setTopMargin(8)
    fmt.setBottomMargin(10)
    fmt.setBackground(QColor(colors.user_bg))
    fmt.setLeftMargin(80)
    fmt.setBorder(0)
    fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
    return fmt
