"""Where Hearth keeps its files: one data folder, or the platform's user folders."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from desktop.core.errors import SettingsError
from desktop.infra.paths import AppPaths, resolve_paths

pytestmark = pytest.mark.unit


def test_data_dir_argument_holds_everything(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "d", env={"HEARTH_DATA_DIR": str(tmp_path / "ignored")})
    root = tmp_path / "d"
    assert paths == AppPaths(root, root / "config", root / "logs", root / "cache")
    assert paths.chroma_dir == root / "chroma"
    assert paths.lexical_dir == root / "lexical"
    assert paths.db_path == root / "hearth.db"
    assert paths.settings_path == root / "config" / "settings.json"


def test_environment_variable_when_no_argument(tmp_path: Path) -> None:
    paths = resolve_paths(None, env={"HEARTH_DATA_DIR": str(tmp_path / "e")})
    assert paths.data_dir == tmp_path / "e"
    assert paths.log_dir == tmp_path / "e" / "logs"


def test_relative_and_home_folders_become_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_paths("rel", env={}).data_dir == tmp_path / "rel"
    assert resolve_paths("~/h", env={}).data_dir == tmp_path / "home" / "h"


def test_platform_folders_by_default() -> None:
    paths = resolve_paths(None, env={})
    assert paths.data_dir == Path(platformdirs.user_data_dir("Hearth", appauthor=False))
    assert paths.config_dir == Path(platformdirs.user_config_dir("Hearth", appauthor=False))
    assert paths.log_dir == Path(platformdirs.user_log_dir("Hearth", appauthor=False))
    assert paths.cache_dir == Path(platformdirs.user_cache_dir("Hearth", appauthor=False))


def test_ensure_creates_every_folder(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "new" / "place", env={}).ensure()
    for folder in (paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir):
        assert folder.is_dir()
    assert paths.ensure() == paths


def test_unusable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(SettingsError) as info:
        resolve_paths(blocker / "data", env={}).ensure()
    assert str(blocker / "data") in info.value.message
    assert info.value.message.endswith(".")
    assert "--data-dir" in info.value.hint
