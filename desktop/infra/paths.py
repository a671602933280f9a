"""Where Hearth keeps its files: the platform's user folders, or one folder given by
`--data-dir` / HEARTH_DATA_DIR (everything under it, for portable installs and tests)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop.core.errors import SettingsError

APP_NAME = "Hearth"


@dataclass(frozen=True, slots=True)
class AppPaths:
    """Hearth's folders. Nothing is created until `ensure()`.

    Attributes:
        data_dir: knowledge bases (vector store, lexical index) and the SQLite database.
        config_dir: the settings file (and the opt-in key file).
        log_dir: rotating log files.
        cache_dir: files that may be deleted at any time.
    """

    data_dir: Path
    config_dir: Path
    log_dir: Path
    cache_dir: Path

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def lexical_dir(self) -> Path:
        return self.data_dir / "lexical"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "hearth.db"

    @property
    def settings_path(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def key_file(self) -> Path:
        """The opt-in key file, used only where no secure keyring exists."""
        return self.config_dir / "cloud-api-key"

    def ensure(self) -> AppPaths:
        """Create the folders if missing, readable by the user only (0700; an existing
        folder of this user's that others could read is narrowed to 0700 too).

        Returns:
            self, for chaining.

        Raises:
            SettingsError: a folder cannot be created or written; the message names it.
        """
        for folder in (self.data_dir, self.config_dir, self.log_dir, self.cache_dir):
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                _make_private(folder)
            except OSError as exc:
                raise SettingsError(
                    f"Hearth cannot create its folder {folder}: {exc.strerror or exc}.",
                    "Choose another data folder with --data-dir, or fix the folder's permissions.",
                ) from None
            if not os.access(folder, os.W_OK | os.X_OK):
                raise SettingsError(
                    f"Hearth cannot write to its folder {folder}.",
                    "Choose another data folder with --data-dir, or fix the folder's permissions.",
                )
        return self


def _make_private(folder: Path) -> None:
    """Narrow a folder of this user's to 0700 (a no-op on Windows and for others' folders)."""
    if os.name != "posix":
        return
    info = folder.stat()
    if info.st_uid == os.getuid() and info.st_mode & 0o077:
        folder.chmod(info.st_mode & 0o700 | 0o700)


def resolve_paths(
    data_dir: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
) -> AppPaths:
    """The folders to use.

    Args:
        data_dir: the `--data-dir` argument; everything goes under it (config/, logs/ and
            cache/ beside the data).
        env: the environment (default: this process's), read for HEARTH_DATA_DIR when
            `data_dir` is not given.

    Returns:
        One folder's layout when a data folder is given, else the platform's user folders.
    """
    env = os.environ if env is None else env
    root = data_dir or env.get("HEARTH_DATA_DIR")
    if root:
        base = Path(root).expanduser().absolute()
        return AppPaths(base, base / "config", base / "logs", base / "cache")
    return AppPaths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )
