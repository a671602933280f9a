"""Desktop integration on Linux: the .desktop entry and the install script."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "packaging" / "linux" / "hearth.desktop"
INSTALL = ROOT / "packaging" / "linux" / "install.sh"

pytestmark = pytest.mark.integration


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None, reason="desktop-file-utils missing"
)
def test_desktop_entry_is_valid_and_opens_documents() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(ENTRY)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""  # not even a hint
    text = ENTRY.read_text()
    assert "Exec=hearth %F" in text
    for mime in (
        "application/pdf",
        "text/markdown",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ):
        assert mime in text


def test_install_and_uninstall_for_one_user(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    program = bundle / "hearth"
    program.write_text("#!/bin/sh\necho bundled hearth\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    subprocess.run([str(INSTALL), str(bundle)], env=env, check=True, capture_output=True)
    desktop = home / ".local/share/applications/hearth.desktop"
    installed = home / ".local/opt/hearth/hearth"
    assert f"Exec={installed} %F" in desktop.read_text()
    assert (home / ".local/share/icons/hicolor/256x256/apps/hearth.png").is_file()
    assert (
        subprocess.run(
            [str(home / ".local/bin/hearth")], capture_output=True, text=True, check=True
        ).stdout
        == "bundled hearth\n"
    )
    if shutil.which("desktop-file-validate"):
        assert subprocess.run(["desktop-file-validate", str(desktop)], check=False).returncode == 0
    removed = subprocess.run(
        [str(INSTALL), "--uninstall"], env=env, check=True, capture_output=True, text=True
    )
    assert "removed" in removed.stdout
    assert not desktop.exists() and not installed.exists()
    assert not (home / ".local/share/icons/hicolor/256x256/apps/hearth.png").exists()


def test_install_without_a_bundle_says_how_to_build(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "PATH": os.environ["PATH"]}
    result = subprocess.run(
        [str(INSTALL), str(tmp_path / "none")], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "packaging/build.sh" in result.stderr


needs_apt = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None,
    reason="installing a package needs root, apt-get and dpkg-deb",
)


def build_deb(bundle: Path, out: Path) -> Path:
    result = subprocess.run(
        [str(ROOT / "packaging" / "linux" / "build_deb.sh"), str(bundle), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "package: " in result.stdout
    (deb,) = out.glob("hearth_*.deb")
    return deb


def apt(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(
        ["apt-get", "-y", "-q", "--no-install-recommends", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


@needs_apt
def test_debian_package_installs_into_the_menu_and_removes_cleanly(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    program = bundle / "hearth"
    program.write_text("#!/bin/sh\necho packaged hearth\n")
    program.chmod(0o755)
    deb = build_deb(bundle, tmp_path / "out")
    fields = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Package", "Depends", "Recommends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Package: hearth" in fields and "libxcb-cursor0" in fields
    assert "tesseract-ocr-rus" in fields
    apt("install", str(deb))
    try:
        entry = Path("/usr/share/applications/hearth.desktop")
        assert "Exec=hearth %F" in entry.read_text() and "image/png" in entry.read_text()
        assert Path("/usr/share/icons/hicolor/256x256/apps/hearth.png").is_file()
        ran = subprocess.run(["/usr/bin/hearth"], capture_output=True, text=True, check=True)
        assert ran.stdout == "packaged hearth\n"
        if shutil.which("desktop-file-validate"):
            assert (
                subprocess.run(["desktop-file-validate", str(entry)], check=False).returncode == 0
            )
    finally:
        apt("remove", "hearth")
    for path in ("/opt/hearth", "/usr/bin/hearth", "/usr/share/applications/hearth.desktop"):
        assert not Path(path).exists() and not Path(path).is_symlink(), path
    assert not Path("/usr/share/icons/hicolor/256x256/apps/hearth.png").exists()
