"""The `hearth` program's entry point (the installed command, `python -m desktop`, the
bundle).

`hearth mcp` is started by Claude Code, which waits for it: it goes straight to
`desktop.mcp_server` with a parser of its own, without importing the rest of the command
line (settings, HTTP clients, the subcommands). Everything else goes to `desktop.cli`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop import __version__

MCP_HELP = "serve the knowledge base to Claude Code and other MCP clients (stdio)"


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """The options every `hearth` command takes before its name."""
    parser.add_argument("--version", action="version", version=f"hearth {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="keep all data, settings and logs under DIR (default: HEARTH_DATA_DIR, "
        "else the system's user folders)",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="log to stderr too")


def add_mcp_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mcp = sub.add_parser("mcp", help=MCP_HELP, description=MCP_HELP)
    mcp.add_argument("--kb", default=None, metavar="NAME", help="default knowledge base")


def command_word(argv: Sequence[str]) -> str | None:
    """The first word that is not a global option (or its value)."""
    words = iter(argv)
    for word in words:
        if word == "--data-dir":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if command_word(argv) != "mcp":
        from desktop.cli import main as cli_main

        return cli_main(argv)
    parser = argparse.ArgumentParser(prog="hearth")
    add_global_options(parser)
    add_mcp_parser(parser.add_subparsers(dest="command", metavar="COMMAND"))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    from desktop.mcp_server import run

    return run(args.data_dir, args.kb, verbose=args.verbose)
