"""One window per data folder: a second launch hands its files to the first and exits.

The first instance listens on a local socket named after the data folder (and the user);
a later `hearth FILE...` connects, sends the files as JSON, and the first window comes
forward and indexes them.

The channel is private to the user. On POSIX the socket lives in a folder that only the
user can enter: `$XDG_RUNTIME_DIR/hearth` when the runtime folder is the user's own with
mode 0700, otherwise a `run` folder in the data folder (or the user's cache folder when
that path would be too long for a socket). A folder owned by someone else, or open to
others, is never used. Both ends also check the peer: on Linux the other side of the
socket must be the same user (SO_PEERCRED); elsewhere the private folder and Qt's
UserAccessOption keep other users out.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import socket as pysocket
import stat
import struct
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
_TIMEOUT_MS = 1000
_MAX_SOCKET_PATH = 100  # sun_path holds 104-108 bytes depending on the system


def private_folder(folder: Path, *, create: bool = False) -> bool:
    """Whether `folder` is a real folder (not a link) of this user's that nobody else can
    enter; with `create`, make it 0700 first if missing. An existing folder that others
    could have written into (wrong owner, wrong mode, a link) is refused, not repaired:
    a socket planted there meanwhile would be trusted."""
    if os.name != "posix":
        return True
    if create:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return False
    try:
        info = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def socket_folder(data_dir: Path, env: Mapping[str, str] | None = None) -> Path | None:
    """The private folder for the channel's socket, or None when none can be had."""
    env = os.environ if env is None else env
    leaf = f"hearth-{_key(data_dir)}"
    candidates: list[Path] = []
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_absolute() and private_folder(Path(runtime)):
        candidates.append(Path(runtime) / "hearth")
    elif runtime:
        log.info("ignored XDG_RUNTIME_DIR %s: not a private folder of this user's", runtime)
    candidates += [data_dir / "run", platformdirs.user_cache_path("hearth") / "run"]
    for folder in candidates:
        if len(str(folder / leaf).encode()) > _MAX_SOCKET_PATH:
            continue
        if private_folder(folder, create=True):
            return folder
        log.info("single-instance folder %s is not private: not used", folder)
    return None


def _key(data_dir: Path) -> str:
    key = f"{getpass.getuser()}:{data_dir.resolve()}".encode()
    return hashlib.sha256(key).hexdigest()[:16]


def channel_name(data_dir: Path, env: Mapping[str, str] | None = None) -> str:
    """The channel unique to this user and data folder: on POSIX the full path of a socket
    in a private folder ("" when there is none: no single-instance hand-over then); on
    Windows a pipe name, private through UserAccessOption."""
    leaf = f"hearth-{_key(data_dir)}"
    if os.name != "posix":
        return leaf
    folder = socket_folder(data_dir, env)
    return str(folder / leaf) if folder is not None else ""


def peer_is_same_user(socket: QLocalSocket) -> bool:
    """Whether the process at the other end runs as this user.

    Linux asks the kernel (SO_PEERCRED) through the native descriptor; where that is not
    available the private folder is the guard, and the peer is accepted."""
    so_peercred = getattr(pysocket, "SO_PEERCRED", None)
    descriptor = int(socket.socketDescriptor())
    if so_peercred is None or descriptor < 0:
        return True
    try:
        with pysocket.fromfd(descriptor, pysocket.AF_UNIX, pysocket.SOCK_STREAM) as dup:
            raw = dup.getsockopt(pysocket.SOL_SOCKET, so_peercred, struct.calcsize("3i"))
    except OSError:
        return False
    _pid, uid, _gid = struct.unpack("3i", raw)
    return bool(uid == os.getuid())


def hand_over(name: str, files: list[str]) -> bool:
    """Give `files` to a running instance; False when none is listening (or the one
    listening is not this user's)."""
    if not name:
        return False
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(_TIMEOUT_MS):
        return False
    if not peer_is_same_user(socket):
        log.warning("the single-instance channel %s belongs to another user: not used", name)
        socket.abort()
        return False
    socket.write(json.dumps({"files": files}).encode() + b"\n")
    socket.flush()
    socket.waitForBytesWritten(_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later launches; emits `files_received` (possibly empty) for each."""

    files_received = Signal(list)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        if not name:
            log.info("single-instance channel unavailable: no private folder for its socket")
            return
        if not self._server.listen(name):
            # A socket left by a crashed instance (nobody answered hand_over): replace it.
            # It sits in a folder only this user can write, so it is this user's own.
            QLocalServer.removeServer(name)
            if not self._server.listen(name):
                log.info("single-instance channel unavailable: %s", self._server.errorString())

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        """Stop listening (the window is closing): later launches start their own."""
        self._server.close()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            if not peer_is_same_user(socket):
                log.warning("refused a single-instance connection from another user")
                socket.abort()  # freed with the server (rare: only refused peers)
                continue
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        try:
            message = json.loads(bytes(socket.readLine().data()).decode())
            files = [str(f) for f in message.get("files", [])]
        except (ValueError, AttributeError):
            log.info("ignored a malformed message from another launch")
            return
        self.files_received.emit(files)
