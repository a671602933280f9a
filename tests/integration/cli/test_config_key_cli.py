"""`hearth config` and `hearth key`, as real processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes.plugin import CLOUD_KEY
from tests.integration.conftest import run_hearth

pytestmark = pytest.mark.integration


def test_config_set_get_reset_round_trip(cli_env: dict[str, str]) -> None:
    listed = json.loads(run_hearth(["config", "list", "--json"], cli_env).stdout)
    assert listed["provider.chat_model"] == "" and listed["retrieval.top_k"] == 8
    assert "schema_version" not in listed
    assert run_hearth(["config", "set", "provider.chat_model", "llama3.2"], cli_env).returncode == 0
    assert run_hearth(["config", "set", "retrieval.top_k", "12"], cli_env).returncode == 0
    assert run_hearth(["config", "set", "provider.cloud_enabled", "true"], cli_env).returncode == 0
    got = run_hearth(["config", "get", "provider.chat_model"], cli_env)
    assert got.stdout == "llama3.2\n"
    assert (
        json.loads(run_hearth(["config", "get", "retrieval.top_k", "--json"], cli_env).stdout) == 12
    )
    saved = json.loads(Path(cli_env["HEARTH_DATA_DIR"], "config", "settings.json").read_text())
    assert saved["provider"]["chat_model"] == "llama3.2" and saved["provider"]["cloud_enabled"]
    text = run_hearth(["config", "list"], cli_env).stdout
    assert 'provider.chat_model = "llama3.2"\n' in text and "retrieval.top_k = 12\n" in text
    assert run_hearth(["config", "reset", "retrieval.top_k"], cli_env).returncode == 0
    assert run_hearth(["config", "get", "retrieval.top_k"], cli_env).stdout == "8\n"


def test_config_names_a_wrong_key_and_a_wrong_value(cli_env: dict[str, str]) -> None:
    typo = run_hearth(["config", "get", "provider.chat_modle"], cli_env)
    assert typo.returncode == 1
    assert "error: There is no setting 'provider.chat_modle'." in typo.stderr
    assert "hint: Did you mean: provider.chat_model" in typo.stderr
    unknown = run_hearth(["config", "set", "nothing", "1"], cli_env)
    assert unknown.returncode == 1 and "Valid keys: provider.mode," in unknown.stderr
    secret = run_hearth(["config", "set", "provider.api_key", "sk-x"], cli_env)
    assert secret.returncode == 1 and "the API key is never a setting" in secret.stderr
    assert "hearth key set" in secret.stderr
    big = run_hearth(["config", "set", "provider.retries", "50"], cli_env)
    assert big.returncode == 1
    assert "error: 50 is not a valid value for provider.retries" in big.stderr
    assert "less than or equal to 10" in big.stderr
    assert "hint: provider.retries accepts a whole number." in big.stderr
    mode = run_hearth(["config", "set", "provider.mode", "cluod"], cli_env)
    assert "hint: provider.mode accepts one of: local, cloud, auto." in mode.stderr
    # Nothing invalid was saved.
    assert run_hearth(["config", "get", "provider.retries"], cli_env).stdout == "3\n"
    assert run_hearth(["config", "get", "provider.mode"], cli_env).stdout == "auto\n"


@pytest.fixture
def keyring_env(cli_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The commands keep the key in a test keyring backed by a file."""
    return {
        **cli_env,
        "PYTHON_KEYRING_BACKEND": "tests.integration.infra.keyrings.FileKeyring",
        "HEARTH_TEST_KEYRING": str(tmp_path / "keyring.json"),
    }


def test_key_set_status_remove(keyring_env: dict[str, str], tmp_path: Path) -> None:
    none = json.loads(run_hearth(["key", "status", "--json"], keyring_env).stdout)
    assert none == {"set": False, "source": "none", "where": "no API key is set"}
    stored = run_hearth(["key", "set"], keyring_env, stdin=CLOUD_KEY + "\n")
    assert stored.returncode == 0, stored.stderr
    assert "stored in the system keyring" in stored.stderr
    assert json.loads((tmp_path / "keyring.json").read_text()) == {
        "Hearth/ollama-cloud-api-key": CLOUD_KEY
    }
    status = run_hearth(["key", "status", "--json"], keyring_env)
    assert json.loads(status.stdout)["source"] == "keyring"
    plain = run_hearth(["key", "status"], keyring_env)
    assert plain.stdout.startswith("An API key is set, from the system keyring")
    from_env = run_hearth(["key", "status", "--json"], {**keyring_env, "OLLAMA_API_KEY": "sk-e"})
    assert json.loads(from_env.stdout)["source"] == "environment"
    for result in (stored, status, plain, from_env):
        assert CLOUD_KEY not in result.stdout + result.stderr
    assert run_hearth(["key", "remove"], keyring_env).returncode == 0
    gone = json.loads(run_hearth(["key", "status", "--json"], keyring_env).stdout)
    assert gone["set"] is False


def test_key_is_never_taken_from_the_command_line(keyring_env: dict[str, str]) -> None:
    argv = run_hearth(["key", "set", CLOUD_KEY], keyring_env)
    assert argv.returncode == 2
    empty = run_hearth(["key", "set"], keyring_env, stdin="")
    assert empty.returncode == 1 and "No API key was given" in empty.stderr


def test_key_status_names_the_file_fallback(cli_env: dict[str, str], tmp_path: Path) -> None:
    env = {**cli_env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    refused = run_hearth(["key", "set"], env, stdin=CLOUD_KEY)
    assert refused.returncode == 1 and "no secure keyring" in refused.stderr
    assert run_hearth(["config", "set", "secrets.allow_file_fallback", "true"], env).returncode == 0
    assert run_hearth(["key", "set"], env, stdin=CLOUD_KEY).returncode == 0
    status = json.loads(run_hearth(["key", "status", "--json"], env).stdout)
    assert status["set"] is True and status["source"] == "file"
    assert CLOUD_KEY not in json.dumps(status)
