"""The settings file on disk: defaults, round trip, migrations, damage, newer versions."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from desktop.core.errors import SettingsError
from desktop.core.settings import SCHEMA_VERSION, Settings
from desktop.infra.settings_store import MIGRATIONS, SettingsStore, migrate_0_to_1

pytestmark = pytest.mark.integration


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    result = SettingsStore(tmp_path / "settings.json").load()
    assert result.settings == Settings()
    assert result.notice is None


def test_round_trip_is_private_versioned_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    settings = Settings()
    settings.provider.chat_model = "qwen3:8b"
    settings.retrieval.top_k = 5
    settings.privacy.custom_patterns = ["ACME-\\d+"]
    store.save(settings)
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert json.loads(store.path.read_text())["schema_version"] == SCHEMA_VERSION
    loaded = SettingsStore(store.path).load()
    assert loaded.settings == settings
    assert loaded.notice is None
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_save_replaces_an_existing_file_and_keeps_it_private(tmp_path: Path) -> None:
    path = write(tmp_path / "settings.json", {"schema_version": 1})
    path.chmod(0o644)
    settings = Settings()
    settings.ui.theme = "light"
    SettingsStore(path).save(settings)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert json.loads(path.read_text())["ui"]["theme"] == "light"


def test_save_to_an_impossible_place_is_a_settings_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(SettingsError) as info:
        SettingsStore(blocker / "settings.json").save(Settings())
    assert str(blocker / "settings.json") in info.value.message


def test_version_0_file_is_migrated(tmp_path: Path) -> None:
    path = write(
        tmp_path / "settings.json",
        {"ollama_url": "http://gpu:11434", "model": "llama3.2", "use_cloud": True, "theme": "dark"},
    )
    result = SettingsStore(path).load()
    assert result.settings.provider.local_url == "http://gpu:11434"
    assert result.settings.provider.chat_model == "llama3.2"
    assert result.settings.provider.cloud_enabled is True
    assert result.settings.ui.theme == "dark"
    assert result.settings.schema_version == SCHEMA_VERSION
    assert result.notice is None


def test_migrations_form_an_unbroken_chain() -> None:
    assert sorted(MIGRATIONS) == list(range(SCHEMA_VERSION))
    assert migrate_0_to_1({"theme": "light", "window": [1, 2]}) == {
        "schema_version": 1,
        "ui": {"theme": "light"},
    }


def test_version_0_bad_value_is_reset_and_named(tmp_path: Path) -> None:
    path = write(tmp_path / "settings.json", {"model": "llama3.2", "theme": "purple"})
    result = SettingsStore(path).load()
    assert result.settings.provider.chat_model == "llama3.2"
    assert result.settings.ui.theme == "system"
    assert result.notice is not None and "ui.theme" in result.notice


@pytest.mark.parametrize("name", ["api_key", "cloud_api_key"])
def test_a_key_in_an_old_file_is_dropped_and_never_written_back(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / "settings.json", {"model": "llama3.2", name: "sk-old-secret-1"})
    store = SettingsStore(path)
    result = store.load()
    assert result.settings.provider.chat_model == "llama3.2"
    assert result.notice is not None
    assert "enter it again in Settings" in result.notice and "keyring" in result.notice
    assert "sk-old-secret-1" not in result.notice
    store.save(result.settings)
    assert "sk-old-secret-1" not in path.read_text()


def test_a_key_inside_a_current_file_is_dropped_too(tmp_path: Path) -> None:
    path = write(
        tmp_path / "settings.json",
        {"schema_version": SCHEMA_VERSION, "provider": {"cloud_api_key": "sk-x-secret"}},
    )
    result = SettingsStore(path).load()
    assert "sk-x-secret" not in result.settings.model_dump_json()
    assert result.notice is not None and "removed" in result.notice


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[1, 2]",
        b'"just a string"',
        b"\xff\xfe\x00garbage",
        b'{"schema_version": "x"}',
        b'{"schema_version": -1}',
        b"",
    ],
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
    assert not path.exists()
    assert result.notice is not None and str(backups[0]) in result.notice
    assert [r.levelname for r in caplog.records] == ["WARNING"]


def test_two_damaged_files_in_one_second_keep_both_backups(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    for content in (b"{one", b"{two"):
        path.write_bytes(content)
        SettingsStore(path).load()
    backups = sorted(p.read_bytes() for p in tmp_path.glob("settings.json.corrupt-*"))
    assert backups == [b"{one", b"{two"]
    assert len(caplog.records) == 2


def test_unknown_keys_are_dropped(tmp_path: Path) -> None:
    path = write(
        tmp_path / "settings.json",
        {"schema_version": 1, "unknown_section": {"x": 1}, "ui": {"theme": "dark", "zoom": 3}},
    )
    store = SettingsStore(path)
    result = store.load()
    assert result.settings.ui.theme == "dark"
    assert result.notice is None
    store.save(result.settings)
    saved = json.loads(path.read_text())
    assert "unknown_section" not in saved and "zoom" not in saved["ui"]


def test_invalid_values_fall_back_one_by_one(tmp_path: Path) -> None:
    path = write(
        tmp_path / "settings.json",
        {
            "schema_version": 1,
            "retrieval": {"top_k": -5, "use_mmr": True},
            "provider": {"chat_model": "llama3.2", "mode": "sideways"},
            "privacy": {"custom_patterns": ["ok", 3]},
            "store": "not a section",
        },
    )
    result = SettingsStore(path).load()
    assert result.settings.retrieval.top_k == 8
    assert result.settings.retrieval.use_mmr is True
    assert result.settings.provider.chat_model == "llama3.2"
    assert result.settings.provider.mode == "auto"
    assert result.settings.privacy.custom_patterns == []
    assert result.settings.store == Settings().store
    assert result.notice is not None
    for field in ("retrieval.top_k", "provider.mode", "privacy.custom_patterns", "store"):
        assert field in result.notice
    assert "use_mmr" not in result.notice


def test_newer_file_is_read_kept_and_backed_up_before_overwrite(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    path = tmp_path / "settings.json"
    original = json.dumps(
        {"schema_version": SCHEMA_VERSION + 1, "ui": {"theme": "dark"}, "future": {"a": 1}}
    )
    path.write_text(original)
    store = SettingsStore(path)
    result = store.load()
    assert result.settings.ui.theme == "dark"
    assert result.notice is not None and "newer Hearth" in result.notice
    assert path.read_text() == original
    store.save(result.settings)
    backup = tmp_path / f"settings.json.v{SCHEMA_VERSION + 1}.bak"
    assert backup.read_text() == original
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION
    store.save(result.settings)
    assert backup.read_text() == original
    assert str(backup) in caplog.text


def test_unreadable_settings_path_gives_defaults_and_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.mkdir()
    result = SettingsStore(path).load()
    assert result.settings == Settings()
    assert result.notice is not None and str(path) in result.notice
    assert path.is_dir()
