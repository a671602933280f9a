"""Ollama over HTTP (local and cloud), the provider router, and the Claude Code set-up."""
