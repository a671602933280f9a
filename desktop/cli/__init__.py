"""The `hearth` command: no subcommand opens the window; subcommands work headless.

Exit codes: 0 success, 1 something failed (named on stderr), 2 usage error, 130 cancelled
with Ctrl+C, 141 (quietly) when whoever read the output closed it early (`| head -1`).
Errors print as "error: <sentence>" and "hint: <what to do>", never as a traceback.

Parsing the command line imports only the standard library and the subcommands' light
modules; the composition root (settings, HTTP clients, keyring) is imported once a command
runs, and the window's Qt only when it opens (`--version` and `--help` stay fast).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli import claude, config, history, key, knowledge, models, status, watch
from desktop.core.errors import AppError
from desktop.options import add_global_options, add_mcp_parser

if TYPE_CHECKING:
    from desktop.app import Context, Services
    from desktop.providers.claude_code import ClaudeEnv

log = logging.getLogger(__name__)

Command = Callable[[argparse.Namespace, "Services"], Awaitable[int]]
COMMANDS: dict[str, Command] = {
    "models": models.run,
    "config": config.run,
    "key": key.run,
    "status": status.run,
    "history": history.run,
    "watch": watch.run,
    "claude-env": claude.run_env,
    "claude-skills": claude.run_skills,
    **knowledge.COMMANDS,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hearth",
        description="Hearth: answers from your own documents, written by Ollama models. "
        "Run without a command to open the window.",
    )
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    knowledge.add_parsers(sub)
    models.add_parser(sub)
    config.add_parser(sub)
    key.add_parser(sub)
    status.add_parser(sub)
    history.add_parser(sub)
    watch.add_parser(sub)
    claude.add_parsers(sub)
    add_mcp_parser(sub)
    return parser


def _print_error(exc: AppError) -> None:
    print(f"error: {exc.message}", file=sys.stderr)
    if exc.hint:
        print(f"hint: {exc.hint}", file=sys.stderr)


async def _run(command: Command, args: argparse.Namespace, ctx: Context) -> int:
    from desktop.app import Services

    async with await Services.open(ctx) as services:
        return await command(args, services)


async def _prepare_claude(args: argparse.Namespace, ctx: Context) -> tuple[str, ClaudeEnv]:
    from desktop.app import Services

    async with await Services.open(ctx) as services:
        return await claude.prepare_launch(args, services)


def _split_files(argv: Sequence[str], commands: Collection[str]) -> tuple[list[str], list[str]]:
    """`hearth [options] FILE...` opens the window with files to index: separate the files
    (existing paths where a command would be) from the global options."""
    options: list[str] = []
    rest = list(argv)
    while rest:
        word = rest[0]
        if word == "--data-dir" and len(rest) > 1:
            options += rest[:2]
            rest = rest[2:]
        elif word.startswith("-"):
            options.append(rest.pop(0))
        else:
            break
    if rest and rest[0] not in commands and Path(rest[0]).exists():
        return options, rest
    return list(argv), []


def _reads_only(args: argparse.Namespace) -> bool:
    """Whether the command only reads the knowledge store (ingest, watch, kb rename, kb
    remove and kb reindex change it)."""
    if args.command == "kb":
        return bool(args.kb_command == "list")
    return bool(args.command not in ("ingest", "watch"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    argv, files = _split_files(argv, {*COMMANDS, "claude", "mcp"})
    argv, passthrough = claude.split_passthrough(argv)
    try:
        args, unknown = parser.parse_known_args(argv)
        if args.command == "claude":
            # Options before the command word are Hearth's own: unknown ones are errors.
            parser.parse_args(argv[: claude.command_index(argv) + 1])
            # Claude Code's options, unchanged and in order: unknown ones, then after --.
            args.claude_args = [*unknown, *passthrough]
        elif unknown:
            parser.parse_args(argv)  # reports them as usual
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return _dispatch(args, files)
    except BrokenPipeError:
        # The reader went away (`hearth claude-env | head -1`): nothing left to tell it.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def _dispatch(args: argparse.Namespace, files: list[str]) -> int:
    from desktop.app import bootstrap, launch_window

    try:
        if args.command is None:
            return launch_window(args.data_dir, files)
        if args.command == "mcp":
            from desktop.mcp_server import run

            return run(args.data_dir, args.kb, verbose=args.verbose)
        ctx = bootstrap(
            args.data_dir,
            console_log=args.verbose,
            role=f"hearth {args.command}",
            reads_only=_reads_only(args),
        )
        if ctx.notice:
            print(f"notice: {ctx.notice}", file=sys.stderr)
        if args.command == "claude":
            executable, env = asyncio.run(_prepare_claude(args, ctx))
            return claude.launch(executable, env, args, str(ctx.paths.data_dir))
        code = asyncio.run(_run(COMMANDS[args.command], args, ctx))
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except KeyboardInterrupt:
        print("\ncancelled", file=sys.stderr)
        return 130
    except AppError as exc:
        log.info("command failed: %s", exc.kind)
        _print_error(exc)
        return 1
