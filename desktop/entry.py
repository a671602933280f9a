"""The `hearth` program's entry point (the installed command, `python -m desktop`, the
bundle).

`hearth mcp` is started by Claude Code, which waits for it: it goes straight to
`desktop.mcp_server` with a parser of its own, without importing the rest of the command
line (settings, HTTP clients, the subcommands). The bundle runs itself with `--reader-process`
to read files in a separate process (`desktop.ingest.isolation`), and with
`--indexer-process` as the window's indexing process (`desktop.indexer.client`). Everything
else goes to `desktop.cli`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop.options import add_global_options, add_mcp_parser

# `desktop.ingest.isolation.READER_FLAG`, spelled here so that every other start of the
# program imports nothing more (tests/unit/ingest/test_reader_entry.py keeps them equal).
_READER_FLAG = "--reader-process"
# `desktop.indexer.client.INDEXER_FLAG`, likewise.
_INDEXER_FLAG = "--indexer-process"


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
    if argv == [_READER_FLAG]:  # the bundle started as its own reader process
        from desktop.ingest.reader_child import main as reader_main

        return reader_main()
    if argv == [_INDEXER_FLAG]:  # the bundle started as the window's indexing process
        from desktop.indexer.process import main as indexer_main

        return indexer_main()
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
