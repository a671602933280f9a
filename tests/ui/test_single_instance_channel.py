"""The single-instance channel is private: a folder only the user can enter, a peer that
must be the same user, and squatted folders or sockets never used."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.single_instance import InstanceServer, channel_name, hand_over, private_folder

pytestmark = [
    pytest.mark.ui,
    pytest.mark.skipif(os.name != "posix", reason="POSIX sockets and folder modes"),
]


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A short folder (socket paths are limited to about 100 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="hs-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def runtime(root: Path, mode: int) -> Path:
    folder = root / "xdg"
    folder.mkdir(mode=mode)
    folder.chmod(mode)
    return folder


def test_the_socket_lives_in_the_private_runtime_folder(short_tmp: Path) -> None:
    xdg = runtime(short_tmp, 0o700)
    name = channel_name(short_tmp / "data", {"XDG_RUNTIME_DIR": str(xdg)})
    assert Path(name).parent == xdg / "hearth"
    assert stat.S_IMODE((xdg / "hearth").stat().st_mode) == 0o700
    assert not name.startswith("/tmp/hearth-")


def test_a_runtime_folder_open_to_others_is_not_used(short_tmp: Path) -> None:
    xdg = runtime(short_tmp, 0o755)
    data = short_tmp / "data"
    name = channel_name(data, {"XDG_RUNTIME_DIR": str(xdg)})
    assert Path(name).parent == data / "run"
    assert private_folder(data / "run")
    assert not (xdg / "hearth").exists()


def test_a_squatted_folder_and_its_socket_are_not_used(
    qapp: QApplication, qtbot: QtBot, short_tmp: Path
) -> None:
    xdg = runtime(short_tmp, 0o700)
    data = short_tmp / "data"
    # Someone made the hearth folder open to others and left a listening socket in it,
    # under the very name the channel would have.
    squat = xdg / "hearth"
    squat.mkdir(mode=0o777)
    squat.chmod(0o777)
    leaf = Path(channel_name(data, {})).name
    squatter = QLocalServer()
    assert squatter.listen(str(squat / leaf))
    try:
        name = channel_name(data, {"XDG_RUNTIME_DIR": str(xdg)})
        assert Path(name).parent == data / "run"
        assert hand_over(name, ["/secret/plan.md"]) is False  # nobody of ours listens
        qapp.processEvents()
        assert not squatter.hasPendingConnections()
    finally:
        squatter.close()


def test_files_go_to_the_first_instance_over_a_private_socket(
    qapp: QApplication, qtbot: QtBot, short_tmp: Path
) -> None:
    name = channel_name(short_tmp / "data", {"XDG_RUNTIME_DIR": str(runtime(short_tmp, 0o700))})
    server = InstanceServer(name, qapp)  # parented like the window's, outlives the test
    assert server.listening
    assert not Path(name).stat().st_mode & 0o077
    try:
        with qtbot.waitSignal(server.files_received, timeout=5000) as got:
            assert hand_over(name, ["/home/me/a.md"]) is True
        assert got.args == [["/home/me/a.md"]]
    finally:
        server.close()


@pytest.mark.allow_warning_logs
@pytest.mark.skipif(not hasattr(__import__("socket"), "SO_PEERCRED"), reason="Linux only")
def test_a_peer_of_another_user_is_refused(
    qapp: QApplication,
    qtbot: QtBot,
    short_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    name = channel_name(short_tmp / "data", {"XDG_RUNTIME_DIR": str(runtime(short_tmp, 0o700))})
    server = InstanceServer(name, qapp)  # parented like the window's, outlives the test
    received: list[list[str]] = []
    server.files_received.connect(received.append)
    try:
        real = os.getuid()
        # Seen from this process, the kernel now reports the other end as someone else.
        monkeypatch.setattr(os, "getuid", lambda: real + 1)
        assert hand_over(name, ["/home/me/a.md"]) is False
        # The server sees the same stranger at its end and drops the connection.
        qtbot.waitUntil(lambda: "refused a single-instance connection" in caplog.text)
        assert received == []
    finally:
        monkeypatch.undo()
        server.close()


def test_no_private_folder_means_no_channel(
    short_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desktop.ui.single_instance.private_folder", lambda *a, **k: False)
    assert channel_name(short_tmp / "data", {}) == ""
    assert hand_over("", ["x"]) is False
