"""Start Hearth's window on a private X display with the accessibility bus, and walk it.

Run inside a private D-Bus session (`dbus-run-session -- python session.py ...`):

    session.py DATA_DIR BUTTON...

starts Xvfb, the AT-SPI bus launcher and the window (as `python -m desktop`, with Qt's
accessibility always on), runs `walker.py` with the system Python, prints its JSON on
stdout and stops everything it started. Exit status: the walker's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


def start_display() -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on the first free display; it writes the number it took to a pipe."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    return xvfb, f":{number}"


def main() -> int:
    data_dir, openers = sys.argv[1], sys.argv[2:]
    xvfb, display = start_display()
    started = [xvfb]
    try:
        env = {**os.environ, "DISPLAY": display}
        bus = subprocess.Popen([BUS_LAUNCHER, "--launch-immediately"], env=env)
        started.append(bus)
        app_env = {
            **env,
            "QT_QPA_PLATFORM": "xcb",
            "QT_ACCESSIBILITY": "1",
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "HEARTH_DATA_DIR": data_dir,
            "PYTHONPATH": str(ROOT),
        }
        app = subprocess.Popen(
            [sys.executable, "-m", "desktop"],
            env=app_env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(app)
        walker = subprocess.run(
            ["/usr/bin/python3", str(HERE / "walker.py"), "hearth", "90", *openers],
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        sys.stdout.write(walker.stdout)
        sys.stderr.write(walker.stderr)
        return walker.returncode
    finally:
        for process in reversed(started):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


if __name__ == "__main__":
    sys.exit(main())
