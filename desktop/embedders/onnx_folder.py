"""An embedder from a standard ONNX sentence-embedding folder, so a packager can ship a
stronger model than the built-in one without code.

The folder is laid out as sentence-transformers exports it:

- `model.onnx` (or `onnx/model.onnx`): inputs `input_ids`, `attention_mask` and optionally
  `token_type_ids`; first output either token vectors [batch, length, dim] or sentence
  vectors [batch, dim];
- `tokenizer.json`: a `tokenizers` tokenizer that adds the model's special tokens;
- optional `1_Pooling/config.json`: `pooling_mode_cls_token` or `pooling_mode_mean_tokens`
  (mean is the default);
- optional `config_sentence_transformers.json`: `prompts` with `query` and `passage` (or
  `document`) prefixes, as e5 and similar models need;
- optional `sentence_bert_config.json` (`max_seq_length`) and `config.json`
  (`hidden_size`).
"""

from __future__ import annotations

import hashlib
import json
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
)

log = logging.getLogger(__name__)

DEFAULT_MAX_TOKENS = 512
# The fingerprint reads this much of the model file: enough to tell models apart without
# hashing hundreds of megabytes whenever the id is asked for.
_FINGERPRINT_BYTES = 4 << 20


def _json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EmbedderUnavailable(
            f"The embedding model file {path} cannot be read.", "Check the model folder."
        ) from exc
    return data if isinstance(data, dict) else {}


class _Session:
    """A loaded folder: tokenizer, onnxruntime session and how to pool."""

    def __init__(self, folder: Path, model: Path, threads: int | None) -> None:
        from tokenizers import Tokenizer

        try:
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self.session = inference_session(str(model), threads)
        except Exception as exc:  # tokenizers and onnxruntime raise plain exceptions
            raise EmbedderUnavailable(
                f"The embedding model in {folder} cannot be loaded ({exc}).",
                "Check that model.onnx and tokenizer.json belong together.",
            ) from exc
        limit = _json(folder / "sentence_bert_config.json").get("max_seq_length")
        self.tokenizer.enable_truncation(int(limit or DEFAULT_MAX_TOKENS))
        self.tokenizer.no_padding()
        pooling = _json(folder / "1_Pooling" / "config.json")
        self.cls = bool(pooling.get("pooling_mode_cls_token")) and not pooling.get(
            "pooling_mode_mean_tokens"
        )
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.output = self.session.get_outputs()[0]
        self.pad_id = self.tokenizer.padding["pad_id"] if self.tokenizer.padding else 0

    def ids(self, texts: Sequence[str], prefix: str) -> list[list[int]]:
        encoded = self.tokenizer.encode_batch([prefix + text for text in texts])
        return [list(e.ids) for e in encoded]

    def forward(self, batch: list[Sequence[int]]) -> Any:
        import numpy as np

        ids, mask = pad(batch, self.pad_id)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        (out,) = self.session.run(
            [self.output.name], {k: v for k, v in feed.items() if k in self.inputs}
        )
        out = out.astype(np.float32)
        if out.ndim == 2:
            return normalise(out)
        return normalise(out[:, 0] if self.cls else mean_pool(out, mask))


class OnnxFolderEmbedder(OnnxEmbedder[_Session]):
    """Implements `desktop.core.ports.Embedder` for a sentence-embedding folder; loads on
    first use (see `OnnxEmbedder`).

    Args:
        folder: the model folder (see the module docstring).
        threads: cores for a forward pass (None: all).

    Raises:
        EmbedderUnavailable: (on construction) the folder has no model or tokenizer.
    """

    def __init__(self, folder: Path, *, threads: int | None = None) -> None:
        candidates = [folder / "model.onnx", folder / "onnx" / "model.onnx"]
        model = next((c for c in candidates if c.is_file()), None)
        if model is None or not (folder / "tokenizer.json").is_file():
            raise EmbedderUnavailable(
                f"{folder} is not an ONNX embedding model folder.",
                "It needs model.onnx and tokenizer.json.",
            )
        prompts = _json(folder / "config_sentence_transformers.json").get("prompts") or {}
        super().__init__(
            query_prefix=str(prompts.get("query", "")),
            passage_prefix=str(prompts.get("passage", prompts.get("document", ""))),
        )
        self._folder = folder
        self._model_file = model
        self._threads = threads
        self._hidden = _json(folder / "config.json").get("hidden_size")
        self._id: str | None = None

    @property
    def embedder_id(self) -> str:
        if self._id is None:
            digest = hashlib.sha256()
            with self._model_file.open("rb") as handle:
                digest.update(handle.read(_FINGERPRINT_BYTES))
            size = self._model_file.stat().st_size
            self._id = f"onnx:{self._folder.name}@{size}-{digest.hexdigest()[:16]}"
        return self._id

    @property
    def dimension(self) -> int:
        if isinstance(self._hidden, int):
            return self._hidden
        shape = self._model().output.shape
        if not isinstance(shape[-1], int):
            raise EmbedderUnavailable(
                f"The embedding model in {self._folder} does not declare its dimension.",
                "Add config.json with hidden_size.",
            )
        return shape[-1]

    def _open(self) -> _Session:
        session = _Session(self._folder, self._model_file, self._threads)
        log.info("embedding model loaded from %s", self._folder)
        return session
