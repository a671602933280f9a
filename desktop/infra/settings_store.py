"""The settings file: JSON with a schema version, migrated forward, written atomically.

A damaged file never stops the app: it is moved aside (the notice names the backup) and
defaults are used. Single invalid values fall back to their defaults, one by one. The API
key is never written here; an old file that held one has it dropped.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from desktop.core.errors import SettingsError
from desktop.core.settings import SCHEMA_VERSION, Settings

log = logging.getLogger(__name__)

# Names an API key was kept under in older files; it belongs in the keyring only.
_SECRET_KEYS = frozenset({"api_key", "apikey", "cloud_api_key", "ollama_api_key", "key", "token"})


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What `SettingsStore.load` found.

    Attributes:
        settings: the settings to use (defaults where the file had nothing usable).
        notice: a sentence for the person when something in the file was changed, dropped
            or moved aside; None when the file was read as it is.
    """

    settings: Settings
    notice: str | None = None


def _drop_secrets(data: dict[str, Any]) -> bool:
    dropped = False
    for key in list(data):
        if key.lower() in _SECRET_KEYS:
            del data[key]
            dropped = True
        elif isinstance(data[key], dict):
            dropped = _drop_secrets(data[key]) or dropped
    return dropped


_V0_FIELDS = {
    "ollama_url": ("provider", "local_url"),
    "model": ("provider", "chat_model"),
    "use_cloud": ("provider", "cloud_enabled"),
    "theme": ("ui", "theme"),
}


def migrate_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 was flat (ollama_url, model, use_cloud, theme at the top level, no
    schema_version); version 1 groups settings in sections. Other keys are dropped."""
    migrated: dict[str, Any] = {"schema_version": 1}
    for old, (section, field) in _V0_FIELDS.items():
        if old in data:
            # Values are moved as they are; validation resets a bad one and says so.
            migrated.setdefault(section, {})[field] = data[old]
    return migrated


# MIGRATIONS[n] turns a version-n file into version n + 1; load applies them in order.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: migrate_0_to_1}


class SettingsStore:
    """Reads and writes one settings file.

    Args:
        path: the settings file (see `AppPaths.settings_path`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._newer_version: int | None = None

    def load(self) -> LoadResult:
        """Read the settings; never raises for a bad file (see the module docstring)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return LoadResult(Settings())
        except OSError as exc:
            log.info("settings file unreadable: %s", exc.strerror)
            return LoadResult(
                Settings(),
                f"The settings file {self.path} could not be read ({exc.strerror}); "
                "defaults are used.",
            )
        try:
            data = json.loads(raw.decode("utf-8"))
        except ValueError:  # also UnicodeDecodeError
            return self._move_aside()
        version = data.get("schema_version", 0) if isinstance(data, dict) else None
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            return self._move_aside()
        notices: list[str] = []
        if _drop_secrets(data):
            notices.append(
                "An API key found in the settings file was removed from it; enter it again "
                "in Settings (it will be kept in the system keyring)."
            )
        if version > SCHEMA_VERSION:
            self._newer_version = version
            notices.append(
                f"The settings file was written by a newer Hearth (format {version}); the "
                "settings this version knows were loaded and the file is kept as it is."
            )
        while version < SCHEMA_VERSION:
            data = MIGRATIONS[version](data)
            version += 1
        data["schema_version"] = SCHEMA_VERSION
        settings, bad = _validate(data)
        if bad:
            notices.append("These settings were invalid and reset to defaults: " + ", ".join(bad))
        return LoadResult(settings, " ".join(notices) or None)

    def _move_aside(self) -> LoadResult:
        """Keep a damaged file for the person to inspect, and start from defaults."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while backup.exists():
            backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
            n += 1
        try:
            os.replace(self.path, backup)
        except OSError as exc:
            log.error("could not move the damaged settings file aside: %s", exc.strerror)
            return LoadResult(
                Settings(),
                f"The settings file {self.path} is damaged and could not be moved aside; "
                "defaults are used.",
            )
        log.warning("damaged settings file moved to %s", backup)
        return LoadResult(
            Settings(),
            f"The settings file was damaged and has been moved to {backup}; defaults are used.",
        )

    def save(self, settings: Settings) -> None:
        """Write atomically (temporary file, fsync, rename), readable only by the user.

        A file from a newer Hearth is copied aside once before it is first overwritten.

        Raises:
            SettingsError: the file could not be written.
        """
        text = json.dumps(settings.model_dump(mode="json"), indent=2, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._newer_version is not None:
                self._back_up_newer(self._newer_version)
            _write_atomic(self.path, text + "\n")
        except OSError as exc:
            raise SettingsError(
                f"The settings could not be saved to {self.path}: {exc.strerror or exc}.",
                "Check that the folder is writable and the disk is not full.",
            ) from None

    def _back_up_newer(self, version: int) -> None:
        backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
        if self.path.exists() and not backup.exists():
            shutil.copy2(self.path, backup)
            log.info("settings file from format %d copied to %s before saving", version, backup)
        self._newer_version = None


def _write_atomic(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never a half-written one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _validate(data: dict[str, Any]) -> tuple[Settings, list[str]]:
    """Validate, replacing each invalid field by its default instead of failing it all."""
    bad: list[str] = []
    while True:
        try:
            return Settings.model_validate(data), bad
        except ValidationError as exc:
            locations = [[str(p) for p in error["loc"]] for error in exc.errors()]
        removed = {name for loc in locations if (name := _remove(data, loc)) is not None}
        if not removed:
            # Nothing left to drop: the error is not tied to a field of the file.
            log.info("settings failed validation as a whole; defaults are used")
            return Settings(), bad
        bad.extend(sorted(removed))


def _remove(data: dict[str, Any], loc: list[str]) -> str | None:
    """Drop the innermost setting on `loc` (a list is dropped whole); return its name."""
    target = data
    for depth, part in enumerate(loc):
        if part not in target:
            return None
        value = target[part]
        if depth == len(loc) - 1 or not isinstance(value, dict):
            del target[part]
            return ".".join(loc[: depth + 1])
        target = value
    return None
