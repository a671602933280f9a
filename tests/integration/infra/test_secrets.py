"""The API key store with real keyring backends: secure, absent, hanging, failing; the
opt-in key file; the environment variable."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from desktop.core.errors import SecretStoreUnavailable
from desktop.infra.logging import scrub
from desktop.infra.secrets import KeyringSecretStore, describe_backend
from tests.integration.infra.keyrings import MemoryKeyring

pytestmark = pytest.mark.integration
KEY = "sk-integration-secret-777"
NO_KEY = (None, "no API key is set")


class HangingKeyring(MemoryKeyring):
    """Answers reads only when released, like a keyring waiting for an unlock prompt."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.calls = 0
        self.answered = False

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        self.release.wait(5)
        self.answered = True
        return super().get_password(service, username)


class BrokenKeyring(MemoryKeyring):
    """Fails every read and write the way a locked D-Bus keyring does."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked(f"locked while reading {service}")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError(f"refused to store {password}")


class PlaintextKeyring(MemoryKeyring):
    """Stands for keyrings.alt's plaintext file backends, recognised by their module."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


@pytest.fixture(autouse=True)
def restore_keyring() -> Iterator[None]:
    original = keyring.get_keyring()
    yield
    keyring.set_keyring(original)


async def test_keyring_round_trip() -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    store = KeyringSecretStore(env={})
    where = await store.set_api_key(f"  {KEY}\n")
    assert where == describe_backend()
    assert where.startswith("the system keyring (") and "MemoryKeyring" in where
    assert backend.items == {("Hearth", "ollama-cloud-api-key"): KEY}
    assert await store.get_api_key() == (KEY, where)
    await store.delete_api_key()
    assert backend.items == {}
    assert await store.get_api_key() == NO_KEY


async def test_the_entry_names_can_be_chosen() -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    await KeyringSecretStore(env={}, service="HearthTest", username="me").set_api_key(KEY)
    assert backend.items == {("HearthTest", "me"): KEY}


async def test_keys_read_or_stored_are_redacted_from_logs() -> None:
    keyring.set_keyring(MemoryKeyring())
    await KeyringSecretStore(env={}).set_api_key("sk-stored-then-masked-1")
    assert scrub("x sk-stored-then-masked-1 y") == "x *** y"
    await KeyringSecretStore(env={"OLLAMA_API_KEY": "sk-env-then-masked-2"}).get_api_key()
    assert scrub("sk-env-then-masked-2") == "***"


async def test_environment_wins_and_is_named(tmp_path: Path) -> None:
    keyring.set_keyring(MemoryKeyring())
    store = KeyringSecretStore(
        env={"OLLAMA_API_KEY": " sk-from-env "}, allow_file_fallback=True, key_file=tmp_path / "k"
    )
    await store.set_api_key(KEY)
    assert await store.get_api_key() == ("sk-from-env", "the OLLAMA_API_KEY environment variable")


async def test_empty_environment_variable_is_ignored() -> None:
    keyring.set_keyring(MemoryKeyring())
    store = KeyringSecretStore(env={"OLLAMA_API_KEY": "  "})
    await store.set_api_key(KEY)
    assert (await store.get_api_key())[0] == KEY


