"""Time to the first window on screen, for the source install and the bundle, under Xvfb.

Starts `hearth` on a fresh data folder on a virtual screen and polls the X server for a
mapped top-level window named Hearth (xwininfo); the time from launch to that moment is
what a person waits after a double-click. Also prints the bundle's size.

    xvfb-run -a python -m bench.startup [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bundle_size import breakdown

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
TARGETS = {
    "source": [str(ROOT / ".venv" / "bin" / "hearth")],
    "bundle": [str(ROOT / "dist" / "hearth" / "hearth")],
}


def window_visible() -> bool:
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree"], capture_output=True, text=True, check=False
    ).stdout
    return any('"Hearth"' in line for line in tree.splitlines())


def time_to_window(command: list[str], timeout: float = 30.0) -> float:
    with tempfile.TemporaryDirectory(prefix="hearth-start-") as data:
        env = {**os.environ, "HEARTH_DATA_DIR": data, "QT_QPA_PLATFORM": "xcb"}
        started = time.perf_counter()
        proc = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            while time.perf_counter() - started < timeout:
                if window_visible():
                    return time.perf_counter() - started
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") or shutil.which("xwininfo") is None:
        sys.exit("run under Xvfb with xwininfo installed: xvfb-run -a python -m bench.startup")
    results: dict[str, object] = {}
    for name, command in TARGETS.items():
        if not Path(command[0]).exists():
            print(f"{name}: {command[0]} not found, skipped")
            continue
        time_to_window(command)  # warm the file cache: the figure is a warm start
        times = [time_to_window(command) for _ in range(args.runs)]
        results[name] = {"median_s": statistics.median(times), "max_s": max(times), "runs": times}
        print(
            f"{name}: first window after {statistics.median(times):.2f}s "
            f"(median of {args.runs}, max {max(times):.2f}s)"
        )
    bundle = ROOT / "dist" / "hearth"
    if bundle.is_dir():
        size = sum(breakdown(bundle).values())  # each file once, links not followed
        results["bundle_mb"] = size / 1e6
        print(f"bundle size: {size / 1e6:.0f} MB")
    OUT.mkdir(exist_ok=True)
    (OUT / "startup.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
