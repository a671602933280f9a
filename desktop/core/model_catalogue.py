"""Popular local models to browse before pulling one: a curated list shipped with Hearth.

The figures come from the Ollama library (the default tag's download size, parameters and
context window); `use` says what each is for, one of `USES`. Embedding models turn text
into vectors for search and cannot write answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

# What a model is for; the window words each in the person's language.
USES = ("small", "general", "reasoning", "large", "code", "vision", "embedding")


@dataclass(frozen=True, slots=True)
class CatalogueModel:
    """One model of the catalogue.

    Attributes:
        name: the name to pull (`ollama pull NAME`).
        size: the download size as the library gives it ("4.7 GB").
        parameters: the parameter count ("7.6B").
        context: the context window in tokens.
        use: what it is for (one of `USES`).
    """

    name: str
    size: str
    parameters: str
    context: int
    use: str

    @property
    def embedding(self) -> bool:
        """An embedding model: for search (the embedder setting), not for answers."""
        return self.use == "embedding"


@cache
def popular_models() -> tuple[CatalogueModel, ...]:
    """The curated catalogue, in the order it is shown (small to large, then embedders)."""
    text = resources.files("desktop.core").joinpath("data/local_models.json").read_text("utf-8")
    models = tuple(CatalogueModel(**entry) for entry in json.loads(text)["models"])
    unknown = {m.use for m in models} - set(USES)
    if unknown:
        raise ValueError(f"unknown model uses in the catalogue: {sorted(unknown)}")
    return models
