"""`hearth mcp` as Claude Code meets it: time to `initialize`, the first search, memory.

Builds a small knowledge base of its own (generated Markdown files, `hearth ingest`), then
starts `python -m desktop mcp` through the official `mcp` client over stdio, as many times
as asked. Per run it records: seconds from launch to the `initialize` answer (ready) and
to the `tools/list` answer; seconds from sending the first `search_knowledge_base` request
(right after `tools/list`, or `--think` seconds later, the time a model takes to decide to
search) to its answer; the server's resident memory (VmRSS) after that search and its
peak (VmHWM); the server's processor time (user + system) at ready and after the search,
which other work on the machine does not inflate. Prints medians and writes
bench/out/mcp_startup.json.

    python -m bench.mcp_startup [--runs 7] [--think 0] [--root OTHER_CHECKOUT]

`--root` measures another checkout of the source (its `desktop` package on PYTHONPATH)
against the same knowledge base, e.g. the commit before a change.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
WORDS = [
    "battery",
    "solar",
    "wind",
    "turbine",
    "river",
    "valley",
    "mountain",
    "glacier",
    "kernel",
    "thread",
    "socket",
    "cache",
    "memory",
    "disk",
    "tea",
    "coffee",
    "bread",
    "cheese",
    "garden",
    "tomato",
    "pepper",
    "violin",
    "piano",
    "engine",
    "gearbox",
    "bicycle",
    "railway",
    "harbour",
    "lighthouse",
    "telescope",
    "comet",
    "nebula",
    "orbit",
]
QUERY = "how does the lighthouse keeper maintain the telescope"


def build_store(data_dir: Path, files: int, root: Path = ROOT) -> None:
    """Generated documents, indexed with `hearth ingest` (of the checkout at `root`) into
    knowledge base `bench`."""
    rng = random.Random(7)
    docs = data_dir.parent / "docs"
    docs.mkdir(parents=True)
    for n in range(files):
        paragraphs = [
            " ".join(rng.choice(WORDS) for _ in range(70)) + "." for _ in range(rng.randint(3, 8))
        ]
        (docs / f"note{n:03}.md").write_text(f"# Note {n}\n\n" + "\n\n".join(paragraphs) + "\n")
    env = {**os.environ, "HEARTH_DATA_DIR": str(data_dir), "PYTHONPATH": str(root)}
    subprocess.run(
        [sys.executable, "-m", "desktop", "ingest", str(docs), "--kb", "bench"],
        env=env,
        cwd=root,
        check=True,
        stderr=subprocess.DEVNULL,
    )


def server_process() -> Path:
    """/proc/PID of this process's child (the server the client started)."""
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[1] == me:
                return stat.parent
        except (OSError, IndexError):
            continue
    raise RuntimeError("the server process was not found")


def cpu_seconds(proc: Path) -> float:
    """Processor time the process has used (user + system): unlike wall time, it does not
    grow when other work shares the cores."""
    fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_kb(proc: Path) -> dict[str, int]:
    status = (proc / "status").read_text().splitlines()
    values = dict(line.split(":", 1) for line in status if ":" in line)
    return {k: int(values[k].split()[0]) for k in ("VmRSS", "VmHWM")}


async def one_run(root: Path, data_dir: Path, think: float) -> dict[str, float]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "desktop", "mcp", "--kb", "bench"],
        env={
            "HEARTH_DATA_DIR": str(data_dir),
            "PATH": os.environ["PATH"],
            "PYTHONPATH": str(root),
        },
        cwd=str(root),
    )
    started = time.perf_counter()
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        ready = time.perf_counter() - started
        proc = server_process()
        ready_cpu = cpu_seconds(proc)
        tools = await session.list_tools()
        listed = time.perf_counter() - started
        assert any(t.name == "search_knowledge_base" for t in tools.tools)
        await asyncio.sleep(think)
        asked = time.perf_counter()
        found = await session.call_tool("search_knowledge_base", {"query": QUERY, "k": 5})
        search = time.perf_counter() - asked
        text = "".join(getattr(c, "text", "") for c in found.content)
        if found.is_error or "note" not in text:
            raise RuntimeError(f"the search failed: {text[:300]}")
        searched_cpu = cpu_seconds(proc)
        memory = memory_kb(proc)
    return {
        "ready_s": ready,
        "ready_cpu_s": ready_cpu,
        "searched_cpu_s": searched_cpu,
        "tools_listed_s": listed,
        "first_search_s": search,
        "rss_mb": memory["VmRSS"] / 1024,
        "peak_rss_mb": memory["VmHWM"] / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--think", type=float, default=0.0, help="seconds before the search")
    parser.add_argument("--files", type=int, default=40, help="documents in the store")
    parser.add_argument("--root", type=Path, default=ROOT, help="source checkout to measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hearth-mcp-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        build_store(data_dir, args.files)
        asyncio.run(one_run(args.root, data_dir, args.think))  # warm the file cache
        runs = [asyncio.run(one_run(args.root, data_dir, args.think)) for _ in range(args.runs)]
    medians = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    load = os.getloadavg()[0]
    print(
        f"{args.root}: ready {medians['ready_s']:.2f}s, tools listed "
        f"{medians['tools_listed_s']:.2f}s, first search {medians['first_search_s']:.2f}s "
        f"after the request (think {args.think}s), RSS {medians['rss_mb']:.0f} MB "
        f"(peak {medians['peak_rss_mb']:.0f} MB); server processor time "
        f"{medians['ready_cpu_s']:.2f}s to ready, {medians['searched_cpu_s']:.2f}s to the "
        f"first answer; medians of {args.runs}, load {load:.1f}"
    )
    OUT.mkdir(exist_ok=True)
    (OUT / "mcp_startup.json").write_text(
        json.dumps(
            {
                "root": str(args.root),
                "think_s": args.think,
                "load": load,
                "medians": medians,
                "runs": runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
