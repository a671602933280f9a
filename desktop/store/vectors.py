"""Dense vectors of one knowledge base in a chromadb collection (embedded or server).

Blocking: call from an executor. Hearth always passes its own embeddings: the collection is
opened with `embedding_function=None`, because chromadb's default function downloads a
model at first use. Every chromadb, HTTP or OS failure leaves this module as a StoreError
(or EmbedderMismatch), so nothing above the adapter sees a library exception.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import chromadb
import httpx
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.client import Client
from chromadb.api.types import Where
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError, NotFoundError

from desktop.core.documents import Box, Chunk, boxes_from
from desktop.core.errors import EmbedderMismatch, StoreError
from desktop.store.disk import disk_full

log = logging.getLogger(__name__)

# Chroma rejects very long `$in` lists slowly; removals go in slices of this many ids.
_FILTER_SLICE = 500
# Listing all ids pages through the collection so memory stays bounded.
_ID_PAGE = 10_000
_HEADING_JOIN = "\n"
# What chromadb raises: its own errors, ValueError for validation and for a server that does
# not answer, OS errors from the embedded store, HTTP errors from the server client.
_FAILURES = (ChromaError, ValueError, OSError, httpx.HTTPError)


def open_chroma_client(
    mode: Literal["embedded", "server"], chroma_dir: Path, url: str = ""
) -> ClientAPI:
    """Open chromadb with telemetry off: a persistent store in `chroma_dir`, or a server.

    Args:
        mode: "embedded" for the data folder, "server" for a Chroma server at `url`.
        chroma_dir: folder of the embedded store (created when missing).
        url: the server's base URL, e.g. http://127.0.0.1:8000 (server mode only).

    Raises:
        StoreError: the store cannot be opened or the server cannot be reached.
    """
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    where = str(chroma_dir) if mode == "embedded" else url
    folder = chroma_dir if mode == "embedded" else None
    with _guard(f"open the vector store at {where}", where, folder):
        if mode == "embedded":
            chroma_dir.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=chroma_dir, settings=settings)
        parts = urlsplit(url)
        ssl = parts.scheme == "https"
        host = parts.hostname or "127.0.0.1"
        port = parts.port or (443 if ssl else 8000)
        return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)


class ChromaVectorIndex:
    """One knowledge base's collection. Implements `desktop.core.ports.VectorIndex`.

    The collection's metadata records the embedder id and the vector dimension; opening it
    for another embedder raises EmbedderMismatch, so vectors of two embedders never mix.
    """

    def __init__(
        self,
        client: ClientAPI,
        collection: str,
        *,
        embedder_id: str,
        dimension: int,
        folder: Path | None = None,
    ) -> None:
        self._where = collection
        self._folder = folder
        with self._guarded("open"):
            self._collection = client.get_or_create_collection(
                collection,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder_id": embedder_id, "dimension": dimension},
                embedding_function=None,
            )
            self._batch = max(1, client.get_max_batch_size())
        meta = self._collection.metadata or {}
        if meta.get("embedder_id") != embedder_id or meta.get("dimension") != dimension:
            raise EmbedderMismatch(
                f"The vectors in {collection} were made by {meta.get('embedder_id')!s} "
                f"({meta.get('dimension')!s} dimensions), not by {embedder_id} "
                f"({dimension} dimensions).",
                "Re-embed the knowledge base with the new embedder, or switch back.",
            )
        self.embedder_id = embedder_id
        self.dimension = dimension

    @property
    def name(self) -> str:
        return self._where

    def add(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        """Write chunks with their vectors; writing a chunk id again replaces it."""
        if len(chunks) != len(embeddings):
            raise ValueError(f"{len(chunks)} chunks but {len(embeddings)} embeddings")
        for start in range(0, len(chunks), self._batch):
            part = chunks[start : start + self._batch]
            vectors = np.asarray(embeddings[start : start + self._batch], dtype=np.float32)
            with self._guarded("write to"):
                self._collection.upsert(
                    ids=[c.chunk_id for c in part],
                    embeddings=vectors,
                    metadatas=[_metadata(c) for c in part],
                    documents=[c.text for c in part],
                )

    def remove_documents(self, doc_ids: Collection[str]) -> None:
        ids = sorted(doc_ids)
        for start in range(0, len(ids), _FILTER_SLICE):
            with self._guarded("delete from"):
                self._collection.delete(where=_doc_filter(ids[start : start + _FILTER_SLICE]))

    def search(
        self, embedding: Sequence[float], k: int, doc_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return (chunk_id, 1 - cosine distance) pairs, best first."""
        if k <= 0 or (doc_ids is not None and not doc_ids):
            return []
        where = _doc_filter(sorted(doc_ids)) if doc_ids is not None else None
        with self._guarded("search"):
            result = self._collection.query(
                query_embeddings=np.asarray([embedding], dtype=np.float32),
                n_results=k,
                where=where,
                include=["distances"],
            )
        ids = result["ids"][0] if result["ids"] else []
        distances = result["distances"][0] if result["distances"] else []
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True)]

    def get(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        """Return the chunks with these ids, in the order asked; unknown ids are left out."""
        if not chunk_ids:
            return []
        with self._guarded("read from"):
            result = self._collection.get(
                ids=list(dict.fromkeys(chunk_ids)), include=["metadatas", "documents"]
            )
        metadatas = result["metadatas"] or []
        documents = result["documents"] or []
        found = {
            cid: _chunk(cid, meta, text or "")
            for cid, meta, text in zip(result["ids"], metadatas, documents, strict=True)
        }
        return [found[cid] for cid in chunk_ids if cid in found]

    def embeddings(self, chunk_ids: Sequence[str]) -> dict[str, list[float]]:
        """Return the stored vectors of these chunk ids (for diversity re-ranking)."""
        if not chunk_ids:
            return {}
        with self._guarded("read from"):
            result = self._collection.get(ids=list(chunk_ids), include=["embeddings"])
        vectors = result["embeddings"]
        if vectors is None:
            return {}
        return {
            cid: [float(x) for x in vec] for cid, vec in zip(result["ids"], vectors, strict=True)
        }

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        """All chunks of one document, in order (used to re-embed without re-reading files)."""
        with self._guarded("read from"):
            result = self._collection.get(
                where={"doc_id": doc_id}, include=["metadatas", "documents"]
            )
        metadatas = result["metadatas"] or []
        documents = result["documents"] or []
        chunks = [
            _chunk(cid, meta, text or "")
            for cid, meta, text in zip(result["ids"], metadatas, documents, strict=True)
        ]
        return sorted(chunks, key=lambda c: c.ordinal)

    def chunk_ids(self) -> set[str]:
        ids: set[str] = set()
        offset = 0
        while True:
            with self._guarded("read from"):
                page = self._collection.get(limit=_ID_PAGE, offset=offset, include=[])
            ids.update(page["ids"])
            if len(page["ids"]) < _ID_PAGE:
                return ids
            offset += _ID_PAGE

    def count(self) -> int:
        with self._guarded("count"):
            return int(self._collection.count())

    @contextmanager
    def _guarded(self, action: str) -> Iterator[None]:
        with _guard(f"{action} the collection {self._where}", self._where, self._folder):
            yield


def close_client(client: ClientAPI) -> None:
    """Release an embedded store's files and memory (the last client of a folder closing
    stops chromadb's system for it, so the next client reads the folder afresh)."""
    if isinstance(client, Client):
        with _guard("close the vector store", "chromadb"):
            client.close()


def drop_collection(client: ClientAPI, collection: str) -> None:
    """Delete a collection; a collection that is already gone is not an error."""
    try:
        client.delete_collection(collection)
    except NotFoundError:
        log.info("collection %s was already gone", collection)
    except _FAILURES as exc:
        if "does not exist" in str(exc):
            log.info("collection %s was already gone", collection)
            return
        raise _store_error(exc, f"delete the collection {collection}", collection) from exc


def _doc_filter(doc_ids: Sequence[str]) -> Where:
    values: list[str | int | float | bool] = list(doc_ids)
    clause: dict[Literal["$in", "$nin"], list[str | int | float | bool]] = {"$in": values}
    return {"doc_id": clause}


def _metadata(chunk: Chunk) -> dict[str, str | int | float | bool]:
    meta: dict[str, str | int | float | bool] = {
        "doc_id": chunk.doc_id,
        "source": chunk.source,
        "ordinal": chunk.ordinal,
        "start": chunk.start,
        "end": chunk.end,
    }
    # Chroma metadata cannot hold None or lists: leave a missing page out, join headings.
    if chunk.page is not None:
        meta["page"] = chunk.page
    if chunk.heading_path:
        meta["heading"] = _HEADING_JOIN.join(chunk.heading_path)
    if chunk.ocr is not None:
        meta["ocr"] = chunk.ocr
    if chunk.regions:
        meta["regions"] = json.dumps([list(box) for box in chunk.regions])
    return meta


def _regions(value: Any) -> tuple[Box, ...]:
    """The OCR boxes kept as JSON; anything unreadable is no boxes (the viewer then finds
    the passage by its text)."""
    try:
        return boxes_from(json.loads(value)) if isinstance(value, str) else ()
    except ValueError:
        return ()


def _chunk(chunk_id: str, meta: Mapping[str, Any] | None, text: str) -> Chunk:
    meta = meta or {}
    heading = str(meta.get("heading", ""))
    page = meta.get("page")
    ocr = meta.get("ocr")
    return Chunk(
        chunk_id=chunk_id,
        doc_id=str(meta.get("doc_id", "")),
        source=str(meta.get("source", "")),
        ordinal=int(meta.get("ordinal", 0)),
        text=text,
        page=int(page) if page is not None else None,
        heading_path=tuple(heading.split(_HEADING_JOIN)) if heading else (),
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        ocr=bool(ocr) if ocr is not None else None,
        regions=_regions(meta.get("regions")),
    )


@contextmanager
def _guard(action: str, where: str, folder: Path | None = None) -> Iterator[None]:
    """Turn chromadb, HTTP and OS failures into StoreError with a sentence and a hint
    (`folder`: the embedded store's folder, to tell a full disk)."""
    try:
        yield
    except _FAILURES as exc:
        raise _store_error(exc, action, where, folder) from exc


def _store_error(
    exc: Exception, action: str, where: str, folder: Path | None = None
) -> StoreError | EmbedderMismatch:
    text = str(exc).lower()
    if "dimension" in text:
        return EmbedderMismatch(
            f"Could not {action}: the vectors have another length than the collection's.",
            "Re-embed the knowledge base with the configured embedder.",
        )
    if "locked" in text or "busy" in text:
        return StoreError(
            f"Could not {action}: the vector store is locked by another program.",
            "Close other copies of Hearth (or programs using that folder) and try again.",
        )
    if folder is not None and (full := disk_full(folder, exc, "the vector store")) is not None:
        return full
    if "malformed" in text or "corrupt" in text or "not a database" in text:
        return StoreError(
            f"Could not {action}: the vector store is damaged; Hearth left it as it is.",
            f"Move {where} aside and add your documents again.",
        )
    if isinstance(exc, httpx.HTTPError) or "could not connect" in text:
        return StoreError(
            f"Could not {action}: the Chroma server does not answer.",
            "Check that the server is running and that the URL in Settings is right.",
        )
    log.error("vector store failure (%s): %s", action, exc)
    return StoreError(f"Could not {action} ({exc}).")
