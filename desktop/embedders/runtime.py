"""What the ONNX embedders share: how they load and embed (`OnnxEmbedder`), the error for
an unusable model, file hashing, the onnxruntime session, batching by length, and pooling.

numpy and onnxruntime are imported inside the functions that need them, so importing an
embedder module costs nothing until a model is loaded (the window appears first).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from desktop.core.errors import AppError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]

# Tokens per forward pass (batch size x padded length): bounds the memory of one pass
# (the attention scores grow with batch x length squared). Measured on SciFact abstracts
# (docs/benchmarks.md): 1,024 peaks at about 565 MB resident where 4,096 peaked at 840-880
# MB, at no more processor time per text.
TOKEN_BUDGET = 1024


class EmbedderUnavailable(AppError):
    """An embedding model is missing, damaged or unreadable."""


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def inference_session(
    model: bytes | str, threads: int | None, providers: Sequence[str] = ("CPUExecutionProvider",)
) -> Any:
    """An onnxruntime session on `providers` (best first), using `threads` cores on the
    processor (None: all of them)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or os.cpu_count() or 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # onnxruntime's own warnings would bypass our logging
    # The arena keeps the largest batch's buffers for good (about 220 MB more at 4,096
    # tokens); plain allocation measured no slower next to the matrix products.
    options.enable_cpu_mem_arena = False
    return ort.InferenceSession(model, options, providers=list(providers))


def release_freed_memory() -> None:
    """Hand the heap memory freed after a model load or an embedding call back to the
    system.

    glibc keeps freed blocks for reuse, so the load's temporaries (the graph's bytes,
    onnxruntime's copy of the file, the vocabulary's decoding) would stay in the resident
    size for good (about 20 MB measured), and a forward pass's tensors, freed in the middle
    of the heap, left it growing with every batch during a long ingestion (600-800 MB after
    a few batches, 450 MB with a trim after each call; a trim costs well under a
    millisecond next to a batch's seconds). Elsewhere than glibc this does nothing.
    """
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):  # musl and others lack it
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def length_batches(lengths: Sequence[int], budget: int = TOKEN_BUDGET) -> list[list[int]]:
    """Group text indices into batches of similar length, so little padding is computed.

    Args:
        lengths: token count of each text.
        budget: most tokens (batch size x longest text) per batch; a longer text gets a
            batch of its own.

    Returns:
        Lists of indices into `lengths`; every index appears exactly once.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        # Sorted ascending, so this text is the longest of the batch so far.
        if current and (len(current) + 1) * lengths[index] > budget:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def pad(ids: Sequence[Sequence[int]], pad_id: int) -> tuple[Any, Any]:
    """Token ids as an int64 [batch, longest] matrix and its 0/1 attention mask."""
    import numpy as np

    longest = max(len(row) for row in ids)
    matrix = np.full((len(ids), longest), pad_id, dtype=np.int64)
    mask = np.zeros((len(ids), longest), dtype=np.int64)
    for row, tokens in enumerate(ids):
        matrix[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = 1
    return matrix, mask


def mean_pool(hidden: FloatArray, mask: Any) -> FloatArray:
    """Average of the token vectors that are not padding."""
    weights = mask[..., None].astype(hidden.dtype)
    total: FloatArray = (hidden * weights).sum(axis=1)
    mean: FloatArray = total / weights.sum(axis=1).clip(min=1.0)
    return mean


def normalise(vectors: FloatArray) -> FloatArray:
    """Rows scaled to unit length (an all-zero row stays zero)."""
    import numpy as np

    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: FloatArray = vectors / np.maximum(norms, 1e-12)
    return unit


def embed_in_batches(
    ids: Sequence[Sequence[int]], forward: Callable[[list[Sequence[int]]], FloatArray]
) -> list[list[float]]:
    """Run `forward` on length-sorted batches of `ids` and return rows in input order.

    Args:
        ids: token ids of each text, specials included.
        forward: turns a batch of id lists into unit vectors, one row per list.
    """
    vectors: list[list[float]] = [[] for _ in ids]
    for batch in length_batches([len(row) for row in ids]):
        rows = forward([ids[i] for i in batch])
        for index, row in zip(batch, rows, strict=True):
            vectors[index] = row.tolist()
    return vectors


class EncoderModel(Protocol):
    """A loaded model: tokenises (specials included, truncated) and runs a forward pass."""

    def ids(self, texts: Sequence[str], prefix: str) -> list[list[int]]: ...

    def forward(self, batch: list[Sequence[int]]) -> Any:
        """Unit vectors, one row per id list."""
        ...


M = TypeVar("M", bound=EncoderModel)


class OnnxEmbedder(Generic[M]):
    """How every ONNX embedder embeds (implements `desktop.core.ports.Embedder` with a
    subclass's `embedder_id` and `dimension`): the model loads once, on first use or at
    `load()`; texts get the model's passage or query prefix and run in length-sorted batches.

    Thread-safe: loading happens once, and forward passes run one at a time (each already
    uses every core given).

    Args:
        query_prefix: put before a query (e5: "query: ").
        passage_prefix: put before a passage (e5: "passage: ").
    """

    def __init__(self, *, query_prefix: str = "", passage_prefix: str = "") -> None:
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._loaded: M | None = None
        self._lock = threading.Lock()

    def _open(self) -> M:
        """Load the model (blocking); raise EmbedderUnavailable when it cannot be used."""
        raise NotImplementedError

    def load(self) -> None:
        """Load the model (blocking; call from a worker thread).

        Raises:
            EmbedderUnavailable: the model is missing, damaged or unreadable.
        """
        self._model()

    def _model(self) -> M:
        with self._lock:
            return self._model_locked()

    def _model_locked(self) -> M:
        if self._loaded is None:
            self._loaded = self._open()
        return self._loaded

    def _embed(self, texts: Sequence[str], prefix: str) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            model = self._model_locked()
            vectors = embed_in_batches(model.ids(texts, prefix), model.forward)
            release_freed_memory()
            return vectors

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self._embed(texts, self._passage_prefix)

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text], self._query_prefix)[0]

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text becomes as a passage (specials included, after truncation)."""
        with self._lock:
            model = self._model_locked()
            return [len(ids) for ids in model.ids(texts, self._passage_prefix)]
