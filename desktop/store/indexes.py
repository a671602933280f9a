"""Where the indexes of every knowledge base live: chromadb collections and lexical folders.

Blocking: call from an executor. Opened indexes are cached, so ingestion and search share
one object per index and a search sees what ingestion committed.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from chromadb.api import ClientAPI

from desktop.core.errors import StoreError
from desktop.core.ports import LexicalIndex
from desktop.store.vectors import ChromaVectorIndex, close_client, drop_collection

log = logging.getLogger(__name__)


class ChromaLexicalIndexes:
    """Implements `desktop.core.ports.IndexStore` over one chromadb client and a folder of
    lexical indexes (one sub-folder per knowledge base key).

    Args:
        open_client: opens the chromadb client (called again by `reconnect`).
        lexical_dir: the folder of the lexical indexes.
        lexical_factory: opens one lexical index in its folder.
        vector_dir: the embedded store's folder (to tell a full disk); None for a server.
    """

    def __init__(
        self,
        open_client: Callable[[], ClientAPI],
        lexical_dir: Path,
        lexical_factory: Callable[[Path], LexicalIndex],
        vector_dir: Path | None = None,
    ) -> None:
        self._open_client = open_client
        self._client = open_client()
        self._vector_dir = vector_dir
        self._lexical_dir = lexical_dir
        self._lexical_factory = lexical_factory
        self._lock = threading.Lock()
        self._vectors: dict[str, ChromaVectorIndex] = {}
        self._lexical: dict[str, LexicalIndex] = {}

    @property
    def client(self) -> ClientAPI:
        """The chromadb client in use (a new one after `reconnect`)."""
        return self._client

    def vector_index(self, collection: str, embedder_id: str, dimension: int) -> ChromaVectorIndex:
        with self._lock:
            index = self._vectors.get(collection)
            if index is None or (index.embedder_id, index.dimension) != (embedder_id, dimension):
                # Opening checks the collection's embedder again, so a mismatch still raises.
                index = ChromaVectorIndex(
                    self._client,
                    collection,
                    embedder_id=embedder_id,
                    dimension=dimension,
                    folder=self._vector_dir,
                )
                self._vectors[collection] = index
            return index

    def lexical_index(self, key: str) -> LexicalIndex:
        with self._lock:
            index = self._lexical.get(key)
            if index is None:
                index = self._lexical_factory(self._lexical_path(key))
                self._lexical[key] = index
            return index

    def reconnect(self) -> None:
        """Close the client and open a fresh one, forgetting every opened index, so nothing
        read before (while another process wrote) or left broken by a failure is used again.
        The old client closes first: chromadb shares one in-memory store among the clients
        of a folder and reads the folder afresh only when the last of them has closed."""
        with self._lock:
            self._close()
            self._client = self._open_client()

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        for lexical in self._lexical.values():
            lexical.close()
        self._vectors.clear()
        self._lexical.clear()
        close_client(self._client)

    def drop_collection(self, collection: str) -> None:
        with self._lock:
            self._vectors.pop(collection, None)
            drop_collection(self._client, collection)

    def drop_lexical(self, key: str) -> None:
        with self._lock:
            self._lexical.pop(key, None)
            path = self._lexical_path(key)
            try:
                shutil.rmtree(path)
            except FileNotFoundError:
                log.info("lexical index %s was already gone", path)
            except OSError as exc:
                raise StoreError(
                    f"The keyword index folder {path} could not be deleted ({exc}).",
                    "Close programs that use it and try again.",
                ) from exc

    def _lexical_path(self, key: str) -> Path:
        # Keys come from the registry (a slug plus hex); refuse anything that could escape.
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise StoreError(f"“{key}” is not a valid knowledge base key.")
        return self._lexical_dir / key
