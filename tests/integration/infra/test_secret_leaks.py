"""A full round trip with a key: it must not appear in any file, log or error text."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from desktop.core.errors import AuthenticationFailed
from desktop.core.models import ProviderKind
from desktop.infra.logging import redact, register_secret, setup_logging
from desktop.infra.paths import resolve_paths
from desktop.infra.secrets import KeyringSecretStore
from desktop.infra.settings_store import SettingsStore
from desktop.providers.ollama import OllamaClient
from tests.fakes.ollama_server import FakeOllama

pytestmark = pytest.mark.integration
KEY = "sk-leak-canary-5f2c9a"


@pytest.fixture
def isolated_logging() -> Iterator[None]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


async def test_key_never_leaks(
    tmp_path: Path, isolated_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    original = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        paths = resolve_paths(tmp_path / "data", env={}).ensure()
        log_file = setup_logging(paths.log_dir, level=logging.DEBUG)
        store = KeyringSecretStore(env={}, allow_file_fallback=True, key_file=paths.key_file)
        await store.set_api_key(KEY)
        settings_store = SettingsStore(paths.settings_path)
        settings = settings_store.load().settings
        settings.provider.cloud_enabled = True
        settings_store.save(settings)
        key, source = await store.get_api_key()
        log = logging.getLogger("hearth.leaktest")
        log.debug("using key %s from %s", key, source)
        log.info("header was Authorization: Bearer %s", key)
        try:
            raise RuntimeError(f"request failed with key={key}")
        except RuntimeError:
            log.exception("failure")
        with FakeOllama(cloud=True, api_key="sk-other-valid-key") as cloud:
            async with OllamaClient(
                cloud.url, kind=ProviderKind.CLOUD, api_key=key, key_source=source
            ) as c:
                with pytest.raises(AuthenticationFailed) as info:
                    await c.list_models()
        assert KEY not in str(info.value) and KEY not in repr(info.value.args)
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = log_file.read_text()
        assert "using key ***" in text and "Bearer ***" in text
        for path in paths.data_dir.rglob("*"):
            if path.is_file() and path != paths.key_file:
                assert KEY.encode() not in path.read_bytes(), path
        assert KEY not in caplog.text
    finally:
        keyring.set_keyring(original)


def test_redact_helper() -> None:
    register_secret("sk-registered-abcdef")
    assert redact("x sk-registered-abcdef y") == "x *** y"
    assert redact("Authorization: Bearer abcdefghijkl") == "Authorization: Bearer ***"
    assert redact("keep me", ["other"]) == "keep me"
