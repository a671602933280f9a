"""`hearth ingest|search|ask|kb`: the knowledge base from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable

from desktop.app import Services

COMMANDS: dict[str, Callable[[argparse.Namespace, Services], Awaitable[int]]] = {}


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    del sub
