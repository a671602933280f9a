"""A full round trip with a key: it must not appear in any file, log record or error text.

Run once with the opt-in key file (no keyring) and once with a secure in-memory keyring.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from desktop.core.errors import AuthenticationFailed
from desktop.core.models import ProviderKind
from desktop.infra.logging import setup_logging
from desktop.infra.paths import AppPaths, resolve_paths
from desktop.infra.secrets import KeyringSecretStore
from desktop.infra.settings_store import SettingsStore
from desktop.providers.ollama import OllamaClient
from tests.fakes.ollama_server import FakeOllama
from tests.integration.infra.keyrings import MemoryKeyring

pytestmark = pytest.mark.integration
KEY = "sk-leak-canary-5f2c9a"


@pytest.fixture(params=["key file", "keyring"])
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    original = keyring.get_keyring()
    if request.param == "keyring":
        keyring.set_keyring(MemoryKeyring())
    else:
        keyring.set_keyring(keyring.backends.fail.Keyring())
    yield str(request.param)
    keyring.set_keyring(original)


async def round_trip(paths: AppPaths) -> None:
    """Everything an ordinary session does with a key, logging at DEBUG all along."""
    store = KeyringSecretStore(env={}, allow_file_fallback=True, key_file=paths.key_file)
    await store.set_api_key(KEY)
    settings_store = SettingsStore(paths.settings_path)
    settings = settings_store.load().settings
    settings.provider.cloud_enabled = True
    settings_store.save(settings)
    key, source = await store.get_api_key()
    assert key == KEY
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
        ) as client:
            with pytest.raises(AuthenticationFailed) as info:
                await client.list_models()
    error = info.value
    assert KEY not in str(error) and KEY not in repr(error.args) and KEY not in error.hint
    log.error("cloud refused: %s", error)


def scan(root: Path, *, skip: Path) -> tuple[list[Path], list[Path]]:
    """Every file under `root` but `skip`, and those of them that contain the key."""
    files = [p for p in root.rglob("*") if p.is_file() and p != skip]
    return files, [p for p in files if KEY.encode() in p.read_bytes()]


async def test_key_never_leaks(
    backend: str, tmp_path: Path, isolated_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    paths = resolve_paths(tmp_path / "data", env={}).ensure()
    log_file = setup_logging(paths.log_dir, level=logging.DEBUG)
    await round_trip(paths)
    for handler in logging.getLogger().handlers:
        handler.flush()

    text = log_file.read_text()
    assert "using key ***" in text and "Bearer ***" in text and "key=***" in text
    assert paths.key_file.exists() == (backend == "key file")
    scanned, leaking = scan(tmp_path, skip=paths.key_file)
    assert paths.settings_path in scanned and log_file in scanned
    assert leaking == []
    assert caplog.records
    for record in caplog.records:
        assert KEY not in record.getMessage(), record.name
        assert KEY not in (record.exc_text or ""), record.name
    assert KEY not in caplog.text
