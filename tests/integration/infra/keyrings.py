"""Keyring backends for the tests: real `keyring` backend classes, kept in memory."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A secure keyring that keeps its entries in memory."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


class FileKeyring(keyring.backend.KeyringBackend):
    """A keyring kept in the JSON file named by HEARTH_TEST_KEYRING, for tests that run
    `hearth` as a process (select it with PYTHON_KEYRING_BACKEND)."""

    priority = 10  # type: ignore[assignment]

    def _load(self) -> dict[str, str]:
        path = Path(os.environ["HEARTH_TEST_KEYRING"])
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def _save(self, items: dict[str, str]) -> None:
        Path(os.environ["HEARTH_TEST_KEYRING"]).write_text(json.dumps(items), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._save({**self._load(), f"{service}/{username}": password})

    def delete_password(self, service: str, username: str) -> None:
        items = self._load()
        items.pop(f"{service}/{username}", None)
        self._save(items)
