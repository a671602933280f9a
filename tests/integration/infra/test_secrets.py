"""The API key store with real keyring backends: secure, absent, hanging; file opt-in."""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from desktop.core.errors import SecretStoreUnavailable
from desktop.infra.secrets import KeyringSecretStore, describe_backend

pytestmark = pytest.mark.integration
KEY = "sk-unit-secret-777"


class MemoryKeyring(keyring.backend.KeyringBackend):
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


class HangingKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        time.sleep(1.0)
        return None


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    original = keyring.get_keyring()
    yield
    keyring.set_keyring(original)


async def test_keyring_round_trip(restore_keyring: None) -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    store = KeyringSecretStore(env={})
    where = await store.set_api_key(KEY)
    assert where.startswith("the system keyring")
    assert await store.get_api_key() == (KEY, describe_backend())
    await store.delete_api_key()
    assert await store.get_api_key() == (None, "no API key is set")


async def test_environment_wins_and_is_named(restore_keyring: None) -> None:
    keyring.set_keyring(MemoryKeyring())
    store = KeyringSecretStore(env={"OLLAMA_API_KEY": "sk-from-env"})
    await store.set_api_key(KEY)
    assert await store.get_api_key() == ("sk-from-env", "the OLLAMA_API_KEY environment variable")


async def test_no_keyring_refuses_without_opt_in(restore_keyring: None, tmp_path: Path) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    store = KeyringSecretStore(env={}, key_file=tmp_path / "key")
    with pytest.raises(SecretStoreUnavailable) as info:
        await store.set_api_key(KEY)
    assert "no secure keyring" in info.value.message
    assert KEY not in str(info.value)
    assert not (tmp_path / "key").exists()


async def test_file_fallback_is_private_and_warned(restore_keyring: None, tmp_path: Path) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    key_file = tmp_path / "config" / "key"
    store = KeyringSecretStore(env={}, allow_file_fallback=True, key_file=key_file)
    where = await store.set_api_key(KEY)
    assert "Warning" in where and str(key_file) in where
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert await store.get_api_key() == (KEY, f"the key file {key_file}")
    await store.delete_api_key()
    assert not key_file.exists()


async def test_hanging_keyring_times_out(
    restore_keyring: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    keyring.set_keyring(HangingKeyring())
    store = KeyringSecretStore(env={}, timeout=0.2)
    started = time.monotonic()
    assert await store.get_api_key() == (None, "no API key is set")
    assert time.monotonic() - started < 0.9
    assert "did not answer" in caplog.text
