"""The options the `hearth` command shares between its entry point (which sends `hearth
mcp` straight to the MCP server) and the full command line."""

from __future__ import annotations

import argparse

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
