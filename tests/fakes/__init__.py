"""Fakes at the boundaries: a real loopback Ollama server, a test embedder."""
