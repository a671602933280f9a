"""Documents chosen for a question about them as a whole, and how they travel in a drag
from the knowledge tree to the question box."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QMimeData

# Only Hearth's own widgets read this type: a drag of documents never looks like a drag of
# files (which the window would index again).
DOCUMENTS_MIME = "application/x-hearth-documents"


@dataclass(frozen=True, slots=True)
class ChosenDocuments:
    """Documents of one knowledge base, as (document id, path) pairs in order."""

    kb: str
    documents: tuple[tuple[str, str], ...]

    @property
    def doc_ids(self) -> list[str]:
        return [doc_id for doc_id, _ in self.documents]

    @property
    def names(self) -> list[str]:
        return [os.path.basename(path) for _, path in self.documents]


def to_mime(chosen: ChosenDocuments) -> QMimeData:
    mime = QMimeData()
    payload = {"kb": chosen.kb, "documents": [list(pair) for pair in chosen.documents]}
    mime.setData(DOCUMENTS_MIME, QByteArray(json.dumps(payload).encode()))
    return mime


def from_mime(mime: QMimeData) -> ChosenDocuments | None:
    """The documents a drag carries (None when it carries none, or something else)."""
    if not mime.hasFormat(DOCUMENTS_MIME):
        return None
    try:
        payload = json.loads(bytes(mime.data(DOCUMENTS_MIME).data()).decode())
        documents = tuple((str(d), str(p)) for d, p in payload["documents"])
        chosen = ChosenDocuments(str(payload["kb"]), documents)
    except (ValueError, KeyError, TypeError):
        return None
    return chosen if chosen.documents else None
