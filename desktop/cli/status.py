"""`hearth status`: the local server, the cloud, the knowledge bases and the data folder.

Each part is checked for real (the local server and, when the cloud is on and a key is
set, the cloud API are asked), and one that fails is reported, never fatal. The knowledge
bases are read from the registry alone, so a server that is down or an embedder that cannot
load does not hide them, and the write lock is not touched: its holder is read from the
note it leaves and checked to be alive.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.key import source_kind
from desktop.cli.knowledge import summary_json
from desktop.core.documents import KnowledgeBaseSummary
from desktop.core.errors import AppError, AuthenticationFailed
from desktop.infra.store_lock import read_owner
from desktop.store.registry import SqliteRegistry

if TYPE_CHECKING:
    from desktop.app import Services
    from desktop.providers.ollama import OllamaClient


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status = sub.add_parser(
        "status", help="local server, cloud, knowledge bases and data folder at a glance"
    )
    status.add_argument("--json", action="store_true", help="print one JSON object")


async def _server(client: OllamaClient) -> dict[str, Any]:
    """Reachable, version, latency and installed models of one server."""
    probe = await client.status()
    report: dict[str, Any] = {
        "url": client.base_url,
        "reachable": probe.reachable,
        "version": probe.version or None,
        "latency_ms": round(probe.latency_ms, 1) if probe.reachable else None,
        "models": [],
    }
    if probe.reachable:
        report["models"] = [m.name for m in await client.list_models()]
    return report


async def _local(services: Services) -> dict[str, Any]:
    try:
        return await _server(services.local)
    except AppError as exc:  # an answer Hearth does not understand: say so, go on
        return {"url": services.ctx.local_url, "reachable": False, "error": exc.message}


async def _cloud(services: Services) -> dict[str, Any]:
    p = services.ctx.settings.provider
    report: dict[str, Any] = {
        "enabled": p.cloud_enabled,
        "url": services.ctx.cloud_url,
        "key_source": source_kind(services.key_source),
        "key_accepted": None,  # not checked: the cloud is off or there is no key
    }
    if not p.cloud_enabled or services.cloud is None:
        return report
    try:
        probe = await services.cloud.status()
    except AuthenticationFailed as exc:
        report["key_accepted"] = False
        report["error"] = exc.message
        return report
    except AppError as exc:
        report["error"] = exc.message
        return report
    report["reachable"] = probe.reachable
    if probe.reachable:
        report["key_accepted"] = True
        report["latency_ms"] = round(probe.latency_ms, 1)
    return report


def _knowledge_bases(db_path: Path) -> list[dict[str, Any]]:
    registry = SqliteRegistry(db_path)
    try:
        return [
            summary_json(
                KnowledgeBaseSummary(
                    kb, registry.status_counts(kb.name), registry.chunk_total(kb.name)
                )
            )
            for kb in registry.list_kbs()
        ]
    finally:
        registry.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but alive
    except OSError:
        return False
    return True


def _data_folder(services: Services) -> dict[str, Any]:
    data_dir = services.ctx.paths.data_dir
    owner = read_owner(data_dir)
    lock: dict[str, Any] | None = None
    if owner is not None and owner.pid != os.getpid() and _alive(owner.pid):
        lock = {"holder": owner.holder, "pid": owner.pid, "since": owner.since}
    return {
        "path": str(data_dir),
        "settings": str(services.ctx.paths.settings_path),
        "write_lock": lock,
    }


async def collect(services: Services) -> dict[str, Any]:
    """Everything `hearth status` reports, as plain data."""
    local, cloud = await asyncio.gather(_local(services), _cloud(services))
    kbs: list[dict[str, Any]] | dict[str, str]
    try:
        kbs = await asyncio.to_thread(_knowledge_bases, services.ctx.paths.db_path)
    except AppError as exc:
        kbs = {"error": exc.message}
    return {
        "local": {**local, "chat_model": services.ctx.settings.provider.chat_model or None},
        "cloud": cloud,
        "embedder": services.ctx.settings.embedding.embedder,
        "knowledge_bases": kbs,
        "data_folder": _data_folder(services),
    }


async def run(args: argparse.Namespace, services: Services) -> int:
    report = await collect(services)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        _print(report)
    return 0


def _print(report: dict[str, Any]) -> None:
    local = report["local"]
    if local["reachable"]:
        models = ", ".join(local["models"]) or "none installed"
        print(
            f"Local server: {local['url']} reachable, version {local['version'] or 'unknown'}, "
            f"{local['latency_ms']:.0f} ms; models: {models}"
        )
    else:
        why = f" ({local['error']})" if local.get("error") else ""
        print(f"Local server: {local['url']} not reachable{why}")
    cloud = report["cloud"]
    key = {
        "none": "no key",
        "environment": "key from OLLAMA_API_KEY",
        "keyring": "key from the system keyring",
        "file": "key from the key file",
    }[cloud["key_source"]]
    accepted = {True: "key accepted", False: "key refused", None: "key not checked"}[
        cloud["key_accepted"]
    ]
    if cloud["enabled"] and cloud["key_source"] != "none" and cloud["key_accepted"] is None:
        accepted = f"key not checked: {cloud.get('error') or 'the cloud did not answer'}"
    state = "on" if cloud["enabled"] else "off"
    print(f"Ollama Cloud: {state}, {key}, {accepted}")
    kbs = report["knowledge_bases"]
    if isinstance(kbs, dict):
        print(f"Knowledge bases: cannot be read ({kbs['error']})")
    elif not kbs:
        print("Knowledge bases: none yet (add files with: hearth ingest PATH)")
    else:
        print("Knowledge bases:")
        for kb in kbs:
            print(
                f"  {kb['name']}: {kb['documents']} documents, {kb['chunks']} chunks, "
                f"embedder {kb['embedder']}"
            )
    folder = report["data_folder"]
    lock = folder["write_lock"]
    if lock is None:
        holder = "nobody is changing it"
    else:
        since = time.strftime("%H:%M", time.localtime(lock["since"]))
        holder = f"being changed by {lock['holder']} (process {lock['pid']}, since {since})"
    print(f"Data folder: {folder['path']} ({holder})")
