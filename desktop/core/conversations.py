"""Conversations as the person sees them: turns with citations and who wrote each answer."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from desktop.core.citations import cited_numbers
from desktop.core.documents import Box, Chunk


@dataclass(frozen=True, slots=True)
class StoredCitation:
    """A numbered source as it was shown under an answer.

    Attributes:
        section: the headings above the passage ("Orchard › Harvest"), to tell one file's
            passages apart.
        start, end: the passage's offsets in the document's text (None when unknown).
        ocr: the passage was read by OCR (None when unknown).
        regions: where an OCR'd passage's lines stand on its page.
    """

    number: int
    source: str
    page: int | None
    text: str
    chunk_id: str = ""
    section: str = ""
    start: int | None = None
    end: int | None = None
    ocr: bool | None = None
    regions: tuple[Box, ...] = ()
    # The knowledge base the passage came from ("" in conversations saved before it was kept).
    kb: str = ""

    @classmethod
    def of(cls, number: int, chunk: Chunk, kb: str = "") -> StoredCitation:
        """Source `number`: the passage `chunk`, found in knowledge base `kb`."""
        start, end = chunk.offsets or (None, None)
        return cls(
            number,
            chunk.source,
            chunk.page,
            chunk.text,
            chunk.chunk_id,
            " › ".join(chunk.heading_path),
            start,
            end,
            chunk.ocr,
            chunk.regions,
            kb,
        )


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """One turn of a conversation.

    Attributes:
        role: "user" or "assistant".
        provider: "local" or "cloud" for answers ("" for questions).
        model: the model that wrote the answer.
        error: the error sentence when the answer failed (the partial text is kept).
    """

    message_id: int
    conversation_id: int
    role: str
    content: str
    created_at: float
    provider: str = ""
    model: str = ""
    thinking: str = ""
    error: str = ""
    citations: tuple[StoredCitation, ...] = ()
    stats: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Conversation:
    conversation_id: int
    title: str
    created_at: float
    updated_at: float
    kb: str = ""
    message_count: int = 0


def conversation_to_markdown(conversation: Conversation, messages: list[StoredMessage]) -> str:
    """Render a conversation as Markdown, with the sources each answer cites under it."""
    lines = [f"# {conversation.title}", ""]
    for message in messages:
        if message.role == "user":
            lines += ["## Question", "", message.content, ""]
            continue
        who = f" ({message.model}, {message.provider})" if message.model else ""
        lines += [f"## Answer{who}", "", message.content, ""]
        if message.error:
            lines += [f"> Error: {message.error}", ""]
        count = max((c.number for c in message.citations), default=0)
        cited = set(cited_numbers(message.content, count))
        sources = [c for c in message.citations if c.number in cited]
        if sources:
            lines.append("Sources:")
            lines.append("")
            several = len({c.kb for c in message.citations}) > 1
            for c in sources:
                where = f", page {c.page}" if c.page is not None else ""
                read = " (read by OCR)" if c.ocr else ""
                base = f"{c.kb}: " if several and c.kb else ""
                lines.append(f"{c.number}. {base}{c.source}{where}{read}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


EXPORT_FORMATS = ("md", "json")


def conversation_to_dict(
    conversation: Conversation, messages: list[StoredMessage]
) -> dict[str, object]:
    """A conversation as plain data (for JSON): every turn with its citations."""
    return {
        "id": conversation.conversation_id,
        "title": conversation.title,
        "kb": conversation.kb,
        "created_at": conversation.created_at,
        "updated_at": conversation.updated_at,
        "messages": [
            {
                "id": m.message_id,
                "role": m.role,
                "content": m.content,
                "created_at": m.created_at,
                "provider": m.provider,
                "model": m.model,
                "thinking": m.thinking,
                "error": m.error,
                "citations": [
                    {
                        "n": c.number,
                        "source": c.source,
                        "page": c.page,
                        "text": c.text,
                        "chunk_id": c.chunk_id,
                        "start": c.start,
                        "end": c.end,
                        "ocr": c.ocr,
                        "kb": c.kb,
                    }
                    for c in m.citations
                ],
                "stats": m.stats,
            }
            for m in messages
        ],
    }


def render_conversation(
    conversation: Conversation, messages: list[StoredMessage], fmt: str = "md"
) -> str:
    """A conversation as an export file's text: "md" (Markdown) or "json".

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "md":
        return conversation_to_markdown(conversation, messages)
    if fmt == "json":
        data = conversation_to_dict(conversation, messages)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {fmt!r}")


# Characters that Windows, macOS or Linux refuse in a file name, and control characters.
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def export_file_name(title: str) -> str:
    """The Markdown file name an exported conversation is offered under: its title, with
    what file systems refuse replaced by spaces, at most 80 characters."""
    name = " ".join(_UNSAFE_IN_NAME.sub(" ", title).split())[:80].strip(" .")
    return f"{name or 'conversation'}.md"
