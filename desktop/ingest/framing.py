"""Messages between Hearth and its reader process: a 4-byte big-endian length, then that
many bytes of UTF-8 JSON. Nothing is unpickled, so a damaged or hostile message can only
fail to parse. A lone surrogate in a text (which a decoder may leave) crosses unchanged."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator, Sequence
from typing import IO, Any

from desktop.core.documents import LoadedDocument, ReadingNotes, TextRegion, TextSegment

_HEADER = struct.Struct(">I")


def write_frame(stream: IO[bytes], message: dict[str, Any]) -> None:
    body = json.dumps(message, ensure_ascii=False).encode("utf-8", "surrogatepass")
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def read_frame(stream: IO[bytes]) -> dict[str, Any] | None:
    """The next message, or None at the end of the stream (the other side closed or died)."""
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return None
    body = _read_exactly(stream, _HEADER.unpack(header)[0])
    if body is None:
        return None
    message = json.loads(body.decode("utf-8", "surrogatepass"))
    if not isinstance(message, dict):
        raise ValueError("a reader message is not a JSON object")
    return message


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        block = stream.read(size - len(data))
        if not block:
            return None
        data += block
    return data


def document_messages(doc: LoadedDocument) -> Iterator[dict[str, Any]]:
    """A document as messages: one per segment, then the rest of it. Sent apart, a big
    document is never held whole as message bytes on either side."""
    for s in doc.segments:
        regions = [[r.text, list(r.box)] for r in s.regions]
        yield {"segment": [s.text, s.page, list(s.heading_path), s.start, s.kind, s.ocr, regions]}
    yield {
        "document": {
            "path": doc.path,
            "title": doc.title,
            "encoding": doc.encoding,
            "mime": doc.mime,
            "notes": {
                "ocr_pages": list(doc.notes.ocr_pages),
                "uncertain_pages": list(doc.notes.uncertain_pages),
                "repaired": doc.notes.repaired,
            },
        }
    }


def segment_from_json(data: list[Any]) -> TextSegment:
    text, page, headings, start, kind, ocr, regions = data
    return TextSegment(
        str(text),
        page,
        tuple(headings),
        int(start),
        str(kind),
        bool(ocr),
        tuple(TextRegion(str(t), (box[0], box[1], box[2], box[3])) for t, box in regions),
    )


def document_from_json(data: dict[str, Any], segments: Sequence[TextSegment]) -> LoadedDocument:
    """The document whose `document` message is `data`, with the segments sent before it."""
    notes = data["notes"]
    return LoadedDocument(
        str(data["path"]),
        tuple(segments),
        str(data["title"]),
        str(data["encoding"]),
        str(data["mime"]),
        ReadingNotes(
            tuple(notes["ocr_pages"]), tuple(notes["uncertain_pages"]), bool(notes["repaired"])
        ),
    )
