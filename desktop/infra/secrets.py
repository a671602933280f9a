"""The cloud API key: from OLLAMA_API_KEY, the OS keyring, or an opt-in private file.

Keyring calls run in a worker thread with a timeout (some keyrings hang waiting for an
unlock prompt). Where no secure keyring exists, the key may go to a file readable only by
its owner, and only when the person opted in. Every key read or stored is registered for
log redaction; no message here ever contains it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import keyring
import keyring.backend
import keyring.errors

from desktop.core.errors import SecretStoreUnavailable
from desktop.infra.logging import register_secret

log = logging.getLogger(__name__)
T = TypeVar("T")

ENV_VAR = "OLLAMA_API_KEY"
ENV_SOURCE = "the OLLAMA_API_KEY environment variable"
NO_KEY = "no API key is set"


def _backend_is_secure(backend: keyring.backend.KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")):
        return False
    if module.startswith("keyring.backends.chainer"):
        return any(_backend_is_secure(b) for b in getattr(backend, "backends", ()))
    return True


def describe_backend() -> str:
    """The keyring in use, in words, for the settings page."""
    backend = keyring.get_keyring()
    name = getattr(backend, "name", type(backend).__name__)
    if _backend_is_secure(backend):
        return f"the system keyring ({name})"
    return "no secure keyring on this system"


class KeyringSecretStore:
    """Implements `desktop.core.ports.SecretStore`.

    Args:
        env: the environment (OLLAMA_API_KEY wins over stored keys).
        allow_file_fallback: the person agreed to a private file when no keyring exists.
        key_file: that file's path.
        timeout: seconds to wait for the keyring.
        service, username: the keyring entry's names.
    """

    def __init__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        allow_file_fallback: bool = False,
        key_file: Path | None = None,
        timeout: float = 5.0,
        service: str = "Hearth",
        username: str = "ollama-cloud-api-key",
    ) -> None:
        self._env = os.environ if env is None else env
        self._allow_file = allow_file_fallback and key_file is not None
        self._key_file = key_file
        self._timeout = timeout
        self._service = service
        self._username = username

    async def _keyring(self, fn: Callable[[], T]) -> T | None:
        """Run a keyring call off the event loop; None when it fails or hangs."""
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.run_in_executor(None, fn), self._timeout)
        except TimeoutError:
            log.info("the keyring did not answer within %.1fs", self._timeout)
        except (keyring.errors.KeyringError, OSError, RuntimeError) as exc:
            log.info("the keyring failed: %s", type(exc).__name__)
        return None

    async def _secure(self) -> bool:
        return bool(await self._keyring(lambda: _backend_is_secure(keyring.get_keyring())))

    async def get_api_key(self) -> tuple[str | None, str]:
        """Return (key, where it came from) or (None, "no API key is set")."""
        env_key = (self._env.get(ENV_VAR) or "").strip()
        if env_key:
            register_secret(env_key)
            return env_key, ENV_SOURCE
        if await self._secure():
            stored = await self._keyring(
                lambda: keyring.get_password(self._service, self._username)
            )
            if stored:
                register_secret(stored)
                return stored, describe_backend()
        if self._key_file is not None:
            with contextlib.suppress(FileNotFoundError):
                text = await asyncio.to_thread(self._key_file.read_text, encoding="utf-8")
                if text.strip():
                    register_secret(text.strip())
                    return text.strip(), f"the key file {self._key_file}"
        return None, NO_KEY

    async def set_api_key(self, key: str) -> str:
        """Store the key; return where it went (with a warning for the file fallback).

        Raises:
            SecretStoreUnavailable: no secure keyring and no opt-in to the file.
        """
        key = key.strip()
        register_secret(key)
        if await self._secure():
            done = await self._keyring(lambda: _set_password(self._service, self._username, key))
            if done:
                return describe_backend()
        if self._allow_file and self._key_file is not None:
            await asyncio.to_thread(_write_private, self._key_file, key)
            return (
                f"the key file {self._key_file} (readable only by you). Warning: a file is "
                "less safe than a system keyring; anyone with access to your account can read it."
            )
        raise SecretStoreUnavailable(
            "There is no secure keyring on this system to keep the API key.",
            "Allow a private key file in Settings (readable only by you), or set "
            "OLLAMA_API_KEY in your environment.",
        )

    async def delete_api_key(self) -> None:
        if await self._secure():
            await self._keyring(lambda: _delete_password(self._service, self._username))
        if self._key_file is not None:
            with contextlib.suppress(FileNotFoundError):
                await asyncio.to_thread(self._key_file.unlink)


def _set_password(service: str, username: str, key: str) -> bool:
    keyring.set_password(service, username, key)
    return True


def _delete_password(service: str, username: str) -> bool:
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        keyring.delete_password(service, username)
    return True


def _write_private(path: Path, key: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(key)
