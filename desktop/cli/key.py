"""`hearth key set|status|remove`: the Ollama Cloud API key, kept in the system keyring.

The key is read from standard input (piped) or a prompt that does not echo, never from the
command line (where other users and the shell history would see it), and it is never
printed: `status` says only where it comes from.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TYPE_CHECKING

from desktop.core.errors import AppError

if TYPE_CHECKING:
    from desktop.app import Services


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    key = sub.add_parser("key", help="set, check or remove the Ollama Cloud API key")
    key_sub = key.add_subparsers(dest="key_command", required=True, metavar="COMMAND")
    key_sub.add_parser(
        "set", help="store the key (from standard input, or a prompt that does not echo)"
    )
    status = key_sub.add_parser("status", help="where the key in use comes from (never the key)")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    key_sub.add_parser("remove", help="remove the stored key (keyring and key file)")


def source_kind(source: str) -> str:
    """ "environment", "file", "keyring" or "none" for a SecretStore source sentence."""
    from desktop.infra.secrets import ENV_SOURCE, NO_KEY  # keyring: only when a command runs

    if source == ENV_SOURCE:
        return "environment"
    if source == NO_KEY:
        return "none"
    if source.startswith("the key file"):
        return "file"
    return "keyring"


def read_key() -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass("Ollama Cloud API key (not shown): ")
    return sys.stdin.read() if sys.stdin is not None else ""


async def run(args: argparse.Namespace, services: Services) -> int:
    secrets = services.secrets
    from desktop.infra.secrets import ENV_VAR

    env_set = bool((services.ctx.env.get(ENV_VAR) or "").strip())
    if args.key_command == "set":
        key = read_key().strip()
        if not key:
            raise AppError(
                "No API key was given, so nothing was stored.",
                "Pipe it in (hearth key set < key.txt) or type it at the prompt.",
            )
        where = await secrets.set_api_key(key)
        print(f"The API key is stored in {where}.", file=sys.stderr)
        if env_set:
            print(f"note: {ENV_VAR} is set and is used instead while it is.", file=sys.stderr)
        return 0
    if args.key_command == "remove":
        await secrets.delete_api_key()
        print("The stored API key was removed.", file=sys.stderr)
        if env_set:
            print(f"note: {ENV_VAR} is still set in the environment and is used.", file=sys.stderr)
        return 0
    found, source = await secrets.get_api_key()
    kind = source_kind(source)
    if args.json:
        print(json.dumps({"set": found is not None, "source": kind, "where": source}))
    elif found is None:
        print("No API key is set.")
    else:
        print(f"An API key is set, from {source} ({kind}).")
    return 0
