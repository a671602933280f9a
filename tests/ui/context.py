"""A window context over a temporary data folder, for tests that need no services."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.settings import Settings


@dataclass
class Paths:
    data_dir: Path


@dataclass
class Context:
    """Implements `desktop.ui.services.AppContext`; `saves` counts save_settings calls."""

    paths: Paths
    settings: Settings = field(default_factory=Settings)
    notice: str | None = None
    local_url: str = "http://127.0.0.1:9"
    env: dict[str, str] = field(default_factory=dict)
    saves: int = 0

    def save_settings(self) -> None:
        self.saves += 1


def make_context(data_dir: Path) -> Context:
    data_dir.mkdir(parents=True, exist_ok=True)
    return Context(Paths(data_dir))
