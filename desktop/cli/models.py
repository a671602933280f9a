"""`hearth models list|pull|rm`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from desktop.cli.confirm import confirmed
from desktop.cli.progress import ProgressLine, bar, human_duration
from desktop.core.errors import AppError, AuthenticationFailed, CloudNotAllowed
from desktop.core.units import human_bytes

if TYPE_CHECKING:
    from desktop.app import Services


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = sub.add_parser("models", help="list, pull and remove Ollama models")
    msub = models.add_subparsers(dest="models_command", required=True, metavar="COMMAND")
    listing = msub.add_parser("list", help="installed local models, or the cloud catalogue")
    _provider(listing)
    listing.add_argument("--json", action="store_true", help="print JSON")
    pull = msub.add_parser("pull", help="download a model to the local server")
    pull.add_argument("name")
    _provider(pull)
    rm = msub.add_parser("rm", help="delete a model from the local server")
    rm.add_argument("name")
    _provider(rm)
    rm.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")


def _provider(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", choices=("local", "cloud"), default="local")


async def run(args: argparse.Namespace, services: Services) -> int:
    if args.models_command == "list":
        return await _list(args, services)
    if args.provider == "cloud":
        # Ollama Cloud has no pull or delete: its catalogue is used in place.
        verb = "pulled" if args.models_command == "pull" else "deleted"
        raise AppError(
            f"Ollama Cloud models cannot be {verb}; only the local server keeps copies.",
            "Use cloud models directly (hearth models list --provider cloud), or drop "
            "--provider cloud to manage the local server's models.",
        )
    if args.models_command == "pull":
        return await _pull(args.name, services)
    return await _rm(args, services)


async def _list(args: argparse.Namespace, services: Services) -> int:
    if args.provider == "cloud":
        # The catalogue holds no personal data, so a key the person set is consent enough
        # to read it; chats still need the cloud turned on (the router checks that).
        if services.cloud is None:
            if not services.ctx.settings.provider.cloud_enabled:
                raise CloudNotAllowed(
                    "Ollama Cloud is turned off and no API key is set, so its catalogue "
                    "was not fetched.",
                    "Set OLLAMA_API_KEY (or add the key in Settings) and turn the cloud on "
                    "in Settings (provider.cloud_enabled).",
                )
            raise AuthenticationFailed(
                "No Ollama Cloud API key is set.",
                "Add it in Settings or set OLLAMA_API_KEY.",
                key_source=services.key_source,
            )
        client = services.cloud
    else:
        client = services.local
    models = await client.list_models()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": m.name,
                        "size": m.size,
                        "parameters": m.parameter_size,
                        "quantization": m.quantization,
                        "family": m.family,
                        "modified_at": m.modified_at,
                        "remote": m.remote,
                    }
                    for m in models
                ],
                ensure_ascii=False,
            )
        )
        return 0
    if not models:
        print(
            "No models installed. Pull one with: hearth models pull llama3.2"
            if args.provider == "local"
            else "The cloud catalogue is empty.",
            file=sys.stderr,
        )
        return 0
    width = max(len(m.name) for m in models)
    print(f"{'NAME':<{width}}  {'SIZE':>9}  {'PARAMS':>7}  {'QUANT':<8}  MODIFIED")
    for m in models:
        size = human_bytes(m.size) if m.size else "-"
        print(
            f"{m.name:<{width}}  {size:>9}  {m.parameter_size or '-':>7}  "
            f"{m.quantization or '-':<8}  {m.modified_at[:19].replace('T', ' ')}"
        )
    return 0


async def _pull(name: str, services: Services) -> int:
    line = ProgressLine()
    layer = ""
    try:
        async for p in services.local.pull(name):
            current = next(
                (d for d, lp in reversed(p.layers.items()) if 0 < lp.completed < lp.total), ""
            )
            if current and current != layer:
                layer = current
                line.message(f"pulling layer {layer.removeprefix('sha256:')[:12]}")
            if p.total:
                text = (
                    f"{bar(p.fraction)} {p.fraction * 100:5.1f}%  "
                    f"{human_bytes(p.completed)}/{human_bytes(p.total)}  "
                    f"{human_bytes(p.bytes_per_second)}/s  {human_duration(p.seconds_left)} left"
                )
            else:
                text = p.status
            line.update(text, force=p.done)
    finally:
        line.finish()
    print(f"{name} is ready.", file=sys.stderr)
    return 0


async def _rm(args: argparse.Namespace, services: Services) -> int:
    if not await confirmed(
        f"Delete {args.name} from the local server?",
        refusal=f"Refusing to delete {args.name} without confirmation.",
        yes=args.yes,
    ):
        return 1
    await services.local.delete(args.name)
    print(f"Deleted {args.name}.", file=sys.stderr)
    return 0
