"""The settings file on disk: defaults, round trip, migrations, damage, newer versions."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from desktop.core.errors import SettingsError
from desktop.core.settings import SCHEMA_VERSION, Settings
from desktop.infra.paths import resolve_paths
from desktop.infra.settings_store import SettingsStore

pytestmark = pytest.mark.integration


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    result = SettingsStore(tmp_path / "settings.json").load()
    assert result.settings == Settings()
    assert result.notice is None


def test_round_trip_is_private_and_versioned(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    settings = Settings()
    settings.provider.chat_model = "qwen3:8b"
    settings.retrieval.top_k = 5
    store.save(settings)
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert json.loads(store.path.read_text())["schema_version"] == SCHEMA_VERSION
    loaded = SettingsStore(store.path).load()
    assert loaded.settings.provider.chat_model == "qwen3:8b"
    assert loaded.settings.retrieval.top_k == 5
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_version_0_file_is_migrated_and_its_key_dropped(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "ollama_url": "http://gpu:11434",
                "model": "llama3.2",
                "use_cloud": True,
                "theme": "dark",
                "api_key": "sk-old-secret",
            }
        )
    )
    result = SettingsStore(path).load()
    assert result.settings.provider.local_url == "http://gpu:11434"
    assert result.settings.provider.chat_model == "llama3.2"
    assert result.settings.provider.cloud_enabled is True
    assert result.settings.ui.theme == "dark"
    assert result.notice is not None and "enter it again in Settings" in result.notice
    SettingsStore(path).save(result.settings)
    assert "sk-old-secret" not in path.read_text()


@pytest.mark.parametrize(
    "content", [b"{not json", b"[1, 2]", b"\xff\xfe\x00garbage", b'{"schema_version": "x"}']
)
def test_damaged_file_is_moved_aside(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    result = SettingsStore(path).load()
    assert result.settings == Settings()
    backups = list(tmp_path.glob("settings.json.corrupt-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == content
    assert result.notice is not None and str(backups[0]) in result.notice
    assert "damaged" in caplog.text


def test_invalid_values_fall_back_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "retrieval": {"top_k": -5, "use_mmr": True},
                "provider": {"chat_model": "llama3.2", "mode": "sideways"},
                "unknown_section": {"x": 1},
            }
        )
    )
    result = SettingsStore(path).load()
    assert result.settings.retrieval.top_k == 8
    assert result.settings.retrieval.use_mmr is True
    assert result.settings.provider.chat_model == "llama3.2"
    assert result.settings.provider.mode == "auto"
    assert result.notice is not None
    assert "retrieval.top_k" in result.notice and "provider.mode" in result.notice


def test_newer_file_is_read_and_backed_up_before_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    original = json.dumps(
        {"schema_version": SCHEMA_VERSION + 1, "ui": {"theme": "dark"}, "future": 1}
    )
    path.write_text(original)
    store = SettingsStore(path)
    result = store.load()
    assert result.settings.ui.theme == "dark"
    assert result.notice is not None and "newer Hearth" in result.notice
    store.save(result.settings)
    assert (tmp_path / f"settings.json.v{SCHEMA_VERSION + 1}.bak").read_text() == original


def test_paths_under_one_data_dir(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "d", env={}).ensure()
    assert paths.config_dir == tmp_path / "d" / "config"
    assert paths.settings_path.parent.is_dir() and paths.log_dir.is_dir()
    assert (
        resolve_paths(None, env={"HEARTH_DATA_DIR": str(tmp_path / "e")}).db_path
        == tmp_path / "e" / "hearth.db"
    )


def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SettingsError) as info:
        resolve_paths(blocker / "data", env={}).ensure()
    assert str(blocker / "data") in info.value.message
    assert "--data-dir" in info.value.hint
