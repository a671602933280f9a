"""`hearth claude-env` and `hearth claude`: Claude Code on an Ollama model."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.errors import AppError, KnowledgeBaseNotFound, ProviderUnreachable
from desktop.providers.claude_code import (
    MCP_ENV,
    ClaudeEnv,
    env_script,
    install_skills,
    launch_claude,
    mcp_arguments,
    require_claude,
)

if TYPE_CHECKING:
    from desktop.app import Services


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    env = sub.add_parser(
        "claude-env", help="print the environment that points Claude Code at Ollama"
    )
    _common(env)
    env.add_argument("--shell", choices=("sh", "fish", "powershell"), default="sh")
    env.add_argument(
        "--with-mcp",
        action="store_true",
        help="also show, as a comment, the MCP configuration `hearth claude` passes",
    )
    env.add_argument("--kb", default=None, metavar="NAME", help="knowledge base for the tools")
    claude = sub.add_parser(
        "claude",
        help="start Claude Code on an Ollama model",
        description="Start Claude Code on an Ollama model. Options Hearth does not know, and "
        "everything after --, go to Claude Code unchanged.",
        allow_abbrev=False,
    )
    _common(claude)
    claude.add_argument(
        "--no-mcp",
        action="store_true",
        help="do not give Claude Code the knowledge-base tools (hearth mcp)",
    )
    claude.add_argument("--kb", default=None, metavar="NAME", help="knowledge base for the tools")
    claude.add_argument(
        "--launch-anyway",
        action="store_true",
        help="start Claude Code even if the local Ollama server does not answer",
    )

    skills = sub.add_parser("claude-skills", help="Claude Code skills for Ollama and Hearth")
    skills_sub = skills.add_subparsers(dest="skills_command", required=True, metavar="COMMAND")
    install = skills_sub.add_parser("install", help="write the skills for Claude Code")
    install.add_argument(
        "--dir",
        type=Path,
        default=Path.home() / ".claude" / "skills",
        help="Claude Code's skills folder (default: ~/.claude/skills)",
    )


async def run_skills(args: argparse.Namespace, services: Services) -> int:
    del services
    for folder in install_skills(args.dir):
        print(f"installed {folder}", file=sys.stderr)
    print("Claude Code picks the skills up the next time it starts.", file=sys.stderr)
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", choices=("local", "cloud"), default=None)
    parser.add_argument("--model", default=None, help="model name (local, or cloud catalogue)")


async def _environment(
    args: argparse.Namespace, services: Services, *, load: bool = False
) -> ClaudeEnv:
    """Claude Code's environment for the chosen model; with `load`, the local model is loaded
    first, so the context the server really runs it with is known."""
    settings = services.ctx.settings
    provider = args.provider or settings.claude.provider
    model = args.model or settings.claude.model or settings.provider.chat_model
    if not model:
        raise AppError(
            "No model chosen for Claude Code.",
            "Pass --model NAME (see `hearth models list`), or set one in Settings.",
        )
    if load and provider == "local":
        print(f"Loading {model}…", file=sys.stderr)
    return await services.providers.claude_env(provider, model, load=load)


async def run_env(args: argparse.Namespace, services: Services) -> int:
    result = await _environment(args, services)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    data_dir = str(services.ctx.paths.data_dir) if args.with_mcp else None
    print(env_script(result, args.shell, mcp_data_dir=data_dir, kb=args.kb))
    return 0


def split_passthrough(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """For `hearth claude`, separate what follows the first `--` (Claude Code's, unchanged).

    Other commands are returned whole.
    """
    words = list(argv)
    index = command_index(words)
    if words[index : index + 1] != ["claude"] or "--" not in words[index:]:
        return words, []
    cut = words.index("--", index)
    return words[:cut], words[cut + 1 :]


def command_index(argv: Sequence[str]) -> int:
    """Where the command word is, past the global options (len(argv) if there is none)."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--data-dir":
            index += 2
        elif word.startswith("-"):
            index += 1
        else:
            break
    return min(index, len(argv))


async def _check_server(args: argparse.Namespace, services: Services, provider: str) -> None:
    """Refuse to launch into a local server that does not answer (unless --launch-anyway)."""
    if provider != "local" or args.launch_anyway:
        return
    if not (await services.local.status()).reachable:
        raise ProviderUnreachable(
            f"The local Ollama server at {services.ctx.local_url} does not answer, so "
            "Claude Code would have no model to talk to.",
            "Start it with `ollama serve` (or open the Ollama app), or point OLLAMA_HOST at "
            "a running server; --launch-anyway starts Claude Code regardless.",
        )


async def _check_kb(args: argparse.Namespace, services: Services) -> None:
    """A knowledge base named with --kb must exist (the tools would only fail later)."""
    if args.no_mcp or not args.kb:
        return
    knowledge = await services.knowledge()
    names = [s.record.name for s in await knowledge.kbs.summaries()]
    if args.kb not in names:
        existing = ", ".join(names) if names else "none yet"
        raise KnowledgeBaseNotFound(
            f"There is no knowledge base named “{args.kb}” (existing: {existing}).",
            "Pass one of those with --kb, or add files with `hearth ingest --kb NAME PATH`.",
        )


async def prepare_launch(args: argparse.Namespace, services: Services) -> tuple[str, ClaudeEnv]:
    executable = require_claude(services.ctx.env)
    await _check_server(args, services, args.provider or services.ctx.settings.claude.provider)
    await _check_kb(args, services)
    result = await _environment(args, services, load=True)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return executable, result


def launch(executable: str, result: ClaudeEnv, args: argparse.Namespace, data_dir: str) -> int:
    """Start Claude Code; unless --no-mcp, with Hearth's knowledge-base tools registered."""
    if args.no_mcp:
        return launch_claude(executable, result.env, args.claude_args, model=result.model)
    extra = [*mcp_arguments(data_dir, args.kb), *args.claude_args]
    return launch_claude(executable, {**result.env, **MCP_ENV}, extra, model=result.model)
