"""Paths, the settings file, secrets in the OS keyring, and logging."""
