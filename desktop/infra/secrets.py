"""The cloud API key: from OLLAMA_API_KEY, the OS keyring, or an opt-in private file.

Keyring calls run in a daemon thread with a timeout (some keyrings hang waiting for an
unlock prompt, or without a HOME). Where no secure keyring exists, the key may go to a file
readable only by its owner, and only when the person opted in. Every key read or stored is
registered for log redaction; no message here ever contains it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import threading
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
NO_KEYRING = "no secure keyring on this system"

# Backends that refuse every call, forget everything, or keep secrets in plain text.
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def _effective_backend(
    backend: keyring.backend.KeyringBackend,
) -> keyring.backend.KeyringBackend | None:
    """The backend that would really hold the key, or None when none is secure."""
    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULES):
        return None
    if module.startswith("keyring.backends.chainer"):
        # The chainer writes to its highest-priority backend, so that one decides.
        chained = list(getattr(backend, "backends", ()))
        return _effective_backend(chained[0]) if chained else None
    return backend


def _describe(backend: keyring.backend.KeyringBackend) -> str:
    effective = _effective_backend(backend)
    if effective is None:
        return NO_KEYRING
    return f"the system keyring ({getattr(effective, 'name', type(effective).__name__)})"


def describe_backend() -> str:
    """The keyring in use, in words, for the settings page.

    Blocks while the keyring initialises; call it off the UI thread.
    """
    return _describe(keyring.get_keyring())


def _secure_description() -> str | None:
    description = describe_backend()
    return None if description == NO_KEYRING else description


def _in_daemon_thread(loop: asyncio.AbstractEventLoop, fn: Callable[[], T]) -> asyncio.Future[T]:
    """Run `fn` in a daemon thread: a keyring that never answers must not keep the event
    loop's executor (and so the app's exit) waiting, as a pool thread would."""
    future: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not future.done():  # done: the caller stopped waiting
            outcome()

    def run() -> None:
        try:
            outcome = functools.partial(future.set_result, fn())
        except BaseException as exc:  # handed over to the awaiting coroutine
            outcome = functools.partial(future.set_exception, exc)
        with contextlib.suppress(RuntimeError):  # the loop was closed meanwhile
            loop.call_soon_threadsafe(settle, outcome)

    threading.Thread(target=run, name="hearth-keyring", daemon=True).start()
    return future


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
        # O_CREAT's mode does not apply to a file that already existed.
        os.fchmod(handle.fileno(), 0o600)
        handle.write(key)


def _read_key_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def _remove_key_file(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


class KeyringSecretStore:
    """Implements `desktop.core.ports.SecretStore`.

    Args:
        env: the environment; OLLAMA_API_KEY there wins over any stored key.
        allow_file_fallback: the person agreed to a private key file when no secure
            keyring exists.
        key_file: that file's path (the fallback is off without one).
        timeout: seconds to wait for each keyring call.
        service: the keyring entry's service name.
        username: the keyring entry's user name.
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
        self._key_file = key_file if allow_file_fallback else None
        self._cleanup_file = key_file
        self._timeout = timeout
        self._service = service
        self._username = username
        self._keyring_hung = False
        self._allow_file_fallback = allow_file_fallback

    @property
    def allow_file_fallback(self) -> bool:
        """Whether a private key file may be used where no secure keyring exists."""
        return self._allow_file_fallback

    async def _keyring(self, fn: Callable[[], T]) -> T | None:
        """Run a keyring call off the event loop; None when it fails or hangs."""
        if self._keyring_hung:
            return None
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(_in_daemon_thread(loop, fn), self._timeout)
        except TimeoutError:
            # Asking again would only wait again; this store treats the keyring as absent.
            self._keyring_hung = True
            log.info(
                "the keyring did not answer within %.1f s; treating it as unavailable",
                self._timeout,
            )
        except Exception as exc:  # keyring backends raise anything (D-Bus, OS, their own)
            log.info("the keyring failed (%s); treating it as unavailable", type(exc).__name__)
        return None

    async def get_api_key(self) -> tuple[str | None, str]:
        """Return (key, where it came from), or (None, "no API key is set")."""
        env_key = (self._env.get(ENV_VAR) or "").strip()
        if env_key:
            register_secret(env_key)
            return env_key, ENV_SOURCE
        source = await self._keyring(_secure_description)
        if source is not None:
            stored = await self._keyring(
                lambda: keyring.get_password(self._service, self._username)
            )
            if stored:
                register_secret(stored)
                return stored, source
        if self._key_file is not None:
            from_file = await asyncio.to_thread(_read_key_file, self._key_file)
            if from_file:
                register_secret(from_file)
                return from_file, f"the key file {self._key_file}"
        return None, NO_KEY

    async def set_api_key(self, key: str) -> str:
        """Store the key and return where it went; an empty key removes the stored one.

        Raises:
            SecretStoreUnavailable: no secure keyring answered and the person has not
                opted in to the key file.
        """
        key = key.strip()
        if not key:
            await self.delete_api_key()
            return NO_KEY
        register_secret(key)
        source = await self._keyring(_secure_description)
        if source is not None:
            stored = await self._keyring(lambda: _set_password(self._service, self._username, key))
            if stored:
                # A key kept earlier in the fallback file must not outlive the move.
                if self._cleanup_file is not None:
                    await asyncio.to_thread(_remove_key_file, self._cleanup_file)
                return source
        if self._key_file is not None:
            await asyncio.to_thread(_write_private, self._key_file, key)
            return (
                f"the key file {self._key_file} (readable only by you). Warning: a file is "
                "less safe than a system keyring; anyone who can use your account can read it."
            )
        raise SecretStoreUnavailable(
            "There is no secure keyring on this system to keep the API key.",
            "In Settings, allow a key file readable only by you, or set OLLAMA_API_KEY "
            "in your environment.",
        )

    async def delete_api_key(self) -> None:
        """Remove the key from the keyring and from the key file."""
        if await self._keyring(_secure_description) is not None:
            await self._keyring(lambda: _delete_password(self._service, self._username))
        if self._cleanup_file is not None:
            await asyncio.to_thread(_remove_key_file, self._cleanup_file)
