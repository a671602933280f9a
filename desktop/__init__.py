"""Hearth: answers from your own documents, written by Ollama models (local or cloud)."""

__version__ = "0.1.0"
