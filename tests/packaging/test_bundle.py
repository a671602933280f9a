"""The built bundle: build it, run its commands, open its window offscreen and on a virtual
screen through the installed menu entry (what a double-click runs), and close it cleanly."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_process import open_and_terminate
from tests.packaging.test_linux_integration import apt, build_deb, needs_apt

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "hearth"
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(1200)]


@pytest.fixture(scope="module")
def bundle() -> Path:
    subprocess.run(
        [str(ROOT / "packaging" / "build.sh")],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=1100,
    )
    assert (BUNDLE / "hearth").is_file()
    return BUNDLE / "hearth"


@pytest.fixture
def display() -> Iterator[str]:
    """A fresh virtual screen on a free display number (Xvfb picks it)."""
    if shutil.which("Xvfb") is None or shutil.which("xwininfo") is None:
        pytest.skip("Xvfb and xwininfo are needed")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def test_bundle_commands(bundle: Path, tmp_path: Path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "HEARTH_DATA_DIR": str(tmp_path / "data"),
    }
    version = subprocess.run(
        [str(bundle), "--version"], env=env, capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == "hearth 0.1.0"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tea.md").write_text("# Tea\n\nGreen tea is steeped at 80 degrees for two minutes.\n")
    (docs / "ru.txt").write_text("Кошки спят шестнадцать часов в день.\n")
    subprocess.run([str(bundle), "ingest", str(docs)], env=env, check=True, capture_output=True)
    hits = json.loads(
        subprocess.run(
            [str(bundle), "search", "green tea temperature", "--json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert hits[0]["source"] == str(docs / "tea.md")
    cross = json.loads(
        subprocess.run(
            [str(bundle), "search", "how long do cats sleep", "--json", "-k", "1"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert cross[0]["source"] == str(docs / "ru.txt")  # the bundled embedder is multilingual


def test_bundle_window_offscreen(bundle: Path, tmp_path: Path) -> None:
    assert open_and_terminate([str(bundle)], tmp_path / "data") == 0


def open_from_menu_entry(entry: Path, env: dict[str, str], display: str, data: Path) -> None:
    """Run the entry's Exec line as a desktop would, wait for the window on the screen,
    then close it with SIGTERM and expect a clean exit."""
    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    command = [part for part in shlex.split(exec_line.removeprefix("Exec=")) if part != "%F"]
    run_env = {**env, "DISPLAY": display, "HEARTH_DATA_DIR": str(data), "QT_QPA_PLATFORM": "xcb"}
    proc = subprocess.Popen(
        command, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        shown = False
        while time.monotonic() < deadline and not shown:
            tree = subprocess.run(
                ["xwininfo", "-root", "-tree"],
                env=run_env,
                capture_output=True,
                text=True,
                check=False,
            )
            shown = '"Hearth"' in tree.stdout
            time.sleep(0.2)
        assert shown, "no Hearth window on the screen"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_installed_menu_entry_opens_the_window(bundle: Path, tmp_path: Path, display: str) -> None:
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    subprocess.run(
        [str(ROOT / "packaging" / "linux" / "install.sh"), str(BUNDLE)],
        env=env,
        check=True,
        capture_output=True,
    )
    entry = home / ".local/share/applications/hearth.desktop"
    open_from_menu_entry(entry, env, display, tmp_path / "data")


@needs_apt
def test_debian_package_opens_the_window_from_its_menu_entry(
    bundle: Path, tmp_path: Path, display: str
) -> None:
    deb = build_deb(BUNDLE, tmp_path / "out")
    apt("install", str(deb))
    try:
        env = {"HOME": str(tmp_path / "home"), "PATH": os.environ["PATH"]}
        open_from_menu_entry(
            Path("/usr/share/applications/hearth.desktop"), env, display, tmp_path / "data"
        )
        version = subprocess.run(["hearth", "--version"], capture_output=True, text=True, env=env)
        assert version.stdout.strip() == "hearth 0.1.0"
    finally:
        apt("remove", "hearth")
    assert not Path("/opt/hearth").exists()
