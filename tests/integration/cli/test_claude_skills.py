"""`hearth claude-skills install`: skill folders with valid front matter, unique names."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.conftest import ROOT, run_hearth

pytestmark = pytest.mark.integration


def front_matter(text: str) -> dict[str, str]:
    assert text.startswith("---\n"), "a SKILL.md starts with front matter"
    block = text[4 : text.index("\n---\n", 4)]
    fields = {}
    for line in block.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def test_skills_install_with_valid_front_matter(tmp_path: Path, cli_env: dict[str, str]) -> None:
    target = tmp_path / "claude" / "skills"
    result = run_hearth(["claude-skills", "install", "--dir", str(target)], cli_env)
    assert result.returncode == 0, result.stderr
    installed = sorted(p.name for p in target.iterdir())
    assert installed == ["hearth-knowledge-base", "ollama-cloud-models"]
    names = []
    for folder in target.iterdir():
        text = (folder / "SKILL.md").read_text(encoding="utf-8")
        assert text == (ROOT / "resources" / "skills" / folder.name / "SKILL.md").read_text(
            encoding="utf-8"
        )
        fields = front_matter(text)
        assert fields["name"] == folder.name
        assert len(fields["description"]) > 40
        names.append(fields["name"])
    assert len(set(names)) == len(names)
    again = run_hearth(["claude-skills", "install", "--dir", str(target)], cli_env)
    assert again.returncode == 0  # installing again replaces the old copies


def test_skills_into_a_folder_that_cannot_exist(tmp_path: Path, cli_env: dict[str, str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_hearth(["claude-skills", "install", "--dir", str(blocker / "skills")], cli_env)
    assert result.returncode == 1
    assert "could not be written" in result.stderr
