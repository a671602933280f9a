"""A small deterministic embedder for tests: hashed bag of words, L2-normalised.

It is a real `Embedder` (texts that share words get close vectors), just not a learned one,
so tests of the store and the services run offline, fast and repeatably.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections.abc import Sequence

_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """Implements `desktop.core.ports.Embedder`.

    Attributes:
        calls: how many `embed_documents` calls were made (tests check batching).
        texts_embedded: how many texts those calls carried.
    """

    def __init__(self, dimension: int = 64, *, name: str = "hashing") -> None:
        self._dimension = dimension
        self._name = name
        self._lock = threading.Lock()
        self.calls = 0
        self.texts_embedded = 0

    @property
    def embedder_id(self) -> str:
        return f"test:{self._name}-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        with self._lock:
            self.calls += 1
            self.texts_embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self._dimension
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
            slot = int.from_bytes(digest[:4], "little") % self._dimension
            vec[slot] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(x * x for x in vec))
        if norm == 0:
            # An empty or wordless text still needs a unit vector.
            vec[0] = 1.0
            return vec
        return [x / norm for x in vec]
