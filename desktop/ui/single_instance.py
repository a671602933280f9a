"""One window per data folder: a second launch hands its files to the first and exits.

The first instance listens on a local socket named after the data folder (and the user);
a later `hearth FILE...` connects, sends the files as JSON, and the first window comes
forward and indexes them.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
_TIMEOUT_MS = 1000


def channel_name(data_dir: Path) -> str:
    """A socket name unique to this user and data folder."""
    key = f"{getpass.getuser()}:{data_dir.resolve()}".encode()
    return f"hearth-{hashlib.sha256(key).hexdigest()[:16]}"


def hand_over(name: str, files: list[str]) -> bool:
    """Give `files` to a running instance; False when none is listening."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(_TIMEOUT_MS):
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
        self._server.newConnection.connect(self._accept)
        if not self._server.listen(name):
            # A socket left by a crashed instance (nobody answered hand_over): replace it.
            QLocalServer.removeServer(name)
            if not self._server.listen(name):
                log.info("single-instance channel unavailable: %s", self._server.errorString())

    def close(self) -> None:
        """Stop listening (the window is closing): later launches start their own."""
        self._server.close()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
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
