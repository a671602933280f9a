"""Hearth: answers from your own documents, written by Ollama models (local or cloud)."""

import sys

__version__ = "0.1.0"

# httpx's package imports its own command-line client (rich, click and pygments, a tenth of
# a second of processor time) whenever those are installed, and chromadb installs them.
# Hearth never runs that client: marking its module absent makes httpx skip it.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
