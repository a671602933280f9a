"""Time to the first window on screen, for the source install and the bundle, under Xvfb;
and how long the command line takes to start.

Starts `hearth` on a fresh data folder on a virtual screen and polls the X server for a
mapped top-level window named Hearth (xwininfo); the time from launch to that moment is
what a person waits after a double-click (and the processor time the process used by
then, from /proc, which a loaded machine does not inflate much). Then times `hearth
--version` and a cold `hearth search` (a new process, on a small knowledge base built first
by `hearth ingest`, until its hits are printed). Also prints the bundle's size. Medians of
`--runs`, after one warm-up run of each (the file cache is warm; "cold" means a new
process).

    xvfb-run -a python -m bench.startup [--runs 5] [--root OTHER_CHECKOUT]

The source install is this checkout's `python -m desktop` (run in the checkout, its
`desktop` package first on PYTHONPATH); `--root` measures another checkout the same way,
e.g. the commit before a change.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.bundle_size import breakdown
from bench.mcp_startup import QUERY, build_store

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
BUNDLE = ROOT / "dist" / "hearth" / "hearth"


def window_visible() -> bool:
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree"], capture_output=True, text=True, check=False
    ).stdout
    return any('"Hearth"' in line for line in tree.splitlines())


def processor_seconds(pid: int) -> float:
    """User + system time a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_window(
    command: list[str], env: dict[str, str], timeout: float = 30.0
) -> tuple[float, float]:
    """Seconds from launch to a mapped window, and the processor time used by then."""
    with tempfile.TemporaryDirectory(prefix="hearth-start-") as data:
        env = {**env, "HEARTH_DATA_DIR": data, "QT_QPA_PLATFORM": "xcb"}
        started = time.perf_counter()
        proc = subprocess.Popen(
            command,
            env=env,
            cwd=env["PYTHONPATH"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while time.perf_counter() - started < timeout:
                if window_visible():
                    return time.perf_counter() - started, processor_seconds(proc.pid)
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"{command[0]} exited with {proc.returncode} before a window appeared"
                    )
                time.sleep(0.005)
            raise RuntimeError(f"no window within {timeout}s")
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def time_command(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds a command takes, and its processor time (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=env["PYTHONPATH"], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def measured(name: str, runs: int, once: Callable[[], tuple[float, float]]) -> dict[str, object]:
    """Medians of `runs` runs after a warm-up one. On a loaded machine the wall time is
    mostly waiting for a core; the processor time is the figure to compare."""
    once()  # warm the file cache: the figure is a warm start of a new process
    results = [once() for _ in range(runs)]
    times = [wall for wall, _ in results]
    cpu = [c for _, c in results]
    print(
        f"{name}: {statistics.median(times):.2f}s (median of {runs}, max {max(times):.2f}s), "
        f"processor {statistics.median(cpu):.2f}s"
    )
    return {
        "median_s": statistics.median(times),
        "max_s": max(times),
        "processor_median_s": statistics.median(cpu),
        "runs": times,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") or shutil.which("xwininfo") is None:
        sys.exit("run under Xvfb with xwininfo installed: xvfb-run -a python -m bench.startup")
    source = [sys.executable, "-m", "desktop"]
    env = {**os.environ, "PYTHONPATH": str(args.root.resolve())}
    results: dict[str, object] = {"load_average": os.getloadavg()}
    results["source"] = measured(
        "source: first window", args.runs, lambda: time_to_window(source, env)
    )
    if BUNDLE.exists():
        results["bundle"] = measured(
            "bundle: first window", args.runs, lambda: time_to_window([str(BUNDLE)], env)
        )
    results["version"] = measured(
        "hearth --version", args.runs, lambda: time_command([*source, "--version"], env)
    )
    with tempfile.TemporaryDirectory(prefix="hearth-start-") as tmp:
        data = Path(tmp) / "data"
        build_store(data, 20, args.root.resolve())
        search = [*source, "--data-dir", str(data), "search", QUERY, "--kb", "bench"]
        results["search"] = measured(
            "cold hearth search", args.runs, lambda: time_command(search, env)
        )
    results["load_average_after"] = os.getloadavg()
    bundle = ROOT / "dist" / "hearth"
    if bundle.is_dir():
        size = sum(breakdown(bundle).values())  # each file once, links not followed
        results["bundle_mb"] = size / 1e6
        print(f"bundle size: {size / 1e6:.0f} MB")
    OUT.mkdir(exist_ok=True)
    (OUT / "startup.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
