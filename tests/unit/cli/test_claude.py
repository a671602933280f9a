"""`hearth claude`: what goes to Claude Code after `--`, and the options before it."""

from __future__ import annotations

import pytest

from desktop.cli import main
from desktop.cli.claude import split_passthrough

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["claude", "--model", "m", "--", "-p", "--", "x"],
            (["claude", "--model", "m"], ["-p", "--", "x"]),
        ),
        (
            ["--data-dir", "claude", "claude", "--", "x"],
            (["--data-dir", "claude", "claude"], ["x"]),
        ),
        (["kb", "list", "--", "x"], (["kb", "list", "--", "x"], [])),
        (["claude", "--model", "m"], (["claude", "--model", "m"], [])),
    ],
)
def test_only_claude_splits_at_the_first_double_dash(
    argv: list[str], expected: tuple[list[str], list[str]]
) -> None:
    assert split_passthrough(argv) == expected


def test_unknown_options_before_the_claude_command_are_usage_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--frobnicate", "claude", "--model", "m"]) == 2
    assert "unrecognized arguments: --frobnicate" in capsys.readouterr().err
