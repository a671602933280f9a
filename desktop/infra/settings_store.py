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

_SECRET_KEYS = {"api_key", "cloud_api_key", "ollama_api_key", "key", "token"}


@dataclass(frozen=True, slots=True)
class LoadResult:
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


def migrate_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    """The first layout was flat: ollama_url, model, use_cloud, theme at the top level."""
    provider: dict[str, Any] = {}
    if isinstance(data.get("ollama_url"), str):
        provider["local_url"] = data["ollama_url"]
    if isinstance(data.get("model"), str):
        provider["chat_model"] = data["model"]
    if isinstance(data.get("use_cloud"), bool):
        provider["cloud_enabled"] = data["use_cloud"]
    ui: dict[str, Any] = {}
    if isinstance(data.get("theme"), str):
        ui["theme"] = data["theme"]
    return {"schema_version": 1, "provider": provider, "ui": ui}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: migrate_0_to_1}


class SettingsStore:
    """Reads and writes one settings file."""

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
            return LoadResult(
                Settings(),
                f"The settings file {self.path} could not be read ({exc.strerror}); "
                "defaults are used.",
            )
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except ValueError:
            return self._corrupt()
        notices: list[str] = []
        if _drop_secrets(data):
            notices.append(
                "An API key found in the settings file was removed; enter it again in "
                "Settings (it will be kept in the system keyring)."
            )
        version = data.get("schema_version", 0)
        if not isinstance(version, int) or version < 0:
            return self._corrupt()
        if version > SCHEMA_VERSION:
            self._newer_version = version
            notices.append(
                f"The settings file was written by a newer Hearth (format {version}); "
                "settings this version knows were loaded, and the file is kept as it is."
            )
        while version < SCHEMA_VERSION:
            data = MIGRATIONS[version](data)
            version += 1
        data["schema_version"] = SCHEMA_VERSION
        settings, bad = _validate(data)
        if bad:
            notices.append("These settings were invalid and reset to defaults: " + ", ".join(bad))
        return LoadResult(settings, " ".join(notices) or None)

    def _corrupt(self) -> LoadResult:
        backup = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(self.path, backup)
        except OSError as exc:
            log.error("could not move the damaged settings file aside: %s", exc.strerror)
            return LoadResult(
                Settings(), f"The settings file {self.path} is damaged; defaults are used."
            )
        log.warning("damaged settings file moved to %s", backup)
        return LoadResult(
            Settings(),
            f"The settings file was damaged and has been moved to {backup}; defaults are used.",
        )

    def save(self, settings: Settings) -> None:
        """Write atomically (temporary file, fsync, rename), readable only by the user.

        A file from a newer Hearth is backed up once before it is overwritten.
        """
        if self._newer_version is not None and self.path.exists():
            backup = self.path.with_name(f"{self.path.name}.v{self._newer_version}.bak")
            if not backup.exists():
                shutil.copy2(self.path, backup)
        text = json.dumps(settings.model_dump(mode="json"), indent=2, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
            try:
                os.fchmod(fd, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            raise SettingsError(
                f"The settings could not be saved to {self.path}: {exc.strerror or exc}.",
                "Check that the folder is writable and the disk is not full.",
            ) from None


def _validate(data: dict[str, Any]) -> tuple[Settings, list[str]]:
    """Validate, replacing each invalid field by its default instead of failing it all."""
    bad: list[str] = []
    for _ in range(50):
        try:
            return Settings.model_validate(data), bad
        except ValidationError as exc:
            for error in exc.errors():
                loc = [str(p) for p in error["loc"]]
                bad.append(".".join(loc))
                _remove(data, loc)
    return Settings(), bad


def _remove(data: dict[str, Any], loc: list[str]) -> None:
    target: Any = data
    for part in loc[:-1]:
        if not isinstance(target, dict) or part not in target:
            return
        if not isinstance(target[part], dict):
            del target[part]
            return
        target = target[part]
    if isinstance(target, dict):
        target.pop(loc[-1], None)
