"""Fixtures shared by the infrastructure tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


@pytest.fixture
def isolated_logging() -> Iterator[None]:
    """Put the root logger's handlers and level back after a test that sets up logging."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    chatty = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "chromadb")}
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name, old in chatty.items():
        logging.getLogger(name).setLevel(old)