@pytest.mark.parametrize(
    "backend",
    [
        keyring.backends.fail.Keyring(),
        keyring.backends.null.Keyring(),
        PlaintextKeyring(),
        keyring.backends.chainer.ChainerBackend(),
    ],
    ids=["fail", "null", "keyrings.alt", "empty chainer"],
)
async def test_no_secure_keyring_refuses_without_opt_in(
    backend: keyring.backend.KeyringBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Make the chainer find no backends, whatever is installed on this machine.
    monkeypatch.setattr(keyring.backend, "_limit", lambda _backend: False)
    keyring.set_keyring(backend)
    assert describe_backend() == "no secure keyring on this system"
    store = KeyringSecretStore(env={}, key_file=tmp_path / "key")
    with pytest.raises(SecretStoreUnavailable) as info:
        await store.set_api_key(KEY)
    assert "no secure keyring" in info.value.message
    assert "OLLAMA_API_KEY" in info.value.hint and "Settings" in info.value.hint
    assert KEY not in str(info.value)
    assert not (tmp_path / "key").exists()
    assert getattr(backend, "items", {}) == {}


async def test_chainer_is_judged_by_the_backend_it_writes_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secure = MemoryKeyring()
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", [secure])
    keyring.set_keyring(keyring.backends.chainer.ChainerBackend())
    assert describe_backend().startswith("the system keyring (")
    assert "MemoryKeyring" in describe_backend()
    await KeyringSecretStore(env={}).set_api_key(KEY)
    assert secure.items == {("Hearth", "ollama-cloud-api-key"): KEY}


async def test_file_fallback_is_private_named_and_warned(tmp_path: Path) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    key_file = tmp_path / "config" / "cloud-api-key"
    store = KeyringSecretStore(env={}, allow_file_fallback=True, key_file=key_file)
    where = await store.set_api_key(KEY)
    assert "Warning" in where and str(key_file) in where
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert key_file.read_text() == KEY
    assert await store.get_api_key() == (KEY, f"the key file {key_file}")
    await store.delete_api_key()
    assert not key_file.exists()
    assert await store.get_api_key() == NO_KEY


async def test_file_fallback_tightens_an_existing_file(tmp_path: Path) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    key_file = tmp_path / "cloud-api-key"
    key_file.write_text("old")
    key_file.chmod(0o644)
    store = KeyringSecretStore(env={}, allow_file_fallback=True, key_file=key_file)
    await store.set_api_key(KEY)
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert key_file.read_text() == KEY


async def test_key_file_is_not_read_without_opt_in(tmp_path: Path) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    key_file = tmp_path / "cloud-api-key"
    await KeyringSecretStore(env={}, allow_file_fallback=True, key_file=key_file).set_api_key(KEY)
    assert await KeyringSecretStore(env={}, key_file=key_file).get_api_key() == NO_KEY


async def test_storing_in_the_keyring_removes_an_old_key_file(tmp_path: Path) -> None:
    key_file = tmp_path / "cloud-api-key"
    keyring.set_keyring(keyring.backends.fail.Keyring())
    await KeyringSecretStore(env={}, allow_file_fallback=True, key_file=key_file).set_api_key(
        "sk-old"
    )
    keyring.set_keyring(MemoryKeyring())
    store = KeyringSecretStore(env={}, allow_file_fallback=True, key_file=key_file)
    assert (await store.set_api_key(KEY)).startswith("the system keyring")
    assert not key_file.exists()
    assert (await store.get_api_key())[0] == KEY


async def test_empty_key_removes_the_stored_one() -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    store = KeyringSecretStore(env={})
    await store.set_api_key(KEY)
    assert await store.set_api_key("   ") == "no API key is set"
    assert backend.items == {}


async def test_hanging_keyring_times_out_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    store = KeyringSecretStore(env={}, timeout=0.2)
    try:
        assert await store.get_api_key() == NO_KEY
        assert await store.get_api_key() == NO_KEY
        with pytest.raises(SecretStoreUnavailable):
            await store.set_api_key(KEY)
    finally:
        backend.release.set()
    assert backend.calls == 1
    assert backend.items == {}
    assert "did not answer within 0.2 s" in caplog.text
    assert all(r.levelno == logging.INFO for r in caplog.records)


def test_a_keyring_that_never_answers_does_not_hold_up_exit(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    store = KeyringSecretStore(env={}, timeout=0.2)
    try:
        # asyncio.run closes the loop and its executor; a pool thread would be waited for.
        assert asyncio.run(store.get_api_key()) == NO_KEY
        assert backend.calls == 1 and not backend.answered
    finally:
        backend.release.set()


async def test_hanging_keyring_falls_back_to_the_opt_in_file(tmp_path: Path) -> None:
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    key_file = tmp_path / "cloud-api-key"
    store = KeyringSecretStore(env={}, allow_file_fallback=True, key_file=key_file, timeout=0.2)
    try:
        assert await store.get_api_key() == NO_KEY
        assert "Warning" in await store.set_api_key(KEY)
    finally:
        backend.release.set()
    assert await store.get_api_key() == (KEY, f"the key file {key_file}")


async def test_failing_keyring_is_logged_at_info_without_the_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    keyring.set_keyring(BrokenKeyring())
    store = KeyringSecretStore(env={})
    assert await store.get_api_key() == NO_KEY
    with pytest.raises(SecretStoreUnavailable):
        await store.set_api_key(KEY)
    assert "KeyringLocked" in caplog.text and "RuntimeError" in caplog.text
    assert KEY not in caplog.text
    assert all(r.levelno == logging.INFO for r in caplog.records)
