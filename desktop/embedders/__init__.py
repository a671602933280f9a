"""Text embedders: the built-in offline one, and Ollama embedding models."""
