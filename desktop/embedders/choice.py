"""The embedder a setting names: "builtin", "ollama:MODEL" or "onnx:FOLDER".

One place turns `settings.embedding.embedder` into an embedder, so the window, the
command line and the MCP server read the setting the same way.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from desktop.core.knowledge_base import ExecutorEmbedder
from desktop.core.ports import AsyncEmbedder, ModelClient
from desktop.embedders.ollama import OllamaEmbedder
from desktop.embedders.onnx_folder import OnnxFolderEmbedder

OLLAMA = "ollama:"
ONNX = "onnx:"


async def open_embedder(
    chosen: str, *, builtin: AsyncEmbedder, local: ModelClient
) -> AsyncEmbedder:
    """The embedder for a setting; anything else than the two prefixes is the built-in one.

    Args:
        chosen: the setting ("builtin", "ollama:MODEL" or "onnx:FOLDER").
        builtin: the built-in embedder (shared, loaded once).
        local: the local Ollama server, for "ollama:MODEL".

    Raises:
        EmbedderUnavailable: "onnx:FOLDER" names no usable model folder.
        AppError: the Ollama model is not there or cannot embed (the provider's errors).
    """
    if chosen.startswith(OLLAMA):
        embedder = OllamaEmbedder(local, chosen.removeprefix(OLLAMA))
        await embedder.probe()
        return embedder
    if chosen.startswith(ONNX):
        folder = chosen.removeprefix(ONNX).strip()
        return ExecutorEmbedder(await asyncio.to_thread(_onnx_folder, folder))
    return builtin


def _onnx_folder(folder: str) -> OnnxFolderEmbedder:
    """Open the folder and learn its id and dimension (which may load the model), so a
    bad folder fails when it is chosen rather than at the first document."""
    embedder = OnnxFolderEmbedder(Path(folder).expanduser())
    _ = embedder.embedder_id, embedder.dimension
    return embedder
