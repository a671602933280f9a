"""What every entry point needs before anything heavy: folders, settings, the API-key store
and logging.

`bootstrap()` is cheap and synchronous, so the window can appear at once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from desktop.core.settings import Settings
from desktop.infra.logging import setup_logging
from desktop.infra.paths import AppPaths, resolve_paths
from desktop.infra.secrets import KeyringSecretStore
from desktop.infra.settings_store import SettingsStore
from desktop.providers.router import cloud_base_url, local_base_url

log = logging.getLogger(__name__)

# Everything Hearth creates (folders, settings, logs, the store, the lock note, exported
# conversations) is readable by the user only.
PRIVATE_UMASK = 0o077


@dataclass(slots=True)
class Context:
    """Folders, settings, environment and the API-key store of one run."""

    paths: AppPaths
    settings_store: SettingsStore
    settings: Settings
    notice: str | None
    env: Mapping[str, str]
    # Who this process is, in words, for another process refused the store's write lock.
    role: str = "a Hearth command"
    # A process that only reads the store (search, ask, the MCP server) does not take the
    # write lock when it opens the store, so a window opened meanwhile can still write.
    reads_only: bool = False
    _secrets: KeyringSecretStore | None = field(default=None, init=False, repr=False)

    @property
    def local_url(self) -> str:
        return local_base_url(self.settings.provider.local_url, self.env)

    @property
    def cloud_url(self) -> str:
        return cloud_base_url(self.settings.provider.cloud_url, self.env)

    @property
    def secrets(self) -> KeyringSecretStore:
        """Where the API key lives, as the settings say now: saving "Keep the API key in a
        private file" takes effect at once."""
        allowed = self.settings.secrets.allow_file_fallback
        if self._secrets is None or self._secrets.allow_file_fallback != allowed:
            self._secrets = KeyringSecretStore(
                env=self.env, allow_file_fallback=allowed, key_file=self.paths.key_file
            )
        return self._secrets

    def save_settings(self) -> None:
        self.settings_store.save(self.settings)


def bootstrap(
    data_dir: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    console_log: bool = False,
    log_level: int = logging.INFO,
    role: str = "a Hearth command",
    reads_only: bool = False,
) -> Context:
    """Set a private umask (0o077), resolve folders, set up logging and load the settings
    (never fails on a bad file).

    Raises:
        SettingsError: the data folder cannot be created or written.
    """
    os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)  # never wider than the user's own
    env = dict(os.environ if env is None else env)
    paths = resolve_paths(data_dir, env).ensure()
    setup_logging(paths.log_dir, level=log_level, console=console_log)
    store = SettingsStore(paths.settings_path)
    loaded = store.load()
    if loaded.notice:
        log.info("settings: %s", loaded.notice)
    return Context(paths, store, loaded.settings, loaded.notice, env, role, reads_only)
