"""One way for a destructive command to ask first: a terminal is asked, a script says --yes."""

from __future__ import annotations

import asyncio
import sys

from desktop.core.errors import AppError


async def confirmed(question: str, *, refusal: str, yes: bool) -> bool:
    """Whether to go ahead: --yes, or "y" typed at the terminal.

    Without a terminal to ask (a script, a pipe) and without --yes, raises `AppError` with
    `refusal` as its sentence, so nothing is deleted by an unattended command by accident.
    """
    if yes:
        return True
    if not sys.stdin.isatty():
        raise AppError(refusal, "Add --yes to confirm.")
    # The question goes to stderr with the other messages; stdout stays for data.
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    answer = await asyncio.to_thread(sys.stdin.readline)
    if answer.strip().lower() in ("y", "yes"):
        return True
    print("Nothing deleted.", file=sys.stderr)
    return False
